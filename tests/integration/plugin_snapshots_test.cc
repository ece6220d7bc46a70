// Plugins that restart from their own snapshots (ABI 1.1), through the real server: the three
// shipped plugins out of process, a host process killed mid-meeting, restarts, and damaged or
// missing snapshots. A resumed plugin must answer as one replayed the whole log, and be replayed
// only what follows its snapshot (ListPlugins' events_seen counts what a process was delivered).

#include <signal.h>

#include <fstream>
#include <thread>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using namespace std::chrono_literals;
namespace pv1 = reciproca::plugin::v1;

const std::string kShippedPluginDir = RECIPROCA_SHIPPED_PLUGIN_DIR;
const char* const kShippedPlugins[] = {"leaderboard", "reciprocity", "traffic_light"};

class PluginSnapshotsTest : public ServerTest {
 protected:
  void SetUp() override {
    for (const char* name : kShippedPlugins) {
      plugins_.push_back({name, kShippedPluginDir + "/" + name + ".so", ""});
    }
    StartWithAChapter();
  }

  // The server with plugins_ (a snapshot every 10 events), a chapter and three members.
  void StartWithAChapter() {
    plugin_snapshot_every_events_ = 10;
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    lia_ = AddMember("rome", "Lia Neri", "Designer");
  }

  void Settle() { ASSERT_TRUE(server_->plugin_host().WaitIdle(30s)); }

  // `n` referrals among the three, acknowledged.
  void Referrals(int n) {
    const NewMember* who[] = {&ana_, &marco_, &lia_};
    for (int i = 0; i < n; ++i) {
      const NewMember& from = *who[i % 3];
      const NewMember& to = *who[(i % 3 + 1 + (i / 3) % 2) % 3];
      ASSERT_TRUE(GiveReferral(As(from.token), "rome", to.member.name(), 1 + i % 5).ok());
    }
  }

  v1::PluginInfo Info(const std::string& name) {
    for (const auto& info : server_->plugin_host().List()) {
      if (info.name() == name) {
        return info;
      }
    }
    ADD_FAILURE() << "plugin " << name << " not listed";
    return {};
  }

  // Until the plugin is ACTIVE again after `restarts` restarts.
  v1::PluginInfo WaitActive(const std::string& name, int64_t restarts) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    v1::PluginInfo info;
    while (std::chrono::steady_clock::now() < deadline) {
      info = Info(name);
      if (info.state() == v1::PLUGIN_STATE_ACTIVE && info.restarts() == restarts) {
        return info;
      }
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << name << " not active again: " << info.ShortDebugString();
    return info;
  }

  int64_t LastSeq() { return GetChapter("chapters/rome").last_seq(); }

  // Everything the three plugins answer about the chapter, as bytes.
  std::string Answers() {
    Settle();
    std::string out;
    v1::GetScoresRequest scores;
    scores.set_chapter("chapters/rome");
    pv1::Scores scores_out;
    EXPECT_TRUE(Invoke(admin(), [&](auto* c) {
                  return admin().insights().GetScores(c, scores, &scores_out);
                }).ok());
    out += scores_out.SerializeAsString();
    for (const char* board : {"referrals_given", "one_to_ones"}) {
      v1::GetLeaderboardRequest request;
      request.set_chapter("chapters/rome");
      request.set_board(board);
      request.set_window("all");
      pv1::Leaderboard leaderboard;
      EXPECT_TRUE(Invoke(admin(), [&](auto* c) {
                    return admin().insights().GetLeaderboard(c, request, &leaderboard);
                  }).ok());
      out += leaderboard.SerializeAsString();
    }
    for (const auto* who : {&ana_, &marco_, &lia_}) {
      v1::ListRemindersRequest reminders;
      reminders.set_chapter("chapters/rome");
      pv1::Reminders reminders_out;
      auto as = As(who->token);
      EXPECT_TRUE(Invoke(as, [&](auto* c) {
                    return as.insights().ListReminders(c, reminders, &reminders_out);
                  }).ok());
      out += reminders_out.SerializeAsString();
    }
    return out;
  }

  std::filesystem::path SnapshotOf(const std::string& name) const {
    return dir_.path() / "plugin-snapshots" / (name + ".snapshot");
  }

  NewMember ana_, marco_, lia_;
};

TEST_F(PluginSnapshotsTest, ACrashedPluginResumesFromItsSnapshotAndAnswersAsAFullReplay) {
  Referrals(40);
  Settle();
  const auto before = Info("traffic_light");
  ASSERT_GT(before.pid(), 0);
  ASSERT_TRUE(std::filesystem::exists(SnapshotOf("traffic_light")));

  // Mid-meeting: its process dies; referrals keep coming while it is down.
  ASSERT_EQ(0, kill(before.pid(), SIGKILL));
  Referrals(5);
  const auto resumed = WaitActive("traffic_light", 1);
  Settle();
  const int64_t last = LastSeq();
  // Replayed only what follows its last snapshot (one at most every 10 events), not the log.
  EXPECT_GT(Info("traffic_light").events_seen(), 0);
  EXPECT_LT(Info("traffic_light").events_seen(), 30) << "of " << last << " events";
  const std::string answers = Answers();

  // A plugin that never crashed: the same log replayed whole into fresh instances.
  StopServer();
  std::filesystem::remove_all(dir_.path() / "plugin-snapshots");
  StartServer();
  Settle();
  for (const char* name : kShippedPlugins) {
    EXPECT_EQ(LastSeq(), Info(name).events_seen()) << name << ": the whole log without snapshot";
  }
  EXPECT_EQ(answers, Answers());
}

TEST_F(PluginSnapshotsTest, ARestartResumesFromTheSnapshotsTakenAtStop) {
  Referrals(12);
  const std::string answers = Answers();
  RestartServer();
  Settle();
  for (const char* name : kShippedPlugins) {
    EXPECT_EQ(0, Info(name).events_seen()) << name << " was replayed what its snapshot covers";
  }
  EXPECT_EQ(answers, Answers());
  // And it goes on from there.
  Referrals(3);
  Settle();
  for (const char* name : kShippedPlugins) {
    EXPECT_LE(3, Info(name).events_seen()) << name;
  }
}

TEST_F(PluginSnapshotsTest, ADamagedSnapshotFallsBackToTheWholeLog) {
  Referrals(12);
  const std::string answers = Answers();
  StopServer();
  for (const char* name : kShippedPlugins) {
    const auto path = SnapshotOf(name);
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(std::filesystem::file_size(path) / 2));
    file.put('\x5a');
  }
  StartServer();
  Settle();
  for (const char* name : kShippedPlugins) {
    EXPECT_EQ(LastSeq(), Info(name).events_seen()) << name << " was replayed the whole log";
    EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info(name).state()) << name;
  }
  EXPECT_EQ(answers, Answers());
}

// A plugin without snapshot() and restore() (built against ABI 1.0, or not implementing them):
// a restart after a crash replays it the whole log, as before ABI 1.1.
class PluginWithoutSnapshotsTest : public PluginSnapshotsTest {
 protected:
  void SetUp() override {
    plugins_ = {{"counting", std::string(RECIPROCA_TEST_PLUGIN_DIR) + "/counting_v1.so", ""}};
    StartWithAChapter();
  }
};

TEST_F(PluginWithoutSnapshotsTest, GetsTheWholeLogAfterACrash) {
  Referrals(20);
  Settle();
  const auto before = Info("counting");
  ASSERT_EQ(0, kill(before.pid(), SIGKILL));
  Referrals(2);  // the next delivery finds it dead
  WaitActive("counting", 1);
  Settle();
  EXPECT_EQ(LastSeq(), Info("counting").events_seen());
  EXPECT_FALSE(std::filesystem::exists(SnapshotOf("counting")));
}

}  // namespace
}  // namespace reciproca::testing
