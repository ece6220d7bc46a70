#include "client/cli/access_links.h"

#include <qrencode.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace reciproca::cli {
namespace {

constexpr char kDefaultWebUrl[] = "http://127.0.0.1:8080";
// The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
constexpr int kQuietZone = 4;

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// `source` names where the URL came from in the message ("--web-url", "$RECIPROCA_WEB_URL").
std::string CheckWebUrl(std::string url, const std::string& source) {
  const std::string shown = "\"" + url + "\"";
  size_t scheme = 0;
  if (StartsWithNoCase(url, "http://")) {
    scheme = 7;
  } else if (StartsWithNoCase(url, "https://")) {
    scheme = 8;
  } else {
    throw UsageError(source + " must start with http:// or https://, got " + shown);
  }
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      throw UsageError(source + " must not contain white space, got " + shown);
    }
    if (c == '?' || c == '#') {
      throw UsageError(source +
                       " must be the address of reciprocad's web pages without ?query or " +
                       "#fragment, got " + shown);
    }
  }
  while (url.size() > scheme && url.back() == '/') {
    url.pop_back();
  }
  if (url.size() == scheme || url[scheme] == '/') {
    throw UsageError(source + " has no host, got " + shown);
  }
  return url;
}

}  // namespace

std::string WebUrl(const ParsedArgs& args) {
  if (args.Has("web-url")) {
    return CheckWebUrl(args.Get("web-url"), "--web-url");
  }
  if (const char* env = std::getenv("RECIPROCA_WEB_URL"); env != nullptr && *env != '\0') {
    return CheckWebUrl(env, "$RECIPROCA_WEB_URL");
  }
  return kDefaultWebUrl;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string DisplayUrl(std::string_view web, std::string_view chapter, std::string_view token) {
  return std::string(web) + "/display/#chapter=" + PercentEncode(chapter) +
         "&token=" + PercentEncode(token);
}

std::string InviteUrl(std::string_view web, std::string_view token) {
  return std::string(web) + "/app/#token=" + PercentEncode(token);
}

std::string QrCode(std::string_view text, bool colors) {
  const std::string input(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code) {
    throw std::runtime_error("cannot draw a QR code of the link (" + std::to_string(text.size()) +
                             " bytes)");
  }
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  // Module (x, y) of the drawing, quiet zone included: true when dark.
  auto dark = [&](int x, int y) {
    x -= kQuietZone;
    y -= kQuietZone;
    if (x < 0 || y < 0 || x >= width || y >= width) {
      return false;
    }
    return (code->data[y * width + x] & 1) != 0;
  };
  std::string out;
  for (int y = 0; y < size; y += 2) {
    if (colors) {
      out += "\x1b[30;107m";
    }
    for (int x = 0; x < size; ++x) {
      const bool top = dark(x, y);
      const bool bottom = y + 1 < size && dark(x, y + 1);
      if (top && bottom) {
        out += "\u2588";  // █
      } else if (top) {
        out += "\u2580";  // ▀
      } else if (bottom) {
        out += "\u2584";  // ▄
      } else {
        out += ' ';
      }
    }
    if (colors) {
      out += "\x1b[0m";
    }
    out += '\n';
  }
  return out;
}

}  // namespace reciproca::cli
