// Importing a file (Chapter::DecideImportFile, ImportService.ImportFile): dry runs, all rows or
// none, once per import, the server's limits, localized rejections; and how the PALMS report
// counts what was imported (spread over the summary's period, docs/import.md).

#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::At;
using testing::IsError;
using testing::kNow;
using testing::kWeek;

constexpr const char* kImport = "chapters/rome/imports/0a1b";

// kNow is 2023-11-14: these periods are history.
constexpr const char* kGoodFile =
    "Member,P,A,RGI,RGO,TYFCB,Period start,Period end\n"
    "Ana Rossi,7,1,3,1,\"1.000,00\",2023-09-04,2023-10-29\n"
    "BRUNO BIANCHI,8,0,0,0,0,04/09/2023,29/10/2023\n";

class ImportFileTest : public testing::RosterChapterTest {
 protected:
  Result<ImportDecision> Decide(const Context& ctx, const std::string& content, bool dry_run,
                                const std::string& language = "",
                                const ImportLimits& limits = {}) const {
    v1::ImportFileRequest request;
    request.set_parent(kChapter);
    request.set_kind(v1::IMPORT_KIND_PALMS_SUMMARY);
    request.set_content(content);
    request.set_dry_run(dry_run);
    return chapter_.DecideImportFile(ctx, request, kImport, language, limits);
  }

  // Records `content` as a real run; the decision's answer.
  v1::ImportFileResponse Record(const std::string& content) {
    auto decided = Decide(Admin(), content, false);
    EXPECT_TRUE(decided.ok()) << decided.error().message;
    if (!decided.ok()) {
      return {};
    }
    ApplyAll(decided->events);
    return decided->answer;
  }
};

TEST_F(ImportFileTest, ADryRunAnswersWhatWouldBeRecorded_AndRecordsNothing) {
  auto decided = Decide(Admin(), kGoodFile, true);
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_TRUE(decided->events.empty());
  const v1::ImportFileResponse& answer = decided->answer;
  EXPECT_EQ(answer.import(), kImport);
  EXPECT_TRUE(answer.dry_run());
  EXPECT_FALSE(answer.recorded());
  EXPECT_FALSE(answer.already_imported());
  EXPECT_EQ(answer.lines(), 2);
  ASSERT_EQ(answer.events_size(), 2);
  EXPECT_EQ(answer.events(0).imported_from(), kImport);
  EXPECT_EQ(answer.events(0).seq(), chapter_.last_seq() + 1);
  EXPECT_EQ(answer.events(1).palms_summary_imported().member(), bruno_);
  EXPECT_EQ(answer.events(1).palms_summary_imported().source_line(), 3);
  EXPECT_TRUE(answer.rejected().empty());
}

TEST_F(ImportFileTest, ARealRunRecordsEveryRowOnce_EvenAfterASnapshot) {
  const v1::ImportFileResponse first = Record(kGoodFile);
  EXPECT_TRUE(first.recorded());
  EXPECT_EQ(first.events_size(), 2);
  EXPECT_EQ(chapter_.palms_summaries().size(), 2u);
  EXPECT_TRUE(chapter_.HasImport(kImport));

  const v1::ImportFileResponse again = Record(kGoodFile);
  EXPECT_TRUE(again.already_imported());
  EXPECT_FALSE(again.recorded());
  EXPECT_EQ(chapter_.palms_summaries().size(), 2u);

  chapter_ = Chapter::FromState(chapter_.ExportState());
  EXPECT_TRUE(chapter_.HasImport(kImport));
  EXPECT_TRUE(Decide(Admin(), kGoodFile, false)->events.empty());
}

TEST_F(ImportFileTest, ARejectedLineRecordsNothing_AndEveryRejectionHasItsLineAndMessage) {
  const std::string file = std::string(kGoodFile) +
                           "Nobody Known,1,0,0,0,0,2023-09-04,2023-10-29\n"
                           "Carla Verdi,1,0,0,0,0,2023-09-04,2023-11-20\n";
  auto decided = Decide(Admin(), file, false, "it-IT,it;q=0.9");
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_TRUE(decided->events.empty());
  const v1::ImportFileResponse& answer = decided->answer;
  EXPECT_FALSE(answer.recorded());
  EXPECT_EQ(answer.events_size(), 2);  // the good rows, as they would be
  ASSERT_EQ(answer.rejected_size(), 2);
  EXPECT_EQ(answer.rejected(0).line(), 4);
  EXPECT_EQ(answer.rejected(0).reason(), kImportMemberUnmatched);
  EXPECT_EQ(answer.rejected(0).params().at("name"), "Nobody Known");
  EXPECT_NE(answer.rejected(0).message().find("nessun socio si chiama “Nobody Known”"),
            std::string::npos)
      << answer.rejected(0).message();
  // A row the chapter refuses (its period ends in the future) is a rejected line too.
  EXPECT_EQ(answer.rejected(1).line(), 5);
  EXPECT_EQ(answer.rejected(1).reason(), kImportPeriodInFuture);
  EXPECT_NE(answer.rejected(1).message().find("2023-11-20"), std::string::npos);
  EXPECT_EQ(answer.unmatched_names().size(), 1);
  EXPECT_FALSE(chapter_.HasImport(kImport));
}

TEST_F(ImportFileTest, OnlyOrganizersImport_EvenInADryRun) {
  EXPECT_TRUE(IsError(Decide(As(ana_), kGoodFile, true), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(IsError(Decide(As(ana_), kGoodFile, false), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(Decide(As(president_), kGoodFile, true).ok());
}

TEST_F(ImportFileTest, AFileOverTheLimitsIsRefusedWhole) {
  auto large = Decide(Admin(), kGoodFile, true, "", ImportLimits{10, 100});
  ASSERT_TRUE(IsError(large, ErrorCode::kInvalidArgument, {"content", "bytes"}));
  EXPECT_EQ(large.error().reason, kImportTooLarge);
  auto lines = Decide(Admin(), kGoodFile, true, "", ImportLimits{1000, 1});
  ASSERT_TRUE(IsError(lines, ErrorCode::kInvalidArgument, {"content", "2 lines"}));
  EXPECT_EQ(lines.error().reason, kImportTooManyLines);
  EXPECT_EQ(lines.error().params, (ErrorParams{{"lines", "2"}, {"max", "1"}}));
  EXPECT_TRUE(Decide(Admin(), kGoodFile, true, "", ImportLimits{1000, 2}).ok());
}

TEST_F(ImportFileTest, TheKindAndTheRequestsPeriodAreChecked) {
  v1::ImportFileRequest request;
  request.set_parent(kChapter);
  request.set_content("Member,P\nAna Rossi,3\n");
  EXPECT_TRUE(IsError(chapter_.DecideImportFile(Admin(), request, kImport, "", {}),
                      ErrorCode::kInvalidArgument, {"kind"}));
  request.set_kind(v1::IMPORT_KIND_PALMS_SUMMARY);
  request.set_period_start("1/9/2023");
  EXPECT_TRUE(IsError(chapter_.DecideImportFile(Admin(), request, kImport, "", {}),
                      ErrorCode::kInvalidArgument, {"period_start"}));
  request.set_period_start("2023-09-01");
  request.set_period_end("2023-09-30");
  auto decided = chapter_.DecideImportFile(Admin(), request, kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  ASSERT_EQ(decided->answer.events_size(), 1);
  EXPECT_EQ(decided->answer.events(0).palms_summary_imported().period_end(), "2023-09-30");
}

// 2023-09-04 .. 2023-10-29: eight weeks, so each of Ana's eight meetings (7 P + 1 A) is in the
// middle of its week; 2023-10-02 is the start of the fifth.
constexpr int64_t kPeriodStart = 1693785600;
constexpr int64_t kFifthWeek = 1696204800;

const v1::PalmsRow& RowOf(const v1::PalmsReport& report, const std::string& member) {
  for (const v1::PalmsRow& row : report.rows()) {
    if (row.member() == member) {
      return row;
    }
  }
  return v1::PalmsRow::default_instance();
}

TEST_F(ImportFileTest, ThePalmsReportCountsAnImportedSummaryOverItsPeriod) {
  Record(kGoodFile);
  GiveReferral(ana_, bruno_);  // recorded history, now
  const v1::PalmsReport all = chapter_.PalmsReport(std::nullopt, std::nullopt);
  const v1::PalmsRow& ana = RowOf(all, ana_);
  EXPECT_EQ(ana.imported_summaries(), 1);
  EXPECT_EQ(ana.present(), 7);
  EXPECT_EQ(ana.absent(), 1);
  EXPECT_EQ(ana.referrals_given(), 3 + 1 + 1);  // inside + outside + the recorded one
  ASSERT_EQ(ana.tyfcb_given_size(), 1);
  EXPECT_EQ(ana.tyfcb_given(0).amount(), "1000.00");
  EXPECT_EQ(all.meetings(), 0);  // imported meetings are not the chapter's meetings
  EXPECT_EQ(RowOf(all, bruno_).present(), 8);
  EXPECT_EQ(RowOf(all, carla_).imported_summaries(), 0);

  // The first four weeks: half of everything (the first meetings get the remainders).
  const v1::PalmsReport half = chapter_.PalmsReport(At(kPeriodStart), At(kFifthWeek));
  const v1::PalmsRow& ana_half = RowOf(half, ana_);
  EXPECT_EQ(ana_half.imported_summaries(), 1);
  EXPECT_EQ(ana_half.present(), 4);
  EXPECT_EQ(ana_half.absent(), 1);
  EXPECT_EQ(ana_half.referrals_given(), 4);
  ASSERT_EQ(ana_half.tyfcb_given_size(), 1);
  EXPECT_EQ(ana_half.tyfcb_given(0).amount(), "500.00");

  // After the period: nothing of it.
  const v1::PalmsReport later =
      chapter_.PalmsReport(At(kFifthWeek + 5 * testing::kWeek), std::nullopt);
  EXPECT_EQ(RowOf(later, ana_).imported_summaries(), 0);
  EXPECT_EQ(RowOf(later, ana_).present(), 0);
  EXPECT_EQ(RowOf(later, ana_).referrals_given(), 1);
}

// Referrals: each row an organizer's typed-in slip for its giver, dated its day.
constexpr const char* kReferrals =
    "Date,From,To,Type,Temperature,Contact,Phone\n"
    "2023-10-03,Ana Rossi,Bruno Bianchi,outside,4,Roberto Gallo,+39 333 5550123\n"
    "10/10/2023,Bruno Bianchi,Ana Rossi,inside,,,\n";

v1::ImportFileRequest ReferralsRequest(const std::string& content, bool dry_run) {
  v1::ImportFileRequest request;
  request.set_parent("chapters/rome");
  request.set_kind(v1::IMPORT_KIND_REFERRALS);
  request.set_content(content);
  request.set_dry_run(dry_run);
  return request;
}

TEST_F(ImportFileTest, ReferralsAreRecordedAsTheirGiversSlips_DatedTheirDay) {
  auto decided = chapter_.DecideImportFile(As(president_), ReferralsRequest(kReferrals, false),
                                           kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  ASSERT_EQ(decided->events.size(), 2u);
  EXPECT_TRUE(decided->answer.recorded());
  const auto& lines = decided->answer.source_lines();
  EXPECT_EQ(std::vector<int>(lines.begin(), lines.end()), (std::vector<int>{2, 3}));
  const v1::Event& first = decided->events[0];
  EXPECT_EQ(first.seq(), chapter_.last_seq() + 1);
  EXPECT_EQ(decided->events[1].seq(), chapter_.last_seq() + 2);
  EXPECT_EQ(first.imported_from(), kImport);
  EXPECT_EQ(first.actor(), president_);
  EXPECT_EQ(first.on_behalf_of(), ana_);
  // The day's midnight in the chapter's zone (Rome, CEST: UTC+2), as Occurred.date counts.
  constexpr int64_t kRomeMidnight = 1696291200 - 2 * 3600;  // 2023-10-03T00:00+02:00
  EXPECT_EQ(first.occurred_time().seconds(), kRomeMidnight);
  const v1::Referral& referral = first.referral_given().referral();
  EXPECT_EQ(referral.giver(), ana_);
  EXPECT_EQ(referral.receiver(), bruno_);
  EXPECT_EQ(referral.kind(), v1::REFERRAL_KIND_OUTSIDE);
  EXPECT_EQ(referral.contact_name(), "Roberto Gallo");
  EXPECT_EQ(decided->events[1].referral_given().referral().giver(), bruno_);
  EXPECT_EQ(decided->events[1].occurred_time().seconds(), kRomeMidnight + 7 * 86400);

  ApplyAll(decided->events);
  EXPECT_EQ(chapter_.ListReferrals({})->size(), 2u);
  auto again = chapter_.DecideImportFile(As(president_), ReferralsRequest(kReferrals, false),
                                         kImport, "", {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->answer.already_imported());
  EXPECT_TRUE(again->events.empty());
}

TEST_F(ImportFileTest, AReferralTheChapterRefusesIsARejectedLine_AndNothingIsRecorded) {
  const std::string file = std::string(kReferrals) +
                           "2023-10-17,Carla Verdi,Carla Verdi,inside,3,,\n"
                           "2023-11-20,Carla Verdi,Ana Rossi,inside,3,,\n"
                           "2023-10-24,Carla Verdi,Ana Rossi,inside,9,,\n"
                           "1899-12-31,Carla Verdi,Ana Rossi,inside,3,,\n";
  auto decided = chapter_.DecideImportFile(Admin(), ReferralsRequest(file, false), kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_TRUE(decided->events.empty());
  EXPECT_FALSE(decided->answer.recorded());
  EXPECT_EQ(decided->answer.events_size(), 2);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& r : decided->answer.rejected()) got.emplace_back(r.line(), r.reason());
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{{4, std::string(kSelfReferral)},
                                                           {5, std::string(kImportDateInFuture)},
                                                           {6, std::string(kTemperatureOutOfRange)},
                                                           {7, std::string(kImportDateTooOld)}}));
  EXPECT_TRUE(IsError(
      chapter_.DecideImportFile(As(ana_), ReferralsRequest(kReferrals, true), kImport, "", {}),
      ErrorCode::kPermissionDenied));
}

TEST_F(ImportFileTest, OneToOnesAreRecordedWithTheirDate_AndOneWithOneselfIsRejected) {
  v1::ImportFileRequest request = ReferralsRequest(
      "Fecha;Miembro;Con;Notas\n"
      "05/10/2023;Ana Rossi;Bruno Bianchi;café\n"
      "12/10/2023;Carla Verdi;Carla Verdi;\n",
      false);
  request.set_kind(v1::IMPORT_KIND_ONE_TO_ONES);
  auto decided = chapter_.DecideImportFile(Admin(), request, kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_FALSE(decided->answer.recorded());
  ASSERT_EQ(decided->answer.rejected_size(), 1);
  EXPECT_EQ(decided->answer.rejected(0).line(), 3);
  ASSERT_EQ(decided->answer.events_size(), 1);
  const v1::Event& event = decided->answer.events(0);
  EXPECT_EQ(event.on_behalf_of(), ana_);
  EXPECT_EQ(event.imported_from(), kImport);
  // 2023-10-05T00:00 in Rome (UTC+2).
  EXPECT_EQ(event.occurred_time().seconds(), 1696291200 - 2 * 3600 + 2 * 86400);
  EXPECT_EQ(event.one_to_one_recorded().one_to_one().date(), "2023-10-05");
  EXPECT_EQ(event.one_to_one_recorded().one_to_one().with_member(), bruno_);
  EXPECT_EQ(event.one_to_one_recorded().one_to_one().note(), "café");

  request.set_content("Fecha;Miembro;Con;Notas\n05/10/2023;Ana Rossi;Bruno Bianchi;café\n");
  auto good = chapter_.DecideImportFile(Admin(), request, kImport, "", {});
  ASSERT_TRUE(good.ok()) << good.error().message;
  ASSERT_EQ(good->events.size(), 1u);
  ApplyAll(good->events);
  // In PALMS like a one-to-one typed in today (the plugins count it on its date).
  EXPECT_EQ(RowOf(chapter_.PalmsReport(std::nullopt, std::nullopt), ana_).one_to_ones(), 1);
}

v1::ImportFileRequest KindRequest(v1::ImportKind kind, const std::string& content, bool dry_run) {
  v1::ImportFileRequest request = ReferralsRequest(content, dry_run);
  request.set_kind(kind);
  return request;
}

std::vector<std::pair<int, std::string>> RejectedLines(const v1::ImportFileResponse& answer) {
  std::vector<std::pair<int, std::string>> got;
  for (const auto& r : answer.rejected()) got.emplace_back(r.line(), r.reason());
  return got;
}

// 2023-10-03T00:00 in Rome (CEST: UTC+2).
constexpr int64_t kOctober3 = 1696291200 - 2 * 3600;

constexpr const char* kThankYous =
    "Date,From,To,Amount,Type\n"
    "2023-10-03,Ana Rossi,Bruno Bianchi,\"1.234,56\",new\n"
    "10/10/2023,Bruno Bianchi,Ana Rossi,\"1,000.00\",repeat\n";

TEST_F(ImportFileTest, ThankYousAreRecordedForTheirDay_AndCountInTyfcbThen) {
  auto decided = chapter_.DecideImportFile(
      Admin(), KindRequest(v1::IMPORT_KIND_THANK_YOUS, kThankYous, false), kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  ASSERT_TRUE(decided->answer.recorded());
  ASSERT_EQ(decided->events.size(), 2u);
  const v1::Event& first = decided->events[0];
  EXPECT_EQ(first.imported_from(), kImport);
  EXPECT_EQ(first.on_behalf_of(), ana_);
  EXPECT_EQ(first.occurred_time().seconds(), kOctober3);
  const v1::ThankYou& thank_you = first.thank_you_recorded().thank_you();
  EXPECT_EQ(thank_you.from_member(), ana_);
  EXPECT_EQ(thank_you.to_member(), bruno_);
  EXPECT_EQ(thank_you.amount().amount(), "1234.56");
  EXPECT_EQ(thank_you.amount().currency(), chapter_.Info().currency());
  EXPECT_EQ(decided->events[1].thank_you_recorded().thank_you().business_type(),
            v1::BUSINESS_TYPE_REPEAT);
  ApplyAll(decided->events);

  // October holds both; the week they were recorded in (November) neither.
  const v1::PalmsReport october = chapter_.PalmsReport(At(kOctober3), At(kOctober3 + 4 * kWeek));
  ASSERT_EQ(RowOf(october, ana_).tyfcb_given_size(), 1);
  EXPECT_EQ(RowOf(october, ana_).tyfcb_given(0).amount(), "1234.56");
  EXPECT_EQ(RowOf(october, ana_).tyfcb_received(0).amount(), "1000.00");
  EXPECT_EQ(RowOf(october, bruno_).tyfcb_given(0).amount(), "1000.00");
  const v1::PalmsReport november = chapter_.PalmsReport(At(kNow - 86400), At(kNow + 86400));
  EXPECT_EQ(RowOf(november, ana_).tyfcb_given_size(), 0);
}

TEST_F(ImportFileTest, AThankYouTheChapterRefusesIsARejectedLine_ASelfThankYouWithItsReason) {
  const std::string file = std::string(kThankYous) +
                           "2023-10-17,Carla Verdi,Carla Verdi,100,\n"
                           "2023-10-24,Carla Verdi,Ana Rossi,0,\n"
                           "2023-10-25,Carla Verdi,Ana Rossi,10,,\n";
  auto decided = chapter_.DecideImportFile(
      Admin(), KindRequest(v1::IMPORT_KIND_THANK_YOUS, file, false), kImport, "it", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_FALSE(decided->answer.recorded());
  EXPECT_TRUE(decided->events.empty());
  EXPECT_EQ(decided->answer.events_size(), 2);
  EXPECT_EQ(RejectedLines(decided->answer),
            (std::vector<std::pair<int, std::string>>{{4, std::string(kThankYouSelf)},
                                                      {5, std::string(kAmountNotPositive)},
                                                      {6, std::string(kImportColumnCount)}}));
  EXPECT_EQ(decided->answer.rejected(0).message(),
            "Un socio non può ringraziare se stesso: il grazie va al socio che ha passato "
            "l’affare.");
}

TEST_F(ImportFileTest, CeusAreRecordedWithTheirCredits_AndCountInPalmsThen) {
  const std::string file =
      "Fecha;Miembro;Créditos;Título\n"
      "03/10/2023;Ana Rossi;2;Ventas\n"
      "04/10/2023;Bruno Bianchi;101;\n";
  auto bad = chapter_.DecideImportFile(Admin(), KindRequest(v1::IMPORT_KIND_CEUS, file, false),
                                       kImport, "", {});
  ASSERT_TRUE(bad.ok()) << bad.error().message;
  EXPECT_EQ(RejectedLines(bad->answer),
            (std::vector<std::pair<int, std::string>>{{3, std::string(kNumberNotBetween)}}));
  auto decided = chapter_.DecideImportFile(
      Admin(),
      KindRequest(v1::IMPORT_KIND_CEUS,
                  "Fecha;Miembro;Créditos;Título\n03/10/2023;Ana Rossi;2;Ventas\n", false),
      kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  ASSERT_EQ(decided->events.size(), 1u);
  EXPECT_EQ(decided->events[0].occurred_time().seconds(), kOctober3);
  EXPECT_EQ(decided->events[0].education_recorded().education().note(), "Ventas");
  ApplyAll(decided->events);
  EXPECT_EQ(RowOf(chapter_.PalmsReport(At(kOctober3), At(kOctober3 + 86400)), ana_).ceus(), 2);
}

TEST_F(ImportFileTest, AThankYouNamingItsReferralByIdClosesIt_AsOneRecordedHere) {
  const std::string referral = GiveReferral(bruno_, ana_);  // Bruno referred Ana
  const std::string id = referral.substr(referral.rfind('/') + 1);
  const std::string file = "Date,From,To,Amount,Referral\n2023-11-14,Ana Rossi,Bruno Bianchi,500," +
                           id + "\n2023-11-14,Bruno Bianchi,Ana Rossi,500," + id + "\n";
  auto decided = chapter_.DecideImportFile(
      Admin(), KindRequest(v1::IMPORT_KIND_THANK_YOUS, file, false), kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  // The second goes the wrong way round: the referral's receiver thanks its giver.
  ASSERT_EQ(decided->answer.rejected_size(), 1);
  EXPECT_EQ(decided->answer.rejected(0).line(), 3);
  ASSERT_EQ(decided->answer.events_size(), 2);  // the thank-you, and the referral closed won
  EXPECT_EQ(decided->answer.events(0).thank_you_recorded().thank_you().referral(), referral);
  EXPECT_EQ(decided->answer.events(1).referral_status_changed().to_status(),
            v1::REFERRAL_STATUS_CLOSED_WON);
  EXPECT_EQ(decided->answer.events(1).imported_from(), kImport);
}

// Visitors: at the meeting of their day's week. The roster joined at kNow (2023-11-14); the
// meeting is the next Tuesday, and the import a week after it.
class ImportVisitorsTest : public ImportFileTest {
 protected:
  void SetUp() override {
    ImportFileTest::SetUp();
    meeting_ = ScheduleMeeting(kMeetingStart);
    now_ = At(kNow + 2 * kWeek);
    dario_ = AddMember("Dario Nuovo", "Baker");  // joins 2023-11-28, after the meeting
  }

  // 2023-11-21T07:00 in Rome (CET: UTC+1).
  static constexpr int64_t kMeetingStart = 1700524800 + 6 * 3600;
  std::string meeting_;
  std::string dario_;
};

constexpr const char* kVisitors =
    "Date,Visitor,Business,Invited by,Email\n"
    "21/11/2023,Giulia Conti,Conti Architetti,Ana Rossi,giulia@conti.example\n"
    "2023-11-23,Marco Ferri,Ferri Insurance,Bruno Bianchi,\n";

TEST_F(ImportVisitorsTest, VisitorsAreRegisteredAtTheMeetingOfTheirWeek_AndCountForTheInviter) {
  auto decided = chapter_.DecideImportFile(
      Admin(), KindRequest(v1::IMPORT_KIND_VISITORS, kVisitors, false), kImport, "", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  ASSERT_TRUE(decided->answer.recorded())
      << (decided->answer.rejected_size() ? decided->answer.rejected(0).message() : "");
  ASSERT_EQ(decided->events.size(), 2u);
  const v1::Event& first = decided->events[0];
  EXPECT_EQ(first.imported_from(), kImport);
  EXPECT_EQ(first.visitor_registered().meeting(), meeting_);
  EXPECT_EQ(first.occurred_time().seconds(), 1700524800 - 3600);  // 2023-11-21T00:00+01:00
  EXPECT_EQ(first.visitor_registered().visitor().invited_by(), ana_);
  EXPECT_EQ(first.visitor_registered().visitor().email(), "giulia@conti.example");
  EXPECT_EQ(decided->events[1].visitor_registered().meeting(), meeting_);
  ApplyAll(decided->events);
  const v1::PalmsReport all = chapter_.PalmsReport(std::nullopt, std::nullopt);
  EXPECT_EQ(RowOf(all, ana_).visitors(), 1);
  EXPECT_EQ(RowOf(all, bruno_).visitors(), 1);
  EXPECT_EQ(RowOf(all, carla_).visitors(), 0);
}

TEST_F(ImportVisitorsTest, AWeekWithoutAMeetingAndAnInviterWhoJoinedLater_SayWhatToDo) {
  const std::string file = std::string(kVisitors) +
                           "2023-11-07,Anna Blu,Blu Bakery,Ana Rossi,\n"
                           "2023-11-22,Pia Neri,Neri Law,Dario Nuovo,\n"
                           "2023-11-22,Sofia Verde,Verde Design,Ana Rossi,not-an-email\n";
  auto decided = chapter_.DecideImportFile(
      Admin(), KindRequest(v1::IMPORT_KIND_VISITORS, file, true), kImport, "it", {});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_FALSE(decided->answer.recorded());
  EXPECT_EQ(decided->answer.events_size(), 2);
  EXPECT_EQ(RejectedLines(decided->answer),
            (std::vector<std::pair<int, std::string>>{{4, std::string(kImportNoMeeting)},
                                                      {5, std::string(kImportBeforeJoining)},
                                                      {6, std::string(kInvalidEmail)}}));
  const v1::ImportRejection& late = decided->answer.rejected(1);
  EXPECT_EQ(late.params().at("line"), "5");
  EXPECT_EQ(late.params().at("joined"), "2023-11-28");
  EXPECT_EQ(late.message(),
            "Dario Nuovo è entrato nel capitolo il 2023-11-28, dopo il 2023-11-22: indica come "
            "invitante un socio che c’era già quel giorno, oppure conta l’ospite in un riepilogo "
            "PALMS di quel periodo.");
  EXPECT_EQ(decided->answer.rejected(0).params().at("date"), "2023-11-07");
}

}  // namespace
}  // namespace reciproca::domain
