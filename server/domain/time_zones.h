#pragma once

// The port through which the domain asks about time zones. Which zones exist is a fact of the
// machine's IANA time zone database, which the domain does not read itself: the engine passes an
// implementation in every Context (server/engine/tzdb_time_zones.h; tests pass a fixed list).

#include <string_view>

namespace reciproca::domain {

class TimeZones {
 public:
  virtual ~TimeZones() = default;

  // True when `name` is a zone or a link of the database ("Europe/Rome", "UTC"); false for
  // anything else ("Europe", "Europe/Atlantis"). Thread-safe; does not block on I/O once the
  // implementation is constructed.
  virtual bool Exists(std::string_view name) const = 0;
};

}  // namespace reciproca::domain
