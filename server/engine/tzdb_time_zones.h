#pragma once

// domain::TimeZones over the system's IANA time zone database (tzdata in /usr/share/zoneinfo),
// read with Howard Hinnant's date/tz (Debian libhowardhinnant-date-dev, built with USE_OS_TZDB):
// no TZ environment variable, no localtime(), so it is safe from any thread.

#include <string_view>

#include "server/domain/time_zones.h"

namespace reciproca::engine {

class TzdbTimeZones : public domain::TimeZones {
 public:
  // Loads the database's list of zones (a scan of the zoneinfo folder, once per process), so
  // later lookups do no I/O. Construct it at start-up, not on a chapter's strand.
  TzdbTimeZones();

  bool Exists(std::string_view name) const override;
  std::optional<std::chrono::seconds> UtcOffset(
      std::string_view name, std::chrono::system_clock::time_point at) const override;
};

// The process's TzdbTimeZones, constructed on first use.
const TzdbTimeZones& SystemTimeZones();

}  // namespace reciproca::engine
