#pragma once

// One chapter as the traffic light sees it: its currency and language, its meetings' start times
// and a MemberRecord per member, built from the chapter's events.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "member_record.h"
#include "reciproca/v1/events.pb.h"

namespace reciproca::traffic_light {

class ChapterRecord {
 public:
  // Applies one of the chapter's events and returns the members whose score it may change (in
  // the order they appear in the event, without repeats). PluginOutputRecorded changes nothing.
  std::vector<std::string> Apply(const v1::Event& event);

  // nullptr for a member never seen.
  const MemberRecord* Find(const std::string& member) const;
  // Every member ever added, by resource name.
  const std::map<std::string, MemberRecord>& members() const { return members_; }
  // ISO 4217, "EUR" unless the chapter said otherwise.
  const std::string& currency() const { return currency_; }
  // The chapter's language (BCP 47, from ChapterCreated and ChapterUpdated), "en" by default.
  const std::string& language() const { return language_; }
  // The time of the latest event applied (Unix seconds), 0 before any.
  int64_t last_event_time() const { return last_event_time_; }

  // The meetings cancelled (MeetingCancelled) whose start is in from < start <= to.
  int CancelledMeetingsIn(int64_t from, int64_t to) const {
    return static_cast<int>(cancelled_meetings_.In(from, to).count);
  }

  // The snapshot's encoding (snapshot.cc).
  void Save(sdk::StateWriter& out) const;
  void Load(sdk::StateReader& in);

 private:
  MemberRecord& Member(const std::string& name);
  // A PalmsSummaryImported, spread over its period's meetings (texts/palms_summary.h).
  void ApplySummary(const v1::Event& event, std::vector<std::string>* concerned);

  std::string currency_ = "EUR";
  std::string language_ = "en";
  std::map<std::string, int64_t> meeting_start_;
  std::map<std::string, MemberRecord> members_;
  // The start times of the cancelled meetings.
  Timeline cancelled_meetings_;
  int64_t last_event_time_ = 0;
};

}  // namespace reciproca::traffic_light
