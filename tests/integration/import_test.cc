// ImportService through the real server: dry runs record nothing, a file is recorded whole and
// once (by its bytes, whatever the request_id, also after a restart), a bad file is rejected
// line by line in the caller's language, members are refused, and the server's limits.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "integration/error_reason.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

// Every rejected line's number and reason; each with a message.
std::vector<std::pair<int, std::string>> Rejected(const v1::ImportFileResponse& answer) {
  std::vector<std::pair<int, std::string>> got;
  for (const v1::ImportRejection& r : answer.rejected()) {
    got.emplace_back(r.line(), r.reason());
    EXPECT_FALSE(r.message().empty()) << r.line();
  }
  return got;
}

std::string DataFile(const std::string& name) {
  std::ifstream in(std::string(RECIPROCA_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class ImportTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    olga_ = AddMember("rome", "Olga Organizer", "Accountant", v1::ROLE_VICE_PRESIDENT);
    nicolo_ = AddMember("rome", "Nicolò Rossi", "Plumber");
    maria_ = AddMember("rome", "Maria Luisa De André", "Florist");
  }

  // ImportFile as `token`; `language` as the caller's Accept-Language.
  grpc::Status Import(const std::string& token, const std::string& content, bool dry_run,
                      v1::ImportFileResponse* answer,
                      const std::string& request_id = client::Client::NewRequestId(),
                      const std::string& language = "",
                      v1::ImportKind kind = v1::IMPORT_KIND_PALMS_SUMMARY) {
    v1::ImportFileRequest request;
    request.set_parent("chapters/rome");
    request.set_kind(kind);
    request.set_content(content);
    request.set_dry_run(dry_run);
    request.set_request_id(request_id);
    const client::Client as = As(token);
    auto context = as.NewContext();
    if (!language.empty()) {
      context->AddMetadata("accept-language", language);
    }
    return as.imports().ImportFile(context.get(), request, answer);
  }

  v1::PalmsRow PalmsOf(const std::string& member) {
    v1::GetPalmsReportRequest request;
    request.set_chapter("chapters/rome");
    v1::PalmsReport report;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().reports().GetPalmsReport(c, request, &report);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == member) {
        return row;
      }
    }
    ADD_FAILURE() << "no PALMS row for " << member;
    return {};
  }

  int64_t LastSeq() { return GetChapter("chapters/rome").last_seq(); }

  // The PALMS row of `member` over [start, end) (seconds).
  v1::PalmsRow PalmsOf(const std::string& member, int64_t start, int64_t end) {
    v1::GetPalmsReportRequest request;
    request.set_chapter("chapters/rome");
    request.mutable_start_time()->set_seconds(start);
    request.mutable_end_time()->set_seconds(end);
    v1::PalmsReport report;
    EXPECT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().reports().GetPalmsReport(c, request, &report);
                }).ok());
    for (const v1::PalmsRow& row : report.rows()) {
      if (row.member() == member) {
        return row;
      }
    }
    return {};
  }

  // The first `lines` lines of a file of tests/data (its header and good rows).
  static std::string Head(const std::string& name, int lines) {
    std::istringstream in(DataFile(name));
    std::string out, line;
    for (int i = 0; i < lines && std::getline(in, line); ++i) {
      out += line + "\n";
    }
    return out;
  }

  NewMember olga_;
  NewMember nicolo_;
  NewMember maria_;
};

TEST_F(ImportTest, ADryRunAnswersTheRows_AndRecordsNothing) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse answer;
  auto status = Import(olga_.token, DataFile("palms_summary_it.csv"), true, &answer, "");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(answer.dry_run());
  EXPECT_FALSE(answer.recorded());
  EXPECT_EQ(answer.import().rfind("chapters/rome/imports/", 0), 0u) << answer.import();
  EXPECT_EQ(answer.import().size(), std::string("chapters/rome/imports/").size() + 64);
  ASSERT_EQ(answer.events_size(), 2);
  EXPECT_EQ(answer.events(0).palms_summary_imported().member(), nicolo_.member.name());
  EXPECT_EQ(answer.events(1).palms_summary_imported().member(), maria_.member.name());
  EXPECT_EQ(LastSeq(), before);
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).present(), 0);
}

TEST_F(ImportTest, ARealRunRecordsTheFileOnce_WhateverTheRequestId_AndAfterARestart) {
  const std::string file = DataFile("palms_summary_it.csv");
  const int64_t before = LastSeq();
  v1::ImportFileResponse first;
  auto status = Import(olga_.token, file, false, &first, "import-1");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(first.recorded());
  ASSERT_EQ(first.events_size(), 2);
  EXPECT_EQ(first.events(1).seq(), before + 2);
  EXPECT_EQ(LastSeq(), before + 2);
  const auto logged = ReadEvents(admin(), "chapters/rome", before, 2);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].imported_from(), first.import());
  EXPECT_EQ(logged[0].palms_summary_imported().referrals_given_inside(), 4);

  const v1::PalmsRow nicolo = PalmsOf(nicolo_.member.name());
  EXPECT_EQ(nicolo.imported_summaries(), 1);
  EXPECT_EQ(nicolo.present(), 10);
  EXPECT_EQ(nicolo.referrals_given(), 6);
  ASSERT_EQ(nicolo.tyfcb_given_size(), 1);
  EXPECT_EQ(nicolo.tyfcb_given(0).amount(), "1250.50");

  // A retry under the same request_id: the first answer.
  v1::ImportFileResponse retried;
  ASSERT_TRUE(Import(olga_.token, file, false, &retried, "import-1").ok());
  EXPECT_TRUE(retried.recorded());
  EXPECT_EQ(LastSeq(), before + 2);

  // The same file under another request_id, by another organizer: nothing again, and it says so.
  v1::ImportFileResponse again;
  status = Import(server_->admin_token(), file, false, &again, "import-2");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(again.already_imported());
  EXPECT_FALSE(again.recorded());
  EXPECT_EQ(again.import(), first.import());
  EXPECT_EQ(LastSeq(), before + 2);

  RestartServer();
  v1::ImportFileResponse after_restart;
  ASSERT_TRUE(Import(olga_.token, file, false, &after_restart, "import-3").ok());
  EXPECT_TRUE(after_restart.already_imported());
  EXPECT_EQ(LastSeq(), before + 2);
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).present(), 10);
}

TEST_F(ImportTest, ABadFileIsRejectedWhole_EveryLineWithItsNumberReasonAndMessage) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse answer;
  auto status =
      Import(olga_.token, DataFile("palms_summary_bad.csv"), false, &answer, "bad-1", "es");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(answer.recorded());
  EXPECT_EQ(answer.events_size(), 1);  // line 2 is good, and would be recorded
  std::vector<std::pair<int, std::string>> got;
  for (const v1::ImportRejection& r : answer.rejected()) {
    got.emplace_back(r.line(), r.reason());
    EXPECT_FALSE(r.message().empty()) << r.line();
  }
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{{3, "IMPORT_NOT_A_NUMBER"},
                                                           {4, "IMPORT_MEMBER_UNMATCHED"},
                                                           {5, "IMPORT_BAD_DATE"},
                                                           {6, "IMPORT_PERIOD_REVERSED"},
                                                           {7, "IMPORT_NOT_A_NUMBER"},
                                                           {8, "IMPORT_COLUMN_COUNT"}}));
  EXPECT_EQ(answer.rejected(1).message(),
            "Ningún miembro del capítulo se llama “Nobody Known”: añádelo, o asocia el nombre a "
            "un miembro.");
  EXPECT_EQ(answer.rejected(0).params().at("value"), "ten");
  ASSERT_EQ(answer.unmatched_names_size(), 1);
  EXPECT_EQ(answer.unmatched_names(0), "Nobody Known");
  EXPECT_EQ(LastSeq(), before);
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).present(), 0);
}

TEST_F(ImportTest, AMemberIsRefused_EvenADryRun) {
  v1::ImportFileResponse answer;
  for (const bool dry_run : {true, false}) {
    auto status = Import(nicolo_.token, DataFile("palms_summary_it.csv"), dry_run, &answer);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
    EXPECT_EQ(ReasonOf(status), "ORGANIZERS_ONLY");
  }
}

TEST_F(ImportTest, AFileOverTheServersLimitsIsRefusedWithItsReason) {
  limits_.import.max_bytes = 200;
  limits_.import.max_lines = 1;
  RestartServer();
  v1::ImportFileResponse answer;
  auto status = Import(olga_.token, DataFile("palms_summary_it.csv"), true, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "IMPORT_TOO_LARGE");
  EXPECT_NE(status.error_message().find("more than the 200"), std::string::npos)
      << status.error_message();
  status = Import(olga_.token, "Member,P,A\nNicolò Rossi,1,0\nMaria Luisa De André,1,0\n", false,
                  &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "IMPORT_TOO_MANY_LINES");
}

TEST_F(ImportTest, ARealRunNeedsARequestId) {
  v1::ImportFileResponse answer;
  auto status = Import(olga_.token, DataFile("palms_summary_it.csv"), false, &answer, "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("request_id"), std::string::npos);
}

TEST_F(ImportTest, ReferralsAreRecordedOnceWithTheirDays_AndABadFileNotAtAll) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse bad;
  auto status = Import(olga_.token, DataFile("referrals_it.csv"), false, &bad, "r-1", "it",
                       v1::IMPORT_KIND_REFERRALS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(bad.recorded());
  std::vector<std::pair<int, std::string>> got;
  for (const v1::ImportRejection& r : bad.rejected()) {
    got.emplace_back(r.line(), r.reason());
  }
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{{3, "SELF_REFERRAL"},
                                                           {4, "IMPORT_MEMBER_UNMATCHED"},
                                                           {5, "IMPORT_BAD_VALUE"},
                                                           {6, "IMPORT_BAD_DATE"},
                                                           {7, "IMPORT_NOT_A_NUMBER"}}));
  EXPECT_EQ(LastSeq(), before);

  const std::string file = DataFile("referrals_en.csv");
  v1::ImportFileResponse answer;
  status = Import(olga_.token, file, false, &answer, "r-2", "", v1::IMPORT_KIND_REFERRALS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(answer.recorded());
  ASSERT_EQ(answer.events_size(), 2);
  EXPECT_EQ(LastSeq(), before + 2);
  const auto logged = ReadEvents(admin(), "chapters/rome", before, 2);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].imported_from(), answer.import());
  EXPECT_EQ(logged[0].on_behalf_of(), nicolo_.member.name());
  EXPECT_EQ(logged[0].referral_given().referral().receiver(), maria_.member.name());
  // 2026-11-03T00:00 in the chapter's zone (Rome, CET: UTC+1).
  EXPECT_EQ(logged[0].occurred_time().seconds(), 1793664000 - 3600);

  v1::ImportFileResponse again;
  ASSERT_TRUE(Import(olga_.token, file, false, &again, "r-3", "", v1::IMPORT_KIND_REFERRALS).ok());
  EXPECT_TRUE(again.already_imported());
  EXPECT_EQ(LastSeq(), before + 2);
  // The same bytes as another kind are another import.
  v1::ImportFileResponse as_palms;
  ASSERT_TRUE(Import(olga_.token, file, true, &as_palms).ok());
  EXPECT_NE(as_palms.import(), answer.import());
}

TEST_F(ImportTest, OneToOnesAreRecordedWithTheirDates) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse answer;
  auto status = Import(olga_.token, DataFile("one_to_ones_es.csv"), false, &answer, "o-1", "",
                       v1::IMPORT_KIND_ONE_TO_ONES);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(answer.recorded()) << (answer.rejected_size() ? answer.rejected(0).message() : "");
  EXPECT_EQ(LastSeq(), before + 2);
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).one_to_ones(), 2);
  const auto logged = ReadEvents(admin(), "chapters/rome", before, 1);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].one_to_one_recorded().one_to_one().date(), "2026-11-05");
  EXPECT_EQ(logged[0].imported_from(), answer.import());
}

// 2026-11-01T00:00 and 2026-12-01T00:00 in Rome (UTC+1): November, when the records happened.
constexpr int64_t kNovember = 1793487600;
constexpr int64_t kDecember = 1796079600;

TEST_F(ImportTest, ThankYousCountInTheTyfcbOfTheirDay_AndAreRecordedOnce) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse dry;
  auto status = Import(olga_.token, DataFile("thank_yous_it.csv"), true, &dry, "", "it",
                       v1::IMPORT_KIND_THANK_YOUS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(dry.recorded());
  EXPECT_EQ(dry.lines(), 8);
  EXPECT_EQ(dry.events_size(), 2);
  EXPECT_EQ(Rejected(dry), (std::vector<std::pair<int, std::string>>{{4, "THANK_YOU_SELF"},
                                                                     {5, "IMPORT_MEMBER_UNMATCHED"},
                                                                     {6, "IMPORT_NOT_A_NUMBER"},
                                                                     {7, "IMPORT_BAD_VALUE"},
                                                                     {8, "IMPORT_BAD_DATE"},
                                                                     {9, "AMOUNT_NOT_POSITIVE"}}));
  EXPECT_EQ(dry.rejected(0).message(),
            "Un socio non può ringraziare se stesso: il grazie va al socio che ha passato "
            "l’affare.");
  EXPECT_EQ(LastSeq(), before);
  EXPECT_EQ(PalmsOf(maria_.member.name()).tyfcb_given_size(), 0);

  const std::string good = Head("thank_yous_it.csv", 3);
  v1::ImportFileResponse answer;
  status = Import(olga_.token, good, false, &answer, "t-1", "", v1::IMPORT_KIND_THANK_YOUS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(answer.recorded()) << (answer.rejected_size() ? answer.rejected(0).message() : "");
  EXPECT_EQ(LastSeq(), before + 2);
  const auto logged = ReadEvents(admin(), "chapters/rome", before, 2);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].imported_from(), answer.import());
  EXPECT_EQ(logged[0].thank_you_recorded().thank_you().from_member(), maria_.member.name());
  // 2026-11-03T00:00 in Rome.
  EXPECT_EQ(logged[0].occurred_time().seconds(), 1793664000 - 3600);

  // Counted in November, when the business was thanked for, not in the week it was typed.
  const v1::PalmsRow maria = PalmsOf(maria_.member.name(), kNovember, kDecember);
  ASSERT_EQ(maria.tyfcb_given_size(), 1);
  EXPECT_EQ(maria.tyfcb_given(0).amount(), "1234.56");
  EXPECT_EQ(maria.tyfcb_given(0).currency(), GetChapter("chapters/rome").currency());
  ASSERT_EQ(maria.tyfcb_received_size(), 1);
  EXPECT_EQ(maria.tyfcb_received(0).amount(), "800.00");
  const v1::PalmsRow nicolo = PalmsOf(nicolo_.member.name(), kNovember, kDecember);
  ASSERT_EQ(nicolo.tyfcb_given_size(), 1);
  EXPECT_EQ(nicolo.tyfcb_given(0).amount(), "800.00");
  EXPECT_EQ(nicolo.tyfcb_received(0).amount(), "1234.56");
  EXPECT_EQ(PalmsOf(maria_.member.name(), kDecember, kDecember + 7 * 86400).tyfcb_given_size(), 0);

  v1::ImportFileResponse again;
  ASSERT_TRUE(Import(olga_.token, good, false, &again, "t-2", "", v1::IMPORT_KIND_THANK_YOUS).ok());
  EXPECT_TRUE(again.already_imported());
  EXPECT_FALSE(again.recorded());
  EXPECT_EQ(LastSeq(), before + 2);
}

TEST_F(ImportTest, CeusCountTheirCredits_AndAreRecordedOnce) {
  const int64_t before = LastSeq();
  v1::ImportFileResponse dry;
  auto status =
      Import(olga_.token, DataFile("ceus_es.csv"), true, &dry, "", "es", v1::IMPORT_KIND_CEUS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(dry.recorded());
  EXPECT_EQ(Rejected(dry), (std::vector<std::pair<int, std::string>>{{4, "IMPORT_NOT_A_NUMBER"},
                                                                     {5, "IMPORT_MEMBER_UNMATCHED"},
                                                                     {6, "IMPORT_BAD_DATE"},
                                                                     {7, "NUMBER_NOT_BETWEEN"}}));
  EXPECT_EQ(LastSeq(), before);

  const std::string good = Head("ceus_es.csv", 3);
  v1::ImportFileResponse answer;
  status = Import(olga_.token, good, false, &answer, "c-1", "", v1::IMPORT_KIND_CEUS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(answer.recorded()) << (answer.rejected_size() ? answer.rejected(0).message() : "");
  EXPECT_EQ(LastSeq(), before + 2);
  EXPECT_EQ(PalmsOf(nicolo_.member.name(), kNovember, kDecember).ceus(), 2);
  EXPECT_EQ(PalmsOf(maria_.member.name(), kNovember, kDecember).ceus(), 1);
  v1::ImportFileResponse again;
  ASSERT_TRUE(Import(olga_.token, good, false, &again, "c-2", "", v1::IMPORT_KIND_CEUS).ok());
  EXPECT_TRUE(again.already_imported());
  EXPECT_EQ(LastSeq(), before + 2);
}

TEST_F(ImportTest, VisitorsAreRegisteredAtTheMeetingOfTheirWeek_AndCountForTheirInviters) {
  // The members joined on 2026-12-01; the meeting is Tuesday 2026-12-08 at 07:00 in Rome, and
  // its visitors are typed in on Thursday from the paper sheet.
  constexpr int64_t kMeetingStart = 1796709600;
  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent("chapters/rome");
  schedule.mutable_start_time()->set_seconds(kMeetingStart);
  schedule.set_request_id(client::Client::NewRequestId());
  v1::Meeting meeting;
  const client::Client olga = As(olga_.token);
  ASSERT_TRUE(Invoke(olga, [&](grpc::ClientContext* c) {
                return olga.meetings().ScheduleMeeting(c, schedule, &meeting);
              }).ok());
  clock_.Set(Clock::time_point(std::chrono::seconds(kMeetingStart + 2 * 86400 + 6 * 3600)));

  const int64_t before = LastSeq();
  v1::ImportFileResponse dry;
  auto status = Import(olga_.token, DataFile("visitors_en.csv"), true, &dry, "", "",
                       v1::IMPORT_KIND_VISITORS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(dry.recorded());
  EXPECT_EQ(dry.events_size(), 2);
  EXPECT_EQ(Rejected(dry), (std::vector<std::pair<int, std::string>>{{4, "IMPORT_NO_MEETING"},
                                                                     {5, "IMPORT_MEMBER_UNMATCHED"},
                                                                     {6, "IMPORT_BAD_DATE"},
                                                                     {7, "INVALID_EMAIL"},
                                                                     {8, "IMPORT_COLUMN_COUNT"}}));
  EXPECT_EQ(dry.rejected(0).message(),
            "No meeting of the chapter falls in the week of 2026-11-24: a visitor is registered at "
            "a meeting, so import visitors of earlier weeks in a PALMS summary (visitors column).");
  EXPECT_EQ(LastSeq(), before);
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).visitors(), 0);

  const std::string good = Head("visitors_en.csv", 3);
  v1::ImportFileResponse answer;
  status = Import(olga_.token, good, false, &answer, "v-1", "", v1::IMPORT_KIND_VISITORS);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(answer.recorded()) << (answer.rejected_size() ? answer.rejected(0).message() : "");
  EXPECT_EQ(LastSeq(), before + 2);
  const auto logged = ReadEvents(admin(), "chapters/rome", before, 2);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].imported_from(), answer.import());
  EXPECT_EQ(logged[0].visitor_registered().meeting(), meeting.name());
  EXPECT_EQ(logged[0].visitor_registered().visitor().display_name(), "Giulia Conti");
  EXPECT_EQ(logged[1].visitor_registered().meeting(), meeting.name());
  EXPECT_EQ(PalmsOf(nicolo_.member.name()).visitors(), 1);
  EXPECT_EQ(PalmsOf(maria_.member.name()).visitors(), 1);
  EXPECT_EQ(PalmsOf(olga_.member.name()).visitors(), 0);
  v1::ImportFileResponse again;
  ASSERT_TRUE(Import(olga_.token, good, false, &again, "v-2", "", v1::IMPORT_KIND_VISITORS).ok());
  EXPECT_TRUE(again.already_imported());
  EXPECT_EQ(LastSeq(), before + 2);
}

}  // namespace
}  // namespace reciproca::testing
