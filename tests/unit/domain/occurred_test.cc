// When a record happened (Occurred): a meeting or a day, and the rules of dating a record
// (Chapter::ResolveOccurred, chapter_occurred.cc). The chapter is in Europe/Rome; kNow is
// Tuesday 2023-11-14, 23:13 in Rome.

#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "server/domain/occurred.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::At;
using testing::IsError;
using testing::kNow;
using testing::kWeek;

// 2023-11-13T00:00 in Rome (CET, +01:00).
constexpr int64_t kMonday = 1'699'830'000;
// 2023-10-01T00:00 in Rome (CEST, +02:00).
constexpr int64_t kFirstOfOctober = 1'696'111'200;

// Success when `r` failed with `reason`.
template <class R>
::testing::AssertionResult HasReason(const R& r, std::string_view reason) {
  if (r.ok()) {
    return ::testing::AssertionFailure() << "expected " << reason << ", got OK";
  }
  if (r.error().reason != reason) {
    return ::testing::AssertionFailure()
           << "expected " << reason << ", got " << r.error().reason << ": " << r.error().message;
  }
  return ::testing::AssertionSuccess();
}

class OccurredTest : public testing::RosterChapterTest {
 protected:
  void SetUp() override {
    // The members joined twelve weeks ago, so that the weeks-back rule is what is tested.
    now_ = At(kNow - 12 * kWeek);
    RosterChapterTest::SetUp();
    now_ = At(kNow);
  }

  static v1::Occurred Date(const std::string& date) {
    v1::Occurred occurred;
    occurred.set_date(date);
    return occurred;
  }
  static v1::Occurred AtMeeting(const std::string& meeting) {
    v1::Occurred occurred;
    occurred.set_meeting(meeting);
    return occurred;
  }

  Result<Events> Education(const Context& ctx, const v1::Occurred& occurred,
                           const std::string& on_behalf_of = "") {
    v1::RecordEducationRequest request;
    request.mutable_education()->set_credits(1);
    request.set_on_behalf_of(on_behalf_of);
    *request.mutable_occurred() = occurred;
    return chapter_.DecideRecordEducation(ctx, request);
  }

  Result<Events> Referral(const Context& ctx, const v1::Occurred* occurred,
                          const std::string& meeting = "") {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    request.mutable_referral()->set_receiver(bruno_);
    request.mutable_referral()->set_temperature(3);
    request.mutable_referral()->set_meeting(meeting);
    if (occurred != nullptr) {
      *request.mutable_occurred() = *occurred;
    }
    return chapter_.DecideGiveReferral(ctx, request);
  }

  Result<Events> Visitor(const Context& ctx, const std::string& meeting,
                         const v1::Occurred* occurred) {
    v1::RegisterVisitorRequest request;
    request.set_meeting(meeting);
    request.mutable_visitor()->set_display_name("Guest");
    request.mutable_visitor()->set_business("Guest Srl");
    if (occurred != nullptr) {
      *request.mutable_occurred() = *occurred;
    }
    return chapter_.DecideRegisterVisitor(ctx, request);
  }

  // Last Tuesday's meeting (2023-11-07 23:13 in Rome), held, closed and, if asked, submitted.
  std::string LastTuesday(bool submit) {
    std::string meeting = ScheduleMeeting(kNow - kWeek);
    OpenMeeting(meeting);
    CloseMeeting(meeting);
    if (submit) {
      v1::SubmitPalmsRequest request;
      request.set_name(meeting);
      ApplyAll(chapter_.DecideSubmitPalms(Admin(), request));
    }
    return meeting;
  }
};

TEST_F(OccurredTest, Date_CountsFrom0000OfThatDayInTheChapterTimeZone) {
  Events events = ApplyAll(Education(As(ana_), Date("2023-11-13")));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(kMonday, events[0].occurred_time().seconds());
  EXPECT_EQ(kNow, events[0].time().seconds());
  EXPECT_TRUE(events[0].occurred_meeting().empty());  // no meeting that week
  EXPECT_FALSE(events[0].correction());
  const std::string name = events[0].education_recorded().education().name();
  EXPECT_EQ(kMonday, chapter_.GetEducation(name)->occur_time().seconds());
  EXPECT_EQ(kNow, chapter_.GetEducation(name)->create_time().seconds());
  // Summer time: midnight in Rome is 22:00 UTC the day before.
  Events summer = ApplyAll(Education(As(ana_), Date("2023-10-01")));
  EXPECT_EQ(kFirstOfOctober, summer[0].occurred_time().seconds());
}

TEST_F(OccurredTest, Undated_CountsWhenRecorded_WithoutOccurredTime) {
  Events events = ApplyAll(Education(As(ana_), v1::Occurred()));
  ASSERT_EQ(1u, events.size());
  EXPECT_FALSE(events[0].has_occurred_time());
  EXPECT_EQ(kNow, chapter_.GetEducation(events[0].education_recorded().education().name())
                      ->occur_time()
                      .seconds());
}

TEST_F(OccurredTest, Date_MustBeACalendarDay) {
  for (const char* bad : {"2023-02-29", "2023-11-31", "14/11/2023", "yesterday", ""}) {
    auto r = Education(As(ana_), Date(bad));
    EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, {"occurred.date", "YYYY-MM-DD"})) << bad;
    EXPECT_TRUE(HasReason(r, kDateInvalid)) << bad;
  }
}

TEST_F(OccurredTest, Date_NotAfterTodayInTheChapterTimeZone) {
  EXPECT_TRUE(Education(As(ana_), Date("2023-11-14")).ok());
  auto tomorrow = Education(As(ana_), Date("2023-11-15"));
  EXPECT_TRUE(IsError(tomorrow, ErrorCode::kInvalidArgument,
                      {"occurred.date", "2023-11-15 is after today (2023-11-14 in Europe/Rome)"}));
  EXPECT_TRUE(HasReason(tomorrow, kOccurredInFuture));
  // Far ahead is refused as such, never turned into a time the clock cannot hold.
  EXPECT_TRUE(HasReason(Education(As(ana_), Date("2999-01-01")), kOccurredInFuture));
  EXPECT_TRUE(HasReason(Education(As(ana_), Date("9999-12-31")), kOccurredInFuture));
  // Organizers too: nothing is recorded ahead of time.
  EXPECT_TRUE(HasReason(Education(As(president_), Date("2023-11-15"), ana_), kOccurredInFuture));
  // 23:30 UTC is already the 15th in Rome (while still the 14th in UTC).
  now_ = At(kNow + 77 * 60);
  EXPECT_TRUE(Education(As(ana_), Date("2023-11-15")).ok());
  EXPECT_TRUE(HasReason(Education(As(ana_), Date("2023-11-16")), kOccurredInFuture));
}

TEST_F(OccurredTest, Date_AtMostEightWeeksBack_UnlessAnOrganizerRecordsIt) {
  ASSERT_EQ(8, kMaxOccurredWeeksBack);
  // 2023-11-14 minus 56 days is 2023-09-19: still fine; the day before is not, for a member.
  EXPECT_TRUE(Education(As(ana_), Date("2023-09-19")).ok());
  auto old = Education(As(ana_), Date("2023-09-18"));
  EXPECT_TRUE(IsError(old, ErrorCode::kFailedPrecondition,
                      {"occurred.date", "more than 8 weeks before today", "organizer"}));
  EXPECT_TRUE(HasReason(old, kOccurredTooLongAgo));
  EXPECT_TRUE(Education(As(president_), Date("2023-09-18"), ana_).ok());
  EXPECT_TRUE(Education(Admin(), Date("2023-09-18"), ana_).ok());
  // Not before 1900 (the server's times start there), whoever records it.
  auto ancient = Education(As(president_), Date("1000-01-01"), ana_);
  EXPECT_TRUE(IsError(ancient, ErrorCode::kInvalidArgument, {"occurred.date", "before 1900"}));
  EXPECT_TRUE(HasReason(ancient, kDateInvalid));
}

TEST_F(OccurredTest, NotBeforeTheMemberJoined_ForAnyone) {
  const std::string dario = AddMember("Dario Neri", "Baker");  // joins today
  auto before = Education(As(dario), Date("2023-11-13"));
  EXPECT_TRUE(IsError(before, ErrorCode::kFailedPrecondition,
                      {"occurred.date", "before " + dario, "joined the chapter on 2023-11-14"}));
  EXPECT_TRUE(HasReason(before, kOccurredBeforeJoining));
  EXPECT_TRUE(
      HasReason(Education(As(president_), Date("2023-11-13"), dario), kOccurredBeforeJoining));
  EXPECT_TRUE(Education(As(dario), Date("2023-11-14")).ok());
}

TEST_F(OccurredTest, Meeting_CountsAtItsStart_AndIsTheEventsMeeting) {
  const std::string tuesday = LastTuesday(false);
  Events events = ApplyAll(Education(As(ana_), AtMeeting(tuesday)));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(kNow - kWeek, events[0].occurred_time().seconds());
  EXPECT_EQ(tuesday, events[0].occurred_meeting());
  EXPECT_FALSE(events[0].correction());
}

TEST_F(OccurredTest, Meeting_MustExist_AndNotBeInTheFuture) {
  EXPECT_TRUE(IsError(Education(As(ana_), AtMeeting("chapters/rome/meetings/999")),
                      ErrorCode::kNotFound, {"occurred.meeting"}));
  EXPECT_TRUE(IsError(Education(As(ana_), AtMeeting("chapters/milan/meetings/1")),
                      ErrorCode::kInvalidArgument, {"occurred.meeting"}));
  EXPECT_TRUE(IsError(Education(As(ana_), AtMeeting("")), ErrorCode::kInvalidArgument,
                      {"occurred.meeting"}));
  auto next = Education(As(ana_), AtMeeting(ScheduleMeeting(kNow + kWeek)));
  EXPECT_TRUE(IsError(next, ErrorCode::kInvalidArgument, {"occurred.meeting", "after today"}));
  EXPECT_TRUE(HasReason(next, kOccurredInFuture));
  // A meeting later today is today's.
  EXPECT_TRUE(Education(As(ana_), AtMeeting(ScheduleMeeting(kNow + 600))).ok());
}

TEST_F(OccurredTest, Meeting_MoreThanEightWeeksAgo_OnlyForOrganizers) {
  const std::string old = ScheduleMeeting(kNow - 9 * kWeek);
  EXPECT_TRUE(HasReason(Education(As(ana_), AtMeeting(old)), kOccurredTooLongAgo));
  EXPECT_TRUE(Education(As(president_), AtMeeting(old), ana_).ok());
}

TEST_F(OccurredTest, CancelledMeeting_TakesNoRecord_ButItsWeekTakesDates) {
  const std::string meeting = ScheduleMeeting(kNow - kWeek);
  v1::CancelMeetingRequest cancel;
  cancel.set_name(meeting);
  ApplyAll(chapter_.DecideCancelMeeting(Admin(), cancel));
  auto r = Education(As(president_), AtMeeting(meeting), ana_);
  EXPECT_TRUE(IsError(r, ErrorCode::kFailedPrecondition, {"occurred.meeting", "cancelled"}));
  EXPECT_TRUE(HasReason(r, kMeetingCancelled));
  Events dated = ApplyAll(Education(As(ana_), Date("2023-11-13")));
  ASSERT_EQ(1u, dated.size());
  EXPECT_TRUE(dated[0].occurred_meeting().empty());
}

TEST_F(OccurredTest, SubmittedWeek_OnlyAnOrganizersCorrection_WhichTheEventMarks) {
  const std::string tuesday = LastTuesday(true);
  for (const v1::Occurred& when : {AtMeeting(tuesday), Date("2023-11-13")}) {
    auto refused = Education(As(ana_), when);
    EXPECT_TRUE(IsError(refused, ErrorCode::kFailedPrecondition, {"submitted"}));
    EXPECT_TRUE(HasReason(refused, kPalmsSubmitted));
  }
  Events corrected = ApplyAll(Education(As(president_), Date("2023-11-13"), ana_));
  ASSERT_EQ(1u, corrected.size());
  EXPECT_TRUE(corrected[0].correction());
  EXPECT_EQ(tuesday, corrected[0].occurred_meeting());
  EXPECT_EQ(kMonday, corrected[0].occurred_time().seconds());
  EXPECT_EQ(1, chapter_.GetMeeting(tuesday)->corrections());
  // The day the week after starts is not that week's.
  Events next_week = ApplyAll(Education(As(ana_), Date("2023-11-14")));
  ASSERT_EQ(1u, next_week.size());
  EXPECT_FALSE(next_week[0].correction());
  EXPECT_TRUE(next_week[0].occurred_meeting().empty());
}

TEST_F(OccurredTest, Referral_ItsMeetingAndOccurredMustAgree) {
  const std::string tuesday = LastTuesday(false);
  const std::string other = ScheduleMeeting(kNow);
  const v1::Occurred at_other = AtMeeting(other);
  auto r = Referral(As(ana_), &at_other, tuesday);
  EXPECT_TRUE(IsError(r, ErrorCode::kInvalidArgument, {"occurred.meeting", "referral.meeting"}));
  EXPECT_TRUE(HasReason(r, kOccurredOtherMeeting));
  const v1::Occurred outside = Date("2023-11-14");
  EXPECT_TRUE(HasReason(Referral(As(ana_), &outside, tuesday), kOccurredOtherMeeting));
  const v1::Occurred inside = Date("2023-11-13");
  Events events = ApplyAll(Referral(As(ana_), &inside, tuesday));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(kMonday, events[0].occurred_time().seconds());
  EXPECT_EQ(tuesday, events[0].occurred_meeting());
  // referral.meeting alone is the occurred meeting, under the same rules.
  const std::string next = ScheduleMeeting(kNow + kWeek);
  EXPECT_TRUE(HasReason(Referral(As(ana_), nullptr, next), kOccurredInFuture));
}

TEST_F(OccurredTest, Referral_AtAMeetingStartingNow_HasNoOccurredTime) {
  const std::string meeting = ScheduleMeeting(kNow);
  const v1::Occurred at = AtMeeting(meeting);
  Events events = ApplyAll(Referral(As(ana_), &at));
  ASSERT_EQ(1u, events.size());
  EXPECT_FALSE(events[0].has_occurred_time());  // it is Event.time
  EXPECT_EQ(meeting, events[0].occurred_meeting());
}

TEST_F(OccurredTest, Visitor_TypedInAfterTheMeetingClosed) {
  const std::string tuesday = LastTuesday(false);
  EXPECT_TRUE(
      IsError(Visitor(As(carla_), tuesday, nullptr), ErrorCode::kFailedPrecondition, {"CLOSED"}));
  const v1::Occurred at = AtMeeting(tuesday);
  Events events = ApplyAll(Visitor(As(carla_), tuesday, &at));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(kNow - kWeek, events[0].occurred_time().seconds());
  const v1::Meeting meeting = *chapter_.GetMeeting(tuesday);
  ASSERT_EQ(1, meeting.visitors_size());
  EXPECT_EQ(kNow - kWeek, meeting.visitors(0).occur_time().seconds());
  EXPECT_EQ(kNow, meeting.visitors(0).register_time().seconds());
  const v1::Occurred other = AtMeeting(ScheduleMeeting(kNow));
  EXPECT_TRUE(HasReason(Visitor(As(carla_), tuesday, &other), kOccurredOtherMeeting));
  const v1::Occurred outside = Date("2023-11-06");
  EXPECT_TRUE(HasReason(Visitor(As(carla_), tuesday, &outside), kOccurredOtherMeeting));
}

TEST_F(OccurredTest, OneToOne_DateIsTheOccurredDay) {
  v1::RecordOneToOneRequest request;
  request.mutable_one_to_one()->set_with_member(bruno_);
  *request.mutable_occurred() = Date("2023-11-13");
  auto r = chapter_.DecideRecordOneToOne(As(ana_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ("2023-11-13", (*r)[0].one_to_one_recorded().one_to_one().date());
  request.mutable_one_to_one()->set_date("2023-11-12");
  auto other = chapter_.DecideRecordOneToOne(As(ana_), request);
  EXPECT_TRUE(IsError(other, ErrorCode::kInvalidArgument, {"one_to_one.date", "2023-11-13"}));
  EXPECT_TRUE(HasReason(other, kOccurredOtherDate));
  // A meeting dates it on the meeting's day in Rome.
  *request.mutable_occurred() = AtMeeting(LastTuesday(false));
  request.mutable_one_to_one()->clear_date();
  auto at_meeting = chapter_.DecideRecordOneToOne(As(ana_), request);
  ASSERT_TRUE(at_meeting.ok()) << at_meeting.error().message;
  EXPECT_EQ("2023-11-07", (*at_meeting)[0].one_to_one_recorded().one_to_one().date());
}

TEST_F(OccurredTest, EveryRecordingCommandTakesOccurred) {
  const v1::Occurred monday = Date("2023-11-13");
  v1::RecordThankYouRequest thanks;
  thanks.mutable_thank_you()->set_to_member(bruno_);
  thanks.mutable_thank_you()->mutable_amount()->set_amount("100");
  *thanks.mutable_occurred() = monday;
  v1::RecordTestimonialRequest testimonial;
  testimonial.mutable_testimonial()->set_for_member(bruno_);
  testimonial.mutable_testimonial()->set_text("Great work");
  *testimonial.mutable_occurred() = monday;
  v1::RecordOneToOneRequest one_to_one;
  one_to_one.mutable_one_to_one()->set_with_member(bruno_);
  *one_to_one.mutable_occurred() = monday;
  const Events all[] = {
      ApplyAll(chapter_.DecideRecordThankYou(As(ana_), thanks)),
      ApplyAll(chapter_.DecideRecordTestimonial(As(ana_), testimonial)),
      ApplyAll(chapter_.DecideRecordOneToOne(As(ana_), one_to_one)),
      ApplyAll(Referral(As(ana_), &monday)),
      ApplyAll(Education(As(ana_), monday)),
  };
  for (const Events& events : all) {
    ASSERT_EQ(1u, events.size());
    EXPECT_EQ(kMonday, events[0].occurred_time().seconds()) << events[0].DebugString();
  }
  // And the future is refused by each.
  *thanks.mutable_occurred() = Date("2023-11-15");
  EXPECT_TRUE(HasReason(chapter_.DecideRecordThankYou(As(ana_), thanks), kOccurredInFuture));
  *testimonial.mutable_occurred() = Date("2023-11-15");
  EXPECT_TRUE(
      HasReason(chapter_.DecideRecordTestimonial(As(ana_), testimonial), kOccurredInFuture));
}

TEST_F(OccurredTest, Reports_CountByWhenItHappened) {
  const v1::Occurred monday = Date("2023-11-13");
  v1::RecordOneToOneRequest one_to_one;
  one_to_one.mutable_one_to_one()->set_with_member(bruno_);
  *one_to_one.mutable_occurred() = monday;
  ApplyAll(Referral(As(ana_), nullptr));  // today, recorded first
  ApplyAll(chapter_.DecideRecordOneToOne(As(ana_), one_to_one));
  ApplyAll(Referral(As(ana_), &monday));
  ApplyAll(Education(As(ana_), monday));
  const auto row = [](const v1::PalmsReport& report, const std::string& member) {
    for (const v1::PalmsRow& r : report.rows()) {
      if (r.member() == member) {
        return r;
      }
    }
    return v1::PalmsRow();
  };
  const v1::PalmsReport monday_report = chapter_.PalmsReport(At(kMonday), At(kMonday + 86400));
  EXPECT_EQ(1, row(monday_report, ana_).referrals_given());
  EXPECT_EQ(1, row(monday_report, ana_).one_to_ones());
  EXPECT_EQ(1, row(monday_report, ana_).ceus());
  const v1::PalmsReport today = chapter_.PalmsReport(At(kMonday + 86400), std::nullopt);
  EXPECT_EQ(1, row(today, ana_).referrals_given());
  EXPECT_EQ(0, row(today, ana_).one_to_ones());

  auto matrix = chapter_.RelationshipMatrix(Admin().principal, At(kMonday), At(kMonday + 86400));
  ASSERT_TRUE(matrix.ok());
  int referrals = 0;
  for (const v1::RelationshipCell& cell : matrix->cells()) {
    referrals += cell.referrals();
  }
  EXPECT_EQ(1, referrals);

  // The export: oldest first by when it happened, though recorded later.
  auto exported = chapter_.ExportRecords(Admin().principal, std::nullopt, std::nullopt);
  ASSERT_TRUE(exported.ok());
  ASSERT_EQ(2, exported->referrals_size());
  EXPECT_EQ(kMonday, exported->referrals(0).occur_time().seconds());
  EXPECT_EQ(kNow, exported->referrals(1).occur_time().seconds());
  EXPECT_EQ(0, chapter_.ExportRecords(Admin().principal, At(kMonday + 86400), std::nullopt)
                   ->one_to_ones_size());
}

}  // namespace
}  // namespace reciproca::domain
