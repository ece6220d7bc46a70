// Where LoadPlugin may load from, and the journal of the admin's plugin decisions.

#include "server/plugins/plugin_directories.h"

#include <gtest/gtest.h>

#include <fstream>

#include "server/plugins/plugin_journal.h"
#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

class PluginDirectoriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(allowed_);
    std::filesystem::create_directories(outside_);
    std::ofstream(allowed_ / "rule.so") << "x";
    std::ofstream(outside_ / "rule.so") << "x";
  }

  ScratchDir scratch_;
  const std::filesystem::path allowed_ = scratch_.path() / "plugins";
  const std::filesystem::path outside_ = scratch_.path() / "elsewhere";
};

TEST_F(PluginDirectoriesTest, AllowedPluginPath_AcceptsAFileInsideADirectory) {
  auto path = plugins::AllowedPluginPath((allowed_ / "rule.so").string(), {allowed_});
  ASSERT_TRUE(path.ok()) << path.error().message;
  EXPECT_EQ(std::filesystem::canonical(allowed_ / "rule.so"), *path);
}

TEST_F(PluginDirectoriesTest, AllowedPluginPath_RefusesWhatLeadsOutsideNamingTheDirectories) {
  std::filesystem::create_symlink(outside_ / "rule.so", allowed_ / "link.so");
  std::filesystem::create_directories(allowed_ / "sub");
  for (const auto& path :
       {(outside_ / "rule.so").string(), (allowed_ / "link.so").string(),
        (allowed_ / "sub" / ".." / ".." / "elsewhere" / "rule.so").string(), std::string("rule.so"),
        (scratch_.path() / "plugins-evil" / "rule.so").string()}) {
    SCOPED_TRACE(path);
    auto result = plugins::AllowedPluginPath(path, {allowed_});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(ErrorCode::kPermissionDenied, result.error().code);
    EXPECT_NE(std::string::npos, result.error().message.find(allowed_.string()))
        << result.error().message;
  }
}

TEST_F(PluginDirectoriesTest, AllowedPluginPath_NoDirectoryMeansNothingAndMissingIsNotFound) {
  auto none = plugins::AllowedPluginPath((allowed_ / "rule.so").string(), {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(ErrorCode::kPermissionDenied, none.error().code);
  EXPECT_NE(std::string::npos, none.error().message.find("--plugin-dir"));
  auto missing = plugins::AllowedPluginPath((allowed_ / "gone.so").string(), {allowed_});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ErrorCode::kNotFound, missing.error().code);
  auto directory = plugins::AllowedPluginPath((allowed_ / ".").string(), {allowed_});
  ASSERT_FALSE(directory.ok());
}

TEST(PluginJournalTest, Apply_ReplaysLoadsReloadsAndUnloadsOverTheConfiguration) {
  ScratchDir scratch;
  plugins::PluginJournal journal(scratch.path() / "plugins.jsonl");
  plugins::PluginSpec configured{"traffic_light", "/opt/tl.so", R"({"bad":1})"};
  plugins::PluginSpec loaded{"counting", "/opt/counting.so", R"({"a":1})"};
  loaded.all_chapters = false;
  loaded.limits.call_deadline = std::chrono::milliseconds(700);
  plugins::PluginSpec gone{"gone", "/opt/gone.so", ""};
  ASSERT_TRUE(journal.Loaded(loaded).ok());
  ASSERT_TRUE(journal.Loaded(gone).ok());
  ASSERT_TRUE(journal.Reloaded("traffic_light", R"({"fixed":2})").ok());
  ASSERT_TRUE(journal.Reloaded("counting", "").ok());
  ASSERT_TRUE(journal.Unloaded("gone").ok());
  std::ofstream(scratch.path() / "plugins.jsonl", std::ios::app) << "{\"event\": \"load";

  auto specs = journal.Apply({configured});
  ASSERT_EQ(2u, specs.size());
  EXPECT_EQ("traffic_light", specs[0].name);
  EXPECT_EQ(R"({"fixed":2})", specs[0].config_json);
  EXPECT_EQ("counting", specs[1].name);
  EXPECT_EQ("/opt/counting.so", specs[1].path);
  EXPECT_EQ(R"({"a":1})", specs[1].config_json);
  EXPECT_FALSE(specs[1].all_chapters);
  EXPECT_EQ(std::chrono::milliseconds(700), specs[1].limits.call_deadline);
}

}  // namespace
}  // namespace reciproca::testing
