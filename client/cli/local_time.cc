#include "client/cli/local_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <stdexcept>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

// The IANA zone named `time_zone` in the system TZ database (tzdata, read once by date/tz and
// thread-safe after); nullptr for UTC (empty). Throws UsageError for an unknown zone.
const date::time_zone* Zone(const std::string& time_zone) {
  if (time_zone.empty()) {
    return nullptr;
  }
  try {
    return date::locate_zone(time_zone);
  } catch (const std::runtime_error&) {
    throw UsageError("unknown time zone \"" + time_zone +
                     "\"; use an IANA name such as Europe/Rome or America/New_York");
  }
}

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
  const int64_t civil = UtcSeconds(arg.date, arg.hour, arg.minute, arg.second);
  if (arg.utc_offset) {
    return civil - *arg.utc_offset;
  }
  const date::time_zone* zone = Zone(time_zone);
  if (zone == nullptr) {
    return civil;
  }
  // A wall time that happens twice (summer time ends) is the first; one that never happens
  // (summer time begins) is the moment the clocks jump.
  const date::local_seconds local{std::chrono::seconds(civil)};
  return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
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
  const date::sys_seconds instant{std::chrono::seconds(seconds)};
  const date::time_zone* zone = Zone(time_zone);
  const std::string wall = zone == nullptr
                               ? date::format("%Y-%m-%d %H:%M", instant)
                               : date::format("%Y-%m-%d %H:%M", zone->to_local(instant));
  return wall + " " + (time_zone.empty() ? "UTC" : time_zone);
}

bool KnownTimeZone(const std::string& time_zone) {
  if (time_zone.empty() || time_zone == "UTC") {
    return true;
  }
  try {
    date::locate_zone(time_zone);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace reciproca::cli
