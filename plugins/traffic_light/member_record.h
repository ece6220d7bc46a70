#pragma once

// What the traffic light remembers of one member: timestamped counts, kept sorted so that any
// window is summed by binary search instead of rescanning the log.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <reciproca/snapshot.hpp>

#include "reciproca/v1/resources.pb.h"

namespace reciproca::traffic_light {

// Weighted points in time (Unix seconds), sorted, with prefix sums.
class Timeline {
 public:
  struct Total {
    int64_t count = 0;
    int64_t sum = 0;
  };

  // Amortized O(1) when times come in order (the usual case); O(n) for an earlier time.
  void Add(int64_t time, int64_t weight = 1);
  // The entries with from < time <= to.
  Total In(int64_t from, int64_t to) const;

  // The snapshot's encoding (snapshot.cc).
  void Save(sdk::StateWriter& out) const;
  void Load(sdk::StateReader& in);

 private:
  std::vector<int64_t> times_;
  // prefix_[i]: the sum of the weights of entries [0, i); one longer than times_.
  std::vector<int64_t> prefix_ = {0};
  std::vector<int64_t> weights_;
};

// Attendance over a window, one record per meeting (the latest record of the meeting wins).
struct AttendanceTotal {
  int meetings = 0;
  int present = 0;
  int late = 0;
  int absent = 0;
  int medical = 0;
  int substitute = 0;
};

class MemberRecord {
 public:
  std::string name;  // "chapters/x/members/3"
  std::string display_name;
  // Added to the chapter (MemberAdded seen); a member named by other events only is not.
  bool added = false;
  bool active = false;
  // When the member joined (the time of their MemberAdded event), Unix seconds.
  int64_t tenure_start = 0;

  Timeline referrals_given;
  Timeline visitors;
  Timeline testimonials;
  Timeline one_to_ones;
  Timeline ceus;               // weight: credits
  Timeline tyfcb_given;        // weight: cents, chapter currency only
  Timeline tyfcb_received;     // weight: cents, chapter currency only
  Timeline tyfcb_given_other;  // thank-yous in another currency (counted, not summed)
  Timeline tyfcb_received_other;

  // Records (or corrects) the member's attendance at `meeting`, which started at `start`.
  void RecordAttendance(const std::string& meeting, int64_t start, v1::AttendanceStatus status);
  // Drops the member's records of a cancelled meeting; true if there were any.
  bool ForgetAttendance(const std::string& meeting);
  // The meetings that started in from < start <= to.
  AttendanceTotal AttendanceIn(int64_t from, int64_t to) const;

  // The snapshot's encoding (snapshot.cc).
  void Save(sdk::StateWriter& out) const;
  void Load(sdk::StateReader& in);

 private:
  // (start time, meeting) -> status, so that a window is a contiguous range.
  std::map<std::pair<int64_t, std::string>, v1::AttendanceStatus> attendance_;
  std::map<std::string, int64_t> meeting_start_;
};

}  // namespace reciproca::traffic_light
