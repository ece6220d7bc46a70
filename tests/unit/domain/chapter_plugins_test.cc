#include <gtest/gtest.h>

#include <string>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

class PluginOutputTest : public testing::RosterChapterTest {
 protected:
  plugin::v1::Output Reminder(const std::string& key, const std::string& text) {
    plugin::v1::Output output;
    output.set_chapter(kChapter);
    output.set_key(key);
    output.mutable_reminder()->set_member(ana_);
    output.mutable_reminder()->set_text(text);
    return output;
  }
};

TEST_F(PluginOutputTest, RecordsAReminderWithItsTextTrimmedAndNormalized) {
  // "e" + combining acute accent is stored as the one code point U+00E9 (NFC).
  auto r = chapter_.DecideRecordPluginOutput(
      Admin(), "reciprocity",
      Reminder("  reminder:1\xC2\xA0", " Thank Bruno for the cafe\xCC\x81 "));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const plugin::v1::Output& recorded = (*r)[0].plugin_output().output();
  EXPECT_EQ((*r)[0].actor(), "plugin:reciprocity");
  EXPECT_EQ(recorded.key(), "reminder:1");
  EXPECT_EQ(recorded.reminder().text(), "Thank Bruno for the caf\xC3\xA9");
  EXPECT_EQ(recorded.reminder().member(), ana_);
}

TEST_F(PluginOutputTest, RefusesAReminderTextThatIsNotCleanText) {
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity",
                                                        Reminder("r:1", "Call Bruno\x1B[2J")),
                      ErrorCode::kInvalidArgument, {"reminder.text", "control character"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity",
                                                        Reminder("r:1", "line one\nline two")),
                      ErrorCode::kInvalidArgument, {"reminder.text"}));
  EXPECT_TRUE(IsError(
      chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", Reminder("r:1", "bad \xFF byte")),
      ErrorCode::kInvalidArgument, {"reminder.text", "UTF-8"}));
  EXPECT_TRUE(IsError(
      chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", Reminder("r:1", "\xE2\x80\x8B ")),
      ErrorCode::kInvalidArgument, {"reminder.text"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity",
                                                        Reminder("r:1", std::string(1001, 'a'))),
                      ErrorCode::kInvalidArgument, {"reminder.text"}));
}

TEST_F(PluginOutputTest, RefusesAKeyThatIsNotCleanText) {
  EXPECT_TRUE(IsError(
      chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", Reminder("r:\x07:1", "Call Bruno")),
      ErrorCode::kInvalidArgument, {".key", "control character"}));
  EXPECT_TRUE(
      IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", Reminder("", "Call Bruno")),
              ErrorCode::kInvalidArgument, {".key"}));
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity",
                                                        Reminder(std::string(201, 'k'), "Call")),
                      ErrorCode::kInvalidArgument, {".key"}));
  EXPECT_TRUE(chapter_
                  .DecideRecordPluginOutput(Admin(), "reciprocity",
                                            Reminder(std::string(200, 'k'), "Call Bruno"))
                  .ok());
}

TEST_F(PluginOutputTest, QuotesAForeignChapterAsPrintableAscii) {
  plugin::v1::Output output = Reminder("r:1", "Call Bruno");
  output.set_chapter("chapters/x\x1B");
  auto r = chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output);
  ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, {".chapter", "\\x1B"}));
  EXPECT_EQ(r.error().message.find('\x1B'), std::string::npos);
}

}  // namespace
}  // namespace reciproca::domain
