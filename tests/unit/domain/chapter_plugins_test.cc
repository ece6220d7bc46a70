// Plugins in a chapter: enabling and disabling them (who may, what is checked, what the chapter
// keeps) and recording their outputs (what is checked, what is kept).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

class ChapterPluginsTest : public testing::RosterChapterTest {
 protected:
  static v1::EnablePluginRequest Enable(const std::string& config = "") {
    v1::EnablePluginRequest request;
    request.set_name("traffic_light");
    request.set_chapter(kChapter);
    request.set_config_json(config);
    return request;
  }
  static v1::DisablePluginRequest Disable() {
    v1::DisablePluginRequest request;
    request.set_name("traffic_light");
    request.set_chapter(kChapter);
    return request;
  }
  const std::vector<std::string> capabilities_ = {"scores", "contacts"};
};

TEST_F(ChapterPluginsTest, EnablePlugin_ByAnOrganizerKeepsItsConfigAndCapabilities) {
  auto events = ApplyAll(
      chapter_.DecideEnablePlugin(As(president_), Enable(R"({"green_at": 4})"), capabilities_));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ("traffic_light", events[0].plugin_enabled().plugin());
  EXPECT_EQ(2, events[0].plugin_enabled().capabilities_size());
  ASSERT_TRUE(chapter_.plugins().contains("traffic_light"));
  const auto& plugin = chapter_.plugins().at("traffic_light");
  EXPECT_TRUE(plugin.enabled());
  EXPECT_EQ(R"({"green_at": 4})", plugin.config_json());
  EXPECT_EQ(kChapter, plugin.chapter());
  // Enabled again with another config: a change of it.
  ApplyAll(chapter_.DecideEnablePlugin(Admin(), Enable(R"({"green_at": 6})"), capabilities_));
  EXPECT_EQ(R"({"green_at": 6})", chapter_.plugins().at("traffic_light").config_json());
}

TEST_F(ChapterPluginsTest, EnablePlugin_RefusesMembersDisplaysOtherChaptersAndRepeats) {
  EXPECT_TRUE(IsError(chapter_.DecideEnablePlugin(As(ana_), Enable(), capabilities_),
                      ErrorCode::kPermissionDenied, {"only organizers may enable plugins"}));
  EXPECT_TRUE(IsError(chapter_.DecideEnablePlugin(Display(), Enable(), capabilities_),
                      ErrorCode::kPermissionDenied));
  auto other = Enable();
  other.set_chapter("chapters/milan");
  EXPECT_TRUE(IsError(chapter_.DecideEnablePlugin(Admin(), other, capabilities_),
                      ErrorCode::kInvalidArgument, {"chapter: expected chapters/rome"}));
  EXPECT_TRUE(
      IsError(chapter_.DecideEnablePlugin(Admin(), Enable(std::string(70000, ' ')), capabilities_),
              ErrorCode::kInvalidArgument, {"config_json: at most 65536 bytes"}));
  ApplyAll(chapter_.DecideEnablePlugin(Admin(), Enable(), capabilities_));
  EXPECT_TRUE(IsError(chapter_.DecideEnablePlugin(As(president_), Enable(), capabilities_),
                      ErrorCode::kAlreadyExists, {"already enabled in chapters/rome"}));
}

TEST_F(ChapterPluginsTest, DisablePlugin_OnlyWhatIsEnabledAndOnlyByOrganizers) {
  EXPECT_TRUE(IsError(chapter_.DecideDisablePlugin(Admin(), Disable()),
                      ErrorCode::kFailedPrecondition, {"not enabled in chapters/rome"}));
  ApplyAll(chapter_.DecideEnablePlugin(Admin(), Enable(), capabilities_));
  EXPECT_TRUE(
      IsError(chapter_.DecideDisablePlugin(As(ana_), Disable()), ErrorCode::kPermissionDenied));
  auto events = ApplyAll(chapter_.DecideDisablePlugin(As(president_), Disable()));
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ("traffic_light", events[0].plugin_disabled().plugin());
  EXPECT_FALSE(chapter_.plugins().contains("traffic_light"));
}

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

TEST_F(PluginOutputTest, RefusesAReminderAboutAnotherChapter) {
  plugin::v1::Output output = Reminder("reminder:1", "Call Bruno back");
  output.mutable_reminder()->add_about(bruno_);
  EXPECT_TRUE(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output).ok());
  output.mutable_reminder()->add_about("chapters/milan/members/3");
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output),
                      ErrorCode::kInvalidArgument,
                      {"reminder.about: \"chapters/milan/members/3\" is not of chapters/rome"}));
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
