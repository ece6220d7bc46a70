#include "server/domain/event_catalogue.h"

#include <utility>

namespace reciproca::domain {
namespace {

using Message = google::protobuf::Message;

template <class T>
Result<std::unique_ptr<Message>> Boxed(Result<T> read) {
  if (!read.ok()) {
    return read.error();
  }
  return std::unique_ptr<Message>(std::make_unique<T>(std::move(read).value()));
}

// "referral_given": the payload's field name, for messages.
std::string PayloadName(const v1::Event& event) {
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.payload_case());
  return field != nullptr ? std::string(field->name()) : "no payload";
}

}  // namespace

std::string_view KindName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kNone:
      return "";
    case ResourceKind::kChapter:
      return "chapter";
    case ResourceKind::kMember:
      return "member";
    case ResourceKind::kMeeting:
      return "meeting";
    case ResourceKind::kReferral:
      return "referral";
    case ResourceKind::kThankYou:
      return "thank_you";
    case ResourceKind::kOneToOne:
      return "one_to_one";
    case ResourceKind::kEducation:
      return "education";
    case ResourceKind::kTestimonial:
      return "testimonial";
  }
  return "";
}

std::optional<Touch> TouchedBy(const v1::Event& e) {
  using P = v1::Event::PayloadCase;
  using K = ResourceKind;
  switch (e.payload_case()) {
    case P::kChapterCreated:
      return Touch{K::kChapter, e.chapter()};
    case P::kChapterUpdated:
      return Touch{K::kChapter, e.chapter()};
    case P::kDisplayTokenRotated:
      return Touch{K::kChapter, e.chapter()};
    case P::kPluginEnabled:
    case P::kPluginDisabled:
    case P::kSubstituteRegistered:
      return Touch{K::kChapter, e.chapter()};
    case P::kMemberAdded:
      return Touch{K::kMember, e.member_added().member().name()};
    case P::kMemberUpdated:
      return Touch{K::kMember, e.member_updated().member().name()};
    case P::kMemberLeft:
      return Touch{K::kMember, e.member_left().member()};
    case P::kMeetingScheduled:
      return Touch{K::kMeeting, e.meeting_scheduled().meeting()};
    case P::kMeetingOpened:
      return Touch{K::kMeeting, e.meeting_opened().meeting()};
    case P::kSegmentStarted:
      return Touch{K::kMeeting, e.segment_started().meeting(), &e.segment_started().segment()};
    case P::kAttendanceRecorded:
      return Touch{K::kMeeting, e.attendance_recorded().meeting(),
                   &e.attendance_recorded().attendance()};
    case P::kVisitorRegistered:
      return Touch{K::kMeeting, e.visitor_registered().meeting(),
                   &e.visitor_registered().visitor()};
    case P::kVisitorInvited:
      return Touch{K::kMeeting, e.visitor_invited().meeting(), &e.visitor_invited().visitor()};
    case P::kVisitorStateChanged:
      return Touch{K::kMeeting, e.visitor_state_changed().meeting(),
                   &e.visitor_state_changed().visitor()};
    case P::kMeetingClosed:
      return Touch{K::kMeeting, e.meeting_closed().meeting()};
    case P::kMeetingCancelled:
      return Touch{K::kMeeting, e.meeting_cancelled().meeting()};
    case P::kPalmsSubmitted:
      return Touch{K::kMeeting, e.palms_submitted().meeting()};
    case P::kReferralGiven:
      return Touch{K::kReferral, e.referral_given().referral().name()};
    case P::kReferralStatusChanged:
      return Touch{K::kReferral, e.referral_status_changed().referral()};
    case P::kThankYouRecorded:
      return Touch{K::kThankYou, e.thank_you_recorded().thank_you().name()};
    case P::kOneToOneRecorded:
      return Touch{K::kOneToOne, e.one_to_one_recorded().one_to_one().name()};
    case P::kEducationRecorded:
      return Touch{K::kEducation, e.education_recorded().education().name()};
    case P::kTestimonialRecorded:
      return Touch{K::kTestimonial, e.testimonial_recorded().testimonial().name()};
    case P::kPalmsSummaryImported:
      return Touch{K::kMember, e.palms_summary_imported().member()};
    case P::kPluginOutput:
      return Touch{K::kNone, ""};
    case P::PAYLOAD_NOT_SET:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<std::unique_ptr<Message>> ReadResource(const Chapter& chapter, ResourceKind kind,
                                              std::string_view name) {
  switch (kind) {
    case ResourceKind::kNone:
      break;
    case ResourceKind::kChapter:
      if (name != chapter.name()) {
        return NotFound("chapter " + std::string(name) + " is not " + chapter.name());
      }
      return std::unique_ptr<Message>(std::make_unique<v1::Chapter>(chapter.Info()));
    case ResourceKind::kMember:
      return Boxed(chapter.GetMember(name));
    case ResourceKind::kMeeting:
      return Boxed(chapter.GetMeeting(name));
    case ResourceKind::kReferral:
      return Boxed(chapter.GetReferral(name));
    case ResourceKind::kThankYou:
      return Boxed(chapter.GetThankYou(name));
    case ResourceKind::kOneToOne:
      return Boxed(chapter.GetOneToOne(name));
    case ResourceKind::kEducation:
      return Boxed(chapter.GetEducation(name));
    case ResourceKind::kTestimonial:
      return Boxed(chapter.GetTestimonial(name));
  }
  return Internal("\"" + std::string(name) + "\" names no resource: its event changes none");
}

Status AnswerOf(const Chapter& chapter, const Events& events, Message* out) {
  if (events.empty()) {
    return Internal("the command decided no event to answer with");
  }
  const v1::Event& first = events.front();
  std::optional<Touch> touch = TouchedBy(first);
  if (!touch.has_value() || touch->kind == ResourceKind::kNone) {
    return Internal("event " + PayloadName(first) + " changes no resource to answer with");
  }
  if (touch->record != nullptr && touch->record->GetDescriptor() == out->GetDescriptor()) {
    out->CopyFrom(*touch->record);
    return {};
  }
  auto resource = ReadResource(chapter, touch->kind, touch->name);
  if (!resource.ok()) {
    return resource.error();
  }
  if ((*resource)->GetDescriptor() != out->GetDescriptor()) {
    return Internal("event " + PayloadName(first) + " changes a " +
                    std::string((*resource)->GetDescriptor()->full_name()) + ", not the " +
                    std::string(out->GetDescriptor()->full_name()) + " the call answers with");
  }
  out->CopyFrom(**resource);
  return {};
}

}  // namespace reciproca::domain
