// Idempotency records expire after Limits::idempotency_retention: an expired request_id is new,
// expired records are deleted from the store (while commanding, and at recovery), plugins'
// output ids never expire, and the mutation rate limit refuses members but not the admin (the
// api layer answers its refusals).

#include <gtest/gtest.h>

#include "unit/engine/engine_test_support.h"

namespace reciproca::testing {
namespace {

using std::chrono::hours;

constexpr auto kRetention = hours(24 * 7);

class RetentionTest : public EngineTest {
 protected:
  void SetUp() override { CreateRomeWithTwoMembers(); }

  int RecordsWithId(const std::string& request_id) {
    int records = 0;
    for (const auto& record : store_.Idempotency()) {
      records += record.request_id == request_id ? 1 : 0;
    }
    return records;
  }
};

TEST_F(RetentionTest, Retention_DefaultIsAWeek) {
  EXPECT_EQ(kRetention, engine::Limits{}.idempotency_retention);
}

TEST_F(RetentionTest, Retention_RequestIdIsRememberedUntilItExpiresThenIsNew) {
  const v1::Referral first = GiveReferral(ana_, bruno_, "r1");
  clock_.Advance(kRetention - hours(1));
  EXPECT_EQ(first.name(), GiveReferral(ana_, bruno_, "r1").name());

  clock_.Advance(hours(1));
  const v1::Referral second = GiveReferral(ana_, bruno_, "r1");
  EXPECT_NE(first.name(), second.name());
  // One record under the id: the new one, made now.
  ASSERT_EQ(1, RecordsWithId("r1"));
  for (const auto& record : store_.Idempotency()) {
    if (record.request_id == "r1") {
      EXPECT_EQ(
          std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch())
              .count(),
          record.created_micros);
    }
  }
}

TEST_F(RetentionTest, Retention_ExpiredRecordsArePrunedFromTheStoreByLaterCommands) {
  GiveReferral(ana_, bruno_, "old");
  ASSERT_EQ(1, RecordsWithId("old"));
  clock_.Advance(kRetention + hours(2));
  GiveReferral(ana_, bruno_, "new");
  EXPECT_EQ(0, RecordsWithId("old"));
  EXPECT_EQ(1, RecordsWithId("new"));
}

TEST_F(RetentionTest, Retention_PluginOutputIdsNeverExpire) {
  // A plugin's output is recorded as the admin under "plugin:{name}:{key}".
  const std::string id = std::string(engine::kPluginRequestIdPrefix) + "counting:0123abcd";
  auto first = StartCreateMember("Carla", id);
  ASSERT_TRUE(first->Wait().ok());
  clock_.Advance(kRetention * 10);
  GiveReferral(ana_, bruno_, "prune-now");
  auto replay = StartCreateMember("Carla", id);
  ASSERT_TRUE(replay->Wait().ok());
  EXPECT_EQ(first->response.member().name(), replay->response.member().name());
  EXPECT_EQ(1, RecordsWithId(id));
}

TEST_F(RetentionTest, Recover_ForgetsExpiredRecordsAndKeepsTheOthers) {
  const v1::Referral old_one = GiveReferral(ana_, bruno_, "old");
  clock_.Advance(hours(24 * 6));
  const v1::Referral recent = GiveReferral(ana_, bruno_, "recent");
  clock_.Advance(hours(24 * 2));  // "old" is 8 days old, "recent" 2
  RestartEngine();
  EXPECT_EQ(recent.name(), GiveReferral(ana_, bruno_, "recent").name());
  EXPECT_EQ(0, RecordsWithId("old"));  // deleted by the commit recovery submitted
  EXPECT_NE(old_one.name(), GiveReferral(ana_, bruno_, "old").name());
}

TEST_F(RetentionTest, TakeMutation_RefusesAMemberPastTheBurstButNeverTheAdmin) {
  const engine::Limits limits;
  const domain::Principal ana = MemberPrincipal(kChapter, ana_);
  for (int i = 0; i < static_cast<int>(limits.mutation_burst); ++i) {
    ASSERT_EQ(std::chrono::milliseconds(0), engine_->TakeMutation(ana)) << i;
  }
  // One token refills in 1/20 s.
  EXPECT_EQ(std::chrono::milliseconds(50), engine_->TakeMutation(ana));
  // Bruno has a bucket of his own; the admin (plugins' outputs) has none.
  EXPECT_EQ(std::chrono::milliseconds(0), engine_->TakeMutation(MemberPrincipal(kChapter, bruno_)));
  for (int i = 0; i < 150; ++i) {
    ASSERT_EQ(std::chrono::milliseconds(0), engine_->TakeMutation(AdminPrincipal()));
  }
  clock_.Advance(std::chrono::seconds(1));  // 20 more for Ana
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(std::chrono::milliseconds(0), engine_->TakeMutation(ana)) << i;
  }
  EXPECT_LT(std::chrono::milliseconds(0), engine_->TakeMutation(ana));
}

}  // namespace
}  // namespace reciproca::testing
