#pragma once

// AIP-158 pagination with keyset cursors. Every list is sorted by its items' keys
// (server/domain/list_order.h); a page token holds the key of the page's last item, and the next
// page is the items whose key comes after it. So a page never repeats nor skips an item that was
// in the list when paging began, whatever is added or removed between pages (an item added
// meanwhile appears if its key comes after the cursor: for the newest-first lists, it does not).
//
// Tokens are opaque to clients: base64url of the key and a MAC (HMAC-SHA-256 with the server's
// token secret, engine::TokenMinter) over the key and the query (the list and its filters). A
// token altered, made up, or given to another list or other filters is INVALID_ARGUMENT. Tokens
// survive a restart (the secret is kept in the data directory).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/list_order.h"
#include "server/domain/result.h"
#include "server/engine/tokens.h"

namespace reciproca::api {

inline constexpr int32_t kDefaultPageSize = 50;
inline constexpr int32_t kMaxPageSize = 1000;

// Page tokens of one server: encodes a cursor for a query, and decodes it back only for the
// same query. Thread-safe (const).
class PageTokens {
 public:
  explicit PageTokens(const engine::TokenMinter& minter) : minter_(minter) {}

  std::string Encode(std::string_view query, const domain::ListKey& last) const;
  // INVALID_ARGUMENT "page_token: not a token from this list ..." unless `token` came from
  // Encode(query, ...).
  Result<domain::ListKey> Decode(std::string_view query, std::string_view token) const;

 private:
  std::string Mac(std::string_view query, std::string_view payload) const;

  const engine::TokenMinter& minter_;
};

// What a List request says about paging, and the query its token is bound to.
struct PageRequest {
  int32_t page_size = 0;
  std::string_view page_token;
  std::string query;
};

// The number of items per page: kDefaultPageSize for 0, at most kMaxPageSize; INVALID_ARGUMENT
// when negative.
Result<size_t> PageSize(int32_t page_size);

// Copies the page of `items` (sorted by `key_of`, as the domain's lists are) that `request`
// asks for through `add`, and returns the next page token (empty on the last page).
template <class T, class KeyOf, class Add>
Result<std::string> CopyPage(const PageTokens& tokens, const PageRequest& request,
                             const std::vector<T>& items, KeyOf key_of, Add add) {
  auto size = PageSize(request.page_size);
  if (!size.ok()) {
    return size.error();
  }
  auto begin = items.begin();
  if (!request.page_token.empty()) {
    auto after = tokens.Decode(request.query, request.page_token);
    if (!after.ok()) {
      return after.error();
    }
    begin = std::partition_point(items.begin(), items.end(),
                                 [&](const T& item) { return !(*after < key_of(item)); });
  }
  const auto end = begin + static_cast<std::ptrdiff_t>(
                               std::min(*size, static_cast<size_t>(items.end() - begin)));
  for (auto it = begin; it != end; ++it) {
    *add() = *it;
  }
  if (end == items.end()) {
    return std::string();
  }
  return tokens.Encode(request.query, key_of(*(end - 1)));
}

}  // namespace reciproca::api
