#include "server/engine/tzdb_time_zones.h"

#include <date/tz.h>

#include <stdexcept>

namespace reciproca::engine {

TzdbTimeZones::TzdbTimeZones() { date::get_tzdb(); }

bool TzdbTimeZones::Exists(std::string_view name) const {
  // date/tz answers an unknown name only by throwing.
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::runtime_error&) {
    return false;
  }
}

const TzdbTimeZones& SystemTimeZones() {
  static const TzdbTimeZones zones;
  return zones;
}

}  // namespace reciproca::engine
