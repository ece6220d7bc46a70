#include "server/api/pagination.h"

#include <string>

#include "server/domain/base64url.h"
#include "server/domain/error_reasons.h"

namespace reciproca::api {
namespace {

// The token layout, before base64url: kVersion, then each key part as a one-byte-per-7-bits
// length and its bytes, then the first kMacBytes of the MAC.
constexpr char kVersion = 1;
constexpr size_t kMacBytes = 16;
constexpr size_t kMaxTokenChars = 4096;
constexpr size_t kMaxKeyParts = 8;

void AppendLength(size_t n, std::string* out) {
  do {
    char byte = static_cast<char>(n & 0x7F);
    n >>= 7;
    if (n != 0) {
      byte = static_cast<char>(byte | 0x80);
    }
    *out += byte;
  } while (n != 0);
}

bool ReadLength(std::string_view* in, size_t* n) {
  *n = 0;
  for (int shift = 0; shift < 28; shift += 7) {
    if (in->empty()) {
      return false;
    }
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *n |= static_cast<size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      return true;
    }
  }
  return false;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

Error NotFromThisList() {
  return InvalidArgument(
             "page_token: not a token from this list (with these filters); start again without it")
      .Because(domain::kPageTokenInvalid);
}

}  // namespace

std::string PageTokens::Mac(std::string_view query, std::string_view payload) const {
  // Length-prefixed, so no query and payload pair reads as another. The purpose's prefix is
  // unlike the member and display tokens' ("member:", "display:"): a MAC is never a token.
  const std::string hex = minter_.Mint("page_token:" + std::to_string(query.size()) + ":" +
                                       std::string(query) + std::string(payload));
  std::string mac;
  for (size_t i = 0; i < kMacBytes; ++i) {
    mac += static_cast<char>(std::stoi(hex.substr(4 + 2 * i, 2), nullptr, 16));  // after "rcp_"
  }
  return mac;
}

std::string PageTokens::Encode(std::string_view query, const domain::ListKey& last) const {
  std::string payload(1, kVersion);
  for (const std::string& part : last) {
    AppendLength(part.size(), &payload);
    payload += part;
  }
  return domain::Base64UrlEncode(payload + Mac(query, payload));
}

Result<domain::ListKey> PageTokens::Decode(std::string_view query, std::string_view token) const {
  std::string bytes;
  if (token.size() > kMaxTokenChars || !domain::Base64UrlDecode(token, &bytes) ||
      bytes.size() < 1 + kMacBytes) {
    return NotFromThisList();
  }
  const std::string_view all(bytes);
  const std::string_view payload = all.substr(0, all.size() - kMacBytes);
  if (!ConstantTimeEqual(all.substr(payload.size()), Mac(query, payload)) ||
      payload[0] != kVersion) {
    return NotFromThisList();
  }
  domain::ListKey key;
  std::string_view rest = payload.substr(1);
  while (!rest.empty()) {
    size_t n = 0;
    if (key.size() == kMaxKeyParts || !ReadLength(&rest, &n) || n > rest.size()) {
      return NotFromThisList();
    }
    key.emplace_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  return key;
}

Result<size_t> PageSize(int32_t page_size) {
  if (page_size < 0) {
    return InvalidArgument("page_size: must not be negative, got " + std::to_string(page_size))
        .Because(domain::kPageSizeNegative, {{"value", std::to_string(page_size)}});
  }
  return page_size == 0 ? size_t{kDefaultPageSize}
                        : static_cast<size_t>(std::min(page_size, kMaxPageSize));
}

}  // namespace reciproca::api
