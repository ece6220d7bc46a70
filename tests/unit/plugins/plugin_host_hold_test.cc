// PluginHost's delivery hold: live batches wait up to delivery_hold so that one delivery carries
// several commits, and whatever asks the plugin (a query, WaitIdle, an unload, Stop) is first
// delivered what waits, so that none of them waits for the hold.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "server/plugins/plugin_host.h"
#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

class DeliveryHoldTest : public PluginHostTest {
 protected:
  void SetUp() override {
    CreateRomeWithTwoMembers();
    plugins::PluginHostOptions options;
    options.delivery_hold = std::chrono::hours(1);  // never over within a test
    StartHost(options);
    ASSERT_TRUE(Load("counting", kPluginDir / "counting_v1.so").ok());
    ASSERT_TRUE(host_->WaitIdle(kAnswerTimeout));  // the replay of the log is done
    replayed_ = Seen();
  }

  // The plugin's info now, without waiting for anything (Info waits for idle).
  v1::PluginInfo Now() {
    for (const v1::PluginInfo& info : host_->List()) {
      if (info.name() == "counting") {
        return info;
      }
    }
    ADD_FAILURE() << "no plugin counting";
    return {};
  }
  int64_t Seen() { return Now().events_seen(); }

  // The scores query asked at once (not after WaitIdle, as Ask does), answered within `within`.
  Result<pv1::QueryAnswer> AskNow(std::chrono::milliseconds within) {
    pv1::Query query;
    query.set_chapter(kChapter);
    query.mutable_scores();
    auto answer = std::make_shared<Answer>();
    auto value = std::make_shared<std::optional<pv1::QueryAnswer>>();
    host_->Query(RECIPROCA_CAP_SCORES, query, [answer, value](Result<pv1::QueryAnswer> result) {
      if (result.ok()) {
        *value = std::move(result).value();
        answer->Give(Status{});
      } else {
        answer->Give(result.error());
      }
    });
    Status status = answer->Wait(within);
    if (!status.ok()) {
      return status.error();
    }
    return std::move(**value);
  }

  int64_t replayed_ = 0;
};

TEST_F(DeliveryHoldTest, LiveBatchesWaitForTheHold) {
  GiveReferrals(3);
  // Acknowledged, and held: nothing of them was delivered yet (the hold is an hour).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const v1::PluginInfo held = Now();
  EXPECT_EQ(replayed_, held.events_seen());
  EXPECT_EQ(3, held.events_behind());
}

TEST_F(DeliveryHoldTest, AQueryIsAnsweredWithEveryAcknowledgedEventWithoutWaitingForTheHold) {
  GiveReferrals(3);
  auto answer = AskNow(std::chrono::milliseconds(2000));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  ASSERT_EQ(1, answer->scores().scores_size());
  EXPECT_EQ(ana_, answer->scores().scores(0).member());
  EXPECT_EQ(3, answer->scores().scores(0).points());
  EXPECT_EQ(replayed_ + 3, Seen());
}

TEST_F(DeliveryHoldTest, WaitIdleDeliversWhatIsHeldAndTheOutputsItCaused) {
  GiveReferrals(2);
  ASSERT_TRUE(host_->WaitIdle(kAnswerTimeout));
  // The two referrals, then the two outputs the plugin emitted for them, recorded as events.
  EXPECT_EQ(store_.LastSeq(kChapter), replayed_ + 4);
  EXPECT_EQ(store_.LastSeq(kChapter), Seen());
  EXPECT_EQ(2u, RecordedOutputs().size());
}

TEST_F(DeliveryHoldTest, UnloadDeliversWhatWasCommittedBeforeIt) {
  GiveReferrals(2);
  auto unloaded = host_->Unload("counting");
  ASSERT_TRUE(unloaded.ok()) << unloaded.error().message;
  EXPECT_EQ(replayed_ + 2, unloaded->events_seen());
}

}  // namespace
}  // namespace reciproca::testing
