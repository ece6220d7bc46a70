#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::At;
using testing::kNow;
using testing::kWeek;

class PalmsReportTest : public testing::RosterChapterTest {
 protected:
  const v1::PalmsRow& Row(const v1::PalmsReport& report, const std::string& member) {
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == member) {
        return row;
      }
    }
    ADD_FAILURE() << "no row for " << member;
    return report.rows(0);
  }
};

TEST_F(PalmsReportTest, RowsListActiveFirstThenLeftByDisplayName) {
  AddMember("aldo Primo", "Baker");
  RemoveMember(ana_);
  v1::PalmsReport report = chapter_.PalmsReport(std::nullopt, std::nullopt);
  EXPECT_EQ(report.chapter(), kChapter);
  EXPECT_FALSE(report.has_start_time());
  std::vector<std::string> names;
  for (const v1::PalmsRow& row : report.rows()) {
    names.push_back(row.display_name());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"aldo Primo", "Bruno Bianchi", "Carla Verdi",
                                             "Paola Presidente", "Ana Rossi"}));
  EXPECT_EQ(report.rows(4).state(), v1::MEMBER_STATE_LEFT);
}

TEST_F(PalmsReportTest, CountsAttendanceOfMeetingsStartingInRange) {
  std::string in_range = ScheduleMeeting(kNow + 600);
  std::string before = ScheduleMeeting(kNow - kWeek);
  OpenMeeting(in_range);
  v1::CheckInRequest check_in;
  check_in.set_meeting(in_range);
  ApplyAll(chapter_.DecideCheckIn(As(ana_), check_in));
  now_ = At(kNow + 700);
  ApplyAll(chapter_.DecideCheckIn(As(bruno_), check_in));  // late
  v1::RecordAttendanceRequest medical;
  medical.set_meeting(in_range);
  medical.set_member(carla_);
  medical.set_status(v1::ATTENDANCE_STATUS_MEDICAL);
  ApplyAll(chapter_.DecideRecordAttendance(Admin(), medical));
  CloseMeeting(in_range);  // the president is absent
  // The earlier meeting: substitute for Ana, outside the range.
  v1::RecordAttendanceRequest substitute;
  substitute.set_meeting(before);
  substitute.set_member(ana_);
  substitute.set_status(v1::ATTENDANCE_STATUS_SUBSTITUTE);
  substitute.set_substitute_name("Sara");
  ApplyAll(chapter_.DecideRecordAttendance(Admin(), substitute));

  v1::PalmsReport report = chapter_.PalmsReport(At(kNow), At(kNow + kWeek));
  EXPECT_EQ(report.meetings(), 1);
  EXPECT_EQ(report.start_time().seconds(), kNow);
  EXPECT_EQ(report.end_time().seconds(), kNow + kWeek);
  EXPECT_EQ(Row(report, ana_).present(), 1);
  EXPECT_EQ(Row(report, ana_).substitute(), 0);
  EXPECT_EQ(Row(report, bruno_).late(), 1);
  EXPECT_EQ(Row(report, carla_).medical(), 1);
  EXPECT_EQ(Row(report, president_).absent(), 1);

  v1::PalmsReport all = chapter_.PalmsReport(std::nullopt, std::nullopt);
  EXPECT_EQ(all.meetings(), 2);
  EXPECT_EQ(Row(all, ana_).substitute(), 1);
  EXPECT_EQ(Row(all, ana_).present(), 1);

  // The end is exclusive.
  EXPECT_EQ(chapter_.PalmsReport(std::nullopt, At(kNow + 600)).meetings(), 1);
  EXPECT_EQ(chapter_.PalmsReport(At(kNow + 600), std::nullopt).meetings(), 1);
}

TEST_F(PalmsReportTest, CountsRecordsCreatedInRange) {
  std::string meeting = ScheduleMeeting(kNow + 600);
  now_ = At(kNow - 10);  // before the range
  GiveReferral(ana_, bruno_);
  now_ = At(kNow);
  GiveReferral(ana_, bruno_);
  GiveReferral(bruno_, carla_);
  v1::RegisterVisitorRequest visitor;
  visitor.set_meeting(meeting);
  visitor.mutable_visitor()->set_display_name("Guest");
  visitor.mutable_visitor()->set_business("Guest Srl");
  ApplyAll(chapter_.DecideRegisterVisitor(As(carla_), visitor));
  v1::RecordOneToOneRequest one_to_one;
  one_to_one.mutable_one_to_one()->set_with_member(bruno_);
  ApplyAll(chapter_.DecideRecordOneToOne(As(ana_), one_to_one));
  v1::RecordEducationRequest education;
  education.mutable_education()->set_credits(2);
  ApplyAll(chapter_.DecideRecordEducation(As(ana_), education));
  education.mutable_education()->set_credits(3);
  ApplyAll(chapter_.DecideRecordEducation(As(ana_), education));
  v1::RecordTestimonialRequest testimonial;
  testimonial.mutable_testimonial()->set_for_member(bruno_);
  testimonial.mutable_testimonial()->set_text("Great work");
  ApplyAll(chapter_.DecideRecordTestimonial(As(ana_), testimonial));

  v1::PalmsReport report = chapter_.PalmsReport(At(kNow), std::nullopt);
  EXPECT_EQ(Row(report, ana_).referrals_given(), 1);
  EXPECT_EQ(Row(report, bruno_).referrals_received(), 1);
  EXPECT_EQ(Row(report, bruno_).referrals_given(), 1);
  EXPECT_EQ(Row(report, carla_).referrals_received(), 1);
  EXPECT_EQ(Row(report, carla_).visitors(), 1);
  EXPECT_EQ(Row(report, ana_).one_to_ones(), 1);
  EXPECT_EQ(Row(report, bruno_).one_to_ones(), 1);  // both members count it
  EXPECT_EQ(Row(report, ana_).ceus(), 5);
  EXPECT_EQ(Row(report, ana_).testimonials_given(), 1);
  EXPECT_EQ(Row(report, bruno_).testimonials_given(), 0);

  v1::PalmsReport all = chapter_.PalmsReport(std::nullopt, std::nullopt);
  EXPECT_EQ(Row(all, ana_).referrals_given(), 2);
}

TEST_F(PalmsReportTest, CountsAReferralInTheMeetingItNamesNotWhenItWasTyped) {
  // Issue 11: the VP types Tuesday's slip on Wednesday; it counts in Tuesday's meeting.
  std::string tuesday = ScheduleMeeting(kNow);
  now_ = At(kNow + 86400);
  v1::GiveReferralRequest request;
  request.set_parent(kChapter);
  request.mutable_referral()->set_receiver(bruno_);
  request.mutable_referral()->set_temperature(3);
  request.mutable_referral()->set_meeting(tuesday);
  Events events = ApplyAll(chapter_.DecideGiveReferral(As(ana_), request));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].occurred_meeting(), tuesday);
  EXPECT_EQ(events[0].occurred_time().seconds(), kNow);
  EXPECT_EQ(events[0].time().seconds(), kNow + 86400);

  v1::PalmsReport week = chapter_.PalmsReport(At(kNow), At(kNow + 86400));
  EXPECT_EQ(Row(week, ana_).referrals_given(), 1);
  EXPECT_EQ(Row(week, bruno_).referrals_received(), 1);
  EXPECT_EQ(Row(chapter_.PalmsReport(At(kNow + 86400), std::nullopt), ana_).referrals_given(), 0);
  // A referral that names no meeting still counts when it was recorded.
  GiveReferral(ana_, bruno_);
  EXPECT_EQ(Row(chapter_.PalmsReport(At(kNow + 86400), std::nullopt), ana_).referrals_given(), 1);
}

TEST_F(PalmsReportTest, CountsVisitorsByRegisterTimeNotMeetingStart) {
  std::string next_week = ScheduleMeeting(kNow + kWeek);
  v1::RegisterVisitorRequest visitor;
  visitor.set_meeting(next_week);
  visitor.mutable_visitor()->set_display_name("Guest");
  visitor.mutable_visitor()->set_business("Guest Srl");
  ApplyAll(chapter_.DecideRegisterVisitor(As(carla_), visitor));
  v1::PalmsReport report = chapter_.PalmsReport(At(kNow), At(kNow + 1));
  EXPECT_EQ(report.meetings(), 0);
  EXPECT_EQ(Row(report, carla_).visitors(), 1);
  EXPECT_EQ(Row(chapter_.PalmsReport(At(kNow + 1), std::nullopt), carla_).visitors(), 0);
}

TEST_F(PalmsReportTest, SumsTyfcbInExactCentsPerCurrencySorted) {
  ThankYou(bruno_, ana_, "1000.25", "EUR");
  ThankYou(bruno_, ana_, "234.25", "EUR");
  ThankYou(bruno_, ana_, "0.1", "USD");
  ThankYou(bruno_, ana_, "0.2", "USD");
  ThankYou(bruno_, carla_, "50", "CHF");
  v1::PalmsReport report = chapter_.PalmsReport(std::nullopt, std::nullopt);
  const v1::PalmsRow& bruno = Row(report, bruno_);
  ASSERT_EQ(bruno.tyfcb_given_size(), 3);
  EXPECT_EQ(bruno.tyfcb_given(0).currency(), "CHF");
  EXPECT_EQ(bruno.tyfcb_given(0).amount(), "50.00");
  EXPECT_EQ(bruno.tyfcb_given(1).currency(), "EUR");
  EXPECT_EQ(bruno.tyfcb_given(1).amount(), "1234.50");
  EXPECT_EQ(bruno.tyfcb_given(2).currency(), "USD");
  EXPECT_EQ(bruno.tyfcb_given(2).amount(), "0.30");
  EXPECT_EQ(bruno.tyfcb_received_size(), 0);
  const v1::PalmsRow& ana = Row(report, ana_);
  ASSERT_EQ(ana.tyfcb_received_size(), 2);
  EXPECT_EQ(ana.tyfcb_received(0).amount(), "1234.50");
  EXPECT_EQ(ana.tyfcb_given_size(), 0);
}

}  // namespace
}  // namespace reciproca::domain
