// RateLimiter: a token bucket per key on the injected clock.

#include "server/engine/rate_limiter.h"

#include <gtest/gtest.h>

namespace reciproca::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::chrono::system_clock::time_point kStart{seconds(1'700'000'000)};

TEST(RateLimiterTest, Take_AllowsTheBurstThenRefusesWithTheWaitForOneToken) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/20, /*burst=*/100);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(milliseconds(0), limiter.Take("ana")) << "request " << i;
  }
  EXPECT_EQ(milliseconds(50), limiter.Take("ana"));
  // A refusal takes nothing: the wait does not grow.
  EXPECT_EQ(milliseconds(50), limiter.Take("ana"));
}

TEST(RateLimiterTest, Take_RefillsAtTheRateUpToTheBurst) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(milliseconds(0), limiter.Take("ana"));
  }
  clock.Advance(seconds(1));  // two tokens back
  EXPECT_EQ(milliseconds(0), limiter.Take("ana"));
  EXPECT_EQ(milliseconds(0), limiter.Take("ana"));
  EXPECT_EQ(milliseconds(500), limiter.Take("ana"));
  clock.Advance(std::chrono::hours(1));  // never more than the burst
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(milliseconds(0), limiter.Take("ana"));
  }
  EXPECT_GT(limiter.Take("ana"), milliseconds(0));
}

TEST(RateLimiterTest, Take_KeysHaveBucketsOfTheirOwn) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/1, /*burst=*/1);
  EXPECT_EQ(milliseconds(0), limiter.Take("ana"));
  EXPECT_EQ(milliseconds(1000), limiter.Take("ana"));
  EXPECT_EQ(milliseconds(0), limiter.Take("bruno"));
}

TEST(RateLimiterTest, Take_AClockSetBackRefillsNothing) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/1, /*burst=*/1);
  EXPECT_EQ(milliseconds(0), limiter.Take("ana"));
  clock.Set(kStart - std::chrono::hours(1));
  EXPECT_EQ(milliseconds(1000), limiter.Take("ana"));
  clock.Set(kStart + seconds(1));
  EXPECT_EQ(milliseconds(0), limiter.Take("ana"));
}

TEST(RateLimiterTest, Take_ZeroRateAllowsEverything) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/0, /*burst=*/100);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(milliseconds(0), limiter.Take("ana"));
  }
}

TEST(RateLimiterTest, Take_ForgetsFullBucketsAndTheyStartFull) {
  engine::ManualClock clock(kStart);
  engine::RateLimiter limiter(clock, /*rate=*/1, /*burst=*/2);
  // Far more principals than the first clean-up threshold, each once.
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(milliseconds(0), limiter.Take("member-" + std::to_string(i)));
  }
  clock.Advance(seconds(10));
  ASSERT_EQ(milliseconds(0), limiter.Take("member-0"));
  ASSERT_EQ(milliseconds(0), limiter.Take("member-0"));
  EXPECT_EQ(milliseconds(1000), limiter.Take("member-0"));
}

}  // namespace
}  // namespace reciproca::testing
