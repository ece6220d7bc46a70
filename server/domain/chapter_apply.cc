// Apply: the chapter's state is a fold of its events. Nothing here validates: events were
// validated when decided, and replay must rebuild exactly the same state. Which resource each
// payload changes is said once, beside this, in event_catalogue.h; a new payload needs a case in
// both (docs/adding_an_event.md).

#include <algorithm>
#include <map>
#include <string>

#include "server/domain/chapter.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// When the record of `event` counts (the records' occur_time): Event.occurred_time when the
// event carries one, Event.time otherwise. The shipped plugins read events by the same rule
// (plugins/texts/event_time.h).
const google::protobuf::Timestamp& RecordOccurTime(const v1::Event& event) {
  return event.has_occurred_time() ? event.occurred_time() : event.time();
}

// What a record learns from its event: when it counts, and the import it came from.
template <class Record>
void StampRecord(Record& record, const v1::Event& event) {
  *record.mutable_occur_time() = RecordOccurTime(event);
  record.set_imported_from(event.imported_from());
}

// Keeps the record of `event` by name, stamped.
template <class Record>
Record& KeepRecord(std::map<std::string, Record, std::less<>>& records, const Record& record,
                   const v1::Event& event) {
  Record& kept = records[record.name()] = record;
  StampRecord(kept, event);
  return kept;
}

}  // namespace

void Chapter::Apply(const v1::Event& event) {
  last_seq_ = event.seq();
  if (!event.imported_from().empty()) {
    imports_.insert(event.imported_from());  // importing the same file again records nothing
  }
  // No default: a payload without a case here does not compile (-Wswitch, an error with -Werror).
  switch (event.payload_case()) {
    case v1::Event::kChapterCreated:
      info_ = event.chapter_created().chapter();
      info_.clear_last_seq();
      info_.clear_active_member_count();
      if (info_.language().empty()) {
        info_.set_language(std::string(kDefaultLanguage));  // created before languages existed
      }
      break;
    case v1::Event::kChapterUpdated:
      ApplyChapterUpdated(event.chapter_updated());
      break;
    case v1::Event::kDisplayTokenRotated:
      display_token_generation_ = event.display_token_rotated().generation();
      break;
    case v1::Event::kMemberAdded:
      ApplyMemberAdded(event.member_added());
      break;
    case v1::Event::kMemberUpdated:
      ApplyMemberUpdated(event.member_updated());
      break;
    case v1::Event::kMemberLeft:
      ApplyMemberLeft(event);
      break;
    case v1::Event::kMeetingScheduled: {
      const v1::MeetingScheduled& e = event.meeting_scheduled();
      v1::Meeting& meeting = meetings_[e.meeting()];
      meeting.set_name(e.meeting());
      *meeting.mutable_start_time() = e.start_time();
      meeting.set_state(v1::MEETING_STATE_SCHEDULED);
      break;
    }
    case v1::Event::kMeetingOpened: {
      auto it = meetings_.find(event.meeting_opened().meeting());
      if (it != meetings_.end()) {
        it->second.set_state(v1::MEETING_STATE_OPEN);
        *it->second.mutable_open_time() = event.time();
      }
      break;
    }
    case v1::Event::kSegmentStarted: {
      auto it = meetings_.find(event.segment_started().meeting());
      if (it != meetings_.end()) {
        *it->second.add_segments() = event.segment_started().segment();
        it->second.set_state(v1::MEETING_STATE_IN_PROGRESS);
      }
      break;
    }
    case v1::Event::kAttendanceRecorded:
      ApplyAttendance(event.attendance_recorded().meeting(),
                      event.attendance_recorded().attendance());
      if (event.correction()) {
        CountCorrection(event.attendance_recorded().meeting());
      }
      break;
    case v1::Event::kVisitorRegistered: {
      const v1::Visitor& registered = event.visitor_registered().visitor();
      invitations_.erase(registered.name());  // an invited visitor came
      auto it = meetings_.find(event.visitor_registered().meeting());
      if (it != meetings_.end()) {
        v1::Visitor* visitor = it->second.add_visitors();
        *visitor = registered;
        if (visitor->state() == v1::VISITOR_STATE_UNSPECIFIED) {
          // Recorded before the pipeline: the visitor came.
          visitor->set_state(v1::VISITOR_STATE_ATTENDED);
          v1::VisitorStep* step = visitor->add_history();
          step->set_state(v1::VISITOR_STATE_ATTENDED);
          *step->mutable_time() = event.time();
          step->set_actor(event.actor());
        }
        StampRecord(*visitor, event);
      }
      CountRecordCorrection(event, event.visitor_registered().meeting());
      break;
    }
    case v1::Event::kSubstituteRegistered:
      ApplySubstituteRegistered(event.substitute_registered());
      break;
    case v1::Event::kVisitorInvited:
      invitations_[event.visitor_invited().visitor().name()] = event.visitor_invited().visitor();
      break;
    case v1::Event::kVisitorStateChanged: {
      const v1::Visitor& after = event.visitor_state_changed().visitor();
      if (auto invited = invitations_.find(after.name()); invited != invitations_.end()) {
        invited->second = after;
        break;
      }
      auto it = meetings_.find(event.visitor_state_changed().meeting());
      if (it != meetings_.end()) {
        for (v1::Visitor& visitor : *it->second.mutable_visitors()) {
          if (visitor.name() == after.name()) {
            visitor = after;
          }
        }
      }
      break;
    }
    case v1::Event::kMeetingClosed: {
      const v1::MeetingClosed& e = event.meeting_closed();
      for (const std::string& member : e.absent_members()) {
        v1::Attendance absent;
        absent.set_member(member);
        absent.set_status(v1::ATTENDANCE_STATUS_ABSENT);
        *absent.mutable_record_time() = event.time();
        ApplyAttendance(e.meeting(), absent);
      }
      for (v1::Attendance substitute : e.substitutes()) {
        *substitute.mutable_record_time() = event.time();
        ApplyAttendance(e.meeting(), substitute);
      }
      if (!e.substitutes_day().empty()) {
        DropExpectedSubstitutes(e.substitutes_day());
      }
      auto it = meetings_.find(e.meeting());
      if (it != meetings_.end()) {
        it->second.set_state(v1::MEETING_STATE_CLOSED);
        *it->second.mutable_close_time() = event.time();
      }
      break;
    }
    case v1::Event::kMeetingCancelled: {
      auto it = meetings_.find(event.meeting_cancelled().meeting());
      if (it != meetings_.end()) {
        it->second.set_state(v1::MEETING_STATE_CANCELLED);
        it->second.set_cancel_reason(event.meeting_cancelled().reason());
      }
      break;
    }
    case v1::Event::kPalmsSubmitted: {
      auto it = meetings_.find(event.palms_submitted().meeting());
      if (it != meetings_.end()) {
        *it->second.mutable_palms_submit_time() = event.time();
      }
      break;
    }
    case v1::Event::kReferralGiven: {
      const v1::Referral& referral = event.referral_given().referral();
      v1::Referral& stored = KeepRecord(referrals_, referral, event);
      // Logged before events carried occurred_time: a slip of a meeting counts at its start.
      auto meeting = meetings_.find(referral.meeting());
      if (!event.has_occurred_time() && meeting != meetings_.end()) {
        *stored.mutable_occur_time() = meeting->second.start_time();
      }
      CountRecordCorrection(event, referral.meeting());
      break;
    }
    case v1::Event::kReferralStatusChanged: {
      auto it = referrals_.find(event.referral_status_changed().referral());
      if (it != referrals_.end()) {
        it->second.set_status(event.referral_status_changed().to_status());
        *it->second.mutable_update_time() = event.time();
      }
      break;
    }
    case v1::Event::kThankYouRecorded: {
      KeepRecord(thank_yous_, event.thank_you_recorded().thank_you(), event);
      CountRecordCorrection(event, "");
      break;
    }
    case v1::Event::kOneToOneRecorded: {
      KeepRecord(one_to_ones_, event.one_to_one_recorded().one_to_one(), event);
      CountRecordCorrection(event, "");
      break;
    }
    case v1::Event::kEducationRecorded: {
      KeepRecord(education_, event.education_recorded().education(), event);
      CountRecordCorrection(event, "");
      break;
    }
    case v1::Event::kTestimonialRecorded: {
      KeepRecord(testimonials_, event.testimonial_recorded().testimonial(), event);
      CountRecordCorrection(event, "");
      break;
    }
    case v1::Event::kPluginEnabled: {
      const auto& e = event.plugin_enabled();
      v1::ChapterPlugin& plugin = plugins_[e.plugin()];
      plugin.set_name(e.plugin());
      plugin.set_chapter(info_.name());
      plugin.set_enabled(true);
      plugin.set_config_json(e.config_json());
      *plugin.mutable_capabilities() = e.capabilities();
      break;
    }
    case v1::Event::kPluginDisabled:
      plugins_.erase(event.plugin_disabled().plugin());
      break;
    case v1::Event::kPalmsSummaryImported:
      // Kept whole: the PALMS report spreads it over its period (docs/import.md).
      palms_summaries_.push_back(event.palms_summary_imported());
      break;
    case v1::Event::kPluginOutput:
      // A plugin's output is kept in the log only: it does not change the chapter.
      break;
    case v1::Event::PAYLOAD_NOT_SET:
      // Also a payload this build does not know (parsed as an unknown field): nothing to apply.
      break;
  }
}

void Chapter::ApplyChapterUpdated(const v1::ChapterUpdated& e) {
  // Only the settings UpdateChapter may change; name, currency and create_time stay.
  const v1::Chapter& after = e.chapter();
  info_.set_display_name(after.display_name());
  info_.set_display_amounts(after.display_amounts());
  info_.set_meeting_weekday(after.meeting_weekday());
  info_.set_meeting_time(after.meeting_time());
  info_.set_time_zone(after.time_zone());
  if (!after.language().empty()) {  // empty: recorded before languages existed
    info_.set_language(after.language());
  }
  // Every update carries the whole agenda (empty before agendas existed, as it then was).
  *info_.mutable_agenda() = after.agenda();
  // And the whole feature-presentation rotation (empty before rotations existed).
  *info_.mutable_feature_rotation() = after.feature_rotation();
}

void Chapter::ApplyMemberAdded(const v1::MemberAdded& e) {
  const v1::Member& member = e.member();
  members_[member.name()] = member;
  if (member.state() == v1::MEMBER_STATE_ACTIVE) {
    category_owner_[AsciiLower(Trim(member.category()))] = member.name();
  }
}

void Chapter::ApplyMemberUpdated(const v1::MemberUpdated& e) {
  const v1::Member& after = e.member();
  auto it = members_.find(after.name());
  if (it != members_.end()) {
    auto owner = category_owner_.find(AsciiLower(Trim(it->second.category())));
    if (owner != category_owner_.end() && owner->second == after.name()) {
      category_owner_.erase(owner);
    }
  }
  members_[after.name()] = after;
  if (after.state() == v1::MEMBER_STATE_ACTIVE) {
    category_owner_[AsciiLower(Trim(after.category()))] = after.name();
  }
}

void Chapter::ApplyMemberLeft(const v1::Event& event) {
  auto it = members_.find(event.member_left().member());
  if (it == members_.end()) {
    return;
  }
  v1::Member& member = it->second;
  member.set_state(v1::MEMBER_STATE_LEFT);
  *member.mutable_leave_time() = event.time();
  auto owner = category_owner_.find(AsciiLower(Trim(member.category())));
  if (owner != category_owner_.end() && owner->second == member.name()) {
    category_owner_.erase(owner);
  }
}

void Chapter::ApplyAttendance(const std::string& meeting_name, const v1::Attendance& attendance) {
  auto it = meetings_.find(meeting_name);
  if (it == meetings_.end()) {
    return;
  }
  auto* list = it->second.mutable_attendance();
  for (v1::Attendance& existing : *list) {
    if (existing.member() == attendance.member()) {
      existing = attendance;
      return;
    }
  }
  *list->Add() = attendance;
  std::sort(list->begin(), list->end(), [](const v1::Attendance& a, const v1::Attendance& b) {
    return a.member() < b.member();
  });
}

void Chapter::CountRecordCorrection(const v1::Event& event, const std::string& meeting) {
  if (event.correction()) {
    CountCorrection(event.occurred_meeting().empty() ? meeting : event.occurred_meeting());
  }
}

void Chapter::CountCorrection(const std::string& meeting) {
  auto it = meetings_.find(meeting);
  if (it != meetings_.end()) {
    it->second.set_corrections(it->second.corrections() + 1);
  }
}

}  // namespace reciproca::domain
