#pragma once

// What the gateway reads from a client's request, checked before anything is passed on: header
// values (gRPC metadata takes visible ASCII only), the route label for metrics, and the event
// stream's query and Last-Event-ID. Pure functions: the fuzz and unit tests call them directly.

#include <grpcpp/support/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reciproca/v1/event_service.pb.h"

namespace reciproca::http {

// Whether every byte of `value` is visible ASCII or a space (0x20-0x7E): what gRPC accepts as
// a metadata value, and all a token, a language tag or a sequence number ever needs.
bool IsVisibleAscii(std::string_view value);

// OK, or why the header `name` cannot be accepted: UNAUTHENTICATED for Authorization (HTTP 401),
// INVALID_ARGUMENT for any other header (HTTP 400). The message names the header and the first
// offending byte, never the value (it may be a token).
grpc::Status CheckHeaderValue(std::string_view name, std::string_view value);

// The gRPC method a JSON API path names ("/api/reciproca.v1.ChapterService/WhoAmI" →
// "/reciproca.v1.ChapterService/WhoAmI"), registered or not; nullopt when `path` is not under
// "/api/".
std::optional<std::string_view> ApiMethodOf(std::string_view path);

// Decodes a query value ("chapters%2Frome" → "chapters/rome", '+' is a space); nullopt when a
// %-escape is malformed.
std::optional<std::string> PercentDecode(std::string_view in);

// The decoded value of `key` in "a=1&b=2"; "" when absent; nullopt when malformed.
std::optional<std::string> QueryValue(std::string_view query, std::string_view key);

// A sequence number: digits only, >= 0; "" is 0; nullopt otherwise.
std::optional<int64_t> ParseSeq(std::string_view text);

// The SubscribeRequest of GET /api/events?chapter=...&after_seq=N, Last-Event-ID (EventSource's
// resume header, when not empty) winning over after_seq; INVALID_ARGUMENT saying what to send.
grpc::Status ParseEventsRequest(std::string_view query, std::string_view last_event_id,
                                v1::SubscribeRequest* out);

// The route label for metrics and logs: one of a fixed set (a known API method, "/api/unknown",
// "/api/events", "/healthz", "/metrics", "static", "other"), never the query.
std::string RouteOf(std::string_view path);

}  // namespace reciproca::http
