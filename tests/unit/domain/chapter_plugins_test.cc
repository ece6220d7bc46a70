// Enabling and disabling a plugin in a chapter: who may, what is checked, what the chapter keeps.

#include <gtest/gtest.h>

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

TEST_F(ChapterPluginsTest, RecordPluginOutput_RefusesAReminderAboutAnotherChapter) {
  plugin::v1::Output output;
  output.set_chapter(kChapter);
  output.set_key("reminder:1");
  output.mutable_reminder()->set_member(ana_);
  output.mutable_reminder()->set_text("Call Bruno back");
  output.mutable_reminder()->add_about(bruno_);
  EXPECT_TRUE(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output).ok());
  output.mutable_reminder()->add_about("chapters/milan/members/3");
  EXPECT_TRUE(IsError(chapter_.DecideRecordPluginOutput(Admin(), "reciprocity", output),
                      ErrorCode::kInvalidArgument,
                      {"reminder.about: \"chapters/milan/members/3\" is not of chapters/rome"}));
}

}  // namespace
}  // namespace reciproca::domain
