#include "server/domain/validation.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/utf8.h>

#include <cstdio>
#include <limits>
#include <string>

#include "server/domain/error_reasons.h"

namespace reciproca::domain {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Parses exactly `s.size()` decimal digits.
bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) {
    return false;
  }
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) {
    return 29;
  }
  return kDays[m - 1];
}

}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

int64_t CodePointCount(std::string_view s) {
  int64_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

namespace {

enum class Lines { kOne, kMany };

// "U+001B".
std::string CodePointLabel(UChar32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// A code point that ends a line (Unicode Line_Break BK, CR, LF or NL: U+000A..U+000D, U+0085,
// U+2028, U+2029).
bool IsLineBreak(UChar32 c) {
  const int lb = u_getIntPropertyValue(c, UCHAR_LINE_BREAK);
  return lb == U_LB_MANDATORY_BREAK || lb == U_LB_CARRIAGE_RETURN || lb == U_LB_LINE_FEED ||
         lb == U_LB_NEXT_LINE;
}

// Seen as nothing: white space, or a character that is invisible by default (zero-width space,
// joiners, the byte order mark, soft hyphen, ...).
bool IsBlank(UChar32 c) {
  return u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// The one implementation of CheckText and CheckMultilineText (see validation.h).
Result<std::string> CheckPersonText(std::string_view field, std::string_view value, int64_t min,
                                    int64_t max, Lines lines) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument(std::string(field) + ": " + why);
  };
  if (value.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return bad("is too long");
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(value.data());
  const auto length = static_cast<int32_t>(value.size());
  // One pass: UTF-8 validity, and where the text without its surrounding white space lies.
  int32_t begin = -1;
  int32_t end = 0;
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(bytes[at]));
      return bad("is not valid UTF-8 (byte " + std::string(byte) + " at offset " +
                 std::to_string(at) + " does not start a valid character)");
    }
    if (!u_isUWhiteSpace(c)) {
      if (begin < 0) {
        begin = at;
      }
      end = i;
    }
  }
  std::string text;
  bool visible = false;
  int64_t position = 0;
  for (int32_t i = begin < 0 ? end : begin; i < end;) {
    const int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, end, c);
    ++position;
    const std::string where = " at character " + std::to_string(position);
    if (lines == Lines::kOne && IsLineBreak(c)) {
      return bad("contains a line break (" + CodePointLabel(c) + ")" + where +
                 ": it must be a single line");
    }
    if (lines == Lines::kMany && c == '\r') {
      if (i >= end || bytes[i] != '\n') {
        text += '\n';  // "\r\n" and a lone "\r" are stored as "\n"
      }
      continue;
    }
    if (u_charType(c) == U_CONTROL_CHAR && !(lines == Lines::kMany && (c == '\n' || c == '\t'))) {
      return bad("contains a control character (" + CodePointLabel(c) + ")" + where +
                 (lines == Lines::kOne
                      ? ": only visible characters and spaces are allowed"
                      : ": only visible characters, spaces, tabs and line breaks are allowed"));
    }
    visible = visible || !IsBlank(c);
    text.append(value.substr(static_cast<size_t>(at), static_cast<size_t>(i - at)));
  }
  if (!visible && !value.empty()) {
    if (min > 0) {
      UChar32 first = 0;
      int32_t i = 0;
      U8_NEXT(bytes, i, length, first);
      return bad("has only white space or invisible characters (such as " + CodePointLabel(first) +
                 "); " + std::to_string(min) + ".." + std::to_string(max) +
                 " visible characters are required");
    }
    text.clear();  // an optional field given only blanks is left empty
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::string normalized;
  icu::StringByteSink<std::string> sink(&normalized);
  if (U_SUCCESS(status)) {
    nfc->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                       nullptr, status);
  }
  if (U_FAILURE(status)) {
    return Internal(std::string(field) + ": Unicode normalization failed (" + u_errorName(status) +
                    ")");
  }
  const int64_t n = CodePointCount(normalized);
  if (n < min || n > max) {
    std::string message = std::string(field) + ": ";
    if (n == 0) {
      message +=
          "is required (" + std::to_string(min) + ".." + std::to_string(max) + " characters)";
    } else {
      message += "must be " + std::to_string(min) + ".." + std::to_string(max) +
                 " characters, got " + std::to_string(n);
    }
    return InvalidArgument(std::move(message))
        .Because(kTextLength, {{"min", std::to_string(min)},
                               {"max", std::to_string(max)},
                               {"count", std::to_string(n)}});
  }
  return normalized;
}

}  // namespace

Result<std::string> CheckText(std::string_view field, std::string_view value, int64_t min,
                              int64_t max) {
  return CheckPersonText(field, value, min, max, Lines::kOne);
}

Result<std::string> CheckMultilineText(std::string_view field, std::string_view value, int64_t min,
                                       int64_t max) {
  return CheckPersonText(field, value, min, max, Lines::kMany);
}

std::string Quoted(std::string_view s) {
  constexpr size_t kMaxShown = 40;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  out += s.size() > kMaxShown ? "\"..." : "\"";
  return out;
}

Result<std::string> CheckOptionalEmail(std::string_view field, std::string_view value) {
  // An address is text a person typed first: valid UTF-8, no control character, NFC.
  auto text = CheckText(field, value, 0, std::numeric_limits<int64_t>::max());
  if (!text.ok()) {
    return text.error();
  }
  std::string_view e = *text;
  if (e.empty()) {
    return std::string();
  }
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string(field) + ": " + Quoted(e) +
                           " is not a valid e-mail address (" + std::string(why) + ")")
        .Because(kInvalidEmail);
  };
  if (e.size() > 254) {
    return bad("at most 254 characters");
  }
  for (char c : e) {
    if (IsSpace(c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return bad("no spaces allowed");
    }
  }
  size_t at = e.find('@');
  if (at == std::string_view::npos || at != e.rfind('@')) {
    return bad("expected local@domain");
  }
  std::string_view local = e.substr(0, at);
  std::string_view domain = e.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return bad("expected local@domain");
  }
  size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos) {
    return bad("the domain needs a dot, as in name@example.com");
  }
  return std::string(e);
}

Result<std::string> CheckOptionalPhone(std::string_view field, std::string_view value) {
  std::string_view p = Trim(value);
  if (p.empty()) {
    return std::string();
  }
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string(field) + ": " + Quoted(p) +
                           " is not a valid phone number (" + std::string(why) + ")");
  };
  if (p.size() < 6 || p.size() > 30) {
    return bad("6..30 characters");
  }
  int digits = 0;
  for (char c : p) {
    if (IsDigit(c)) {
      ++digits;
    } else if (std::string_view(" +-()./").find(c) == std::string_view::npos) {
      return bad("only digits, spaces and +-()./ allowed");
    }
  }
  if (digits < 6) {
    return bad("at least 6 digits");
  }
  return std::string(p);
}

bool IsValidTimeOfDay(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') {
    return false;
  }
  int h = 0;
  int m = 0;
  return ParseDigits(s.substr(0, 2), &h) && ParseDigits(s.substr(3, 2), &m) && h <= 23 && m <= 59;
}

bool IsValidTimeZoneSyntax(std::string_view s) {
  if (s.empty() || s.size() > kMaxTimeZoneLength) {
    return false;
  }
  bool segment_start = true;
  bool first_segment = true;
  for (char c : s) {
    if (c == '/') {
      if (segment_start) {
        return false;  // empty segment
      }
      segment_start = true;
      first_segment = false;
      continue;
    }
    if (!IsAsciiLetter(c) && !IsDigit(c) && c != '_' && c != '+' && c != '-') {
      return false;
    }
    if (segment_start && first_segment && !IsAsciiLetter(c)) {
      return false;  // "Area" starts with a letter
    }
    segment_start = false;
  }
  return !segment_start;
}

Result<std::string> CheckOptionalTimeZone(std::string_view field, std::string_view value,
                                          const TimeZones& zones) {
  const std::string_view zone = Trim(value);
  if (zone.empty()) {
    return std::string();
  }
  const std::string example = "; use an IANA name such as \"Europe/Rome\" or \"UTC\"";
  if (zone.size() > kMaxTimeZoneLength) {
    return InvalidArgument(std::string(field) + ": must be at most " +
                           std::to_string(kMaxTimeZoneLength) + " characters, got " +
                           std::to_string(zone.size()) + example);
  }
  if (!IsValidTimeZoneSyntax(zone)) {
    return InvalidArgument(std::string(field) + ": " + Quoted(zone) +
                           " is not an IANA time zone name (letters, digits and \"_+-\" in "
                           "segments separated by \"/\")" +
                           example);
  }
  if (!zones.Exists(zone)) {
    return InvalidArgument(std::string(field) + ": unknown time zone " + Quoted(zone) + example);
  }
  return std::string(zone);
}

Result<std::string> CheckLanguageTag(std::string_view field, std::string_view value) {
  const std::string_view tag = Trim(value);
  if (tag.empty()) {
    return std::string(kDefaultLanguage);
  }
  const std::string example = "; use a BCP 47 language tag such as \"it\", \"es\" or \"pt-BR\"";
  if (tag.size() > kMaxLanguageTagLength) {
    return InvalidArgument(std::string(field) + ": must be at most " +
                           std::to_string(kMaxLanguageTagLength) + " characters, got " +
                           std::to_string(tag.size()) + example);
  }
  UErrorCode status = U_ZERO_ERROR;
  int32_t parsed = 0;
  char locale_id[ULOC_FULLNAME_CAPACITY];
  const std::string text(tag);
  uloc_forLanguageTag(text.c_str(), locale_id, sizeof locale_id, &parsed, &status);
  // The whole tag must parse (ICU stops at the first ill-formed subtag), and name a language.
  char language[ULOC_LANG_CAPACITY];
  UErrorCode language_status = U_ZERO_ERROR;
  uloc_getLanguage(locale_id, language, sizeof language, &language_status);
  if (U_FAILURE(status) || parsed != static_cast<int32_t>(text.size()) ||
      U_FAILURE(language_status) || language[0] == '\0' || std::string_view(language) == "und") {
    return InvalidArgument(std::string(field) + ": " + Quoted(tag) +
                           " is not a well-formed BCP 47 language tag" + example)
        .Because(kLanguageTagInvalid);
  }
  char canonical[ULOC_FULLNAME_CAPACITY];
  status = U_ZERO_ERROR;
  const int32_t length =
      uloc_toLanguageTag(locale_id, canonical, sizeof canonical, /*strict=*/true, &status);
  if (U_FAILURE(status) || length <= 0 || static_cast<size_t>(length) >= sizeof canonical) {
    return InvalidArgument(std::string(field) + ": " + Quoted(tag) +
                           " is not a well-formed BCP 47 language tag" + example)
        .Because(kLanguageTagInvalid);
  }
  return std::string(canonical, static_cast<size_t>(length));
}

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  int y = 0;
  int m = 0;
  int d = 0;
  if (!ParseDigits(s.substr(0, 4), &y) || !ParseDigits(s.substr(5, 2), &m) ||
      !ParseDigits(s.substr(8, 2), &d)) {
    return false;
  }
  if (y < 1000 || m < 1 || m > 12 || d < 1) {
    return false;
  }
  return d <= DaysInMonth(y, m);
}

std::string UtcDate(SystemTime t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

namespace {

// "thank-you" -> "thank_you": a keyword the catalogs' {kind, select, ...} can name.
std::string Slug(std::string_view noun) {
  std::string slug(noun);
  for (char& c : slug) {
    if (c == '-' || c == ' ') {
      c = '_';
    }
  }
  return slug;
}

}  // namespace

Error Required(std::string_view field, std::string_view what) {
  return InvalidArgument(std::string(field) + ": is required (" + std::string(what) + ")")
      .Because(kFieldRequired, {{"field", std::string(field)}});
}

Error NotBetween(std::string_view field, int64_t min, int64_t max, int64_t value) {
  return InvalidArgument(std::string(field) + ": must be between " + std::to_string(min) + " and " +
                         std::to_string(max) + ", got " + std::to_string(value))
      .Because(kNumberNotBetween, {{"min", std::to_string(min)},
                                   {"max", std::to_string(max)},
                                   {"value", std::to_string(value)}});
}

Error Unknown(std::string_view field, std::string_view kind, std::string_view name) {
  std::string message = field.empty() ? "" : std::string(field) + ": ";
  message += std::string(kind) + " " + std::string(name) + " not found";
  return NotFound(std::move(message))
      .Because(kResourceNotFound, {{"kind", Slug(kind)}, {"name", std::string(name)}});
}

Result<SystemTime> CheckTimestamp(std::string_view field, const google::protobuf::Timestamp& t) {
  constexpr int64_t kFirst = -2'208'988'800;  // 1900-01-01T00:00:00Z
  constexpr int64_t kEnd = 7'258'118'400;     // 2200-01-01T00:00:00Z
  if (t.nanos() < 0 || t.nanos() > 999'999'999) {
    return InvalidArgument(std::string(field) + ": nanos must be 0..999999999, got " +
                           std::to_string(t.nanos()));
  }
  if (t.seconds() < kFirst || t.seconds() >= kEnd) {
    return InvalidArgument(std::string(field) +
                           ": must be from 1900-01-01 to 2199-12-31 (UTC), got seconds " +
                           std::to_string(t.seconds()));
  }
  return FromTimestamp(t);
}

SystemTime FromTimestamp(const google::protobuf::Timestamp& t) {
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(
      std::chrono::seconds(t.seconds()) + std::chrono::nanoseconds(t.nanos())));
}

google::protobuf::Timestamp ToTimestamp(SystemTime t) {
  int64_t ns = ToNanos(t);
  int64_t seconds = ns / 1'000'000'000;
  int64_t nanos = ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    seconds -= 1;
  }
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(nanos));
  return ts;
}

int64_t ToNanos(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000'000 + t.nanos();
}

int64_t ToNanos(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace reciproca::domain
