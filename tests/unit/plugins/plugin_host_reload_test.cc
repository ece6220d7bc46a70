// PluginHost::Reload: a new build of the file at the plugin's path replaces the running
// instance, rebuilds its state from the log, and records nothing twice; a build that cannot
// start leaves the old one running.

#include <gtest/gtest.h>

#include "server/plugins/plugin_host.h"
#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

class PluginReloadTest : public PluginHostTest {
 protected:
  void SetUp() override {
    PluginHostTest::SetUp();
    Install("counting_v1.so");
    auto loaded = Load("counting", installed_);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    // Replayed before any test reloads it: a reload refused during the replay leaves the plugin
    // LOADING for good (PluginHost::Reload restores the state the replay could not finish).
    ASSERT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("counting").state());
  }

  // Puts a build at the path the plugin is loaded from, as a build tool would.
  void Install(const std::string& build) {
    std::filesystem::copy_file(kPluginDir / build, installed_,
                               std::filesystem::copy_options::overwrite_existing);
  }

  // The band the counting plugin puts on Ana's score: its version.
  std::string AnswersAs() {
    pv1::Query query;
    query.set_chapter(kChapter);
    query.mutable_scores();
    auto answer = Ask(RECIPROCA_CAP_SCORES, query);
    EXPECT_TRUE(answer.ok()) << answer.error().message;
    return answer.ok() && answer->scores().scores_size() > 0 ? answer->scores().scores(0).band()
                                                             : "";
  }

  const std::filesystem::path installed_ = scratch_.path() / "counting.so";
};

TEST_F(PluginReloadTest, Reload_RunsTheNewBuildWithTheStateRebuiltAndRecordsNothingTwice) {
  GiveReferrals(3);
  EXPECT_EQ("1.0.0", AnswersAs());
  ASSERT_EQ(3u, RecordedOutputs().size());

  Install("counting_v2.so");
  auto reloaded = host_->Reload("counting", "");
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ("2.0.0", reloaded->version());
  EXPECT_EQ("2.0.0", AnswersAs());
  EXPECT_EQ(3, Scores()[ana_]);
  const v1::PluginInfo info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ(0, info.outputs_recorded());
  EXPECT_EQ(3u, RecordedOutputs().size());
  ASSERT_EQ(1u, host_->List().size());

  GiveReferrals(1);
  EXPECT_EQ(4, Scores()[ana_]);
  EXPECT_EQ(4u, RecordedOutputs().size());
}

TEST_F(PluginReloadTest, Reload_KeepsTheOldBuildRunningWhenTheNewOneIsRefused) {
  GiveReferrals(1);
  Install("abi_major_2.so");
  auto reloaded = host_->Reload("counting", "");
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, reloaded.error().code);
  EXPECT_NE(std::string::npos, reloaded.error().message.find("ABI 2.0"))
      << reloaded.error().message;

  const v1::PluginInfo info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ("1.0.0", info.version());
  GiveReferrals(1);
  EXPECT_EQ(2, Scores()[ana_]);
}

TEST_F(PluginReloadTest, Reload_WithNewConfigStartsWithIt) {
  GiveReferrals(1);
  auto refused = host_->Reload("counting", R"({"refuse": true})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, refused.error().code);
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("counting").state());

  auto bad = host_->Reload("counting", "{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, bad.error().code);

  const int64_t fail_at = store_.LastSeq(kChapter);
  auto reloaded = host_->Reload("counting", R"({"fail_at_seq": )" + std::to_string(fail_at) + "}");
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  const v1::PluginInfo info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_FAILED, info.state());
  EXPECT_EQ(fail_at, info.events_seen());
}

TEST_F(PluginReloadTest, Reload_OfAnUnloadedPluginStartsItAgain) {
  GiveReferrals(2);
  ASSERT_TRUE(host_->Unload("counting").ok());
  auto reloaded = host_->Reload("counting", "");
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("counting").state());
  EXPECT_EQ(2, Scores()[ana_]);

  auto unknown = host_->Reload("nobody", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(ErrorCode::kNotFound, unknown.error().code);
}

}  // namespace
}  // namespace reciproca::testing
