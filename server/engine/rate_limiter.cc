#include "server/engine/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace reciproca::engine {
namespace {

double SecondsBetween(std::chrono::system_clock::time_point from,
                      std::chrono::system_clock::time_point to) {
  // A clock set back (NTP) refills nothing rather than draining.
  return std::max(0.0, std::chrono::duration<double>(to - from).count());
}

}  // namespace

RateLimiter::RateLimiter(const Clock& clock, double rate, double burst)
    : clock_(clock), rate_(rate), burst_(burst) {}

std::chrono::milliseconds RateLimiter::Take(const std::string& key) {
  if (rate_ <= 0 || burst_ < 1) {
    return std::chrono::milliseconds(0);
  }
  const auto now = clock_.Now();
  std::lock_guard lock(mu_);
  auto [it, added] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!added) {
    bucket.tokens = std::min(burst_, bucket.tokens + SecondsBetween(bucket.updated, now) * rate_);
    bucket.updated = std::max(bucket.updated, now);
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    if (buckets_.size() >= forget_at_) {
      ForgetFullLocked(now);
    }
    return std::chrono::milliseconds(0);
  }
  const double wait_seconds = (1 - bucket.tokens) / rate_;
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(wait_seconds * 1000)));
}

void RateLimiter::ForgetFullLocked(std::chrono::system_clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    return entry.second.tokens + SecondsBetween(entry.second.updated, now) * rate_ >= burst_;
  });
  forget_at_ = std::max<size_t>(1024, buckets_.size() * 2);
}

}  // namespace reciproca::engine
