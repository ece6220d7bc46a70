#pragma once

// A token bucket per key (a principal's name): `burst` requests at once, refilled at `rate` per
// second on the injected clock. Thread-safe. The limit of Limits::mutations_per_second.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/engine/clock.h"

namespace reciproca::engine {

class RateLimiter {
 public:
  // rate <= 0 or burst < 1: every request is allowed.
  RateLimiter(const Clock& clock, double rate, double burst);

  // Takes one token from `key`'s bucket: zero when allowed, otherwise how long until a token is
  // there again (the request is refused and takes nothing).
  std::chrono::milliseconds Take(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    std::chrono::system_clock::time_point updated;
  };
  // Forgets buckets that are full again (they would allow a whole burst, like a new one), so the
  // map stays as large as the set of recently active principals.
  void ForgetFullLocked(std::chrono::system_clock::time_point now);

  const Clock& clock_;
  const double rate_;
  const double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  size_t forget_at_ = 1024;
};

}  // namespace reciproca::engine
