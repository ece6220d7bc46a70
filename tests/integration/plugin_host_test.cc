// The plugin host through the real server: load, replay, live events, outputs recorded once,
// restart and reload rebuilding the same state, unload, ABI checks, a failing plugin contained.

#include <atomic>
#include <fstream>
#include <thread>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
namespace pv1 = reciproca::plugin::v1;

class PluginHostTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  grpc::Status Load(const std::string& name, const std::string& path,
                    const std::string& config = "", v1::PluginInfo* out = nullptr) {
    v1::LoadPluginRequest request;
    request.set_name(name);
    request.set_path(path);
    request.set_config_json(config);
    request.set_scope(v1::PLUGIN_SCOPE_ALL_CHAPTERS);
    v1::PluginInfo info;
    auto context = admin().NewContext();
    auto status = admin().plugins().LoadPlugin(context.get(), request, &info);
    if (out) {
      *out = info;
    }
    return status;
  }

  v1::PluginInfo Info(const std::string& name) {
    EXPECT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(20)));
    v1::ListPluginsResponse list;
    auto context = admin().NewContext();
    EXPECT_TRUE(admin().plugins().ListPlugins(context.get(), {}, &list).ok());
    for (const auto& plugin : list.plugins()) {
      if (plugin.name() == name) {
        return plugin;
      }
    }
    ADD_FAILURE() << "no plugin " << name;
    return {};
  }

  std::map<std::string, int> Scores(grpc::Status* status_out = nullptr) {
    EXPECT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(20)));
    v1::GetScoresRequest request;
    request.set_chapter("chapters/rome");
    pv1::Scores scores;
    auto context = admin().NewContext();
    auto status = admin().insights().GetScores(context.get(), request, &scores);
    if (status_out) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    std::map<std::string, int> out;
    for (const auto& s : scores.scores()) {
      out[s.member()] = s.points();
    }
    return out;
  }

  void GiveReferrals(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
    }
  }

  NewMember ana_, marco_;
};

TEST_F(PluginHostTest, LoadReplaysTheLogThenFollowsLiveAndRecordsOutputsOnce) {
  GiveReferrals(3);
  v1::PluginInfo loaded;
  ASSERT_TRUE(Load("counting", kCounting, "", &loaded).ok());
  EXPECT_EQ("counting", loaded.plugin_name());
  EXPECT_EQ("1.0", loaded.abi_version());
  auto info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ(3, info.outputs_recorded());
  EXPECT_EQ(3, Scores()[ana_.member.name()]);

  GiveReferrals(2);
  EXPECT_EQ(5, Scores()[ana_.member.name()]);
  auto outputs = RecordedOutputs("chapters/rome");
  ASSERT_EQ(5u, outputs.size());
  EXPECT_EQ("plugin:counting", outputs[0].actor());
  EXPECT_EQ("counting", outputs[0].plugin_output().plugin());
  EXPECT_EQ(marco_.member.name(), outputs[0].plugin_output().output().reminder().member());
  // It saw every event of the log, its own outputs included.
  info = Info("counting");
  EXPECT_EQ(GetChapter("chapters/rome").last_seq(), info.events_seen());
}

TEST_F(PluginHostTest, RestartRebuildsTheSameStateAndRecordsNothingTwice) {
  plugins_ = {{"counting", kCounting, ""}};
  RestartServer();
  GiveReferrals(4);
  const auto before = Scores();
  ASSERT_EQ(4u, RecordedOutputs("chapters/rome").size());

  RestartServer();
  EXPECT_EQ(before, Scores());
  EXPECT_EQ(0, Info("counting").outputs_recorded());
  EXPECT_EQ(4u, RecordedOutputs("chapters/rome").size());
  GiveReferrals(1);
  EXPECT_EQ(5, Scores()[ana_.member.name()]);
  EXPECT_EQ(5u, RecordedOutputs("chapters/rome").size());
}

TEST_F(PluginHostTest, ReloadReplacesTheBuildLiveWhileEventsFlow) {
  std::filesystem::create_directories(dir_.path() / "plugins");
  const auto path = dir_.path() / "plugins" / "counting.so";
  std::filesystem::copy_file(kCounting, path);
  ASSERT_TRUE(Load("counting", path.string()).ok());
  GiveReferrals(3);

  std::atomic<bool> stop{false};
  std::atomic<int> given{0};
  std::thread writer([&] {
    while (!stop && given < 200) {
      if (GiveReferral(As(marco_.token), "rome", ana_.member.name(), 2).ok()) {
        ++given;
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::filesystem::copy_file(kPluginDir + "/counting_v2.so", path,
                             std::filesystem::copy_options::overwrite_existing);
  v1::ReloadPluginRequest reload;
  reload.set_name("counting");
  v1::PluginInfo reloaded;
  auto context = admin().NewContext();
  ASSERT_TRUE(admin().plugins().ReloadPlugin(context.get(), reload, &reloaded).ok());
  EXPECT_EQ("2.0.0", reloaded.version());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  writer.join();

  auto scores = Scores();
  EXPECT_EQ(3, scores[ana_.member.name()]);
  EXPECT_EQ(given.load(), scores[marco_.member.name()]);
  EXPECT_EQ(size_t(3 + given.load()), RecordedOutputs("chapters/rome").size())
      << "one output per referral";
  EXPECT_EQ("2.0.0", Info("counting").version());
  // v2 replayed the log with v1's keys and other content: refused as a reused request id,
  // which is not the plugin's error.
  EXPECT_EQ("", Info("counting").last_error());
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("counting").state());
}

TEST_F(PluginHostTest, UnloadStopsUsingItAndTheMeetingGoesOn) {
  ASSERT_TRUE(Load("counting", kCounting).ok());
  GiveReferrals(1);
  v1::UnloadPluginRequest unload;
  unload.set_name("counting");
  v1::PluginInfo info;
  auto context = admin().NewContext();
  ASSERT_TRUE(admin().plugins().UnloadPlugin(context.get(), unload, &info).ok());
  EXPECT_EQ(v1::PLUGIN_STATE_UNLOADED, info.state());
  GiveReferrals(1);
  grpc::Status status;
  Scores(&status);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_EQ(1u, RecordedOutputs("chapters/rome").size());
  // Loading it again under the same name works.
  ASSERT_TRUE(Load("counting", kCounting).ok());
  EXPECT_EQ(2, Scores()[ana_.member.name()]);
  EXPECT_EQ(2u, RecordedOutputs("chapters/rome").size());
}

TEST_F(PluginHostTest, AbiMismatchIsRefusedNamingBothVersions) {
  v1::PluginInfo info;
  auto status = Load("major", kPluginDir + "/abi_major_2.so", "", &info);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("ABI 2.0")) << status.error_message();
  EXPECT_NE(std::string::npos, status.error_message().find("ABI 1.1")) << status.error_message();
  status = Load("minor", kPluginDir + "/abi_minor_9.so", "", &info);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("1.9")) << status.error_message();
  EXPECT_NE(std::string::npos, status.error_message().find("newer")) << status.error_message();
  status = Load("none", kPluginDir + "/no_such_plugin.so");
  EXPECT_EQ(StatusCode::NOT_FOUND, status.error_code());
}

TEST_F(PluginHostTest, AFailingPluginIsMarkedFailedAndNothingElseIsAffected) {
  ASSERT_TRUE(Load("healthy", kCounting).ok());
  ASSERT_TRUE(Load("broken", kPluginDir + "/counting_v2.so", R"({"fail_at_seq": 5})").ok());
  GiveReferrals(4);
  auto broken = Info("broken");
  EXPECT_EQ(v1::PLUGIN_STATE_FAILED, broken.state());
  EXPECT_NE(std::string::npos, broken.last_error().find("told to fail at seq 5"))
      << broken.last_error();
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("healthy").state());
  EXPECT_EQ(4, Scores()[ana_.member.name()]);
  GiveReferrals(1);
  EXPECT_EQ(5, Scores()[ana_.member.name()]);
}

TEST_F(PluginHostTest, BadRequestsAreRejected) {
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, Load("counting", kCounting, "{not json").error_code());
  auto refused = Load("counting", kCounting, R"({"refuse": true})");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, refused.error_code());
  EXPECT_NE(std::string::npos, refused.error_message().find("refuse")) << refused.error_message();
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, Load("Bad Name!", kCounting).error_code());
  ASSERT_TRUE(Load("counting", kCounting).ok());
  EXPECT_EQ(StatusCode::ALREADY_EXISTS, Load("counting", kCounting).error_code());

  // Only the admin manages plugins.
  auto ana = As(ana_.token);
  v1::ListPluginsResponse list;
  auto context = ana.NewContext();
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            ana.plugins().ListPlugins(context.get(), {}, &list).error_code());

  // Reminders are personal.
  GiveReferrals(1);
  ASSERT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(20)));
  v1::ListRemindersRequest reminders;
  reminders.set_chapter("chapters/rome");
  reminders.set_member(marco_.member.name());
  pv1::Reminders answer;
  context = ana.NewContext();
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            ana.insights().ListReminders(context.get(), reminders, &answer).error_code());
  auto marco = As(marco_.token);
  reminders.clear_member();
  context = marco.NewContext();
  ASSERT_TRUE(marco.insights().ListReminders(context.get(), reminders, &answer).ok());
  ASSERT_EQ(1, answer.reminders_size());
  EXPECT_EQ(marco_.member.name(), answer.reminders(0).member());
  // A query the plugin does not understand is the caller's error, and the plugin carries on.
  v1::GetLeaderboardRequest board;
  board.set_chapter("chapters/rome");
  plugin::v1::Leaderboard leaderboard;
  context = admin().NewContext();
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION,
            admin().insights().GetLeaderboard(context.get(), board, &leaderboard).error_code());
}

}  // namespace
}  // namespace reciproca::testing
