#include "server/domain/occurred.h"

#include "server/domain/error_reasons.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// The zone's offset at `t`; an unknown zone is UTC.
std::chrono::seconds ZoneOffsetAt(const TimeZones& zones, std::string_view time_zone,
                                  std::chrono::system_clock::time_point t) {
  return zones.UtcOffset(time_zone, t).value_or(std::chrono::seconds(0));
}

}  // namespace

std::optional<std::chrono::sys_days> ParseDay(std::string_view text) {
  if (!IsValidDate(text)) {
    return std::nullopt;
  }
  auto number = [&](size_t at, size_t length) {
    int value = 0;
    for (char c : text.substr(at, length)) {
      value = value * 10 + (c - '0');
    }
    return value;
  };
  return std::chrono::sys_days(std::chrono::year(number(0, 4)) /
                               static_cast<unsigned>(number(5, 2)) /
                               static_cast<unsigned>(number(8, 2)));
}

Result<std::chrono::sys_days> CheckDay(std::string_view field, std::string_view text) {
  text = Trim(text);
  if (const auto day = ParseDay(text)) {
    return *day;
  }
  return InvalidArgument(std::string(field) + ": " + Quoted(text) +
                         " is not a calendar date \"YYYY-MM-DD\"")
      .Because(kDateInvalid, {{"value", Quoted(text)}});
}

std::chrono::sys_days LocalDay(const TimeZones& zones, std::string_view time_zone,
                               std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::days>(t + ZoneOffsetAt(zones, time_zone, t));
}

std::chrono::system_clock::time_point DayStart(const TimeZones& zones, std::string_view time_zone,
                                               std::chrono::sys_days day) {
  // Midnight read as UTC, moved by the offset in force then; asked again at the result, which
  // settles it unless midnight falls in a change of offset.
  const std::chrono::system_clock::time_point local_midnight = day;
  std::chrono::system_clock::time_point guess =
      local_midnight - ZoneOffsetAt(zones, time_zone, local_midnight);
  guess = local_midnight - ZoneOffsetAt(zones, time_zone, guess);
  // A zone whose clocks jump over midnight: the day starts when they land in it (a jump is at
  // most a day).
  for (int step = 0; step < 48 && LocalDay(zones, time_zone, guess) < day; ++step) {
    guess += std::chrono::minutes(30);
  }
  return guess;
}

}  // namespace reciproca::domain
