// Folding a chapter's events into member records.

#include "chapter_record.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>

#include "reciproca/money.hpp"
#include "texts/catalogs.h"
#include "texts/event_time.h"
#include "texts/palms_summary.h"

namespace reciproca::traffic_light {
namespace {

std::string Upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

void AddOnce(std::vector<std::string>* members, const std::string& member) {
  if (!member.empty() && std::find(members->begin(), members->end(), member) == members->end()) {
    members->push_back(member);
  }
}

}  // namespace

void ChapterRecord::ApplySummary(const v1::Event& event, std::vector<std::string>* concerned) {
  const v1::PalmsSummaryImported& summary = event.palms_summary_imported();
  MemberRecord& member = Member(summary.member());
  // Imported history is tenure (for pro-rating and the provisional band).
  if (int64_t start = 0; member.added && plugin_texts::PeriodStart(summary, &start)) {
    member.tenure_start = std::min(member.tenure_start, start);
  }
  const std::string source = event.imported_from() + "#" + std::to_string(summary.source_line());
  const std::pair<int, v1::AttendanceStatus> attendance[] = {
      {summary.present(), v1::ATTENDANCE_STATUS_PRESENT},
      {summary.absent(), v1::ATTENDANCE_STATUS_ABSENT},
      {summary.late(), v1::ATTENDANCE_STATUS_LATE},
      {summary.medical(), v1::ATTENDANCE_STATUS_MEDICAL},
      {summary.substitute(), v1::ATTENDANCE_STATUS_SUBSTITUTE}};
  for (const auto& [count, status] : attendance) {
    int n = 0;
    for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(summary, count)) {
      for (int64_t i = 0; i < share.amount; ++i) {
        // One imported meeting per record, named after the summary's line so that it is unique.
        member.RecordAttendance(source + ":" + std::to_string(status) + ":" + std::to_string(n++),
                                share.time, status);
      }
    }
  }
  const auto count = [&](Timeline& timeline, int64_t total) {
    for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(summary, total)) {
      for (int64_t i = 0; i < share.amount; ++i) {
        timeline.Add(share.time);
      }
    }
  };
  count(member.referrals_given,
        int64_t{summary.referrals_given_inside()} + summary.referrals_given_outside());
  count(member.visitors, summary.visitors());
  count(member.one_to_ones, summary.one_to_ones());
  count(member.testimonials, summary.testimonials());
  for (const plugin_texts::Share& share :
       plugin_texts::SpreadOverMeetings(summary, summary.ceu())) {
    member.ceus.Add(share.time, share.amount);
  }
  // The TYFCB the member reported (the "given" side): in the chapter's currency only.
  const std::optional<int64_t> cents = sdk::ParseCents(summary.tyfcb().amount());
  if (cents && Upper(summary.tyfcb().currency()) == currency_) {
    for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(summary, *cents)) {
      member.tyfcb_given.Add(share.time, share.amount);
    }
  } else if (!summary.tyfcb().amount().empty()) {
    for (const plugin_texts::Share& share : plugin_texts::SpreadOverMeetings(summary, 1)) {
      member.tyfcb_given_other.Add(share.time);  // said in the why, not summed
    }
  }
  AddOnce(concerned, summary.member());
}

MemberRecord& ChapterRecord::Member(const std::string& name) {
  MemberRecord& record = members_[name];
  record.name = name;
  return record;
}

const MemberRecord* ChapterRecord::Find(const std::string& member) const {
  auto it = members_.find(member);
  return it == members_.end() ? nullptr : &it->second;
}

std::vector<std::string> ChapterRecord::Apply(const v1::Event& event) {
  const int64_t now = event.time().seconds();
  // Records count when they happened (a late slip counts in its meeting's week).
  const int64_t at = plugin_texts::OccurredTime(event).seconds();
  last_event_time_ = std::max(last_event_time_, now);
  std::vector<std::string> concerned;
  plugin_texts::FollowLanguage(event, &language_);
  switch (event.payload_case()) {
    case v1::Event::kChapterCreated:
      if (!event.chapter_created().chapter().currency().empty()) {
        currency_ = Upper(event.chapter_created().chapter().currency());
      }
      break;
    case v1::Event::kMemberAdded: {
      const v1::Member& member = event.member_added().member();
      MemberRecord& record = Member(member.name());
      record.display_name = member.display_name();
      if (!record.added) {
        record.tenure_start = now;
      }
      record.added = true;
      record.active = member.state() != v1::MEMBER_STATE_LEFT;
      AddOnce(&concerned, member.name());
      break;
    }
    case v1::Event::kMemberUpdated: {
      const v1::Member& member = event.member_updated().member();
      MemberRecord& record = Member(member.name());
      record.display_name = member.display_name();
      if (member.state() == v1::MEMBER_STATE_LEFT) {
        record.active = false;
      }
      break;
    }
    case v1::Event::kMemberLeft:
      Member(event.member_left().member()).active = false;
      break;
    case v1::Event::kMeetingScheduled: {
      const auto& scheduled = event.meeting_scheduled();
      meeting_start_[scheduled.meeting()] =
          scheduled.has_start_time() ? scheduled.start_time().seconds() : now;
      break;
    }
    case v1::Event::kAttendanceRecorded: {
      const auto& recorded = event.attendance_recorded();
      auto start = meeting_start_.find(recorded.meeting());
      Member(recorded.attendance().member())
          .RecordAttendance(recorded.meeting(), start == meeting_start_.end() ? now : start->second,
                            recorded.attendance().status());
      AddOnce(&concerned, recorded.attendance().member());
      break;
    }
    case v1::Event::kMeetingClosed: {
      const auto& closed = event.meeting_closed();
      auto start = meeting_start_.find(closed.meeting());
      for (const std::string& member : closed.absent_members()) {
        Member(member).RecordAttendance(closed.meeting(),
                                        start == meeting_start_.end() ? now : start->second,
                                        v1::ATTENDANCE_STATUS_ABSENT);
        AddOnce(&concerned, member);
      }
      break;
    }
    case v1::Event::kMeetingCancelled: {
      // A holiday: nobody could attend, so the meeting counts in nobody's attendance.
      const std::string& meeting = event.meeting_cancelled().meeting();
      const auto start = meeting_start_.find(meeting);
      cancelled_meetings_.Add(start == meeting_start_.end() ? now : start->second);
      for (auto& [name, member] : members_) {
        if (member.ForgetAttendance(meeting)) {
          AddOnce(&concerned, name);
        }
      }
      break;
    }
    case v1::Event::kVisitorRegistered: {
      const std::string& inviter = event.visitor_registered().visitor().invited_by();
      if (!inviter.empty()) {
        Member(inviter).visitors.Add(at);
        AddOnce(&concerned, inviter);
      }
      break;
    }
    case v1::Event::kReferralGiven: {
      const std::string& giver = event.referral_given().referral().giver();
      Member(giver).referrals_given.Add(at);
      AddOnce(&concerned, giver);
      break;
    }
    case v1::Event::kThankYouRecorded: {
      const v1::ThankYou& thanks = event.thank_you_recorded().thank_you();
      MemberRecord& from = Member(thanks.from_member());
      MemberRecord& to = Member(thanks.to_member());
      const std::optional<int64_t> cents = sdk::ParseCents(thanks.amount().amount());
      if (Upper(thanks.amount().currency()) == currency_ && cents) {
        from.tyfcb_given.Add(at, *cents);
        to.tyfcb_received.Add(at, *cents);
      } else {
        from.tyfcb_given_other.Add(at);
        to.tyfcb_received_other.Add(at);
      }
      AddOnce(&concerned, thanks.from_member());
      AddOnce(&concerned, thanks.to_member());
      break;
    }
    case v1::Event::kOneToOneRecorded: {
      const v1::OneToOne& meeting = event.one_to_one_recorded().one_to_one();
      // The day they met (midnight UTC), never later than when it happened.
      int64_t when = at;
      if (int64_t day = 0; plugin_texts::ParseDay(meeting.date(), &day)) {
        when = std::min(day, at);
      }
      Member(meeting.member()).one_to_ones.Add(when);
      Member(meeting.with_member()).one_to_ones.Add(when);
      AddOnce(&concerned, meeting.member());
      AddOnce(&concerned, meeting.with_member());
      break;
    }
    case v1::Event::kEducationRecorded: {
      const v1::Education& education = event.education_recorded().education();
      Member(education.member()).ceus.Add(at, education.credits());
      AddOnce(&concerned, education.member());
      break;
    }
    case v1::Event::kTestimonialRecorded: {
      const v1::Testimonial& testimonial = event.testimonial_recorded().testimonial();
      Member(testimonial.from_member()).testimonials.Add(at);
      AddOnce(&concerned, testimonial.from_member());
      break;
    }
    case v1::Event::kPalmsSummaryImported:
      ApplySummary(event, &concerned);
      break;
    default:
      break;
  }
  return concerned;
}

}  // namespace reciproca::traffic_light
