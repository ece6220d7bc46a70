#pragma once

// Field checks shared by the chapter's commands: text limits, e-mail, phone, time formats.
// Every check returns an Error whose message starts with the field it was given
// ("member.display_name: must be 1..100 characters, got 0").

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/timestamp.pb.h"
#include "server/domain/result.h"

namespace reciproca::domain {

using SystemTime = std::chrono::system_clock::time_point;

// `s` without surrounding ASCII white space.
std::string_view Trim(std::string_view s);

// Number of Unicode code points of a UTF-8 string (continuation bytes are not counted).
int64_t CodePointCount(std::string_view s);

// ASCII lower case; other bytes unchanged.
std::string AsciiLower(std::string_view s);

// Trims `value` and checks it has min..max code points. On success returns the trimmed text.
Result<std::string> CheckText(std::string_view field, std::string_view value, int64_t min,
                              int64_t max);

// Trims `value`; empty is fine (an optional contact), otherwise it must be an e-mail address:
// local@domain with a dot inside the domain, at most 254 characters, no white space.
Result<std::string> CheckOptionalEmail(std::string_view field, std::string_view value);

// Trims `value`; empty is fine, otherwise 6..30 of digits, spaces and "+-()./" with at least six
// digits.
Result<std::string> CheckOptionalPhone(std::string_view field, std::string_view value);

// "HH:MM", 00:00..23:59.
bool IsValidTimeOfDay(std::string_view s);

// IANA time zone syntax: "UTC", "Europe/Rome", "America/Argentina/Buenos_Aires", "Etc/GMT+3".
// Syntax only: whether the zone exists is the api layer's concern.
bool IsValidTimeZoneSyntax(std::string_view s);

// "YYYY-MM-DD", a real calendar date (years 1000..9999).
bool IsValidDate(std::string_view s);

// The UTC calendar date of `t`, "YYYY-MM-DD".
std::string UtcDate(SystemTime t);

google::protobuf::Timestamp ToTimestamp(SystemTime t);
// Nanoseconds since the Unix epoch, for ordering and range checks.
int64_t ToNanos(const google::protobuf::Timestamp& t);
int64_t ToNanos(SystemTime t);

}  // namespace reciproca::domain
