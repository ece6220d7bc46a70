// The projection of imported PALMS summaries (PalmsSummaryImported, ImportService): a chapter
// keeps them, in order, through a replay and through its exported state.

#include <gtest/gtest.h>

#include "server/domain/chapter.h"

namespace reciproca::domain {
namespace {

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

}  // namespace
}  // namespace reciproca::domain
