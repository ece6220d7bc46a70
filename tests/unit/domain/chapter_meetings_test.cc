#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

constexpr int64_t kStart = kNow + 600;  // the meeting starts ten minutes after "now"

class MeetingsTest : public testing::RosterChapterTest {
 protected:
  void SetUp() override {
    RosterChapterTest::SetUp();
    meeting_ = ScheduleMeeting(kStart);
  }

  Result<Events> CheckIn(const Context& ctx, const std::string& member = "") {
    v1::CheckInRequest request;
    request.set_meeting(meeting_);
    request.set_member(member);
    return chapter_.DecideCheckIn(ctx, request);
  }

  Result<Events> Record(const std::string& member, v1::AttendanceStatus status,
                        const std::string& substitute = "") {
    v1::RecordAttendanceRequest request;
    request.set_meeting(meeting_);
    request.set_member(member);
    request.set_status(status);
    request.set_substitute_name(substitute);
    return chapter_.DecideRecordAttendance(Admin(), request);
  }

  Result<Events> StartSegment(const std::string& title, int countdown = 60) {
    v1::StartSegmentRequest request;
    request.set_name(meeting_);
    request.set_title(title);
    request.set_countdown_seconds(countdown);
    return chapter_.DecideStartSegment(As(president_), request);
  }

  Result<Events> Close() {
    v1::CloseMeetingRequest request;
    request.set_name(meeting_);
    return chapter_.DecideCloseMeeting(Admin(), request);
  }

  v1::RegisterVisitorRequest Visitor(const std::string& display_name) {
    v1::RegisterVisitorRequest request;
    request.set_meeting(meeting_);
    request.mutable_visitor()->set_display_name(display_name);
    request.mutable_visitor()->set_business("Guest Srl");
    return request;
  }

  v1::Meeting Meeting() { return *chapter_.GetMeeting(meeting_); }

  std::string meeting_;
};

TEST_F(MeetingsTest, ScheduleMeeting_CreatesScheduledMeetingNamedBySeq) {
  v1::ScheduleMeetingRequest request;
  request.mutable_start_time()->set_seconds(kStart + 7 * 86400);
  auto r = chapter_.DecideScheduleMeeting(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Event& e = (*r)[0];
  EXPECT_EQ(e.meeting_scheduled().meeting(), "chapters/rome/meetings/" + std::to_string(e.seq()));
  EXPECT_EQ(e.actor(), president_);
  chapter_.Apply(e);
  auto m = chapter_.GetMeeting(e.meeting_scheduled().meeting());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->state(), v1::MEETING_STATE_SCHEDULED);
  EXPECT_EQ(m->start_time().seconds(), kStart + 7 * 86400);
}

TEST_F(MeetingsTest, ScheduleMeeting_RejectsMissingStartTime) {
  v1::ScheduleMeetingRequest request;
  EXPECT_TRUE(IsError(chapter_.DecideScheduleMeeting(Admin(), request), ErrorCode::kInvalidArgument,
                      {"start_time"}));
  request.mutable_start_time()->set_seconds(0);
  EXPECT_TRUE(IsError(chapter_.DecideScheduleMeeting(Admin(), request), ErrorCode::kInvalidArgument,
                      {"start_time"}));
}

TEST_F(MeetingsTest, ScheduleMeeting_RejectsATimeOutsideTheCalendar) {
  v1::ScheduleMeetingRequest request;
  request.mutable_start_time()->set_seconds(7'258'118'400);  // 2200-01-01: past the clock's range
  EXPECT_TRUE(IsError(chapter_.DecideScheduleMeeting(Admin(), request), ErrorCode::kInvalidArgument,
                      {"start_time: must be from 1900-01-01 to 2199-12-31"}));
  request.mutable_start_time()->set_seconds(7'258'118'399);
  EXPECT_TRUE(chapter_.DecideScheduleMeeting(Admin(), request).ok());
  request.mutable_start_time()->set_nanos(1'000'000'000);
  EXPECT_TRUE(IsError(chapter_.DecideScheduleMeeting(Admin(), request), ErrorCode::kInvalidArgument,
                      {"start_time: nanos must be 0..999999999"}));
}

TEST_F(MeetingsTest, OpenMeeting_MovesScheduledToOpen) {
  OpenMeeting(meeting_);
  EXPECT_EQ(Meeting().state(), v1::MEETING_STATE_OPEN);
  EXPECT_EQ(Meeting().open_time().seconds(), kNow);
}

TEST_F(MeetingsTest, OpenMeeting_RejectsWhenNotScheduled) {
  OpenMeeting(meeting_);
  v1::OpenMeetingRequest request;
  request.set_name(meeting_);
  EXPECT_TRUE(IsError(chapter_.DecideOpenMeeting(Admin(), request), ErrorCode::kFailedPrecondition,
                      {"name", "OPEN"}));
}

TEST_F(MeetingsTest, OpenMeeting_RejectsUnknownMalformedAndForeignNames) {
  v1::OpenMeetingRequest request;
  request.set_name("chapters/rome/meetings/999");
  EXPECT_TRUE(
      IsError(chapter_.DecideOpenMeeting(Admin(), request), ErrorCode::kNotFound, {"name"}));
  request.set_name("meeting-1");
  EXPECT_TRUE(
      IsError(chapter_.DecideOpenMeeting(Admin(), request), ErrorCode::kInvalidArgument, {"name"}));
  request.set_name("chapters/milan/meetings/2");
  EXPECT_TRUE(IsError(chapter_.DecideOpenMeeting(Admin(), request), ErrorCode::kInvalidArgument,
                      {"name", "not in chapters/rome"}));
}

TEST_F(MeetingsTest, StartSegment_MovesToInProgressAndKeepsOrder) {
  OpenMeeting(meeting_);
  auto first = StartSegment("Open networking", 0);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)[0].segment_started().segment().start_time().seconds(), kNow);
  ApplyAll(first);
  ApplyAll(StartSegment("60-second presentations", 60));
  v1::Meeting m = Meeting();
  EXPECT_EQ(m.state(), v1::MEETING_STATE_IN_PROGRESS);
  ASSERT_EQ(m.segments_size(), 2);
  EXPECT_EQ(m.segments(0).title(), "Open networking");
  EXPECT_EQ(m.segments(1).title(), "60-second presentations");
  EXPECT_EQ(m.segments(1).countdown_seconds(), 60);
}

TEST_F(MeetingsTest, StartSegment_RejectsScheduledOrClosedMeeting) {
  EXPECT_TRUE(IsError(StartSegment("Welcome"), ErrorCode::kFailedPrecondition, {"SCHEDULED"}));
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(IsError(StartSegment("Welcome"), ErrorCode::kFailedPrecondition, {"CLOSED"}));
}

TEST_F(MeetingsTest, StartSegment_ValidatesTitleAndCountdown) {
  OpenMeeting(meeting_);
  EXPECT_TRUE(IsError(StartSegment(""), ErrorCode::kInvalidArgument, {"title"}));
  EXPECT_TRUE(IsError(StartSegment(std::string(61, 't')), ErrorCode::kInvalidArgument, {"title"}));
  EXPECT_TRUE(
      IsError(StartSegment("Welcome", -1), ErrorCode::kInvalidArgument, {"countdown_seconds"}));
  EXPECT_TRUE(
      IsError(StartSegment("Welcome", 3601), ErrorCode::kInvalidArgument, {"countdown_seconds"}));
  EXPECT_TRUE(StartSegment("Welcome", 3600).ok());
}

TEST_F(MeetingsTest, CheckIn_BeforeStartIsPresent) {
  OpenMeeting(meeting_);
  auto r = CheckIn(As(ana_));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::AttendanceRecorded& a = (*r)[0].attendance_recorded();
  EXPECT_EQ(a.meeting(), meeting_);
  EXPECT_EQ(a.attendance().member(), ana_);
  EXPECT_EQ(a.attendance().status(), v1::ATTENDANCE_STATUS_PRESENT);
  EXPECT_EQ(a.attendance().record_time().seconds(), kNow);
  EXPECT_EQ((*r)[0].on_behalf_of(), "");
}

TEST_F(MeetingsTest, CheckIn_AfterStartIsLate) {
  OpenMeeting(meeting_);
  now_ = testing::At(kStart + 1);
  auto r = CheckIn(As(ana_));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].attendance_recorded().attendance().status(), v1::ATTENDANCE_STATUS_LATE);
  now_ = testing::At(kStart);
  EXPECT_EQ((*CheckIn(As(ana_)))[0].attendance_recorded().attendance().status(),
            v1::ATTENDANCE_STATUS_PRESENT);
}

TEST_F(MeetingsTest, CheckIn_AllowedWhileInProgress) {
  OpenMeeting(meeting_);
  ApplyAll(StartSegment("Welcome"));
  EXPECT_TRUE(CheckIn(As(ana_)).ok());
}

TEST_F(MeetingsTest, CheckIn_RejectsScheduledMeetingNamingState) {
  EXPECT_TRUE(IsError(CheckIn(As(ana_)), ErrorCode::kFailedPrecondition, {"meeting", "SCHEDULED"}));
}

TEST_F(MeetingsTest, CheckIn_RejectsClosedMeetingNamingState) {
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(IsError(CheckIn(As(ana_)), ErrorCode::kFailedPrecondition, {"meeting", "CLOSED"}));
}

TEST_F(MeetingsTest, CheckIn_RejectsCheckingInTwice) {
  OpenMeeting(meeting_);
  ApplyAll(CheckIn(As(ana_)));
  EXPECT_TRUE(IsError(CheckIn(As(ana_)), ErrorCode::kFailedPrecondition,
                      {"member", "already checked in as PRESENT"}));
}

TEST_F(MeetingsTest, CheckIn_OrdinaryMemberCannotCheckInAnother) {
  OpenMeeting(meeting_);
  EXPECT_TRUE(IsError(CheckIn(As(ana_), bruno_), ErrorCode::kPermissionDenied, {"member"}));
  EXPECT_TRUE(CheckIn(As(ana_), ana_).ok());
}

TEST_F(MeetingsTest, CheckIn_OrganizerChecksInAnotherOnTheirBehalf) {
  OpenMeeting(meeting_);
  auto r = CheckIn(As(president_), bruno_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].on_behalf_of(), bruno_);
  EXPECT_EQ((*r)[0].attendance_recorded().attendance().member(), bruno_);
}

TEST_F(MeetingsTest, CheckIn_AdminMustNameMember) {
  OpenMeeting(meeting_);
  EXPECT_TRUE(IsError(CheckIn(Admin()), ErrorCode::kInvalidArgument, {"member"}));
  EXPECT_TRUE(CheckIn(Admin(), ana_).ok());
}

TEST_F(MeetingsTest, CheckIn_RejectsLeftUnknownAndMalformedMembers) {
  OpenMeeting(meeting_);
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(CheckIn(Admin(), carla_), ErrorCode::kFailedPrecondition, {"member"}));
  EXPECT_TRUE(
      IsError(CheckIn(Admin(), "chapters/rome/members/999"), ErrorCode::kNotFound, {"member"}));
  EXPECT_TRUE(IsError(CheckIn(Admin(), "carla"), ErrorCode::kInvalidArgument, {"member"}));
}

TEST_F(MeetingsTest, CheckIn_RejectsUnknownMeeting) {
  v1::CheckInRequest request;
  request.set_meeting("chapters/rome/meetings/999");
  EXPECT_TRUE(
      IsError(chapter_.DecideCheckIn(As(ana_), request), ErrorCode::kNotFound, {"meeting"}));
}

TEST_F(MeetingsTest, RecordAttendance_SubstituteNeedsName) {
  EXPECT_TRUE(IsError(Record(bruno_, v1::ATTENDANCE_STATUS_SUBSTITUTE), ErrorCode::kInvalidArgument,
                      {"substitute_name"}));
  auto r = Record(bruno_, v1::ATTENDANCE_STATUS_SUBSTITUTE, " Mario Sostituto ");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].attendance_recorded().attendance().substitute_name(), "Mario Sostituto");
}

TEST_F(MeetingsTest, RecordAttendance_RejectsUnspecifiedStatus) {
  EXPECT_TRUE(IsError(Record(bruno_, v1::ATTENDANCE_STATUS_UNSPECIFIED),
                      ErrorCode::kInvalidArgument, {"status"}));
}

TEST_F(MeetingsTest, RecordAttendance_AllowedInEveryStateIncludingCorrectionsAfterClose) {
  ApplyAll(Record(bruno_, v1::ATTENDANCE_STATUS_MEDICAL));  // SCHEDULED
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  // Ana was marked absent at close; she was actually there.
  ApplyAll(Record(ana_, v1::ATTENDANCE_STATUS_PRESENT));
  v1::Meeting m = Meeting();
  for (const v1::Attendance& a : m.attendance()) {
    if (a.member() == ana_) {
      EXPECT_EQ(a.status(), v1::ATTENDANCE_STATUS_PRESENT);
    }
    if (a.member() == bruno_) {
      EXPECT_EQ(a.status(), v1::ATTENDANCE_STATUS_MEDICAL);
    }
  }
}

TEST_F(MeetingsTest, RecordAttendance_RejectsUnknownMember) {
  EXPECT_TRUE(IsError(Record("chapters/rome/members/999", v1::ATTENDANCE_STATUS_ABSENT),
                      ErrorCode::kNotFound, {"member"}));
}

TEST_F(MeetingsTest, RecordAttendance_RejectsLeftMemberWithoutRecordButAllowsCorrection) {
  ApplyAll(Record(bruno_, v1::ATTENDANCE_STATUS_ABSENT));
  RemoveMember(bruno_);
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(Record(carla_, v1::ATTENDANCE_STATUS_MEDICAL), ErrorCode::kFailedPrecondition,
                      {"member", "has left"}));
  EXPECT_TRUE(Record(bruno_, v1::ATTENDANCE_STATUS_MEDICAL).ok());
}

TEST_F(MeetingsTest, RecordAttendance_RejectsMalformedMeeting) {
  v1::RecordAttendanceRequest request;
  request.set_meeting("chapters/rome/meeting/1");
  request.set_member(ana_);
  request.set_status(v1::ATTENDANCE_STATUS_ABSENT);
  EXPECT_TRUE(IsError(chapter_.DecideRecordAttendance(Admin(), request),
                      ErrorCode::kInvalidArgument, {"meeting"}));
}

TEST_F(MeetingsTest, CloseMeeting_MarksMembersWithoutRecordAbsent) {
  OpenMeeting(meeting_);
  ApplyAll(CheckIn(As(ana_)));
  ApplyAll(Record(bruno_, v1::ATTENDANCE_STATUS_MEDICAL));
  RemoveMember(carla_);  // left members are not marked absent
  auto r = Close();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT((*r)[0].meeting_closed().absent_members(), ::testing::ElementsAre(president_));
  ApplyAll(r);
  v1::Meeting m = Meeting();
  EXPECT_EQ(m.state(), v1::MEETING_STATE_CLOSED);
  EXPECT_EQ(m.close_time().seconds(), kNow);
  ASSERT_EQ(m.attendance_size(), 3);
  // Sorted by member name.
  EXPECT_EQ(m.attendance(0).member(), president_);
  EXPECT_EQ(m.attendance(0).status(), v1::ATTENDANCE_STATUS_ABSENT);
  EXPECT_EQ(m.attendance(1).member(), ana_);
  EXPECT_EQ(m.attendance(2).member(), bruno_);
}

TEST_F(MeetingsTest, CloseMeeting_RejectsClosingTwice) {
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(IsError(Close(), ErrorCode::kFailedPrecondition, {"name", "is already closed"}));
}

TEST_F(MeetingsTest, CloseMeeting_RejectsScheduledMeeting) {
  EXPECT_TRUE(IsError(Close(), ErrorCode::kFailedPrecondition, {"name", "open it first"}));
}

TEST_F(MeetingsTest, RegisterVisitor_DefaultsInviterToCaller) {
  auto r = chapter_.DecideRegisterVisitor(As(ana_), Visitor("Giulia Ospite"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::Visitor& v = (*r)[0].visitor_registered().visitor();
  EXPECT_EQ(v.name(), meeting_ + "/visitors/" + std::to_string((*r)[0].seq()));
  EXPECT_EQ(v.invited_by(), ana_);
  EXPECT_EQ(v.register_time().seconds(), kNow);
  ApplyAll(r);
  ApplyAll(chapter_.DecideRegisterVisitor(As(bruno_), Visitor("Aldo Ospite")));
  v1::Meeting m = Meeting();
  ASSERT_EQ(m.visitors_size(), 2);
  EXPECT_EQ(m.visitors(0).display_name(), "Giulia Ospite");  // registration order
  EXPECT_EQ(m.visitors(1).display_name(), "Aldo Ospite");
  auto got = chapter_.GetVisitor(v.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->display_name(), "Giulia Ospite");
}

TEST_F(MeetingsTest, RegisterVisitor_AdminMustNameInviter) {
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(Admin(), Visitor("Giulia")),
                      ErrorCode::kInvalidArgument, {"visitor.invited_by"}));
  auto request = Visitor("Giulia");
  request.mutable_visitor()->set_invited_by(bruno_);
  EXPECT_TRUE(chapter_.DecideRegisterVisitor(Admin(), request).ok());
}

TEST_F(MeetingsTest, RegisterVisitor_RejectsLeftOrUnknownInviter) {
  RemoveMember(carla_);
  auto request = Visitor("Giulia");
  request.mutable_visitor()->set_invited_by(carla_);
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(Admin(), request),
                      ErrorCode::kFailedPrecondition, {"visitor.invited_by"}));
  request.mutable_visitor()->set_invited_by("chapters/rome/members/999");
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(Admin(), request), ErrorCode::kNotFound,
                      {"visitor.invited_by"}));
}

TEST_F(MeetingsTest, RegisterVisitor_RejectsClosedMeeting) {
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(As(ana_), Visitor("Giulia")),
                      ErrorCode::kFailedPrecondition, {"meeting", "CLOSED"}));
}

TEST_F(MeetingsTest, RegisterVisitor_ValidatesFields) {
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(As(ana_), Visitor(" ")),
                      ErrorCode::kInvalidArgument, {"visitor.display_name"}));
  auto request = Visitor("Giulia");
  request.mutable_visitor()->set_business("");
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(As(ana_), request),
                      ErrorCode::kInvalidArgument, {"visitor.business"}));
  request = Visitor("Giulia");
  request.mutable_visitor()->set_email("giulia@");
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(As(ana_), request),
                      ErrorCode::kInvalidArgument, {"visitor.email"}));
  request = Visitor("Giulia");
  request.mutable_visitor()->set_phone("12");
  EXPECT_TRUE(IsError(chapter_.DecideRegisterVisitor(As(ana_), request),
                      ErrorCode::kInvalidArgument, {"visitor.phone"}));
}

TEST_F(MeetingsTest, ListMeetings_NewestFirst) {
  std::string later = ScheduleMeeting(kStart + 7 * 86400);
  std::string earlier = ScheduleMeeting(kStart - 7 * 86400);
  auto list = chapter_.ListMeetings();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name(), later);
  EXPECT_EQ(list[1].name(), meeting_);
  EXPECT_EQ(list[2].name(), earlier);
}

}  // namespace
}  // namespace reciproca::domain
