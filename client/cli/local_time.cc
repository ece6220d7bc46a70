#include "client/cli/local_time.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

// Sets TZ for the lifetime of the object and restores the previous value after.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const std::string& time_zone) {
    if (const char* old = std::getenv("TZ"); old != nullptr) {
      old_ = old;
    }
    setenv("TZ", time_zone.empty() ? "UTC" : time_zone.c_str(), 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> old_;
};

bool Digits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) {
    return false;
  }
  int out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    out = out * 10 + (text[i] - '0');
  }
  *value = out;
  return true;
}

bool ValidDate(const CivilDate& date) {
  using namespace std::chrono;
  return year_month_day{year{date.year}, month{static_cast<unsigned>(date.month)},
                        day{static_cast<unsigned>(date.day)}}
      .ok();
}

int64_t UtcSeconds(const CivilDate& date, int hour, int minute, int second) {
  using namespace std::chrono;
  sys_days days{year{date.year} / month{static_cast<unsigned>(date.month)} /
                day{static_cast<unsigned>(date.day)}};
  return days.time_since_epoch().count() * 86400LL + hour * 3600LL + minute * 60LL + second;
}

[[noreturn]] void BadDateTime(std::string_view text, std::string_view flag) {
  throw UsageError("--" + std::string(flag) +
                   " expects a time like 2026-12-01T07:00 (local), 2026-12-01T06:00Z or "
                   "2026-12-01T07:00+01:00, got \"" +
                   std::string(text) + "\"");
}

}  // namespace

CivilDate ParseDate(std::string_view text, std::string_view flag) {
  CivilDate date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, &date.year) ||
      !Digits(text, 5, 2, &date.month) || !Digits(text, 8, 2, &date.day) || !ValidDate(date)) {
    throw UsageError("--" + std::string(flag) + " expects a date like 2026-11-20, got \"" +
                     std::string(text) + "\"");
  }
  return date;
}

DateTimeArg ParseDateTime(std::string_view text, std::string_view flag) {
  DateTimeArg arg;
  if (text.size() < 16 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':') {
    BadDateTime(text, flag);
  }
  try {
    arg.date = ParseDate(text.substr(0, 10), flag);
  } catch (const UsageError&) {
    BadDateTime(text, flag);
  }
  if (!Digits(text, 11, 2, &arg.hour) || !Digits(text, 14, 2, &arg.minute) || arg.hour > 23 ||
      arg.minute > 59) {
    BadDateTime(text, flag);
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!Digits(text, pos + 1, 2, &arg.second) || arg.second > 59) {
      BadDateTime(text, flag);
    }
    pos += 3;
  }
  std::string_view rest = text.substr(pos);
  if (rest == "Z" || rest == "z") {
    arg.utc_offset = 0;
  } else if (!rest.empty()) {
    int hours = 0;
    int minutes = 0;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
        !Digits(rest, 1, 2, &hours) || !Digits(rest, 4, 2, &minutes) || hours > 14 ||
        minutes > 59) {
      BadDateTime(text, flag);
    }
    arg.utc_offset = (rest[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return arg;
}

int64_t ToUnixSeconds(const DateTimeArg& arg, const std::string& time_zone) {
  if (arg.utc_offset) {
    return UtcSeconds(arg.date, arg.hour, arg.minute, arg.second) - *arg.utc_offset;
  }
  ScopedTimeZone zone(time_zone);
  std::tm tm{};
  tm.tm_year = arg.date.year - 1900;
  tm.tm_mon = arg.date.month - 1;
  tm.tm_mday = arg.date.day;
  tm.tm_hour = arg.hour;
  tm.tm_min = arg.minute;
  tm.tm_sec = arg.second;
  tm.tm_isdst = -1;  // Let the TZ database decide whether summer time applies.
  return static_cast<int64_t>(std::mktime(&tm));
}

int64_t LocalMidnight(const CivilDate& date, const std::string& time_zone) {
  DateTimeArg arg;
  arg.date = date;
  return ToUnixSeconds(arg, time_zone);
}

CivilDate NextDay(const CivilDate& date) {
  using namespace std::chrono;
  sys_days days{year{date.year} / month{static_cast<unsigned>(date.month)} /
                day{static_cast<unsigned>(date.day)}};
  year_month_day next{days + std::chrono::days{1}};
  return CivilDate{static_cast<int>(next.year()), static_cast<int>(unsigned(next.month())),
                   static_cast<int>(unsigned(next.day()))};
}

std::string FormatLocal(int64_t seconds, const std::string& time_zone) {
  ScopedTimeZone zone(time_zone);
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &tm);
  return std::string(buffer) + " " + (time_zone.empty() ? "UTC" : time_zone);
}

bool KnownTimeZone(const std::string& time_zone) {
  if (time_zone.empty() || time_zone == "UTC") {
    return true;
  }
  if (time_zone.find("..") != std::string::npos || time_zone.front() == '/') {
    return false;
  }
  std::error_code error;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + time_zone, error);
}

}  // namespace reciproca::cli
