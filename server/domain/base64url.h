#pragma once

// base64url without padding (RFC 4648 section 5), the one encoding of bytes in text the server
// writes: page tokens (server/api/pagination.cc) and Web Push keys (server/push).

#include <string>
#include <string_view>

namespace reciproca::domain {

std::string Base64UrlEncode(std::string_view bytes);
// Appends the bytes of `text` to *out. False for a character outside the alphabet (padding
// included) or leftover bits that are not zero, so each byte string has exactly one encoding.
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace reciproca::domain
