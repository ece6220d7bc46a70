#pragma once

// The port through which the domain asks about time zones. Which zones exist, and their offsets
// from UTC, are facts of the machine's IANA time zone database, which the domain does not read
// itself: the engine passes an implementation in every Context (server/engine/tzdb_time_zones.h;
// tests pass a fixed list).

#include <chrono>
#include <optional>
#include <string_view>

namespace reciproca::domain {

class TimeZones {
 public:
  virtual ~TimeZones() = default;

  // True when `name` is a zone or a link of the database ("Europe/Rome", "UTC"); false for
  // anything else ("Europe", "Europe/Atlantis"). Thread-safe; does not block on I/O once the
  // implementation is constructed.
  virtual bool Exists(std::string_view name) const = 0;

  // The offset of zone `name` from UTC at instant `at` (east positive: Europe/Rome in winter is
  // +3600 s); nullopt when the zone does not exist. Thread-safe, no I/O, as Exists.
  virtual std::optional<std::chrono::seconds> UtcOffset(
      std::string_view name, std::chrono::system_clock::time_point at) const = 0;
};

}  // namespace reciproca::domain
