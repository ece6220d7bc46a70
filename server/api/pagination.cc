#include "server/api/pagination.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace reciproca::api {
namespace {

// FNV-1a: stable across runs, so a token survives a server restart.
uint32_t Check(std::string_view query, size_t offset) {
  uint32_t h = 2166136261u;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h = (h ^ c) * 16777619u;
    }
  };
  mix(query);
  mix(std::to_string(offset));
  return h;
}

std::string MakeToken(std::string_view query, size_t offset) {
  char check[9];
  std::snprintf(check, sizeof check, "%08x", Check(query, offset));
  return "p" + std::to_string(offset) + "." + check;
}

}  // namespace

Result<Page> Paginate(int32_t page_size, const std::string& page_token, size_t total,
                      std::string_view query) {
  if (page_size < 0) {
    return InvalidArgument("page_size: must not be negative, got " + std::to_string(page_size));
  }
  const size_t size =
      page_size == 0 ? kDefaultPageSize : static_cast<size_t>(std::min(page_size, kMaxPageSize));
  size_t offset = 0;
  if (!page_token.empty()) {
    const size_t dot = page_token.find('.');
    bool valid = page_token[0] == 'p' && dot != std::string::npos && dot > 1;
    if (valid) {
      const char* last = page_token.data() + dot;
      auto parsed = std::from_chars(page_token.data() + 1, last, offset);
      valid =
          parsed.ec == std::errc() && parsed.ptr == last && MakeToken(query, offset) == page_token;
    }
    if (!valid) {
      return InvalidArgument(
          "page_token: not a token from this list (with these filters); start again without it");
    }
  }
  Page page;
  page.begin = std::min(offset, total);
  page.end = std::min(page.begin + size, total);
  if (page.end < total) {
    page.next_page_token = MakeToken(query, page.end);
  }
  return page;
}

}  // namespace reciproca::api
