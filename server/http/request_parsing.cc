#include "server/http/request_parsing.h"

#include <charconv>
#include <cstdio>

#include "server/http/assets.h"
#include "server/http/internal.h"

namespace reciproca::http {
namespace {

constexpr std::string_view kApiPrefix = "/api/";

int FromHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The position of the first byte outside 0x20-0x7E; value.size() when there is none.
size_t FirstInvisible(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte < 0x20 || byte > 0x7e) {
      return i;
    }
  }
  return value.size();
}

}  // namespace

bool IsVisibleAscii(std::string_view value) { return FirstInvisible(value) == value.size(); }

grpc::Status CheckHeaderValue(std::string_view name, std::string_view value) {
  const size_t at = FirstInvisible(value);
  if (at == value.size()) {
    return grpc::Status::OK;
  }
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(value[at]));
  const std::string where = "the " + std::string(name) + " header has byte " + byte +
                            " at position " + std::to_string(at) +
                            "; header values must be visible ASCII (0x20-0x7E)";
  const bool authorization =
      beast::iequals(beast::string_view(name.data(), name.size()), "authorization");
  if (authorization) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        where +
                            ": send \"Authorization: Bearer <token>\" with the token exactly "
                            "as issued (a pasted token may carry a tab or a non-breaking "
                            "space)");
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      where + " (percent-encode anything else)");
}

std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        return std::nullopt;
      }
      const int hi = FromHex(in[i + 1]);
      const int lo = FromHex(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::optional<std::string> QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    }
  }
  return std::string();
}

std::optional<int64_t> ParseSeq(std::string_view text) {
  int64_t value = 0;
  if (text.empty()) {
    return 0;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

grpc::Status ParseEventsRequest(std::string_view query, std::string_view last_event_id,
                                v1::SubscribeRequest* out) {
  auto chapter = QueryValue(query, "chapter");
  auto after = QueryValue(query, "after_seq");
  if (!last_event_id.empty()) {
    after = std::string(last_event_id);
  }
  const std::optional<int64_t> after_seq = after ? ParseSeq(*after) : std::nullopt;
  if (!chapter || chapter->empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "chapter is required: /api/events?chapter=chapters/{chapter}&after_seq=N");
  }
  if (!after_seq) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "after_seq (or Last-Event-ID) must be a whole number >= 0 (the last seq "
                        "seen; 0 for the whole log)");
  }
  out->set_chapter(*chapter);
  out->set_after_seq(*after_seq);
  return grpc::Status::OK;
}

std::optional<std::string_view> ApiMethodOf(std::string_view path) {
  if (path.substr(0, kApiPrefix.size()) != kApiPrefix) return std::nullopt;
  return path.substr(kApiPrefix.size() - 1);
}

std::string RouteOf(std::string_view path) {
  if (path == "/api/events" || path == "/healthz" || path == "/metrics") {
    return std::string(path);
  }
  if (const auto method = ApiMethodOf(path)) {
    return IsApiMethod(*method) ? "/api" + std::string(*method) : "/api/unknown";
  }
  return FindAsset(path) ? "static" : "other";
}

}  // namespace reciproca::http
