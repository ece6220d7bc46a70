#include "time_series.h"

#include <algorithm>
#include <iterator>

namespace reciproca::leaderboard {

void TimeSeries::Add(int64_t time, int64_t value) {
  total_ += value;
  if (times_.empty() || times_.back() <= time) {
    times_.push_back(time);
    values_.push_back(value);
    prefix_.push_back(Prefix(prefix_.size()) + value);
    return;
  }
  // Out of order (rare): insert after the entries with the same time, then redo the sums after.
  const auto at = std::upper_bound(times_.begin(), times_.end(), time);
  const auto index = static_cast<size_t>(std::distance(times_.begin(), at));
  times_.insert(at, time);
  values_.insert(values_.begin() + static_cast<std::ptrdiff_t>(index), value);
  prefix_.insert(prefix_.begin() + static_cast<std::ptrdiff_t>(index), 0);
  for (size_t i = index; i < prefix_.size(); ++i) {
    prefix_[i] = Prefix(i) + values_[i];
  }
}

int64_t TimeSeries::Sum(int64_t from_exclusive, int64_t to_inclusive) const {
  if (to_inclusive <= from_exclusive) {
    return 0;
  }
  const auto begin = std::upper_bound(times_.begin(), times_.end(), from_exclusive);
  const auto end = std::upper_bound(begin, times_.end(), to_inclusive);
  return Prefix(static_cast<size_t>(std::distance(times_.begin(), end))) -
         Prefix(static_cast<size_t>(std::distance(times_.begin(), begin)));
}

}  // namespace reciproca::leaderboard
