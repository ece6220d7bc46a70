#include "server/engine/tzdb_time_zones.h"

#include <date/tz.h>

#include <stdexcept>

namespace reciproca::engine {
namespace {

// The zone of `name`, or nullptr: date/tz answers an unknown name only by throwing.
const date::time_zone* Locate(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

}  // namespace

TzdbTimeZones::TzdbTimeZones() { date::get_tzdb(); }

bool TzdbTimeZones::Exists(std::string_view name) const { return Locate(name) != nullptr; }

std::optional<std::chrono::seconds> TzdbTimeZones::UtcOffset(
    std::string_view name, std::chrono::system_clock::time_point at) const {
  const date::time_zone* zone = Locate(name);
  if (zone == nullptr) {
    return std::nullopt;
  }
  return zone->get_info(std::chrono::floor<std::chrono::seconds>(at)).offset;
}

const TzdbTimeZones& SystemTimeZones() {
  static const TzdbTimeZones zones;
  return zones;
}

}  // namespace reciproca::engine
