#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "server/domain/error_reasons.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::At;
using testing::kNow;
using testing::kWeek;

class RelationshipMatrixTest : public testing::RosterChapterTest {
 protected:
  void OneToOne(const std::string& member, const std::string& with) {
    v1::RecordOneToOneRequest request;
    request.mutable_one_to_one()->set_with_member(with);
    ApplyAll(chapter_.DecideRecordOneToOne(As(member), request));
  }

  // "referrals/one_to_ones/tyfcb" of each cell, as "giver>receiver".
  static std::vector<std::string> Cells(const v1::RelationshipMatrix& matrix) {
    std::vector<std::string> out;
    for (const v1::RelationshipCell& cell : matrix.cells()) {
      std::string tyfcb;
      for (const v1::Money& money : cell.tyfcb()) {
        tyfcb += " " + money.currency() + " " + money.amount();
      }
      out.push_back(cell.giver() + ">" + cell.receiver() + " " + std::to_string(cell.referrals()) +
                    "/" + std::to_string(cell.one_to_ones()) + tyfcb);
    }
    return out;
  }
};

TEST_F(RelationshipMatrixTest, CountsEachOrderedPairInTheRange_TyfcbToWhoGeneratedIt) {
  // Before the range: Bruno -> Carla.
  now_ = At(kNow + 10);
  GiveReferral(bruno_, carla_);
  now_ = At(kNow + kWeek);
  GiveReferral(ana_, bruno_);
  GiveReferral(ana_, bruno_);
  GiveReferral(bruno_, ana_);
  // Bruno closed business thanks to Ana: Ana generated it, the cell Ana > Bruno.
  ThankYou(bruno_, ana_, "100", "EUR");
  ThankYou(bruno_, ana_, "0.5", "EUR");
  OneToOne(ana_, carla_);
  auto matrix = chapter_.RelationshipMatrix(Admin().principal, At(kNow + kWeek), std::nullopt);
  ASSERT_TRUE(matrix.ok()) << matrix.error().message;
  // Members in PALMS order: Ana Rossi, Bruno Bianchi... by display name: Ana, Bruno, Carla, Paola.
  ASSERT_EQ(matrix->members_size(), 4);
  EXPECT_EQ(matrix->members(0).display_name(), "Ana Rossi");
  EXPECT_EQ(matrix->members(3).display_name(), "Paola Presidente");
  EXPECT_EQ(Cells(*matrix), (std::vector<std::string>{
                                ana_ + ">" + bruno_ + " 2/0 EUR 100.50",
                                ana_ + ">" + carla_ + " 0/1",
                                bruno_ + ">" + ana_ + " 1/0",
                                carla_ + ">" + ana_ + " 0/1",
                            }));
  // The whole history adds Bruno > Carla.
  auto all = chapter_.RelationshipMatrix(Admin().principal, std::nullopt, std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Cells(*all)[3], bruno_ + ">" + carla_ + " 1/0");
  // The end is exclusive.
  auto before = chapter_.RelationshipMatrix(Admin().principal, std::nullopt, At(kNow + 10));
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->cells().empty());
}

TEST_F(RelationshipMatrixTest, AMemberWhoLeftAppearsOnlyWhenACellNamesThem) {
  GiveReferral(carla_, ana_);
  RemoveMember(carla_);
  RemoveMember(bruno_);
  auto matrix = chapter_.RelationshipMatrix(Admin().principal, std::nullopt, std::nullopt);
  ASSERT_TRUE(matrix.ok());
  std::vector<std::string> names;
  for (const v1::MatrixMember& member : matrix->members()) {
    names.push_back(member.display_name());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Ana Rossi", "Paola Presidente", "Carla Verdi"}));
  EXPECT_EQ(matrix->members(2).state(), v1::MEMBER_STATE_LEFT);
}

TEST_F(RelationshipMatrixTest, OnlyOrganizersMaySeeIt) {
  auto member = chapter_.RelationshipMatrix(As(ana_).principal, std::nullopt, std::nullopt);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(
      chapter_.RelationshipMatrix(As(president_).principal, std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(chapter_.RelationshipMatrix(Display().principal, std::nullopt, std::nullopt).ok());
}

class AbsenceReportTest : public testing::RosterChapterTest {
 protected:
  // A meeting `weeks` after kNow: the `present` check in, the `medical` are on leave, closing
  // it marks everyone else absent.
  void HeldMeeting(int weeks, const std::vector<std::string>& present,
                   const std::vector<std::string>& medical = {}) {
    std::string meeting = ScheduleMeeting(kNow + weeks * kWeek);
    now_ = At(kNow + weeks * kWeek);
    OpenMeeting(meeting);
    for (const std::string& member : present) {
      v1::CheckInRequest check_in;
      check_in.set_meeting(meeting);
      ApplyAll(chapter_.DecideCheckIn(As(member), check_in));
    }
    for (const std::string& member : medical) {
      v1::RecordAttendanceRequest request;
      request.set_meeting(meeting);
      request.set_member(member);
      request.set_status(v1::ATTENDANCE_STATUS_MEDICAL);
      ApplyAll(chapter_.DecideRecordAttendance(Admin(), request));
    }
    CloseMeeting(meeting);
  }

  static std::string Rows(const v1::AbsenceReport& report) {
    std::string out;
    for (const v1::AbsenceRow& row : report.rows()) {
      out += row.display_name() + " " + std::to_string(row.absences()) + "/" +
             std::to_string(row.meetings()) + (row.alert() ? " ALERT" : "") + "; ";
    }
    return out;
  }
};

TEST_F(AbsenceReportTest, ThreeAbsencesIn26WeeksRaiseTheAlert_HolidaysAndMedicalDoNot) {
  HeldMeeting(1, {president_, bruno_, carla_});  // Ana absent
  HeldMeeting(2, {president_, carla_});          // Ana and Bruno absent
  now_ = At(kNow + 2 * kWeek + 3600);
  const std::string dario = AddMember("Dario Nuovo", "Painter");  // joins after week 2
  HeldMeeting(3, {president_, carla_, dario}, {bruno_});          // Ana absent, Bruno medical
  v1::CancelMeetingRequest cancel;
  cancel.set_name(ScheduleMeeting(kNow + 4 * kWeek));
  cancel.set_reason("Ferragosto");
  ApplyAll(chapter_.DecideCancelMeeting(Admin(), cancel));
  HeldMeeting(5, {president_, ana_, carla_, dario});  // Bruno absent

  // The window [as_of - 26 weeks, as_of) starts exactly at week 1's meeting: counted.
  auto report = chapter_.AbsenceReport(Admin().principal, At(kNow + 27 * kWeek));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->alert_at(), 3);
  EXPECT_EQ(report->start_time().seconds(), kNow + kWeek);
  EXPECT_EQ(Rows(*report),
            "Ana Rossi 3/4 ALERT; Bruno Bianchi 2/4; Carla Verdi 0/4; Dario Nuovo 0/2; "
            "Paola Presidente 0/4; ");
  ASSERT_EQ(report->rows(0).absence_times_size(), 3);
  EXPECT_EQ(report->rows(0).absence_times(0).seconds(), kNow + kWeek);
  // One second later week 1 falls out: Ana has two, no alert.
  auto later = chapter_.AbsenceReport(Admin().principal, At(kNow + 27 * kWeek + 1));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(Rows(*later),
            "Ana Rossi 2/3; Bruno Bianchi 2/3; Carla Verdi 0/3; Dario Nuovo 0/2; "
            "Paola Presidente 0/3; ");
  // A member may not see it.
  auto member = chapter_.AbsenceReport(As(ana_).principal, At(kNow + 27 * kWeek));
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(AbsenceReportTest, TheAlertIsAReminderToTheVicePresident_ThePresidentWhenThereIsNone) {
  HeldMeeting(1, {president_, bruno_, carla_});
  HeldMeeting(2, {president_, bruno_, carla_});
  const TimePoint after_two = At(kNow + 2 * kWeek + 3600);
  EXPECT_TRUE(chapter_.AbsenceReminders("", after_two).empty()) << "two absences: no alert";
  HeldMeeting(3, {president_, bruno_, carla_});
  const TimePoint now = At(kNow + 3 * kWeek + 3600);

  // No vice-president yet: the president receives it; nobody else does.
  auto reminders = chapter_.AbsenceReminders("", now);
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_EQ(reminders[0].member(), president_);
  EXPECT_EQ(reminders[0].kind(), "absence_alert");
  EXPECT_EQ(reminders[0].id(), "absence_alert:" + ana_ + ":3");
  EXPECT_EQ(reminders[0].create_time().seconds(), kNow + 3 * kWeek) << "the last absence";
  ASSERT_EQ(reminders[0].about_size(), 1);
  EXPECT_EQ(reminders[0].about(0), ana_);
  EXPECT_EQ(reminders[0].text(),
            "Ana Rossi has missed 3 meetings of 3 in the last 26 weeks (the alert is at 3): a "
            "call this week, before it becomes a matter for the membership committee.");
  EXPECT_TRUE(chapter_.AbsenceReminders(bruno_, now).empty());

  // With a vice-president, the vice-president only, in the chapter's language.
  const std::string vp = AddMember("Vittoria Vice", "Architect", v1::ROLE_VICE_PRESIDENT);
  v1::UpdateChapterRequest italian;
  italian.mutable_chapter()->set_name(kChapter);
  italian.mutable_chapter()->set_language("it");
  italian.mutable_update_mask()->add_paths("language");
  ApplyAll(chapter_.DecideUpdateChapter(Admin(), italian));
  EXPECT_TRUE(chapter_.AbsenceReminders(president_, now).empty());
  reminders = chapter_.AbsenceReminders(vp, now);
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_EQ(reminders[0].member(), vp);
  EXPECT_EQ(reminders[0].text(),
            "Ana Rossi ha saltato 3 riunioni su 3 nelle ultime 26 settimane (l’avviso scatta a "
            "3): una telefonata questa settimana, prima che diventi una questione per il "
            "comitato soci.");
  // A fourth absence is a new reminder (a new id); 26 weeks after the first, it ends.
  HeldMeeting(4, {president_, bruno_, carla_, vp});
  reminders = chapter_.AbsenceReminders("", At(kNow + 4 * kWeek + 3600));
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_EQ(reminders[0].id(), "absence_alert:" + ana_ + ":4");
  EXPECT_EQ(chapter_.AbsenceReminders("", At(kNow + 28 * kWeek)).size(), 1u) << "weeks 3, 4";
  EXPECT_TRUE(chapter_.AbsenceReminders("", At(kNow + 29 * kWeek + 1)).empty()) << "week 4 only";
}

class ExportRecordsTest : public testing::RosterChapterTest {};

TEST_F(ExportRecordsTest, EveryKindInTheRangeOldestFirst_OrganizersOnly) {
  now_ = At(kNow + 20);
  const std::string later = GiveReferral(bruno_, ana_);
  now_ = At(kNow + 10);
  const std::string earlier = GiveReferral(ana_, bruno_);
  ThankYou(bruno_, ana_, "10", "EUR");
  v1::RecordOneToOneRequest one_to_one;
  one_to_one.mutable_one_to_one()->set_with_member(carla_);
  ApplyAll(chapter_.DecideRecordOneToOne(As(ana_), one_to_one));
  now_ = At(kNow + 30);  // after the range
  ThankYou(carla_, ana_, "5", "EUR");

  auto all = chapter_.ExportRecords(Admin().principal, At(kNow), At(kNow + 30));
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->referrals_size(), 2);
  EXPECT_EQ(all->referrals(0).name(), earlier);  // by time, not by name
  EXPECT_EQ(all->referrals(1).name(), later);
  ASSERT_EQ(all->thank_yous_size(), 1);
  EXPECT_EQ(all->thank_yous(0).amount().amount(), "10.00");
  EXPECT_EQ(all->one_to_ones_size(), 1);
  EXPECT_EQ(all->education_size(), 0);
  EXPECT_EQ(
      chapter_.ExportRecords(Admin().principal, std::nullopt, std::nullopt)->thank_yous_size(), 2);

  auto member = chapter_.ExportRecords(As(ana_).principal, std::nullopt, std::nullopt);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(ExportRecordsTest, PastTheLimitAsksForFewerDays) {
  v1::RecordEducationRequest education;
  education.mutable_education()->set_credits(1);
  for (int i = 0; i <= Chapter::kMaxExportRecords; ++i) {
    now_ = At(kNow + i);
    auto events = chapter_.DecideRecordEducation(As(ana_), education);
    ASSERT_TRUE(events.ok());
    chapter_.Apply((*events)[0]);
  }
  auto export_all = chapter_.ExportRecords(Admin().principal, std::nullopt, std::nullopt);
  ASSERT_FALSE(export_all.ok());
  EXPECT_EQ(export_all.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(export_all.error().reason, kExportTooLarge);
  EXPECT_EQ(export_all.error().params, (ErrorParams{{"count", "20001"}, {"max", "20000"}}));
  // One record fewer fits.
  auto fewer = chapter_.ExportRecords(Admin().principal, At(kNow + 1), std::nullopt);
  ASSERT_TRUE(fewer.ok()) << fewer.error().message;
  EXPECT_EQ(fewer->education_size(), Chapter::kMaxExportRecords);
}

}  // namespace
}  // namespace reciproca::domain
