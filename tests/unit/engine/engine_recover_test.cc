// Engine::Recover: a fresh engine over the same store rebuilds chapters, tokens and the
// idempotency records, and refuses a log it cannot trust.

#include <gtest/gtest.h>

#include "unit/engine/engine_test_support.h"

namespace reciproca::testing {
namespace {

class RecoverTest : public EngineTest {
 protected:
  // Recover() of a new engine over store_, without the fixture's checks.
  Status RecoverAFreshEngine() {
    StopEngine();
    engine::TokenRegistry tokens;
    stream::EventHub hub;
    engine::Engine engine(store_, clock_, tokens, engine::TokenMinter("test-secret"), hub);
    return engine.Recover();
  }
};

TEST_F(RecoverTest, Recover_RebuildsChaptersFromTheStore) {
  CreateRomeWithTwoMembers();
  const v1::Referral referral = GiveReferral(ana_, bruno_, "r1");
  CreateChapter("milan");
  const auto before = engine_->ListChapters(AdminPrincipal());

  RestartEngine();
  const auto after = engine_->ListChapters(AdminPrincipal());
  ASSERT_EQ(2u, after.size());
  EXPECT_EQ(kChapter, after[0].name());
  EXPECT_EQ("chapters/milan", after[1].name());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(before[i].SerializeAsString(), after[i].SerializeAsString()) << after[i].name();
  }
  Status read = Read(kChapter, [&](const domain::Chapter& chapter) -> Status {
    auto stored = chapter.GetReferral(referral.name());
    EXPECT_TRUE(stored.ok());
    if (stored.ok()) {
      EXPECT_EQ(referral.SerializeAsString(), stored->SerializeAsString());
    }
    EXPECT_EQ(2u, chapter.ListMembers(false).size());
    return {};
  });
  EXPECT_TRUE(read.ok());

  // The recovered chapter goes on from its last seq.
  const v1::Referral next = GiveReferral(bruno_, ana_, "r2");
  EXPECT_EQ(after[0].last_seq() + 1, store_.LastSeq(kChapter));
  EXPECT_FALSE(next.name().empty());
  auto feed = hub_->Find(kChapter);
  ASSERT_NE(nullptr, feed);
  EXPECT_EQ(store_.LastSeq(kChapter), feed->last_seq());
}

TEST_F(RecoverTest, Recover_RestoresTokensButNotRevokedOnes) {
  const auto display = CreateChapter().display_token();
  const auto ana = CreateMember("Ana");
  const auto bruno = CreateMember("Bruno");
  ASSERT_TRUE(StartRemoveMember(bruno.member().name(), "remove-bruno")->Wait().ok());

  RestartEngine();
  auto member = tokens_->Find(ana.access_token());
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(domain::Principal::Kind::kMember, member->kind);
  EXPECT_EQ(ana.member().name(), member->member);
  EXPECT_EQ(kChapter, member->chapter);
  auto room = tokens_->Find(display);
  ASSERT_TRUE(room.has_value());
  EXPECT_EQ(domain::Principal::Kind::kDisplay, room->kind);
  EXPECT_FALSE(tokens_->Find(bruno.access_token()).has_value());
}

TEST_F(RecoverTest, Recover_KeepsRetriesIdempotentAcrossARestart) {
  CreateRomeWithTwoMembers();
  const v1::Referral first = GiveReferral(ana_, bruno_, "r1");
  const auto created = StartCreateChapter("rome", "create-rome");
  ASSERT_TRUE(created->Wait().ok());

  RestartEngine();
  const auto events = store_.Events(kChapter).size();
  const v1::Referral again = GiveReferral(ana_, bruno_, "r1");
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  // Chapter creation has its own scope; its retry hands the display token out again.
  const auto recreated = StartCreateChapter("rome", "create-rome");
  ASSERT_TRUE(recreated->Wait().ok());
  EXPECT_EQ(created->response.display_token(), recreated->response.display_token());
  EXPECT_EQ(events, store_.Events(kChapter).size());

  auto reused = StartGiveReferral(ana_, bruno_, "r1", /*temperature=*/5);
  Status status = reused->Wait();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, status.error().code);
}

// Writes `event` to the store directly, as if an earlier run had.
void Store(InMemoryEventStore& store, const v1::Event& event) {
  store::Commit commit;
  commit.events.push_back(
      store::StoredEvent{event.chapter(), event.seq(), 0, event.SerializeAsString()});
  const store::Commit* batch[] = {&commit};
  Status status = store.AppendBatch(batch);
  ASSERT_TRUE(status.ok()) << status.error().message;
}

TEST_F(RecoverTest, Recover_RefusesALogThatDoesNotStartWithTheChaptersCreation) {
  v1::Event event;
  event.set_chapter("chapters/rome");
  event.set_seq(1);
  event.mutable_member_left()->set_member("chapters/rome/members/2");
  Store(store_, event);
  Status status = RecoverAFreshEngine();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);
  EXPECT_NE(std::string::npos, status.error().message.find("chapters/rome"))
      << status.error().message;
}

TEST_F(RecoverTest, Recover_RefusesAnEventThatCannotBeParsed) {
  store::Commit commit;
  commit.events.push_back(store::StoredEvent{"chapters/rome", 1, 0, "\xff\xff\xff"});
  const store::Commit* batch[] = {&commit};
  ASSERT_TRUE(store_.AppendBatch(batch).ok());
  Status status = RecoverAFreshEngine();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);
}

}  // namespace
}  // namespace reciproca::testing
