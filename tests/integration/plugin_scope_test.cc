// Plugins scoped to chapters and to the server's plugin directories, through the real server:
// LoadPlugin only from the plugin directories; a plugin enabled per chapter (by the admin or
// that chapter's organizers, with that chapter's config) receives only those chapters' events,
// answers only their queries, and sees outside referrals' contacts only with the capability;
// load, reload, unload, enable and config changes survive a restart; a crashed plugin catches
// up with what was committed while it was down, recording nothing twice.

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "integration/error_reason.h"
#include "integration/http_client.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
using namespace std::chrono_literals;
namespace pv1 = reciproca::plugin::v1;

class PluginScopeTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    CreateChapter("rio");
    ana_ = AddMember("rome", "Ana Rossi", "Florist", v1::ROLE_PRESIDENT);
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    joao_ = AddMember("rio", "Joao Silva", "Baker", v1::ROLE_PRESIDENT);
    lia_ = AddMember("rio", "Lia Costa", "Painter");
  }

  grpc::Status Load(const std::string& name, const std::string& path,
                    const std::string& config = "", v1::PluginInfo* out = nullptr,
                    v1::PluginScope scope = v1::PLUGIN_SCOPE_ENABLED_CHAPTERS) {
    v1::LoadPluginRequest request;
    request.set_name(name);
    request.set_path(path);
    request.set_config_json(config);
    request.set_scope(scope);
    v1::PluginInfo info;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().plugins().LoadPlugin(c, request, &info);
    });
    if (out) {
      *out = info;
    }
    return status;
  }

  grpc::Status Enable(const client::Client& as, const std::string& name, const std::string& chapter,
                      const std::string& config = "", v1::ChapterPlugin* out = nullptr) {
    v1::EnablePluginRequest request;
    request.set_name(name);
    request.set_chapter(chapter);
    request.set_config_json(config);
    request.set_request_id(client::Client::NewRequestId());
    v1::ChapterPlugin plugin;
    auto status = Invoke(
        as, [&](grpc::ClientContext* c) { return as.plugins().EnablePlugin(c, request, &plugin); });
    if (out) {
      *out = plugin;
    }
    return status;
  }

  grpc::Status Disable(const client::Client& as, const std::string& name,
                       const std::string& chapter) {
    v1::DisablePluginRequest request;
    request.set_name(name);
    request.set_chapter(chapter);
    request.set_request_id(client::Client::NewRequestId());
    v1::ChapterPlugin plugin;
    return Invoke(as, [&](grpc::ClientContext* c) {
      return as.plugins().DisablePlugin(c, request, &plugin);
    });
  }

  v1::PluginInfo Info(const std::string& name, bool wait = true) {
    if (wait) {
      EXPECT_TRUE(server_->plugin_host().WaitIdle(20s));
    }
    v1::ListPluginsResponse list;
    EXPECT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                  return admin().plugins().ListPlugins(c, {}, &list);
                }).ok());
    for (const auto& plugin : list.plugins()) {
      if (plugin.name() == name) {
        return plugin;
      }
    }
    ADD_FAILURE() << "no plugin " << name;
    return {};
  }

  // The points of `member` in `chapter`'s scores; the call's status in *status.
  int Points(const std::string& chapter, const std::string& member,
             grpc::Status* status = nullptr) {
    EXPECT_TRUE(server_->plugin_host().WaitIdle(20s));
    v1::GetScoresRequest request;
    request.set_chapter(chapter);
    pv1::Scores scores;
    auto s = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().insights().GetScores(c, request, &scores);
    });
    if (status) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    for (const auto& score : scores.scores()) {
      if (score.member() == member) {
        return score.points();
      }
    }
    return 0;
  }

  // Polls until `done` (fails the test after 30 s).
  void Eventually(const std::function<bool()>& done, const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "never: " << what;
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  void Give(const NewMember& from, const NewMember& to, int n) {
    const std::string chapter(to.member.name().substr(0, to.member.name().find("/members")));
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(
          GiveReferral(As(from.token), chapter.substr(sizeof("chapters/") - 1), to.member.name(), 3)
              .ok());
    }
  }

  NewMember ana_, marco_, joao_, lia_;
};

TEST_F(PluginScopeTest, LoadPluginLoadsOnlyFromThePluginDirectoriesAndCopiesNothingFirst) {
  const auto elsewhere = dir_.path() / "elsewhere";
  std::filesystem::create_directories(elsewhere);
  std::filesystem::create_directories(dir_.path() / "plugins");
  std::filesystem::copy_file(kCounting, elsewhere / "counting.so");
  std::filesystem::create_symlink(elsewhere / "counting.so", dir_.path() / "plugins" / "link.so");
  const std::string allowed = std::filesystem::weakly_canonical(kPluginDir).string();
  for (const std::string& path :
       {(elsewhere / "counting.so").string(), (dir_.path() / "plugins" / "link.so").string(),
        (dir_.path() / "plugins" / ".." / "elsewhere" / "counting.so").string(),
        std::string("counting_v1.so"), std::string("/usr/lib/x86_64-linux-gnu/libc.so.6")}) {
    SCOPED_TRACE(path);
    auto status = Load("outsider", path);
    EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
    EXPECT_NE(std::string::npos, status.error_message().find(allowed)) << status.error_message();
  }
  // Nothing was copied into the plugin cache, nothing was loaded.
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "plugin-cache", ec) || ec);
  v1::ListPluginsResponse list;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().ListPlugins(c, {}, &list);
              }).ok());
  EXPECT_EQ(0, list.plugins_size());
  // Inside a directory: missing is NOT_FOUND; present loads.
  EXPECT_EQ(StatusCode::NOT_FOUND, Load("missing", kPluginDir + "/no_such.so").error_code());
  EXPECT_TRUE(Load("counting", kPluginDir + "/../tests/counting_v1.so").ok());
}

TEST_F(PluginScopeTest, LoadPluginIsRefusedWhenTheServerHasNoPluginDirectory) {
  plugin_dirs_.clear();
  RestartServer();
  auto status = Load("counting", kCounting);
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("--plugin-dir"))
      << status.error_message();
}

TEST_F(PluginScopeTest, APluginLoadedEarlier_IsNotRestoredOnceItsDirectoryIsNoLongerAllowed) {
  ASSERT_TRUE(Load("counting", kCounting).ok());
  RestartServer();
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, Info("counting").state()) << "restored from the journal";
  // The admin narrows the plugin directories: the journal's plugin stays out.
  plugin_dirs_.clear();
  RestartServer();
  v1::ListPluginsResponse list;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().ListPlugins(c, {}, &list);
              }).ok());
  EXPECT_EQ(0, list.plugins_size());
}

TEST_F(PluginScopeTest, APluginReceivesAndAnswersOnlyTheChaptersWhereItIsEnabled) {
  Give(ana_, marco_, 2);
  Give(joao_, lia_, 3);
  v1::PluginInfo loaded;
  ASSERT_TRUE(Load("counting", kCounting, "", &loaded).ok());
  EXPECT_EQ(v1::PLUGIN_SCOPE_ENABLED_CHAPTERS, loaded.scope());
  EXPECT_EQ(0, Info("counting").events_seen());
  grpc::Status status;
  Points("chapters/rome", ana_.member.name(), &status);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("plugin enable"))
      << status.error_message();

  // Rome's organizer enables it in Rome; it learns Rome's log, and only Rome's.
  v1::ChapterPlugin enabled;
  ASSERT_TRUE(Enable(As(ana_.token), "counting", "chapters/rome", "", &enabled).ok());
  EXPECT_TRUE(enabled.enabled());
  EXPECT_EQ((std::vector<std::string>{"scores", "reminders"}),
            std::vector<std::string>(enabled.capabilities().begin(), enabled.capabilities().end()));
  Eventually([&] { return Points("chapters/rome", ana_.member.name()) == 2; }, "rome scored");
  EXPECT_EQ(0, Points("chapters/rome", joao_.member.name()));
  Points("chapters/rio", joao_.member.name(), &status);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  auto info = Info("counting");
  EXPECT_EQ(std::vector<std::string>{"chapters/rome"},
            std::vector<std::string>(info.chapters().begin(), info.chapters().end()));
  EXPECT_EQ(0, info.events_behind());
  Give(joao_, lia_, 1);
  EXPECT_EQ(0u, RecordedOutputs("chapters/rio").size());
  EXPECT_EQ(2u, RecordedOutputs("chapters/rome").size());

  // Who may: not a plain member, not another chapter's organizer; the admin may.
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            Enable(As(marco_.token), "counting", "chapters/rome", R"({"weight": 9})").error_code());
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            Enable(As(joao_.token), "counting", "chapters/rome", R"({"weight": 9})").error_code());
  EXPECT_EQ(StatusCode::NOT_FOUND, Enable(admin(), "nobody", "chapters/rio").error_code());
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT,
            Enable(admin(), "counting", "chapters/rio", "{not json").error_code());
  EXPECT_EQ(StatusCode::ALREADY_EXISTS,
            Enable(As(ana_.token), "counting", "chapters/rome").error_code());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION,
            Disable(As(joao_.token), "counting", "chapters/rio").error_code());

  // Disabled in Rome, it receives nothing more of it.
  ASSERT_TRUE(Disable(As(ana_.token), "counting", "chapters/rome").ok());
  const auto seen = Info("counting").events_seen();
  Give(ana_, marco_, 2);
  EXPECT_EQ(seen, Info("counting").events_seen());
  EXPECT_EQ(2u, RecordedOutputs("chapters/rome").size());
  Points("chapters/rome", ana_.member.name(), &status);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
}

TEST_F(PluginScopeTest, EachChapterScoresByItsOwnConfigAndAChangeRebuildsTheScores) {
  Give(ana_, marco_, 2);
  Give(joao_, lia_, 2);
  ASSERT_TRUE(Load("counting", kCounting).ok());
  ASSERT_TRUE(Enable(As(ana_.token), "counting", "chapters/rome", R"({"weight": 2})").ok());
  ASSERT_TRUE(Enable(As(joao_.token), "counting", "chapters/rio", R"({"weight": 3})").ok());
  Eventually([&] { return Points("chapters/rome", ana_.member.name()) == 4; }, "rome x2");
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 6; }, "rio x3");
  // Rio changes its rules: the plugin starts again with them and rebuilds from the log.
  ASSERT_TRUE(Enable(As(joao_.token), "counting", "chapters/rio", R"({"weight": 5})").ok());
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 10; }, "rio x5");
  EXPECT_EQ(4, Points("chapters/rome", ana_.member.name()));
  EXPECT_EQ(0, Info("counting").restarts()) << "a config change is not a crash";
  // Recorded once each, whatever the restarts.
  EXPECT_EQ(2u, RecordedOutputs("chapters/rio").size());
}

// The shipped traffic light, enabled per chapter with each chapter's rules (issue 11 item 4).
class ChapterRulesTest : public PluginScopeTest {
 protected:
  ChapterRulesTest() { plugin_dirs_.push_back(RECIPROCA_SHIPPED_PLUGIN_DIR); }
};

TEST_F(ChapterRulesTest, AnItalianChapterOnTheUkTable_ABrazilianOneOnProportionalGoals) {
  ASSERT_TRUE(
      Load("traffic_light", std::string(RECIPROCA_SHIPPED_PLUGIN_DIR) + "/traffic_light.so").ok());
  ASSERT_TRUE(
      Enable(As(ana_.token), "traffic_light", "chapters/rome", R"({"minimum_meetings": 0})").ok());
  const auto goal = [](int referrals) {
    return R"({"rules_version": 1, "minimum_meetings": 0, "rows": [{"name": "Referrals given",
               "metric": "referrals_given", "goal": )" +
           std::to_string(referrals) + R"(, "weight": 100}]})";
  };
  ASSERT_TRUE(Enable(As(joao_.token), "traffic_light", "chapters/rio", goal(4)).ok());
  Give(ana_, marco_, 2);
  Give(joao_, lia_, 2);
  // Rio: 2 of a goal of 4 referrals, x 100. Rome, the UK table: 2 referrals in 26 weeks are 0
  // points; no absence 15, no late 5, testimonials 5.
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 50; }, "rio 50");
  Eventually([&] { return Points("chapters/rome", ana_.member.name()) == 25; }, "rome 25");
  // Rio's new goal re-scores its whole history; Rome keeps its table.
  ASSERT_TRUE(Enable(As(joao_.token), "traffic_light", "chapters/rio", goal(2)).ok());
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 100; }, "rio 100");
  EXPECT_EQ(25, Points("chapters/rome", ana_.member.name()));
}

// Rules the plugin refuses are the error of whoever sends them, naming the key: an organizer's
// EnablePlugin (the chapter keeps the rules it had), the admin's LoadPlugin.
TEST_F(ChapterRulesTest, RefusedRules_AreTheSendersInvalidArgument_NamingTheKey) {
  const std::string path = std::string(RECIPROCA_SHIPPED_PLUGIN_DIR) + "/traffic_light.so";
  ASSERT_TRUE(Load("traffic_light", path).ok());
  const std::string goal_of_4 = R"({"minimum_meetings": 0, "rows": [{"name": "Referrals given",
      "metric": "referrals_given", "goal": 4, "weight": 100}]})";
  ASSERT_TRUE(Enable(As(joao_.token), "traffic_light", "chapters/rio", goal_of_4).ok());
  Give(joao_, lia_, 2);
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 50; }, "rio 50");

  const grpc::Status refused =
      Enable(As(joao_.token), "traffic_light", "chapters/rio",
             R"({"rows": [{"name": "Referrals given", "metric": "referrals_given", "goal": 0,
                           "weight": 100}]})");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, refused.error_code());
  EXPECT_EQ(
      "config_json: plugin traffic_light refused to start with this configuration: "
      "traffic_light config: rows[0].goal: must be a number above 0; chapters/rio keeps "
      "the configuration it had",
      refused.error_message());
  EXPECT_EQ("PLUGIN_CONFIG_REFUSED", ReasonOf(refused));
  // Nothing recorded: Rio is still scored by a goal of 4 (3 of 4 referrals, x 100).
  Give(joao_, lia_, 1);
  Eventually([&] { return Points("chapters/rio", joao_.member.name()) == 75; }, "rio 75");
  // Checked only once the caller may enable it: Rome's president is not Rio's organizer.
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            Enable(As(ana_.token), "traffic_light", "chapters/rio", R"({"rules_version": 2})")
                .error_code());

  const grpc::Status load = Load("traffic_light_v2", path, R"({"rules_version": 2})");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, load.error_code());
  EXPECT_NE(std::string::npos,
            load.error_message().find("rules_version: unknown version 2 (accepted: 1)"))
      << load.error_message();
  EXPECT_EQ("PLUGIN_CONFIG_REFUSED", ReasonOf(load));
}

TEST_F(PluginScopeTest, OutsideReferralContactsReachOnlyAPluginThatDeclaresThem) {
  ASSERT_TRUE(Load("counting", kCounting).ok());
  ASSERT_TRUE(Load("contacts", kContacts).ok());
  v1::ChapterPlugin plain, curious;
  ASSERT_TRUE(Enable(As(ana_.token), "counting", "chapters/rome", "", &plain).ok());
  ASSERT_TRUE(Enable(As(ana_.token), "contacts", "chapters/rome", "", &curious).ok());
  auto has = [](const v1::ChapterPlugin& p, const std::string& c) {
    return std::find(p.capabilities().begin(), p.capabilities().end(), c) != p.capabilities().end();
  };
  EXPECT_FALSE(has(plain, "contacts"));
  EXPECT_TRUE(has(curious, "contacts")) << "shown to whoever enables it";

  v1::GiveReferralRequest request;
  request.set_parent("chapters/rome");
  request.mutable_referral()->set_receiver(marco_.member.name());
  request.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
  request.mutable_referral()->set_temperature(4);
  request.mutable_referral()->set_contact_name("Giulia Verdi");
  request.mutable_referral()->set_contact_phone("+39 06 555 0101");
  request.set_request_id(client::Client::NewRequestId());
  v1::Referral referral;
  ASSERT_TRUE(Invoke(As(ana_.token), [&](grpc::ClientContext* c) {
                return As(ana_.token).referrals().GiveReferral(c, request, &referral);
              }).ok());
  ASSERT_TRUE(server_->plugin_host().WaitIdle(20s));
  Eventually([&] { return RecordedOutputs("chapters/rome").size() == 2; }, "both reminded");
  for (const auto& e : RecordedOutputs("chapters/rome")) {
    const auto& text = e.plugin_output().output().reminder().text();
    if (e.plugin_output().plugin() == "contacts") {
      EXPECT_NE(std::string::npos, text.find("+39 06 555 0101")) << text;
    } else {
      EXPECT_EQ(std::string::npos, text.find("555")) << text;
    }
  }
}

TEST_F(PluginScopeTest, LoadReloadEnableAndConfigSurviveARestartUnloadToo) {
  Give(ana_, marco_, 1);
  Give(joao_, lia_, 1);
  ASSERT_TRUE(Load("counting", kCounting).ok());
  ASSERT_TRUE(Load("gone", kContacts).ok());
  ASSERT_TRUE(Enable(As(ana_.token), "counting", "chapters/rome", R"({"weight": 2})").ok());
  v1::ReloadPluginRequest reload;
  reload.set_name("counting");
  reload.set_config_json(R"({"fixed": true})");
  v1::PluginInfo reloaded;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().ReloadPlugin(c, reload, &reloaded);
              }).ok());
  v1::UnloadPluginRequest unload;
  unload.set_name("gone");
  v1::PluginInfo unloaded;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().UnloadPlugin(c, unload, &unloaded);
              }).ok());
  ASSERT_EQ(2, Points("chapters/rome", ana_.member.name()));

  RestartServer();
  auto info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ(std::vector<std::string>{"chapters/rome"},
            std::vector<std::string>(info.chapters().begin(), info.chapters().end()));
  EXPECT_EQ(2, Points("chapters/rome", ana_.member.name())) << "Rome's config came back";
  grpc::Status status;
  Points("chapters/rio", joao_.member.name(), &status);
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  v1::ListPluginsResponse list;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().plugins().ListPlugins(c, {}, &list);
              }).ok());
  ASSERT_EQ(1, list.plugins_size()) << "the unloaded one stays unloaded";
  // The reload's config is the one that came back: a bad config, reloaded away, stays away.
  std::ifstream journal(dir_.path() / "plugins.jsonl");
  std::string text((std::istreambuf_iterator<char>(journal)), {});
  EXPECT_NE(std::string::npos, text.find(R"("fixed":true)")) << text;
}

TEST_F(PluginScopeTest, ACrashedPluginCatchesUpWithWhatWasCommittedWhileItWasDownOnce) {
  ASSERT_TRUE(Load("counting", kCounting).ok());
  ASSERT_TRUE(Enable(admin(), "counting", "chapters/rome").ok());
  Give(ana_, marco_, 3);
  const auto before = Info("counting");
  ASSERT_GT(before.pid(), 0);
  ASSERT_EQ(0, kill(static_cast<pid_t>(before.pid()), SIGKILL));
  // Committed while it is down or restarting.
  Give(ana_, marco_, 3);
  Eventually(
      [&] {
        auto i = Info("counting");
        return i.restarts() == 1 && i.state() == v1::PLUGIN_STATE_ACTIVE && i.events_behind() == 0;
      },
      "restarted and caught up");
  EXPECT_EQ(6, Points("chapters/rome", ana_.member.name()));
  EXPECT_EQ(6u, RecordedOutputs("chapters/rome").size()) << "nothing recorded twice";
  EXPECT_NE(before.pid(), Info("counting").pid());
}

TEST_F(PluginScopeTest, AReloadRefusedDuringTheReplayLeavesThePluginToFinishIt) {
  Give(ana_, marco_, 8);
  // Every chapter: the replay runs at load, in LOADING.
  ASSERT_TRUE(Load("slow", kHostile, R"({"mode": "slow", "every": true})", nullptr,
                   v1::PLUGIN_SCOPE_ALL_CHAPTERS)
                  .ok());
  ASSERT_EQ(v1::PLUGIN_STATE_LOADING, Info("slow", /*wait=*/false).state());
  // Mid-replay (200 ms per event), a reload with a config its create() refuses.
  std::this_thread::sleep_for(300ms);
  v1::ReloadPluginRequest reload;
  reload.set_name("slow");
  reload.set_config_json(R"({"mode": "error", "at": "create"})");
  v1::PluginInfo reloaded;
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, Invoke(admin(), [&](grpc::ClientContext* c) {
                                            return admin().plugins().ReloadPlugin(c, reload,
                                                                                  &reloaded);
                                          }).error_code());
  Eventually([&] { return Info("slow").state() == v1::PLUGIN_STATE_ACTIVE; },
             "the replay finished");
  EXPECT_EQ(0, Info("slow").events_behind());
}

TEST_F(PluginScopeTest, ListPluginsAndMetricsShowStateRestartsBacklogMemoryAndLatency) {
  http_.listen = "127.0.0.1:0";
  RestartServer();
  ASSERT_TRUE(Load("counting", kCounting).ok());
  ASSERT_TRUE(Enable(admin(), "counting", "chapters/rome").ok());
  Give(ana_, marco_, 3);
  auto info = Info("counting");
  EXPECT_EQ(v1::PLUGIN_STATE_ACTIVE, info.state());
  EXPECT_EQ(v1::PLUGIN_ISOLATION_OUT_OF_PROCESS, info.isolation());
  EXPECT_GT(info.pid(), 0);
  EXPECT_GT(info.memory_bytes(), 0);
  EXPECT_GT(info.p99_call_micros(), 0);
  EXPECT_GE(info.max_call_micros(), info.p99_call_micros());
  EXPECT_EQ(0, info.events_behind());
  auto metrics = HttpFetch(server_->http_port(), boost::beast::http::verb::get, "/metrics");
  ASSERT_EQ(200, metrics.status);
  for (const std::string line :
       {"reciproca_plugin_state{plugin=\"counting\",state=\"PLUGIN_STATE_ACTIVE\"} 1",
        "reciproca_plugin_restarts{plugin=\"counting\"} 0",
        "reciproca_plugin_events_behind{plugin=\"counting\"} 0",
        "reciproca_plugin_memory_bytes{plugin=\"counting\"} ",
        "reciproca_plugin_call_seconds{plugin=\"counting\",stat=\"p99\"} "}) {
    EXPECT_NE(std::string::npos, metrics.body.find(line)) << line << "\n" << metrics.body;
  }
}

}  // namespace
}  // namespace reciproca::testing
