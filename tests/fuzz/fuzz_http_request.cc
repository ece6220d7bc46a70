// What the HTTP gateway reads from a client before anything reaches gRPC
// (server/http/request_parsing.h): header values, the route label, the event stream's query and
// Last-Event-ID. The first byte picks the function; for the event stream, the rest is
// "QUERY\nLAST-EVENT-ID". Asserted besides "no crash, no UB": a header value passes exactly when
// it is visible ASCII, and a refusal's message never quotes it; a route is one of the fixed
// labels; percent-encoding round-trips; an accepted event-stream request has a chapter and a
// seq >= 0, and a refused one is INVALID_ARGUMENT with a message.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/http/request_parsing.h"

namespace {

using namespace reciproca;

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz_http_request: broken promise: %s\n", what);
    std::abort();
  }
}

bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool KnownRoute(const std::string& route) {
  return route == "/api/unknown" || route == "/api/events" || route == "/healthz" ||
         route == "/metrics" || route == "static" || route == "other" ||
         (route.rfind("/api/reciproca.", 0) == 0 && route.find('?') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      for (const char* name : {"Authorization", "Accept-Language", "Last-Event-ID"}) {
        const grpc::Status status = http::CheckHeaderValue(name, value);
        Require(status.ok() == http::IsVisibleAscii(value), "a header passes iff visible ASCII");
        if (!status.ok()) {
          Require(PrintableAscii(status.error_message()), "a header message is printable ASCII");
          Require(status.error_code() == (name[0] == 'A' && name[1] == 'u'
                                              ? grpc::StatusCode::UNAUTHENTICATED
                                              : grpc::StatusCode::INVALID_ARGUMENT),
                  "a header refusal is UNAUTHENTICATED (Authorization) or INVALID_ARGUMENT");
        }
      }
      break;
    }
    case 1:
      Require(KnownRoute(http::RouteOf(value)), "a route is one of the fixed labels");
      break;
    case 2: {
      (void)http::PercentDecode(value);
      const auto back = http::PercentDecode(PercentEncode(value));
      Require(back && *back == value, "percent-encoding round-trips");
      (void)http::QueryValue(value, "chapter");
      break;
    }
    case 3: {
      const auto seq = http::ParseSeq(value);
      Require(!seq || *seq >= 0, "a seq is >= 0");
      break;
    }
    case 4: {
      const size_t newline = value.find('\n');
      const std::string_view query = value.substr(0, newline);
      const std::string_view last_event_id =
          newline == std::string_view::npos ? std::string_view() : value.substr(newline + 1);
      v1::SubscribeRequest request;
      const grpc::Status status = http::ParseEventsRequest(query, last_event_id, &request);
      if (status.ok()) {
        Require(!request.chapter().empty() && request.after_seq() >= 0,
                "an accepted event stream has a chapter and a seq >= 0");
      } else {
        Require(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
                    !status.error_message().empty(),
                "a refused event stream is INVALID_ARGUMENT with a message");
      }
      break;
    }
  }
  return 0;
}
