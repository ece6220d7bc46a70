// The domain's time zone port over the system's IANA database: which zones exist and their
// offsets from UTC, summer time included.

#include "server/engine/tzdb_time_zones.h"

#include <gtest/gtest.h>

#include <chrono>

namespace reciproca::engine {
namespace {

std::chrono::system_clock::time_point At(int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

constexpr int64_t kWinter = 1'796'106'600;  // 2026-12-01T06:30:00Z
constexpr int64_t kSummer = 1'783'000'000;  // 2026-07-02T13:46:40Z

TEST(TzdbTimeZonesTest, UtcOffset_FollowsSummerTime) {
  const TzdbTimeZones& zones = SystemTimeZones();
  EXPECT_EQ(std::chrono::seconds(3600), zones.UtcOffset("Europe/Rome", At(kWinter)));
  EXPECT_EQ(std::chrono::seconds(7200), zones.UtcOffset("Europe/Rome", At(kSummer)));
  EXPECT_EQ(std::chrono::seconds(-5 * 3600), zones.UtcOffset("America/New_York", At(kWinter)));
  EXPECT_EQ(std::chrono::seconds(0), zones.UtcOffset("UTC", At(kSummer)));
}

TEST(TzdbTimeZonesTest, UtcOffset_OfAnUnknownZoneIsNone) {
  EXPECT_FALSE(SystemTimeZones().UtcOffset("Europe/Atlantis", At(kWinter)).has_value());
  EXPECT_FALSE(SystemTimeZones().Exists("Europe/Atlantis"));
}

}  // namespace
}  // namespace reciproca::engine
