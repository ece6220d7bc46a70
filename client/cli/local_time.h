#pragma once

// Dates and times typed on the command line. A time without an offset is local time in the
// chapter's IANA time zone, converted with the system TZ database through Howard Hinnant's date/tz
// (Debian's libhowardhinnant-date-dev): no process-wide TZ variable, safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reciproca::cli {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
};

struct DateTimeArg {
  CivilDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  // Seconds east of UTC when the text carried "Z" or "+01:00"; nullopt for local time.
  std::optional<int> utc_offset;
};

// "2026-11-20". Throws UsageError naming --`flag`.
CivilDate ParseDate(std::string_view text, std::string_view flag);
// "2026-12-01T07:00", "2026-12-01T07:00:30", optionally ending in "Z" or "+01:00" / "-05:00"
// (a space may replace the "T"). Throws UsageError naming --`flag`.
DateTimeArg ParseDateTime(std::string_view text, std::string_view flag);

// Seconds since the epoch. `time_zone` is used only when `arg` has no offset; empty means UTC.
// An unknown `time_zone` throws UsageError (as do the functions below but KnownTimeZone).
int64_t ToUnixSeconds(const DateTimeArg& arg, const std::string& time_zone);
// 00:00 of `date` in `time_zone` (empty means UTC), in seconds since the epoch.
int64_t LocalMidnight(const CivilDate& date, const std::string& time_zone);
// The day after `date`.
CivilDate NextDay(const CivilDate& date);
// "2026-12-01 07:00 Europe/Rome" for `seconds` in `time_zone` (empty means UTC).
std::string FormatLocal(int64_t seconds, const std::string& time_zone);
// True when the TZ database knows `time_zone` (or it is empty / "UTC").
bool KnownTimeZone(const std::string& time_zone);

}  // namespace reciproca::cli
