#include "server/engine/projection.h"

#include <set>
#include <utility>

namespace reciproca::engine {
namespace {

// The resource an event touched: (kind, name).
std::pair<std::string, std::string> Touched(const v1::Event& e) {
  using P = v1::Event::PayloadCase;
  switch (e.payload_case()) {
    case P::kMemberAdded:
      return {"member", e.member_added().member().name()};
    case P::kMemberUpdated:
      return {"member", e.member_updated().member().name()};
    case P::kMemberLeft:
      return {"member", e.member_left().member()};
    case P::kMeetingScheduled:
      return {"meeting", e.meeting_scheduled().meeting()};
    case P::kMeetingOpened:
      return {"meeting", e.meeting_opened().meeting()};
    case P::kSegmentStarted:
      return {"meeting", e.segment_started().meeting()};
    case P::kAttendanceRecorded:
      return {"meeting", e.attendance_recorded().meeting()};
    case P::kVisitorRegistered:
      return {"meeting", e.visitor_registered().meeting()};
    case P::kMeetingClosed:
      return {"meeting", e.meeting_closed().meeting()};
    case P::kReferralGiven:
      return {"referral", e.referral_given().referral().name()};
    case P::kReferralStatusChanged:
      return {"referral", e.referral_status_changed().referral()};
    case P::kThankYouRecorded:
      return {"thank_you", e.thank_you_recorded().thank_you().name()};
    case P::kOneToOneRecorded:
      return {"one_to_one", e.one_to_one_recorded().one_to_one().name()};
    case P::kEducationRecorded:
      return {"education", e.education_recorded().education().name()};
    case P::kTestimonialRecorded:
      return {"testimonial", e.testimonial_recorded().testimonial().name()};
    case P::kChapterCreated:
    case P::kChapterUpdated:
    case P::kPluginOutput:
    case P::PAYLOAD_NOT_SET:
      break;
  }
  return {"", ""};
}

template <class T>
std::string BodyOf(const Result<T>& resource) {
  return resource.ok() ? resource.value().SerializeAsString() : std::string();
}

std::string Body(const domain::Chapter& chapter, const std::string& kind, const std::string& name) {
  if (kind == "member") {
    return BodyOf(chapter.GetMember(name));
  }
  if (kind == "meeting") {
    return BodyOf(chapter.GetMeeting(name));
  }
  if (kind == "referral") {
    return BodyOf(chapter.GetReferral(name));
  }
  if (kind == "thank_you") {
    return BodyOf(chapter.GetThankYou(name));
  }
  if (kind == "one_to_one") {
    return BodyOf(chapter.GetOneToOne(name));
  }
  if (kind == "education") {
    return BodyOf(chapter.GetEducation(name));
  }
  return BodyOf(chapter.GetTestimonial(name));
}

}  // namespace

std::vector<store::ProjectionRow> ProjectionRows(const domain::Chapter& chapter,
                                                 const domain::Events& events) {
  std::vector<store::ProjectionRow> rows;
  rows.push_back({chapter.name(), chapter.name(), "chapter", chapter.Info().SerializeAsString(),
                  chapter.last_seq()});
  std::set<std::string> seen;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    auto [kind, name] = Touched(*it);
    if (kind.empty() || !seen.insert(name).second) {
      continue;
    }
    rows.push_back({chapter.name(), name, kind, Body(chapter, kind, name), it->seq()});
  }
  return rows;
}

}  // namespace reciproca::engine
