// The week's PALMS: a meeting called off (CancelMeeting) and a week declared done (SubmitPalms),
// after which its records change only by an organizer's correction.

#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

constexpr int64_t kStart = kNow + 600;

class WeekTest : public testing::RosterChapterTest {
 protected:
  void SetUp() override {
    RosterChapterTest::SetUp();
    meeting_ = ScheduleMeeting(kStart);
  }

  Result<Events> Cancel(const Context& ctx, const std::string& reason = "Ferragosto") {
    v1::CancelMeetingRequest request;
    request.set_name(meeting_);
    request.set_reason(reason);
    return chapter_.DecideCancelMeeting(ctx, request);
  }

  Result<Events> Submit(const Context& ctx) {
    v1::SubmitPalmsRequest request;
    request.set_name(meeting_);
    return chapter_.DecideSubmitPalms(ctx, request);
  }

  Result<Events> Attendance(const Context& ctx, const std::string& member,
                            v1::AttendanceStatus status) {
    v1::RecordAttendanceRequest request;
    request.set_meeting(meeting_);
    request.set_member(member);
    request.set_status(status);
    return chapter_.DecideRecordAttendance(ctx, request);
  }

  Result<Events> ReferralAtTheMeeting(const Context& ctx, const std::string& receiver,
                                      const std::string& on_behalf_of = "") {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    request.set_on_behalf_of(on_behalf_of);
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(3);
    request.mutable_referral()->set_meeting(meeting_);
    return chapter_.DecideGiveReferral(ctx, request);
  }

  // Opens, closes and submits the meeting: ana was present, the others absent.
  void HoldAndSubmit() {
    OpenMeeting(meeting_);
    ApplyAll(Attendance(As(president_), ana_, v1::ATTENDANCE_STATUS_PRESENT));
    CloseMeeting(meeting_);
    ApplyAll(Submit(As(president_)));
  }

  v1::Meeting Meeting() { return *chapter_.GetMeeting(meeting_); }

  std::string meeting_;
};

TEST_F(WeekTest, Cancel_MarksTheMeetingCancelledWithItsReason) {
  Events events = ApplyAll(Cancel(As(president_)));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(meeting_, events[0].meeting_cancelled().meeting());
  EXPECT_EQ(v1::MEETING_STATE_CANCELLED, Meeting().state());
  EXPECT_EQ("Ferragosto", Meeting().cancel_reason());
}

TEST_F(WeekTest, Cancel_IsForOrganizers_AndOnlyBeforeTheMeetingStarts) {
  EXPECT_TRUE(IsError(Cancel(As(ana_)), ErrorCode::kPermissionDenied));
  OpenMeeting(meeting_);
  EXPECT_TRUE(Cancel(As(president_)).ok()) << "an OPEN meeting can still be called off";
  CloseMeeting(meeting_);
  auto closed = Cancel(As(president_));
  ASSERT_TRUE(IsError(closed, ErrorCode::kFailedPrecondition, {"CLOSED", "SCHEDULED or OPEN"}));
  EXPECT_EQ(kMeetingNotCancellable, closed.error().reason);
}

TEST_F(WeekTest, Cancel_RejectsAReasonLongerThanSixtyCharacters) {
  EXPECT_TRUE(IsError(Cancel(As(president_), std::string(61, 'x')), ErrorCode::kInvalidArgument,
                      {"reason"}));
}

TEST_F(WeekTest, ACancelledMeeting_TakesNoRecordsAndCannotBeOpened) {
  ApplyAll(Cancel(As(president_)));
  auto attendance = Attendance(As(president_), ana_, v1::ATTENDANCE_STATUS_PRESENT);
  ASSERT_TRUE(IsError(attendance, ErrorCode::kFailedPrecondition, {"cancelled"}));
  EXPECT_EQ(kMeetingCancelled, attendance.error().reason);
  auto referral = ReferralAtTheMeeting(As(ana_), bruno_);
  ASSERT_TRUE(IsError(referral, ErrorCode::kFailedPrecondition, {"referral.meeting"}));
  EXPECT_EQ(kMeetingCancelled, referral.error().reason);
  v1::OpenMeetingRequest open;
  open.set_name(meeting_);
  EXPECT_TRUE(IsError(chapter_.DecideOpenMeeting(As(president_), open),
                      ErrorCode::kFailedPrecondition, {"CANCELLED"}));
}

TEST_F(WeekTest, ACancelledMeeting_CountsInNoPalmsFigure_AndNobodyIsAbsent) {
  const std::string held = ScheduleMeeting(kStart + 7 * 86400);
  ApplyAll(Cancel(As(president_)));
  OpenMeeting(held);
  CloseMeeting(held);
  v1::PalmsReport report = chapter_.PalmsReport(std::nullopt, std::nullopt);
  EXPECT_EQ(1, report.meetings());
  EXPECT_EQ(1, report.cancelled_meetings());
  for (const v1::PalmsRow& row : report.rows()) {
    EXPECT_EQ(1, row.absent()) << row.member() << ": absent at the held meeting only";
  }
}

TEST_F(WeekTest, Submit_NeedsAClosedMeeting_AndHappensOnce) {
  auto early = Submit(As(president_));
  ASSERT_TRUE(IsError(early, ErrorCode::kFailedPrecondition, {"SCHEDULED", "CLOSED"}));
  EXPECT_EQ(kMeetingNotClosed, early.error().reason);
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  EXPECT_TRUE(IsError(Submit(As(ana_)), ErrorCode::kPermissionDenied));
  ApplyAll(Submit(As(president_)));
  EXPECT_TRUE(Meeting().has_palms_submit_time());
  auto again = Submit(As(president_));
  ASSERT_TRUE(IsError(again, ErrorCode::kFailedPrecondition, {"already submitted"}));
  EXPECT_EQ(kPalmsAlreadySubmitted, again.error().reason);
}

TEST_F(WeekTest, BeforeSubmission_ChangesAreNotCorrections) {
  OpenMeeting(meeting_);
  CloseMeeting(meeting_);
  Events events = ApplyAll(Attendance(As(president_), bruno_, v1::ATTENDANCE_STATUS_MEDICAL));
  EXPECT_FALSE(events[0].correction());
  events = ApplyAll(ReferralAtTheMeeting(As(ana_), bruno_));
  EXPECT_FALSE(events[0].correction());
  EXPECT_EQ(0, Meeting().corrections());
}

TEST_F(WeekTest, AfterSubmission_AnOrganizersChangeIsACorrection_CountedInMeetingAndReport) {
  HoldAndSubmit();
  Events attendance = ApplyAll(Attendance(As(president_), bruno_, v1::ATTENDANCE_STATUS_MEDICAL));
  EXPECT_TRUE(attendance[0].correction());
  // The VP types Sara's paper slip after the week was submitted: a correction too.
  Events slip = ApplyAll(ReferralAtTheMeeting(As(president_), carla_, ana_));
  EXPECT_TRUE(slip[0].correction());
  EXPECT_EQ(ana_, slip[0].on_behalf_of());
  EXPECT_EQ(2, Meeting().corrections());
  EXPECT_EQ(2, chapter_.PalmsReport(std::nullopt, std::nullopt).corrections());
}

TEST_F(WeekTest, AfterSubmission_AMemberCannotAddToTheMeeting) {
  HoldAndSubmit();
  auto referral = ReferralAtTheMeeting(As(ana_), bruno_);
  ASSERT_TRUE(IsError(referral, ErrorCode::kFailedPrecondition, {"submitted", "organizer"}));
  EXPECT_EQ(kPalmsSubmitted, referral.error().reason);
  // A referral that names no meeting is not about the submitted week.
  v1::GiveReferralRequest plain;
  plain.set_parent(kChapter);
  plain.mutable_referral()->set_receiver(bruno_);
  plain.mutable_referral()->set_temperature(3);
  EXPECT_TRUE(chapter_.DecideGiveReferral(As(ana_), plain).ok());
}

TEST_F(WeekTest, ReplayRebuildsCancelSubmitAndCorrections) {
  const std::string other = meeting_;
  meeting_ = ScheduleMeeting(kStart + 7 * 86400);
  HoldAndSubmit();
  ApplyAll(Attendance(As(president_), bruno_, v1::ATTENDANCE_STATUS_MEDICAL));
  meeting_ = other;
  ApplyAll(Cancel(As(president_)));
  Chapter replayed;
  for (const v1::Event& event : log_) {
    replayed.Apply(event);
  }
  for (const v1::Meeting& meeting : chapter_.ListMeetings()) {
    EXPECT_EQ(meeting.SerializeAsString(),
              replayed.GetMeeting(meeting.name())->SerializeAsString());
  }
}

}  // namespace
}  // namespace reciproca::domain
