#pragma once

// AIP-158 pagination over a list computed on the chapter's strand.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::api {

struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_page_token;
};

inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 1000;

// The slice [begin, end) of a list of `total` items. `query` identifies the list and its filters:
// a token is valid only for the same query. INVALID_ARGUMENT for a negative page size or a token
// that is not from this list.
Result<Page> Paginate(int32_t page_size, const std::string& page_token, size_t total,
                      std::string_view query);

// Copies the page of `items` into a repeated field through `add`.
template <class T, class Add>
void CopyPage(const Page& page, const std::vector<T>& items, Add add) {
  for (size_t i = page.begin; i < page.end; ++i) {
    *add() = items[i];
  }
}

}  // namespace reciproca::api
