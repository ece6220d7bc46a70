#pragma once

// The plugin host over the real engine and an InMemoryEventStore, without a gRPC server, with
// the fixture plugins of tests/plugins/fixtures (built into RECIPROCA_TEST_PLUGIN_DIR).

#include <gtest/gtest.h>
#include <reciproca/plugin.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/engine/tokens.h"
#include "server/plugins/plugin_host.h"
#include "unit/engine/engine_test_support.h"

namespace reciproca::testing {

namespace pv1 = reciproca::plugin::v1;

inline const std::filesystem::path kPluginDir = RECIPROCA_TEST_PLUGIN_DIR;

// A directory of its own for one test, removed with it.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() / ("reciproca-unit-" + engine::RandomHex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class PluginHostTest : public EngineTest {
 protected:
  void SetUp() override {
    CreateRomeWithTwoMembers();
    StartHost();
  }
  void TearDown() override { StopHost(); }

  void StartHost(plugins::PluginHostOptions options = {}) {
    // No timer: ticks only when a test asks.
    host_ = std::make_unique<plugins::PluginHost>(*engine_, scratch_.path() / "cache",
                                                  std::chrono::milliseconds(0), options);
  }
  void StopHost() {
    if (host_) {
      EXPECT_TRUE(host_->WaitIdle(kAnswerTimeout));
      host_->Stop();
      host_.reset();
    }
  }

  Result<v1::PluginInfo> Load(const std::string& name, const std::filesystem::path& path,
                              const std::string& config = "") {
    return host_->Load(plugins::PluginSpec{name, path.string(), config});
  }

  // The plugin's info once everything posted to the plugins so far is handled.
  v1::PluginInfo Info(const std::string& name) {
    EXPECT_TRUE(host_->WaitIdle(kAnswerTimeout));
    for (const v1::PluginInfo& info : host_->List()) {
      if (info.name() == name) {
        return info;
      }
    }
    ADD_FAILURE() << "no plugin " << name;
    return {};
  }

  // The answer of the first plugin with `capability`, once the plugins are idle.
  Result<pv1::QueryAnswer> Ask(uint64_t capability, pv1::Query query) {
    EXPECT_TRUE(host_->WaitIdle(kAnswerTimeout));
    auto answer = std::make_shared<Answer>();
    auto value = std::make_shared<std::optional<pv1::QueryAnswer>>();
    host_->Query(capability, std::move(query), [answer, value](Result<pv1::QueryAnswer> result) {
      if (result.ok()) {
        *value = std::move(result).value();
        answer->Give(Status{});
      } else {
        answer->Give(result.error());
      }
    });
    Status status = answer->Wait();
    if (!status.ok()) {
      return status.error();
    }
    return std::move(**value);
  }

  // Points per member, from the scores query (fails the test if it is refused).
  std::map<std::string, int64_t> Scores() {
    pv1::Query query;
    query.set_chapter(kChapter);
    query.mutable_scores();
    auto answer = Ask(RECIPROCA_CAP_SCORES, query);
    EXPECT_TRUE(answer.ok()) << answer.error().message;
    std::map<std::string, int64_t> points;
    if (answer.ok()) {
      for (const auto& score : answer->scores().scores()) {
        points[score.member()] = score.points();
      }
    }
    return points;
  }

  // The PluginOutputRecorded events of the chapter, in seq order.
  std::vector<v1::Event> RecordedOutputs() {
    EXPECT_TRUE(host_->WaitIdle(kAnswerTimeout));
    std::vector<v1::Event> outputs;
    for (const store::StoredEvent& stored : store_.Events(kChapter)) {
      v1::Event event;
      EXPECT_TRUE(event.ParseFromString(stored.bytes));
      if (event.has_plugin_output()) {
        outputs.push_back(std::move(event));
      }
    }
    return outputs;
  }

  // `count` referrals from Ana to Bruno, each answered.
  std::vector<v1::Referral> GiveReferrals(int count) {
    std::vector<v1::Referral> given;
    for (int i = 0; i < count; ++i) {
      given.push_back(GiveReferral(ana_, bruno_, "ref-" + std::to_string(next_referral_++)));
    }
    return given;
  }

  ScratchDir scratch_;
  std::unique_ptr<plugins::PluginHost> host_;

 private:
  int next_referral_ = 0;
};

}  // namespace reciproca::testing
