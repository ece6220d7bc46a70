#include "client/cli/local_time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

// 2026-12-01T00:00:00Z and friends, in seconds since the epoch.
constexpr int64_t kDec1Utc = 1796083200;
constexpr int64_t kJul1Utc = 1782864000;

int64_t Local(const std::string& text, const std::string& zone) {
  return ToUnixSeconds(ParseDateTime(text, "start"), zone);
}

TEST(LocalTimeTest, WinterAndSummerInTheChaptersZone) {
  EXPECT_EQ(Local("2026-12-01T07:00", "Europe/Rome"), kDec1Utc + 6 * 3600);  // CET, +01:00
  EXPECT_EQ(Local("2026-07-01T07:00", "Europe/Rome"), kJul1Utc + 5 * 3600);  // CEST, +02:00
  EXPECT_EQ(Local("2026-12-01T07:00", "America/New_York"), kDec1Utc + 12 * 3600);
  EXPECT_EQ(Local("2026-12-01 07:00:30", ""), kDec1Utc + 7 * 3600 + 30);  // empty zone: UTC
}

TEST(LocalTimeTest, AnExplicitOffsetIgnoresTheZone) {
  EXPECT_EQ(Local("2026-12-01T07:00+01:00", "America/New_York"), kDec1Utc + 6 * 3600);
  EXPECT_EQ(Local("2026-12-01T07:00Z", "Europe/Rome"), kDec1Utc + 7 * 3600);
  EXPECT_EQ(Local("2026-12-01T07:00-05:30", ""), kDec1Utc + 12 * 3600 + 30 * 60);
}

TEST(LocalTimeTest, SummerTimeChanges) {
  // 2026-03-29 02:30 never happens in Rome (02:00 -> 03:00): the moment the clocks jump.
  EXPECT_EQ(Local("2026-03-29T02:30", "Europe/Rome"), Local("2026-03-29T01:00Z", ""));
  // 2026-10-25 02:30 happens twice (03:00 -> 02:00): the first, still in summer time.
  EXPECT_EQ(Local("2026-10-25T02:30", "Europe/Rome"), Local("2026-10-25T00:30Z", ""));
}

TEST(LocalTimeTest, MidnightAndNextDay) {
  EXPECT_EQ(LocalMidnight(ParseDate("2026-12-01", "from"), "Europe/Rome"), kDec1Utc - 3600);
  const CivilDate next = NextDay(ParseDate("2026-12-31", "to"));
  EXPECT_EQ(next.year, 2027);
  EXPECT_EQ(next.month, 1);
  EXPECT_EQ(next.day, 1);
}

TEST(LocalTimeTest, FormatLocalShowsTheWallClock) {
  EXPECT_EQ(FormatLocal(kDec1Utc + 6 * 3600, "Europe/Rome"), "2026-12-01 07:00 Europe/Rome");
  EXPECT_EQ(FormatLocal(kJul1Utc, "America/New_York"), "2026-06-30 20:00 America/New_York");
  EXPECT_EQ(FormatLocal(kDec1Utc, ""), "2026-12-01 00:00 UTC");
}

TEST(LocalTimeTest, UnknownZones) {
  EXPECT_TRUE(KnownTimeZone("Europe/Rome"));
  EXPECT_TRUE(KnownTimeZone(""));
  EXPECT_TRUE(KnownTimeZone("UTC"));
  EXPECT_FALSE(KnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(KnownTimeZone("../../etc/passwd"));
  EXPECT_THROW(Local("2026-12-01T07:00", "Mars/Olympus_Mons"), UsageError);
}

TEST(LocalTimeTest, BadTextNamesTheFlag) {
  try {
    ParseDateTime("2026-02-30T07:00", "start");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--start expects a time like"), std::string::npos);
  }
  EXPECT_THROW(ParseDateTime("2026-12-01T24:00", "start"), UsageError);
  EXPECT_THROW(ParseDateTime("2026-12-01T07:00+15:00", "start"), UsageError);
  EXPECT_THROW(ParseDate("2026-1-01", "from"), UsageError);
}

// No process-wide TZ variable: conversions in different zones on many threads at once agree with
// the same conversions made one by one.
TEST(LocalTimeTest, ConcurrentConversionsInDifferentZones) {
  const std::vector<std::string> zones = {"Europe/Rome", "America/New_York", "Asia/Tokyo",
                                          "Australia/Sydney"};
  std::vector<int64_t> expected;
  for (const std::string& zone : zones) {
    expected.push_back(Local("2026-12-01T07:00", zone));
  }
  std::vector<int> mismatches(zones.size(), 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < zones.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (Local("2026-12-01T07:00", zones[t]) != expected[t]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (size_t t = 0; t < zones.size(); ++t) {
    EXPECT_EQ(mismatches[t], 0) << zones[t];
  }
}

}  // namespace
}  // namespace reciproca::cli
