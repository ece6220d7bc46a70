// PluginHost: loading, the replay of the log, live delivery in order, outputs recorded as
// events once, queries, and a failing plugin contained.

#include "server/plugins/plugin_host.h"

#include <gtest/gtest.h>

#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

const auto kCountingV1 = kPluginDir / "counting_v1.so";

TEST_F(PluginHostTest, Load_ReplaysTheLogThenFollowsLiveEvents) {
  GiveReferrals(3);
  auto loaded = Load("counting", kCountingV1);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ("counting", loaded->plugin_name());
  EXPECT_EQ("1.0.0", loaded->version());
  EXPECT_EQ("1.0", loaded->abi_version());
  EXPECT_EQ((std::vector<std::string>{"scores", "reminders"}),
            std::vector<std::string>(loaded->capabilities().begin(), loaded->capabilities().end()));

  v1::PluginInfo info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ(3, Scores()[ana_]);

  GiveReferrals(2);
  EXPECT_EQ(5, Scores()[ana_]);
  // Every event of the log once, the outputs it caused included.
  info = Info("counting");
  EXPECT_EQ(store_.LastSeq(kChapter), info.events_seen());
  EXPECT_EQ("", info.last_error());
}

TEST_F(PluginHostTest, Load_RecordsEachOutputOnceAsAnEventOfThePlugin) {
  const auto referrals = GiveReferrals(2);
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  GiveReferrals(1);
  const auto outputs = RecordedOutputs();
  ASSERT_EQ(3u, outputs.size());
  EXPECT_EQ(3, Info("counting").outputs_recorded());
  for (size_t i = 0; i < referrals.size(); ++i) {
    EXPECT_EQ("plugin:counting", outputs[i].actor());
    EXPECT_EQ("counting", outputs[i].plugin_output().plugin());
    EXPECT_EQ("thank:" + referrals[i].name(), outputs[i].plugin_output().output().key());
    EXPECT_EQ(bruno_, outputs[i].plugin_output().output().reminder().member());
  }

  // Unloaded and loaded again, it replays the whole log and emits the same outputs again:
  // their request ids make them no-ops.
  ASSERT_TRUE(host_->Unload("counting").ok());
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  EXPECT_EQ(0, Info("counting").outputs_recorded());
  EXPECT_EQ(3u, RecordedOutputs().size());
  EXPECT_EQ(3, Scores()[ana_]);
}

TEST_F(PluginHostTest, Load_RefusesWhatItCannotStart) {
  auto refused = Load("counting", kCountingV1, R"({"refuse": true})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, refused.error().code);
  EXPECT_NE(std::string::npos, refused.error().message.find("refused to start"))
      << refused.error().message;

  auto major = Load("major", kPluginDir / "abi_major_2.so");
  ASSERT_FALSE(major.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, major.error().code);
  EXPECT_NE(std::string::npos, major.error().message.find("ABI 2.0")) << major.error().message;

  auto missing = Load("missing", kPluginDir / "no_such_plugin.so");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ErrorCode::kNotFound, missing.error().code);
  EXPECT_TRUE(host_->List().empty());
}

TEST_F(PluginHostTest, Load_ChecksNameAndConfigBeforeOpeningTheFile) {
  for (const auto& [name, config] : std::vector<std::pair<std::string, std::string>>{
           {"Bad Name", ""}, {"counting", "{not json"}}) {
    auto loaded = Load(name, kCountingV1, config);
    ASSERT_FALSE(loaded.ok()) << name;
    EXPECT_EQ(ErrorCode::kInvalidArgument, loaded.error().code) << loaded.error().message;
  }
  auto no_path = host_->Load(plugins::PluginSpec{"counting", "", ""});
  ASSERT_FALSE(no_path.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, no_path.error().code);
}

TEST_F(PluginHostTest, Load_OfALoadedNameIsAlreadyExists) {
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  auto again = Load("counting", kCountingV1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(ErrorCode::kAlreadyExists, again.error().code);
}

TEST_F(PluginHostTest, Load_WithoutANameUsesTheFileName) {
  auto loaded = host_->Load(plugins::PluginSpec{"", kCountingV1.string(), ""});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ("counting_v1", loaded->name());
}

TEST_F(PluginHostTest, OnCommitted_SkipsEventsTheReplayDelivered) {
  GiveReferrals(2);
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  const int64_t seen = Info("counting").events_seen();
  ASSERT_EQ(store_.LastSeq(kChapter), seen);

  // The same events once more, as a commit that raced the replay would bring them.
  std::vector<stream::FeedEvent> again;
  for (const store::StoredEvent& event : store_.Events(kChapter)) {
    again.push_back(stream::FeedEvent{event.seq, stream::SharedBytes(event.bytes), nullptr});
  }
  host_->OnCommitted(kChapter, again);
  EXPECT_EQ(seen, Info("counting").events_seen());
  EXPECT_EQ(2, Scores()[ana_]);
}

TEST_F(PluginHostTest, OnCommitted_FillsAGapFromTheStoreFirstInSeqOrder) {
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  ASSERT_TRUE(host_->WaitIdle(kAnswerTimeout));
  // Commits the host does not hear of: its cursor falls behind the log.
  engine_->SetCommitObserver(nullptr);
  const auto referrals = GiveReferrals(3);
  ASSERT_TRUE(host_->WaitIdle(kAnswerTimeout));
  const store::StoredEvent last = store_.Events(kChapter).back();

  host_->OnCommitted(kChapter,
                     {stream::FeedEvent{last.seq, stream::SharedBytes(last.bytes), nullptr}});
  EXPECT_EQ(last.seq, Info("counting").events_seen());
  pv1::Query query;
  query.set_chapter(kChapter);
  query.mutable_reminders()->set_member(bruno_);
  auto answer = Ask(RECIPROCA_CAP_REMINDERS, query);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  ASSERT_EQ(3, answer->reminders().reminders_size());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ("thank:" + referrals[static_cast<size_t>(i)].name(),
              answer->reminders().reminders(i).id());
  }
}

TEST_F(PluginHostTest, Query_IsAnsweredByAPluginWithTheCapability) {
  pv1::Query query;
  query.set_chapter(kChapter);
  query.mutable_scores();
  auto none = Ask(RECIPROCA_CAP_SCORES, query);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, none.error().code);

  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  GiveReferrals(1);
  auto answer = Ask(RECIPROCA_CAP_SCORES, query);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  ASSERT_EQ(1, answer->scores().scores_size());
  EXPECT_EQ(ana_, answer->scores().scores(0).member());
  EXPECT_EQ(1, answer->scores().scores(0).points());

  auto leaderboard = Ask(RECIPROCA_CAP_LEADERBOARD, query);
  ASSERT_FALSE(leaderboard.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, leaderboard.error().code);
}

TEST_F(PluginHostTest, Query_ThePluginRefusesIsInvalidArgumentNamingThePlugin) {
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  pv1::Query query;
  query.set_chapter(kChapter);
  query.mutable_leaderboard();
  auto refused = Ask(RECIPROCA_CAP_SCORES, query);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, refused.error().code);
  EXPECT_NE(std::string::npos, refused.error().message.find("plugin counting"))
      << refused.error().message;
}

TEST_F(PluginHostTest, FailingPlugin_IsMarkedFailedAndOthersGoOn) {
  ASSERT_TRUE(Load("healthy", kCountingV1).ok());
  const int64_t fail_at = store_.LastSeq(kChapter) + 2;
  ASSERT_TRUE(Load("broken", kPluginDir / "counting_v2.so",
                   R"({"fail_at_seq": )" + std::to_string(fail_at) + "}")
                  .ok());
  GiveReferrals(4);

  const v1::PluginInfo broken = Info("broken");
  EXPECT_EQ(v1::PLUGIN_STATE_FAILED, broken.state());
  EXPECT_NE(std::string::npos, broken.last_error().find("told to fail")) << broken.last_error();
  EXPECT_EQ(fail_at, broken.events_seen());
  const v1::PluginInfo healthy = Info("healthy");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, healthy.state());
  EXPECT_EQ(store_.LastSeq(kChapter), healthy.events_seen());
  // Queries pass over the failed plugin to the healthy one.
  EXPECT_EQ(4, Scores()[ana_]);
}

TEST_F(PluginHostTest, Unload_StopsDeliveryAndAnswers) {
  ASSERT_TRUE(Load("counting", kCountingV1).ok());
  GiveReferrals(1);
  ASSERT_EQ(1u, RecordedOutputs().size());  // delivered and recorded before the unload
  auto unloaded = host_->Unload("counting");
  ASSERT_TRUE(unloaded.ok()) << unloaded.error().message;
  EXPECT_EQ(v1::PLUGIN_STATE_UNLOADED, unloaded->state());
  const int64_t seen = Info("counting").events_seen();
  GiveReferrals(2);
  EXPECT_EQ(seen, Info("counting").events_seen());
  EXPECT_EQ(1u, RecordedOutputs().size());

  pv1::Query query;
  query.mutable_scores();
  auto answer = Ask(RECIPROCA_CAP_SCORES, query);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, answer.error().code);
  auto again = host_->Unload("counting");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, again.error().code);
  auto unknown = host_->Unload("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(ErrorCode::kNotFound, unknown.error().code);
}

}  // namespace
}  // namespace reciproca::testing
