#pragma once

// Links that open reciprocad's web pages with an access token: the room display
// ("{web}/display/#chapter=...&token=...") and a member's phone page ("{web}/app/#token=...").
// The token travels in the URL fragment, which browsers never send to the server, so it stays
// out of HTTP logs and proxies.

#include <string>
#include <string_view>

#include "client/cli/args.h"

namespace reciproca::cli {

// The web address of reciprocad's pages: --web-url, else $RECIPROCA_WEB_URL, else
// http://127.0.0.1:8080; trailing slashes removed. UsageError unless it is http:// or https://
// followed by a host, without white space, "?query" or "#fragment".
std::string WebUrl(const ParsedArgs& args);

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), as
// JavaScript's encodeURIComponent does for these inputs: "chapters/demo" -> "chapters%2Fdemo".
std::string PercentEncode(std::string_view text);

// "{web}/display/#chapter={chapter}&token={token}", values percent-encoded.
std::string DisplayUrl(std::string_view web, std::string_view chapter, std::string_view token);

// "{web}/app/#token={token}", the value percent-encoded.
std::string InviteUrl(std::string_view web, std::string_view token);

// The QR code of `text` (error correction level M, 4-module quiet zone) drawn with UTF-8 half
// blocks, two rows of modules per line: dark modules are drawn ('█', '▀', '▄'), light ones
// are spaces. Each line ends in '\n'. With `colors`, every line is wrapped in ANSI black on white
// so the code scans on dark and light terminals alike. Throws std::runtime_error when the text
// cannot be encoded.
std::string QrCode(std::string_view text, bool colors);

}  // namespace reciproca::cli
