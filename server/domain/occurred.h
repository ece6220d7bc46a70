#pragma once

// Calendar days in a chapter's time zone, for records dated by a day (resources.proto's
// Occurred.date) and the rules of when a record may be dated (chapter_occurred.cc;
// docs/organizers.md, "Recording later"). Pure: offsets come from the TimeZones port.

#include <chrono>
#include <optional>
#include <string_view>

#include "server/domain/result.h"
#include "server/domain/time_zones.h"

namespace reciproca::domain {

// How far back a member may date a record: 8 weeks (56 days) before today, in the chapter's
// time zone. Organizers may date further back (typing in an old paper slip).
inline constexpr int kMaxOccurredWeeksBack = 8;

// "YYYY-MM-DD" as a day; nullopt when it is not that syntax or no such day (IsValidDate).
std::optional<std::chrono::sys_days> ParseDay(std::string_view text);

// `text` (trimmed) as a day, or INVALID_ARGUMENT DATE_INVALID naming `field`.
Result<std::chrono::sys_days> CheckDay(std::string_view field, std::string_view text);

// The calendar day of instant `t` in zone `time_zone` (an unknown zone: UTC).
std::chrono::sys_days LocalDay(const TimeZones& zones, std::string_view time_zone,
                               std::chrono::system_clock::time_point t);

// The first instant of `day` in zone `time_zone` (00:00 local; where a zone skips midnight, the
// first instant after the gap). An unknown zone: UTC. `day` must be one the clock can hold
// (system_clock counts int64 nanoseconds: 1678..2262): callers bound it first.
std::chrono::system_clock::time_point DayStart(const TimeZones& zones, std::string_view time_zone,
                                               std::chrono::sys_days day);

}  // namespace reciproca::domain
