// The weekly meeting: schedule, open, segments, attendance (PALMS), visitors, close.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

std::string StateName(v1::MeetingState state) {
  switch (state) {
    case v1::MEETING_STATE_SCHEDULED:
      return "SCHEDULED";
    case v1::MEETING_STATE_OPEN:
      return "OPEN";
    case v1::MEETING_STATE_IN_PROGRESS:
      return "IN_PROGRESS";
    case v1::MEETING_STATE_CLOSED:
      return "CLOSED";
    case v1::MEETING_STATE_CANCELLED:
      return "CANCELLED";
    default:
      return "UNSPECIFIED";
  }
}

std::string StatusName(v1::AttendanceStatus status) {
  switch (status) {
    case v1::ATTENDANCE_STATUS_PRESENT:
      return "PRESENT";
    case v1::ATTENDANCE_STATUS_ABSENT:
      return "ABSENT";
    case v1::ATTENDANCE_STATUS_LATE:
      return "LATE";
    case v1::ATTENDANCE_STATUS_MEDICAL:
      return "MEDICAL";
    case v1::ATTENDANCE_STATUS_SUBSTITUTE:
      return "SUBSTITUTE";
    default:
      return "UNSPECIFIED";
  }
}

const v1::Attendance* FindAttendance(const v1::Meeting& meeting, std::string_view member) {
  for (const v1::Attendance& a : meeting.attendance()) {
    if (a.member() == member) {
      return &a;
    }
  }
  return nullptr;
}

// Attendance of someone who can speak: the member, or their substitute, is in the room.
bool IsInTheRoom(v1::AttendanceStatus status) {
  return status == v1::ATTENDANCE_STATUS_PRESENT || status == v1::ATTENDANCE_STATUS_LATE ||
         status == v1::ATTENDANCE_STATUS_SUBSTITUTE;
}

bool IsOpenForCheckIn(const v1::Meeting& meeting) {
  return meeting.state() == v1::MEETING_STATE_OPEN ||
         meeting.state() == v1::MEETING_STATE_IN_PROGRESS;
}

}  // namespace

Result<Events> Chapter::DecideScheduleMeeting(const Context& ctx,
                                              const v1::ScheduleMeetingRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "schedule meetings"); !s) {
    return s.error();
  }
  if (Status s = CheckParent("parent", r.parent()); !s) {
    return s.error();
  }
  if (!r.has_start_time() || r.start_time().seconds() <= 0) {
    return Required("start_time", "when the meeting starts");
  }
  if (auto start = CheckTimestamp("start_time", r.start_time()); !start.ok()) {
    return start.error();
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::MeetingScheduled* scheduled = event.mutable_meeting_scheduled();
  scheduled->set_meeting(ChildName(info_.name(), NameKind::kMeeting, event.seq()));
  *scheduled->mutable_start_time() = r.start_time();
  return Events{event};
}

Result<Events> Chapter::DecideOpenMeeting(const Context& ctx,
                                          const v1::OpenMeetingRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "open meetings"); !s) {
    return s.error();
  }
  auto meeting = FindMeeting("name", r.name());
  if (!meeting) {
    return meeting.error();
  }
  if ((*meeting)->state() != v1::MEETING_STATE_SCHEDULED) {
    return FailedPrecondition("name: meeting " + r.name() + " is " +
                              StateName((*meeting)->state()) +
                              "; only a SCHEDULED meeting can be opened");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.mutable_meeting_opened()->set_meeting(r.name());
  return Events{event};
}

Result<Events> Chapter::DecideStartSegment(const Context& ctx,
                                           const v1::StartSegmentRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "start meeting segments"); !s) {
    return s.error();
  }
  if (!r.name().empty()) {
    if (Status s = CheckName("name", r.name(), NameKind::kMeeting, info_.name()); !s) {
      return s.error();
    }
  }
  auto title = CheckText("title", r.title(), 1, 60);
  if (!title) {
    return title.error();
  }
  if (r.countdown_seconds() < 0 || r.countdown_seconds() > 3600) {
    return NotBetween("countdown_seconds", 0, 3600, r.countdown_seconds());
  }
  auto meeting = FindMeeting("name", r.name());
  if (!meeting) {
    return meeting.error();
  }
  if (!r.speaker().empty()) {
    if (auto speaker = FindActiveMember("speaker", r.speaker()); !speaker) {
      return speaker.error();
    }
  }
  if (!IsOpenForCheckIn(**meeting)) {
    return FailedPrecondition("name: meeting " + r.name() + " is " +
                              StateName((*meeting)->state()) +
                              "; segments start only when it is OPEN or IN_PROGRESS");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::SegmentStarted* started = event.mutable_segment_started();
  started->set_meeting(r.name());
  v1::Segment* segment = started->mutable_segment();
  segment->set_title(*title);
  segment->set_countdown_seconds(r.countdown_seconds());
  *segment->mutable_start_time() = event.time();
  if (!r.speaker().empty()) {
    segment->set_speaker(r.speaker());
    segment->set_next_speaker(NextSpeaker(**meeting, r.speaker(), *title));
  }
  return Events{event};
}

std::string Chapter::NextSpeaker(const v1::Meeting& meeting, std::string_view speaker,
                                 std::string_view title) const {
  // Who already spoke in a segment of this title (a "60-second presentations" round may be
  // started once per speaker).
  const std::string lower_title = AsciiLower(title);
  std::set<std::string, std::less<>> spoke;
  for (const v1::Segment& segment : meeting.segments()) {
    if (!segment.speaker().empty() && AsciiLower(segment.title()) == lower_title) {
      spoke.insert(segment.speaker());
    }
  }
  // The roster in the order members joined; the first candidate after the speaker wins.
  std::vector<const v1::Member*> roster;
  for (const auto& [name, member] : members_) {
    roster.push_back(&member);
  }
  std::sort(roster.begin(), roster.end(), [](const v1::Member* a, const v1::Member* b) {
    return IdOrderLess(a->name(), b->name());
  });
  for (const v1::Member* member : roster) {
    if (!IdOrderLess(speaker, member->name()) || member->state() != v1::MEMBER_STATE_ACTIVE ||
        spoke.count(member->name()) > 0) {
      continue;
    }
    const v1::Attendance* attendance = FindAttendance(meeting, member->name());
    if (attendance != nullptr && IsInTheRoom(attendance->status())) {
      return member->name();
    }
  }
  return "";
}

Result<Events> Chapter::DecideCheckIn(const Context& ctx, const v1::CheckInRequest& r) const {
  const Principal& p = ctx.principal;
  if (Status s = CheckCanWrite(p); !s) {
    return s.error();
  }
  std::string member_name = r.member();
  if (member_name.empty()) {
    if (p.kind == Principal::Kind::kAdmin) {
      return InvalidArgument("member: required for the admin, who is not a member");
    }
    member_name = p.member;
  } else if (member_name != p.member && !IsOrganizerPrincipal(p)) {
    return PermissionDenied("member: only organizers may check in another member")
        .Because(kOrganizersOnly);
  }
  auto meeting = FindMeeting("meeting", r.meeting());
  if (!meeting) {
    return meeting.error();
  }
  auto member = FindActiveMember("member", member_name);
  if (!member) {
    return member.error();
  }
  const v1::Meeting& m = **meeting;
  if (!IsOpenForCheckIn(m)) {
    return FailedPrecondition("meeting: " + m.name() + " is " + StateName(m.state()) +
                              "; check-in is possible only when it is OPEN or IN_PROGRESS")
        .Because(kMeetingNotOpen, {{"state", StateName(m.state())}});
  }
  if (const v1::Attendance* a = FindAttendance(m, member_name)) {
    return FailedPrecondition("member: " + member_name + " already checked in as " +
                              StatusName(a->status()) + " at " + m.name());
  }
  v1::Event event = NewEvent(ctx, 1, member_name != p.member ? member_name : "");
  v1::AttendanceRecorded* recorded = event.mutable_attendance_recorded();
  recorded->set_meeting(m.name());
  v1::Attendance* attendance = recorded->mutable_attendance();
  attendance->set_member(member_name);
  attendance->set_status(ToNanos(ctx.now) > ToNanos(m.start_time())
                             ? v1::ATTENDANCE_STATUS_LATE
                             : v1::ATTENDANCE_STATUS_PRESENT);
  *attendance->mutable_record_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideRecordAttendance(const Context& ctx,
                                               const v1::RecordAttendanceRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "record attendance"); !s) {
    return s.error();
  }
  if (r.status() == v1::ATTENDANCE_STATUS_UNSPECIFIED ||
      !v1::AttendanceStatus_IsValid(r.status())) {
    return InvalidArgument("status: must be PRESENT, ABSENT, LATE, MEDICAL or SUBSTITUTE, got " +
                           std::to_string(r.status()));
  }
  std::string substitute_name;
  if (r.status() == v1::ATTENDANCE_STATUS_SUBSTITUTE) {
    auto name = CheckText("substitute_name", r.substitute_name(), 1, 100);
    if (!name) {
      return name.error();
    }
    substitute_name = *name;
  }
  auto meeting = FindMeeting("meeting", r.meeting());
  if (!meeting) {
    return meeting.error();
  }
  auto member = FindMember("member", r.member());
  if (!member) {
    return member.error();
  }
  auto correction = IsCorrection(ctx.principal, **meeting, "meeting");
  if (!correction) {
    return correction.error();
  }
  // A member who left keeps their history: an existing record may still be corrected.
  if ((*member)->state() != v1::MEMBER_STATE_ACTIVE &&
      FindAttendance(**meeting, r.member()) == nullptr) {
    return FailedPrecondition("member: " + r.member() + " (" + (*member)->display_name() +
                              ") has left the chapter")
        .Because(kMemberLeft, {{"member", (*member)->display_name()}});
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.set_correction(*correction);
  v1::AttendanceRecorded* recorded = event.mutable_attendance_recorded();
  recorded->set_meeting(r.meeting());
  v1::Attendance* attendance = recorded->mutable_attendance();
  attendance->set_member(r.member());
  attendance->set_status(r.status());
  attendance->set_substitute_name(substitute_name);
  *attendance->mutable_record_time() = event.time();
  return Events{event};
}

Result<Events> Chapter::DecideRegisterVisitor(const Context& ctx,
                                              const v1::RegisterVisitorRequest& r) const {
  const Principal& p = ctx.principal;
  if (Status s = CheckCanWrite(p); !s) {
    return s.error();
  }
  const v1::Visitor& in = r.visitor();
  std::string invited_by = in.invited_by();
  if (invited_by.empty()) {
    if (p.kind == Principal::Kind::kAdmin) {
      return InvalidArgument(
          "visitor.invited_by: required for the admin, who is not a member: name the inviting "
          "member");
    }
    invited_by = p.member;
  }
  if (Status s = CheckName("meeting", r.meeting(), NameKind::kMeeting, info_.name()); !s) {
    return s.error();
  }
  if (Status s = CheckName("visitor.invited_by", invited_by, NameKind::kMember, info_.name()); !s) {
    return s.error();
  }
  v1::Visitor visitor;
  auto checked = CheckVisitorFields(in);
  if (!checked) {
    return checked.error();
  }
  auto meeting = FindMeeting("meeting", r.meeting());
  if (!meeting) {
    return meeting.error();
  }
  if ((*meeting)->state() == v1::MEETING_STATE_CANCELLED) {
    return FailedPrecondition("meeting: " + r.meeting() + " was cancelled; it has no visitors")
        .Because(kMeetingCancelled);
  }
  if ((*meeting)->state() == v1::MEETING_STATE_CLOSED && !r.has_occurred()) {
    return FailedPrecondition("meeting: " + r.meeting() +
                              " is CLOSED; visitors are registered before it closes, or later "
                              "with occurred (the meeting or the day they came)");
  }
  auto inviter = FindActiveMember("visitor.invited_by", invited_by);
  if (!inviter) {
    return inviter.error();
  }
  // Typed in later: the visitor came at the meeting (or on the day) occurred names.
  Occurrence occurrence;
  if (r.has_occurred()) {
    auto resolved = ResolveOccurred(ctx, r.occurred(), invited_by, r.meeting(), "meeting");
    if (!resolved) {
      return resolved.error();
    }
    occurrence = *resolved;
  }
  v1::Event event = NewEvent(ctx, 1, "");
  Stamp(occurrence, &event);
  v1::VisitorRegistered* registered = event.mutable_visitor_registered();
  registered->set_meeting(r.meeting());
  // Invited ahead to this meeting: that visitor came (their inviter keeps the credit).
  const v1::Visitor* invited = Invitation(r.meeting(), checked->display_name());
  if (invited != nullptr && (in.invited_by().empty() || in.invited_by() == invited->invited_by())) {
    visitor = *invited;
    invited_by = invited->invited_by();
  } else {
    visitor.set_name(VisitorName(r.meeting(), event.seq()));
  }
  visitor.set_display_name(checked->display_name());
  visitor.set_business(checked->business());
  visitor.set_invited_by(invited_by);
  if (!checked->email().empty() || invited == nullptr) {
    visitor.set_email(checked->email());
  }
  if (!checked->phone().empty() || invited == nullptr) {
    visitor.set_phone(checked->phone());
  }
  *visitor.mutable_register_time() = event.time();
  visitor.set_state(v1::VISITOR_STATE_ATTENDED);
  v1::VisitorStep* step = visitor.add_history();
  step->set_state(v1::VISITOR_STATE_ATTENDED);
  *step->mutable_time() = event.time();
  step->set_actor(event.actor());
  *registered->mutable_visitor() = std::move(visitor);
  return Events{event};
}

Result<Events> Chapter::DecideCloseMeeting(const Context& ctx,
                                           const v1::CloseMeetingRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "close meetings"); !s) {
    return s.error();
  }
  auto meeting = FindMeeting("name", r.name());
  if (!meeting) {
    return meeting.error();
  }
  const v1::Meeting& m = **meeting;
  if (m.state() == v1::MEETING_STATE_CLOSED) {
    return FailedPrecondition("name: meeting " + r.name() + " is already closed")
        .Because(kMeetingAlreadyClosed);
  }
  if (m.state() != v1::MEETING_STATE_OPEN && m.state() != v1::MEETING_STATE_IN_PROGRESS) {
    return FailedPrecondition("name: meeting " + r.name() + " is " + StateName(m.state()) +
                              "; open it first");
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::MeetingClosed* closed = event.mutable_meeting_closed();
  closed->set_meeting(r.name());
  // members_ is ordered by name, so absent_members comes out sorted. A member who registered a
  // substitute for the meeting's day ahead (RegisterSubstitute) is SUBSTITUTE instead.
  const std::string day = UtcDate(ChapterDay(ctx.time_zones, FromTimestamp(m.start_time())));
  for (const auto& [name, member] : members_) {
    if (member.state() != v1::MEMBER_STATE_ACTIVE || FindAttendance(m, name) != nullptr) {
      continue;
    }
    if (const v1::ExpectedSubstitute* expected = ExpectedSubstitute(day, name)) {
      v1::Attendance* substitute = closed->add_substitutes();
      substitute->set_member(name);
      substitute->set_status(v1::ATTENDANCE_STATUS_SUBSTITUTE);
      substitute->set_substitute_name(expected->substitute_name());
      closed->set_substitutes_day(day);
    } else {
      closed->add_absent_members(name);
    }
  }
  return Events{event};
}

Result<Events> Chapter::DecideCancelMeeting(const Context& ctx,
                                            const v1::CancelMeetingRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "cancel meetings"); !s) {
    return s.error();
  }
  auto reason = CheckText("reason", r.reason(), 0, 60);
  if (!reason) {
    return reason.error();
  }
  auto meeting = FindMeeting("name", r.name());
  if (!meeting) {
    return meeting.error();
  }
  const v1::MeetingState state = (*meeting)->state();
  if (state != v1::MEETING_STATE_SCHEDULED && state != v1::MEETING_STATE_OPEN) {
    return FailedPrecondition("name: meeting " + r.name() + " is " + StateName(state) +
                              "; only a SCHEDULED or OPEN meeting can be cancelled")
        .Because(kMeetingNotCancellable, {{"state", StateName(state)}});
  }
  v1::Event event = NewEvent(ctx, 1, "");
  v1::MeetingCancelled* cancelled = event.mutable_meeting_cancelled();
  cancelled->set_meeting(r.name());
  cancelled->set_reason(*reason);
  return Events{event};
}

Result<Events> Chapter::DecideSubmitPalms(const Context& ctx,
                                          const v1::SubmitPalmsRequest& r) const {
  if (Status s = CheckOrganizer(ctx.principal, "submit the PALMS"); !s) {
    return s.error();
  }
  auto meeting = FindMeeting("name", r.name());
  if (!meeting) {
    return meeting.error();
  }
  const v1::Meeting& m = **meeting;
  if (m.has_palms_submit_time()) {
    return FailedPrecondition("name: the PALMS of meeting " + r.name() +
                              " was already submitted; change its records as corrections")
        .Because(kPalmsAlreadySubmitted);
  }
  if (m.state() != v1::MEETING_STATE_CLOSED) {
    return FailedPrecondition("name: meeting " + r.name() + " is " + StateName(m.state()) +
                              "; its PALMS is submitted once it is CLOSED")
        .Because(kMeetingNotClosed, {{"state", StateName(m.state())}});
  }
  v1::Event event = NewEvent(ctx, 1, "");
  event.mutable_palms_submitted()->set_meeting(r.name());
  return Events{event};
}

Result<bool> Chapter::IsCorrection(const Principal& principal, const v1::Meeting& meeting,
                                   std::string_view field) const {
  if (meeting.state() == v1::MEETING_STATE_CANCELLED) {
    return FailedPrecondition(std::string(field) + ": meeting " + meeting.name() +
                              " was cancelled; nothing is recorded at it")
        .Because(kMeetingCancelled);
  }
  if (!meeting.has_palms_submit_time()) {
    return false;
  }
  if (!IsOrganizerPrincipal(principal)) {
    return FailedPrecondition(std::string(field) + ": the PALMS of meeting " + meeting.name() +
                              " was submitted; only an organizer can still change it, as a "
                              "correction")
        .Because(kPalmsSubmitted);
  }
  return true;
}

}  // namespace reciproca::domain
