#include "server/domain/validation.h"

#include <cstdio>
#include <string>

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

Result<std::string> CheckText(std::string_view field, std::string_view value, int64_t min,
                              int64_t max) {
  std::string_view trimmed = Trim(value);
  int64_t n = CodePointCount(trimmed);
  if (n < min || n > max) {
    std::string message = std::string(field) + ": ";
    if (n == 0) {
      message +=
          "is required (" + std::to_string(min) + ".." + std::to_string(max) + " characters)";
    } else {
      message += "must be " + std::to_string(min) + ".." + std::to_string(max) +
                 " characters, got " + std::to_string(n);
    }
    return InvalidArgument(std::move(message));
  }
  return std::string(trimmed);
}

Result<std::string> CheckOptionalEmail(std::string_view field, std::string_view value) {
  std::string_view e = Trim(value);
  if (e.empty()) {
    return std::string();
  }
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string(field) + ": \"" + std::string(e) +
                           "\" is not a valid e-mail address (" + std::string(why) + ")");
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
    return InvalidArgument(std::string(field) + ": \"" + std::string(p) +
                           "\" is not a valid phone number (" + std::string(why) + ")");
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
  if (s.empty() || s.size() > 64) {
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
