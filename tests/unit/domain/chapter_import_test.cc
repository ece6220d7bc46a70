// The projection of imported PALMS summaries (PalmsSummaryImported, ImportService): a chapter
// keeps them, in order, through a replay and through its exported state.

#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

v1::Event Summary(int64_t seq, const std::string& member, int present) {
  v1::Event e;
  e.set_seq(seq);
  e.set_chapter("chapters/rome");
  e.set_imported_from("chapters/rome/imports/abc");
  auto* s = e.mutable_palms_summary_imported();
  s->set_member(member);
  s->set_period_start("2026-09-01");
  s->set_period_end("2026-11-30");
  s->set_present(present);
  s->set_source_line(static_cast<int32_t>(seq));
  return e;
}

TEST(ChapterImport, KeepsImportedSummariesInOrderThroughItsState) {
  Chapter chapter;
  chapter.Apply(Summary(1, "chapters/rome/members/2", 10));
  chapter.Apply(Summary(2, "chapters/rome/members/1", 7));
  ASSERT_EQ(chapter.palms_summaries().size(), 2u);
  EXPECT_EQ(chapter.palms_summaries()[0].member(), "chapters/rome/members/2");
  EXPECT_EQ(chapter.palms_summaries()[1].present(), 7);
  const Chapter copy = Chapter::FromState(chapter.ExportState());
  ASSERT_EQ(copy.palms_summaries().size(), 2u);
  EXPECT_EQ(copy.palms_summaries()[1].SerializeAsString(),
            chapter.palms_summaries()[1].SerializeAsString());
}

// The decision: organizers only, members of this chapter, periods in order and in the past,
// counts not negative, all rows or none.
class ImportDecisionTest : public testing::RosterChapterTest {
 protected:
  v1::PalmsSummaryImported Row(const std::string& member, int line) const {
    v1::PalmsSummaryImported row;
    row.set_member(member);
    row.set_period_start("2023-09-01");
    row.set_period_end("2023-10-31");  // kNow is 2023-11-14
    row.set_present(7);
    row.set_referrals_given_inside(3);
    row.set_source_line(line);
    return row;
  }
  Result<Events> Import(const Context& ctx, const std::vector<v1::PalmsSummaryImported>& rows,
                        const std::string& id = "3f2a") const {
    return chapter_.DecideImportPalmsSummaries(ctx, std::string(kChapter) + "/imports/" + id, rows);
  }
};

TEST_F(ImportDecisionTest, RecordsEveryRowMarkedWithItsImport) {
  auto events = Import(Admin(), {Row(ana_, 2), Row(bruno_, 3)});
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].seq(), chapter_.last_seq() + 1);
  EXPECT_EQ((*events)[1].seq(), chapter_.last_seq() + 2);
  EXPECT_EQ((*events)[1].imported_from(), "chapters/rome/imports/3f2a");
  EXPECT_EQ((*events)[1].palms_summary_imported().member(), bruno_);
  EXPECT_EQ((*events)[1].palms_summary_imported().referrals_given_inside(), 3);
}

TEST_F(ImportDecisionTest, OnlyAnOrganizerImports) {
  EXPECT_TRUE(IsError(Import(As(ana_), {Row(ana_, 2)}), ErrorCode::kPermissionDenied));
}

TEST_F(ImportDecisionTest, ARowForSomeoneNotInTheChapter_RecordsNothing_AndNamesItsLine) {
  EXPECT_TRUE(IsError(Import(Admin(), {Row(ana_, 2), Row("chapters/rome/members/999", 3)}),
                      ErrorCode::kNotFound, {"line 3"}));
}

TEST_F(ImportDecisionTest, PeriodsMustBeDatesInOrderAndInThePast) {
  v1::PalmsSummaryImported reversed = Row(ana_, 4);
  reversed.set_period_start("2023-11-01");
  EXPECT_TRUE(IsError(Import(Admin(), {reversed}), ErrorCode::kInvalidArgument,
                      {"line 4", "before it starts"}));
  v1::PalmsSummaryImported future = Row(ana_, 5);
  future.set_period_end("2023-11-16");  // two days after kNow
  EXPECT_TRUE(
      IsError(Import(Admin(), {future}), ErrorCode::kInvalidArgument, {"line 5", "future"}));
  v1::PalmsSummaryImported today = Row(ana_, 6);
  today.set_period_end("2023-11-14");
  EXPECT_TRUE(Import(Admin(), {today}).ok());
  v1::PalmsSummaryImported not_a_date = Row(ana_, 7);
  not_a_date.set_period_end("31/10/2023");
  EXPECT_TRUE(IsError(Import(Admin(), {not_a_date}), ErrorCode::kInvalidArgument,
                      {"line 7", "YYYY-MM-DD"}));
}

TEST_F(ImportDecisionTest, NegativeCountsAndBadImportNamesAreRefused) {
  v1::PalmsSummaryImported negative = Row(ana_, 8);
  negative.set_absent(-1);
  EXPECT_TRUE(
      IsError(Import(Admin(), {negative}), ErrorCode::kInvalidArgument, {"line 8", "negative"}));
  EXPECT_TRUE(IsError(Import(Admin(), {Row(ana_, 2)}, "Bad/Id"), ErrorCode::kInvalidArgument,
                      {"imports/{id}"}));
  EXPECT_TRUE(IsError(Import(Admin(), {Row(ana_, 2)}, ""), ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace reciproca::domain
