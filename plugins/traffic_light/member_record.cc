// Sorted timelines and per-meeting attendance of one member.

#include "member_record.h"

#include <algorithm>

namespace reciproca::traffic_light {

void Timeline::Add(int64_t time, int64_t weight) {
  const auto at = std::upper_bound(times_.begin(), times_.end(), time);
  const size_t index = static_cast<size_t>(at - times_.begin());
  times_.insert(at, time);
  weights_.insert(weights_.begin() + static_cast<std::ptrdiff_t>(index), weight);
  prefix_.push_back(0);
  for (size_t i = index; i < times_.size(); ++i) {
    prefix_[i + 1] = prefix_[i] + weights_[i];
  }
}

Timeline::Total Timeline::In(int64_t from, int64_t to) const {
  if (to <= from) {
    return {};
  }
  const size_t first =
      static_cast<size_t>(std::upper_bound(times_.begin(), times_.end(), from) - times_.begin());
  const size_t last =
      static_cast<size_t>(std::upper_bound(times_.begin(), times_.end(), to) - times_.begin());
  if (last <= first) {
    return {};
  }
  return {static_cast<int64_t>(last - first), prefix_[last] - prefix_[first]};
}

void MemberRecord::RecordAttendance(const std::string& meeting, int64_t start,
                                    v1::AttendanceStatus status) {
  // A meeting keeps the start time of its first record, so a correction replaces it in place.
  const auto known = meeting_start_.emplace(meeting, start).first;
  attendance_[{known->second, meeting}] = status;
}

bool MemberRecord::ForgetAttendance(const std::string& meeting) {
  const auto known = meeting_start_.find(meeting);
  if (known == meeting_start_.end()) {
    return false;
  }
  attendance_.erase({known->second, meeting});
  meeting_start_.erase(known);
  return true;
}

AttendanceTotal MemberRecord::AttendanceIn(int64_t from, int64_t to) const {
  AttendanceTotal total;
  // Keys are (start, meeting): the first with start > from is the first at (from + 1, "").
  for (auto it = attendance_.lower_bound({from + 1, std::string()});
       it != attendance_.end() && it->first.first <= to; ++it) {
    ++total.meetings;
    switch (it->second) {
      case v1::ATTENDANCE_STATUS_PRESENT:
        ++total.present;
        break;
      case v1::ATTENDANCE_STATUS_LATE:
        ++total.late;
        break;
      case v1::ATTENDANCE_STATUS_ABSENT:
        ++total.absent;
        break;
      case v1::ATTENDANCE_STATUS_MEDICAL:
        ++total.medical;
        break;
      case v1::ATTENDANCE_STATUS_SUBSTITUTE:
        ++total.substitute;
        break;
      default:
        --total.meetings;  // an unspecified status says nothing
        break;
    }
  }
  return total;
}

}  // namespace reciproca::traffic_light
