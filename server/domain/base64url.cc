#include "server/domain/base64url.h"

#include <cstdint>

namespace reciproca::domain {
namespace {

constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64UrlAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) {
    out += kBase64UrlAlphabet[(buffer << (6 - bits)) & 0x3F];
  }
  return out;  // no padding: the length says where it ends
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const size_t value = kBase64UrlAlphabet.find(c);
    if (value == std::string_view::npos) {
      return false;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return bits < 6 && (buffer & ((1u << bits) - 1)) == 0;
}

}  // namespace reciproca::domain
