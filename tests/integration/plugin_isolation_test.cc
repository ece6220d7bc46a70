// Plugins out of process, through the real server while a meeting runs: the hostile plugin
// (tests/plugins/fixtures/hostile_plugin.cc) crashes, hangs, leaks, floods, speaks garbage,
// writes into another chapter and reads the data directory; each time the referrals keep being
// acknowledged promptly, a healthy plugin keeps answering, and nothing acknowledged is lost.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
using namespace std::chrono_literals;
namespace pv1 = reciproca::plugin::v1;

// A referral is acknowledged within this, whatever a plugin does (normal: a few ms).
constexpr auto kAckBound = 2s;

class PluginIsolationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    ASSERT_TRUE(Load("healthy", kCounting).ok());
  }

  void TearDown() override {
    StopMeeting();
    ServerTest::TearDown();
  }

  grpc::Status Load(const std::string& name, const std::string& path,
                    const std::string& config = "", uint32_t call_deadline_ms = 0,
                    uint32_t memory_mib = 0) {
    v1::LoadPluginRequest request;
    request.set_name(name);
    request.set_path(path);
    request.set_config_json(config);
    request.mutable_limits()->set_call_deadline_ms(call_deadline_ms);
    request.mutable_limits()->set_memory_mib(memory_mib);
    request.set_scope(v1::PLUGIN_SCOPE_ALL_CHAPTERS);
    v1::PluginInfo info;
    return Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().plugins().LoadPlugin(c, request, &info);
    });
  }

  std::optional<v1::PluginInfo> Find(const std::string& name) {
    v1::ListPluginsResponse list;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().plugins().ListPlugins(c, {}, &list);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& plugin : list.plugins()) {
      if (plugin.name() == name) {
        return plugin;
      }
    }
    return std::nullopt;
  }

  // Polls ListPlugins until `done` holds for the plugin (the test fails after `timeout`).
  v1::PluginInfo WaitFor(const std::string& name,
                         const std::function<bool(const v1::PluginInfo&)>& done,
                         std::chrono::seconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<v1::PluginInfo> info;
    while (std::chrono::steady_clock::now() < deadline) {
      info = Find(name);
      if (info && done(*info)) {
        return *info;
      }
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "plugin " << name << " never reached the state; last: "
                  << (info ? info->ShortDebugString() : "not listed");
    return info.value_or(v1::PluginInfo{});
  }

  v1::PluginInfo WaitForState(const std::string& name, v1::PluginState state,
                              std::chrono::seconds timeout = 30s) {
    return WaitFor(
        name, [state](const v1::PluginInfo& p) { return p.state() == state; }, timeout);
  }

  // Until its process crashed at least once.
  v1::PluginInfo WaitForCrash(const std::string& name) {
    return WaitFor(name, [](const v1::PluginInfo& p) {
      return p.state() == v1::PLUGIN_STATE_RESTARTING || p.restarts() > 0;
    });
  }

  // Loads the hostile plugin with `config` while the meeting runs; it must end FAILED with a
  // last error that says `why`, and the meeting go on.
  void ExpectFailedSaying(const std::string& config, const std::string& why) {
    StartMeeting();
    ASSERT_TRUE(Load("hostile", kHostile, config).ok());
    auto failed = WaitForState("hostile", v1::PLUGIN_STATE_FAILED);
    EXPECT_NE(std::string::npos, failed.last_error().find(why)) << failed.last_error();
    ExpectTheMeetingWentOn();
  }

  grpc::Status Scores(std::map<std::string, int>* out) {
    v1::GetScoresRequest request;
    request.set_chapter("chapters/rome");
    pv1::Scores scores;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().insights().GetScores(c, request, &scores);
    });
    for (const auto& s : scores.scores()) {
      (*out)[s.member()] = s.points();
    }
    return status;
  }

  // The meeting: referrals given one after another on a thread, each timed.
  void StartMeeting() {
    meeting_ = std::thread([this] {
      while (!stop_) {
        const auto start = std::chrono::steady_clock::now();
        auto status = GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3);
        const auto took = std::chrono::steady_clock::now() - start;
        if (status.ok()) {
          ++acknowledged_;
        } else {
          ++refused_;
        }
        slowest_ = std::max<int64_t>(
            slowest_, std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
        std::this_thread::sleep_for(pace_);
      }
    });
  }

  void StopMeeting() {
    stop_ = true;
    if (meeting_.joinable()) {
      meeting_.join();
    }
  }

  // Ends the meeting and checks it went on: every referral acknowledged promptly, the healthy
  // plugin saw them all, and (after a restart of the server) nothing acknowledged is lost.
  void ExpectTheMeetingWentOn() {
    // A meeting of a few referrals at least, however loaded the machine.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (acknowledged_ < 5 && refused_ == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    StopMeeting();
    EXPECT_EQ(0, refused_.load());
    EXPECT_GT(acknowledged_.load(), 3);
    EXPECT_LT(slowest_.load(),
              std::chrono::duration_cast<std::chrono::milliseconds>(kAckBound).count())
        << "a referral took that long to be acknowledged";
    const int expected = acknowledged_.load() + extra_referrals_;
    // "healthy" sorts before "hostile": it answers the scores.
    std::map<std::string, int> scores;
    const auto scored_by = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < scored_by &&
           (!Scores(&scores).ok() || scores[ana_.member.name()] != expected)) {
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(expected, scores[ana_.member.name()]) << "the healthy plugin saw every referral";
    const auto healthy = Find("healthy");
    ASSERT_TRUE(healthy);
    EXPECT_EQ(v1::PLUGIN_ISOLATION_OUT_OF_PROCESS, healthy->isolation());
    EXPECT_GT(healthy->pid(), 0);
    size_t referrals = 0;
    for (const auto& e :
         ReadEvents(admin(), "chapters/rome", 0, GetChapter("chapters/rome").last_seq())) {
      referrals += e.has_referral_given() ? 1 : 0;
    }
    EXPECT_EQ(size_t(expected), referrals) << "every acknowledged referral is in the log";
  }

  NewMember ana_, marco_;
  std::thread meeting_;
  std::atomic<bool> stop_{false};
  std::atomic<int> acknowledged_{0};
  std::atomic<int> refused_{0};
  std::atomic<int64_t> slowest_{0};
  // Referrals given outside the meeting thread.
  int extra_referrals_ = 0;
  // The pause between two referrals of the meeting.
  std::chrono::milliseconds pace_{10};
};

TEST_F(PluginIsolationTest, PluginsRunOutOfProcessByDefaultInTheirSandbox) {
  auto healthy = Find("healthy");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(v1::PLUGIN_ISOLATION_OUT_OF_PROCESS, healthy->isolation());
  EXPECT_GT(healthy->pid(), 0);
  EXPECT_NE(getpid(), healthy->pid());
  EXPECT_GT(healthy->memory_bytes(), 0);
  EXPECT_EQ(5000u, healthy->limits().call_deadline_ms());
  EXPECT_NE(std::string::npos, healthy->sandbox().find("Landlock")) << healthy->sandbox();
  // In process only when asked.
  v1::LoadPluginRequest request;
  request.set_name("trusted");
  request.set_path(kCounting);
  request.set_isolation(v1::PLUGIN_ISOLATION_IN_PROCESS);
  request.set_scope(v1::PLUGIN_SCOPE_ALL_CHAPTERS);
  v1::PluginInfo trusted;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().LoadPlugin(c, request, &trusted);
              }).ok());
  EXPECT_EQ(v1::PLUGIN_ISOLATION_IN_PROCESS, trusted.isolation());
  EXPECT_EQ(0, trusted.pid());
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
  auto in_process = WaitFor("trusted", [](const v1::PluginInfo& p) {
    return p.outputs_recorded() == 1 && p.state() == v1::PLUGIN_STATE_ACTIVE;
  });
  EXPECT_GT(in_process.mean_call_micros() + in_process.max_call_micros(), 0);
}

TEST_F(PluginIsolationTest, ASegfaultInOnEventRestartsWithBackoffThenQuarantines) {
  StartMeeting();
  ASSERT_TRUE(Load("hostile", kHostile, R"({"mode": "segfault", "seq": 3})").ok());
  WaitFor("hostile",
          [](const v1::PluginInfo& p) { return p.state() == v1::PLUGIN_STATE_RESTARTING; });
  auto quarantined = WaitForState("hostile", v1::PLUGIN_STATE_QUARANTINED, 60s);
  EXPECT_EQ(4, quarantined.restarts());
  EXPECT_NE(std::string::npos, quarantined.last_error().find("signal 11"))
      << quarantined.last_error();
  EXPECT_NE(std::string::npos, quarantined.last_error().find("quarantined"));
  EXPECT_EQ(0, quarantined.pid());
  ExpectTheMeetingWentOn();
  // Quarantined until an admin reloads it (with a config that behaves).
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(v1::PLUGIN_STATE_QUARANTINED, Find("hostile")->state());
  v1::ReloadPluginRequest reload;
  reload.set_name("hostile");
  reload.set_config_json("{}");
  v1::PluginInfo reloaded;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().ReloadPlugin(c, reload, &reloaded);
              }).ok());
  WaitForState("hostile", v1::PLUGIN_STATE_ACTIVE);
}

TEST_F(PluginIsolationTest, AbortAndExitInCreateAreRefusedAndTheServerGoesOn) {
  StartMeeting();
  auto aborted = Load("hostile", kHostile, R"({"mode": "abort", "at": "create"})");
  EXPECT_EQ(StatusCode::UNAVAILABLE, aborted.error_code());
  EXPECT_NE(std::string::npos, aborted.error_message().find("signal 6")) << aborted.error_message();
  auto exited = Load("hostile", kHostile, R"({"mode": "exit", "at": "create"})");
  EXPECT_EQ(StatusCode::UNAVAILABLE, exited.error_code());
  EXPECT_NE(std::string::npos, exited.error_message().find("exited with status 0"))
      << exited.error_message();
  auto refused = Load("hostile", kHostile, R"({"mode": "error", "at": "create"})");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, refused.error_code());
  EXPECT_NE(std::string::npos, refused.error_message().find("told to fail"))
      << refused.error_message();
  EXPECT_FALSE(Find("hostile"));
  ExpectTheMeetingWentOn();
}

TEST_F(PluginIsolationTest, AHangInCreateOrOnEventIsKilledAtTheDeadline) {
  StartMeeting();
  const auto start = std::chrono::steady_clock::now();
  auto hung = Load("hostile", kHostile, R"({"mode": "hang", "at": "create"})", 500);
  EXPECT_EQ(StatusCode::UNAVAILABLE, hung.error_code());
  EXPECT_NE(std::string::npos, hung.error_message().find("within 1000 ms")) << hung.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);

  ASSERT_TRUE(Load("hostile", kHostile, R"({"mode": "hang", "seq": 4})", 500).ok());
  auto restarting = WaitFor(
      "hostile", [](const v1::PluginInfo& p) { return p.state() == v1::PLUGIN_STATE_RESTARTING; });
  EXPECT_NE(std::string::npos, restarting.last_error().find("no answer to on_event within 500 ms"))
      << restarting.last_error();
  EXPECT_NE(std::string::npos, restarting.last_error().find("signal 9")) << restarting.last_error();
  ExpectTheMeetingWentOn();
}

TEST_F(PluginIsolationTest, AnExceptionEscapingTheAbiIsACrashWithItsStderr) {
  StartMeeting();
  ASSERT_TRUE(Load("hostile", kHostile, R"({"mode": "throw", "seq": 3})").ok());
  auto restarting = WaitForCrash("hostile");
  EXPECT_NE(std::string::npos, restarting.last_error().find("signal 6")) << restarting.last_error();
  EXPECT_NE(std::string::npos, restarting.last_error().find("escaping the C ABI"))
      << "the last lines of its stderr: " << restarting.last_error();
  ExpectTheMeetingWentOn();
}

TEST_F(PluginIsolationTest, ALeakHitsTheMemoryLimitOfItsOwnProcess) {
  StartMeeting();
  ASSERT_TRUE(Load("hostile", kHostile, R"({"mode": "leak", "seq": 3})", 0, 256).ok());
  auto crashed = WaitForCrash("hostile");
  EXPECT_NE(std::string::npos, crashed.last_error().find("signal 6")) << crashed.last_error();
  EXPECT_EQ(256u, crashed.limits().memory_mib());
  ExpectTheMeetingWentOn();
}

TEST_F(PluginIsolationTest, GarbageOutputFailsThePluginNamingIt) {
  ExpectFailedSaying(R"({"mode": "garbage", "seq": 3})", "not a reciproca.plugin.v1.Output");
}

TEST_F(PluginIsolationTest, AFloodIsBoundedAndRecordsNothing) {
  ExpectFailedSaying(R"({"mode": "flood", "seq": 3})", "outputs in one call");
  for (const auto& output : RecordedOutputs("chapters/rome")) {
    EXPECT_EQ(std::string::npos, output.plugin_output().output().key().find("flood:"));
  }
}

TEST_F(PluginIsolationTest, AnOutputIntoAnotherChapterFailsThePlugin) {
  CreateChapter("other");
  ExpectFailedSaying(R"({"mode": "cross"})", "only into the chapter of the event");
  EXPECT_TRUE(RecordedOutputs("chapters/other").empty());
}

TEST_F(PluginIsolationTest, ASlowPluginDelaysNobodyAndCatchesUp) {
  // 200 ms per event: the meeting writes faster than it reads.
  pace_ = 50ms;
  StartMeeting();
  ASSERT_TRUE(Load("hostile", kHostile, R"({"mode": "slow", "every": true})").ok());
  std::this_thread::sleep_for(1500ms);
  EXPECT_GT(Find("hostile")->events_behind(), 0);
  ExpectTheMeetingWentOn();
  // Each of its reminders is an event too: it is done when it is live with nothing behind.
  auto caught_up = WaitFor(
      "hostile",
      [&](const v1::PluginInfo& p) {
        return p.state() == v1::PLUGIN_STATE_ACTIVE && p.events_behind() == 0 &&
               p.events_seen() == GetChapter("chapters/rome").last_seq();
      },
      120s);
  EXPECT_GE(caught_up.max_call_micros(), 200000);
}

TEST_F(PluginIsolationTest, QueriesFallBackWhenAPluginCrashesHangsOrAnswersGarbage) {
  StartMeeting();
  std::this_thread::sleep_for(100ms);
  // "a-…" sorts before "healthy": it is asked first.
  ASSERT_TRUE(Load("a-crash", kHostile, R"({"mode": "segfault", "at": "query"})").ok());
  std::map<std::string, int> scores;
  auto status = Scores(&scores);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(scores[ana_.member.name()], 0) << "answered by healthy";
  // It restarts, catches up, and is live again (it only crashes when asked).
  auto back = WaitFor("a-crash", [](const v1::PluginInfo& p) {
    return p.restarts() == 1 && p.state() == v1::PLUGIN_STATE_ACTIVE;
  });
  EXPECT_NE(std::string::npos, back.last_error().find("query")) << back.last_error();

  ASSERT_TRUE(Load("a-garbage", kHostile, R"({"mode": "garbage", "at": "query"})").ok());
  ASSERT_TRUE(Load("a-hang", kHostile, R"({"mode": "hang", "at": "query"})", 500).ok());
  WaitForState("a-garbage", v1::PLUGIN_STATE_ACTIVE);
  WaitForState("a-hang", v1::PLUGIN_STATE_ACTIVE);
  scores.clear();
  const auto start = std::chrono::steady_clock::now();
  status = Scores(&scores);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
  auto garbage = WaitForState("a-garbage", v1::PLUGIN_STATE_FAILED);
  EXPECT_NE(std::string::npos, garbage.last_error().find("not a reciproca.plugin.v1.QueryAnswer"))
      << garbage.last_error();

  // An answer of another kind than the query's is as wrong as garbage (found by the
  // plugin_output fuzzer, tests/fuzz: it was INTERNAL).
  ASSERT_TRUE(Load("a-wrong", kHostile, R"({"mode": "wrong", "at": "query"})").ok());
  WaitForState("a-wrong", v1::PLUGIN_STATE_ACTIVE);
  scores.clear();
  status = Scores(&scores);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(scores[ana_.member.name()], 0) << "answered by healthy";
  auto wrong = WaitForState("a-wrong", v1::PLUGIN_STATE_FAILED);
  EXPECT_NE(std::string::npos, wrong.last_error().find("QueryAnswer of another kind"))
      << wrong.last_error();

  // With nobody else to ask, a crashing plugin's query is UNAVAILABLE, promptly.
  for (const auto* name : {"healthy", "a-garbage", "a-hang", "a-wrong"}) {
    v1::UnloadPluginRequest unload;
    unload.set_name(name);
    v1::PluginInfo info;
    ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().plugins().UnloadPlugin(c, unload, &info);
                }).ok());
  }
  WaitForState("a-crash", v1::PLUGIN_STATE_ACTIVE);
  status = Scores(&scores);
  EXPECT_EQ(StatusCode::UNAVAILABLE, status.error_code()) << status.error_message();
  EXPECT_NE(std::string::npos, status.error_message().find("retry")) << status.error_message();
  StopMeeting();
}

TEST_F(PluginIsolationTest, APluginCannotReadTheDataDirectory) {
  const auto token = (dir_.path() / "admin.token").string();
  const auto database = (dir_.path() / "reciproca.db").string();
  ASSERT_TRUE(std::filesystem::exists(token));
  ASSERT_TRUE(std::filesystem::exists(database));
  ASSERT_TRUE(Load("a-reader", kHostile,
                   R"({"mode": "read", "paths": [")" + token + R"(", ")" + database + R"("]})")
                  .ok());
  WaitForState("a-reader", v1::PLUGIN_STATE_ACTIVE);
  v1::GetScoresRequest request;
  request.set_chapter("chapters/rome");
  pv1::Scores answer;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().insights().GetScores(c, request, &answer);
              }).ok());
  std::map<std::string, pv1::MemberScore> tried;
  for (const auto& s : answer.scores()) {
    tried[s.member()] = s;
  }
  for (const auto& path : {token, database, token + ".hostile"}) {
    ASSERT_TRUE(tried.count(path)) << path;
    EXPECT_EQ(0, tried[path].points()) << path << " was opened by the plugin";
    EXPECT_EQ("Permission denied", tried[path].band()) << path;
  }
  EXPECT_FALSE(std::filesystem::exists(token + ".hostile"));
}

TEST_F(PluginIsolationTest, ACrashDuringTheReplayAtStartNeverStopsTheServer) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).ok());
  }
  extra_referrals_ = 3;
  plugins_ = {{"healthy", kCounting, ""},
              {"hostile", kHostile, R"({"mode": "segfault", "seq": 2})"}};
  RestartServer();
  StartMeeting();
  WaitForCrash("hostile");
  ExpectTheMeetingWentOn();
}

// The real binary: SIGKILL leaves no plugin host behind; SIGTERM finishes within its bound
// although a plugin hangs.
class PluginHostProcessTest : public ::testing::Test {
 protected:
  // Starts reciprocad with the hostile plugin (config `hostile_config`) and the counting one;
  // returns its pid once a plugin host of its runs, with that host's pid in *host.
  pid_t StartServer(const std::string& hostile_config, pid_t* host) {
    const auto config = dir_.path() / "config.json";
    std::ofstream(config) << R"({"listen": "127.0.0.1:0", "data-dir": ")"
                          << (dir_.path() / "data").string() << R"(", "plugins": [)"
                          << R"({"name": "counting", "path": ")" << kCounting << R"("},)"
                          << R"({"name": "hostile", "path": ")" << kHostile << R"(", "config": )"
                          << hostile_config << R"(, "limits": {"call_deadline_ms": 500}}]})";
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string log = (dir_.path() / "server.log").string();
      freopen(log.c_str(), "w", stderr);
      execl(RECIPROCAD_PATH, RECIPROCAD_PATH, "--config", config.c_str(), nullptr);
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      *host = ChildOf(pid);
      if (*host > 0) {
        return pid;
      }
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "no plugin host started";
    return pid;
  }

  // A process whose parent is `parent`, or 0.
  static pid_t ChildOf(pid_t parent) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) {
        continue;
      }
      std::ifstream stat(entry.path() / "stat");
      std::string line;
      std::getline(stat, line);
      // pid (comm) state ppid ...
      const auto close = line.rfind(')');
      if (close == std::string::npos) {
        continue;
      }
      std::istringstream rest(line.substr(close + 2));
      char state;
      pid_t ppid;
      rest >> state >> ppid;
      if (ppid == parent && line.find("reciproca-plug") != std::string::npos) {
        return std::stoi(name);
      }
    }
    return 0;
  }

  static bool Alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    return close != std::string::npos && line[close + 2] != 'Z';
  }

  TempDir dir_;
};

TEST_F(PluginHostProcessTest, ASigkilledServerLeavesNoPluginHostBehind) {
  pid_t host = 0;
  const pid_t server = StartServer("{}", &host);
  ASSERT_GT(host, 0);
  ASSERT_TRUE(Alive(host));
  kill(server, SIGKILL);
  int status;
  waitpid(server, &status, 0);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (Alive(host) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_FALSE(Alive(host)) << "plugin host " << host << " outlived its server";
}

TEST_F(PluginHostProcessTest, SigtermFinishesWithinItsBoundWhateverThePluginsDo) {
  pid_t host = 0;
  // Hangs in every query and tick; the deadline kills it and it restarts, again and again.
  const pid_t server = StartServer(R"({"mode": "hang", "at": "tick"})", &host);
  ASSERT_GT(host, 0);
  std::this_thread::sleep_for(300ms);
  const auto start = std::chrono::steady_clock::now();
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_FALSE(Alive(host));
}

}  // namespace
}  // namespace reciproca::testing
