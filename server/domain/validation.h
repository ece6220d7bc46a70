#pragma once

// Field checks shared by the chapter's commands: person-facing text (ICU), e-mail, phone, time
// formats.
// Every check returns an Error whose message starts with the field it was given
// ("member.display_name: must be 1..100 characters, got 0").

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/timestamp.pb.h"
#include "server/domain/result.h"
#include "server/domain/time_zones.h"

namespace reciproca::domain {

using SystemTime = std::chrono::system_clock::time_point;

// `s` without surrounding ASCII white space.
std::string_view Trim(std::string_view s);

// Number of Unicode code points of a UTF-8 string (continuation bytes are not counted).
int64_t CodePointCount(std::string_view s);

// ASCII lower case; other bytes unchanged.
std::string AsciiLower(std::string_view s);

// Person-facing text (names, business, category, titles, notes, testimonials): checks `value`
// and returns it as it is stored. In this order, each failure an INVALID_ARGUMENT naming `field`
// and the rule:
//   - valid UTF-8 (no stray or truncated bytes, no surrogates, no overlong forms);
//   - surrounding white space removed (Unicode White_Space: also U+00A0, U+2000..U+200A, U+3000);
//   - no control character (Unicode Cc: C0, DEL, C1, so no ESC sequence). CheckText is one line:
//     no line break either (U+000A, U+000D, U+2028, U+2029, ...). CheckMultilineText keeps line
//     breaks ("\r\n" stored as "\n") and tabs;
//   - not only white space and invisible characters (Default_Ignorable: U+200B, U+FEFF, ...) when
//     something was given; such a value is empty for an optional field (min == 0);
//   - NFC-normalized (Unicode Normalization Form C), then min..max code points.
// The character classes are ICU's (the Unicode Character Database), not a table of ours.
Result<std::string> CheckText(std::string_view field, std::string_view value, int64_t min,
                              int64_t max);
Result<std::string> CheckMultilineText(std::string_view field, std::string_view value, int64_t min,
                                       int64_t max);

// `s` for an error message: quoted, at most 40 characters, every byte outside printable ASCII
// written as \xNN, so a message never carries control characters or invalid UTF-8.
std::string Quoted(std::string_view s);

// Trims `value`; empty is fine (an optional contact), otherwise it must be an e-mail address:
// local@domain with a dot inside the domain, at most 254 characters, no white space.
Result<std::string> CheckOptionalEmail(std::string_view field, std::string_view value);

// Trims `value`; empty is fine, otherwise 6..30 of digits, spaces and "+-()./" with at least six
// digits.
Result<std::string> CheckOptionalPhone(std::string_view field, std::string_view value);

// "HH:MM", 00:00..23:59.
bool IsValidTimeOfDay(std::string_view s);

// IANA time zone syntax: "UTC", "Europe/Rome", "America/Argentina/Buenos_Aires", "Etc/GMT+3"
// (at most kMaxTimeZoneLength characters). Syntax only: CheckOptionalTimeZone asks whether the
// zone exists.
inline constexpr size_t kMaxTimeZoneLength = 64;
bool IsValidTimeZoneSyntax(std::string_view s);

// Trims `value`; empty is fine (no zone set), otherwise at most kMaxTimeZoneLength characters of
// the IANA syntax, and a zone of `zones`. INVALID_ARGUMENT naming `field` and the rule.
Result<std::string> CheckOptionalTimeZone(std::string_view field, std::string_view value,
                                          const TimeZones& zones);

// The language of a chapter that names none.
inline constexpr std::string_view kDefaultLanguage = "en";
inline constexpr size_t kMaxLanguageTagLength = 35;
// Trims `value`: a well-formed BCP 47 language tag ("it", "es-ES", "pt-BR", "sr-Latn"), at most
// kMaxLanguageTagLength characters, returned in its canonical form ("IT" -> "it", "es-es" ->
// "es-ES"); empty is kDefaultLanguage. Well-formed, not necessarily one the pages have a
// catalog for (they fall back to English). INVALID_ARGUMENT naming `field` and the rule.
Result<std::string> CheckLanguageTag(std::string_view field, std::string_view value);

// "YYYY-MM-DD", a real calendar date (years 1000..9999).
bool IsValidDate(std::string_view s);

// The UTC calendar date of `t`, "YYYY-MM-DD".
std::string UtcDate(SystemTime t);

// A time a client sends: nanos 0..999999999 and a time from 1900-01-01 to 2199-12-31 (UTC), so
// that it fits the server's clock (int64 nanoseconds, which end in 2262). INVALID_ARGUMENT naming
// `field` otherwise.
Result<SystemTime> CheckTimestamp(std::string_view field, const google::protobuf::Timestamp& t);

// The errors of the rules every field shares, each with its reason (error_reasons.h):
// INVALID_ARGUMENT "field: is required (what)", reason FIELD_REQUIRED;
Error Required(std::string_view field, std::string_view what);
// INVALID_ARGUMENT "field: must be between min and max, got value", reason NUMBER_NOT_BETWEEN;
Error NotBetween(std::string_view field, int64_t min, int64_t max, int64_t value);
// NOT_FOUND "field: kind name not found" ("kind name not found" without a field), reason
// RESOURCE_NOT_FOUND with the parameter kind: the noun as a keyword ("thank-you": thank_you).
Error Unknown(std::string_view field, std::string_view kind, std::string_view name);

google::protobuf::Timestamp ToTimestamp(SystemTime t);
// The instant of a timestamp the server holds (one CheckTimestamp accepted, or its own).
SystemTime FromTimestamp(const google::protobuf::Timestamp& t);
// Nanoseconds since the Unix epoch, for ordering and range checks.
int64_t ToNanos(const google::protobuf::Timestamp& t);
int64_t ToNanos(SystemTime t);

}  // namespace reciproca::domain
