#pragma once

// One member's contributions to one board: values at points in time, kept sorted by time with
// running sums, so the sum over any time range is two binary searches.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <reciproca/snapshot.hpp>

namespace reciproca::leaderboard {

class TimeSeries {
 public:
  // Adds `value` at `time` (nanoseconds since the epoch). Events usually come in time order
  // (an append); an earlier time is inserted in place.
  void Add(int64_t time, int64_t value);

  // The sum of the values whose time t satisfies from < t <= to.
  int64_t Sum(int64_t from_exclusive, int64_t to_inclusive) const;

  // The sum of every value, whatever its time.
  int64_t Total() const { return total_; }

  // The snapshot's encoding (snapshot.cc).
  void Save(reciproca::sdk::StateWriter& out) const;
  void Load(reciproca::sdk::StateReader& in);

 private:
  // The sum of the first `count` values.
  int64_t Prefix(size_t count) const { return count == 0 ? 0 : prefix_[count - 1]; }

  std::vector<int64_t> times_;
  std::vector<int64_t> values_;
  // prefix_[i] = values_[0] + ... + values_[i].
  std::vector<int64_t> prefix_;
  int64_t total_ = 0;
};

}  // namespace reciproca::leaderboard
