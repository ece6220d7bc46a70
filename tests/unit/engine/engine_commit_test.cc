// What one durable commit carries and what happens around it: group commit, storage failure,
// publication to the hub and to the commit observer, and the projection rows.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "unit/engine/engine_test_support.h"

namespace reciproca::testing {
namespace {

using std::chrono::milliseconds;

class CommitTest : public EngineTest {
 protected:
  void SetUp() override { CreateRomeWithTwoMembers(); }
};

TEST_F(CommitTest, GroupCommit_WritesMutationsQueuedBehindACommitAsOneBatch) {
  store_.HoldNextAppend();
  auto first = StartGiveReferral(ana_, bruno_, "first");
  ASSERT_TRUE(store_.WaitUntilAppendHeld(milliseconds(5000)));
  std::vector<std::shared_ptr<GiveReferralCall>> queued;
  for (int i = 0; i < 5; ++i) {
    queued.push_back(StartGiveReferral(ana_, bruno_, "queued-" + std::to_string(i)));
  }
  DrainStrand();  // all five are in the committer's queue, behind the held commit

  const size_t batches = store_.BatchCount();
  store_.ReleaseHeldAppend();
  ASSERT_TRUE(first->Wait().ok());
  for (auto& call : queued) {
    ASSERT_TRUE(call->Wait().ok());
  }
  const auto all = store_.Batches();
  ASSERT_EQ(batches + 2, all.size());
  EXPECT_EQ(1u, all[batches].size());
  ASSERT_EQ(5u, all[batches + 1].size());
  // In submission order, one event each.
  int64_t seq = all[batches].front().events.front().seq;
  for (const store::Commit& commit : all[batches + 1]) {
    ASSERT_EQ(1u, commit.events.size());
    EXPECT_EQ(++seq, commit.events.front().seq);
  }
}

TEST_F(CommitTest, StorageFailure_AnswersEveryPendingCallerAndMakesTheEngineUnhealthy) {
  const int64_t before = store_.LastSeq(kChapter);
  store_.HoldNextAppend();
  store_.FailNextAppend(Internal("disk full"));
  auto held = StartGiveReferral(ana_, bruno_, "held");
  ASSERT_TRUE(store_.WaitUntilAppendHeld(milliseconds(5000)));
  std::vector<std::shared_ptr<GiveReferralCall>> pending;
  for (int i = 0; i < 3; ++i) {
    pending.push_back(StartGiveReferral(ana_, bruno_, "pending-" + std::to_string(i)));
  }
  DrainStrand();
  EXPECT_TRUE(engine_->healthy());

  store_.ReleaseHeldAppend();
  pending.insert(pending.begin(), held);
  for (auto& call : pending) {
    Status status = call->Wait();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(ErrorCode::kUnavailable, status.error().code);
    EXPECT_NE(std::string::npos, status.error().message.find("disk full"))
        << status.error().message;
  }
  EXPECT_FALSE(engine_->healthy());
  EXPECT_EQ(before, store_.LastSeq(kChapter));

  // The committer has stopped for good: a later command is refused too, and nothing is written.
  auto later = StartGiveReferral(bruno_, ana_, "later");
  Status status = later->Wait();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kUnavailable, status.error().code);
  EXPECT_EQ(before, store_.LastSeq(kChapter));
}

// Parked on a feed; records what the store held when the feed woke it.
class StoreProbe final : public stream::Listener {
 public:
  StoreProbe(const InMemoryEventStore& store, std::string chapter)
      : store_(store), chapter_(std::move(chapter)) {}
  void Wake() override { stored_at_wake_ = store_.LastSeq(chapter_); }
  int64_t stored_at_wake() const { return stored_at_wake_.load(); }

 private:
  const InMemoryEventStore& store_;
  std::string chapter_;
  std::atomic<int64_t> stored_at_wake_{-1};
};

TEST_F(CommitTest, Hub_GetsEventsOnlyAfterTheyAreDurable) {
  auto feed = hub_->Find(kChapter);
  ASSERT_NE(nullptr, feed);
  const int64_t next = feed->last_seq() + 1;
  auto probe = std::make_shared<StoreProbe>(store_, kChapter);
  stream::SharedBytes bytes;
  ASSERT_EQ(stream::ChapterFeed::Lookup::kWait, feed->Get(next, &bytes, probe));

  store_.HoldNextAppend();
  auto call = StartGiveReferral(ana_, bruno_, "r1");
  ASSERT_TRUE(store_.WaitUntilAppendHeld(milliseconds(5000)));
  DrainStrand();
  EXPECT_EQ(next - 1, feed->last_seq());
  store_.ReleaseHeldAppend();
  ASSERT_TRUE(call->Wait().ok());

  EXPECT_EQ(next, probe->stored_at_wake());
  ASSERT_EQ(stream::ChapterFeed::Lookup::kReady, feed->Get(next, &bytes, {}));
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(std::string(bytes.view())));
  EXPECT_EQ(next, event.seq());
  EXPECT_TRUE(event.has_referral_given());
}

TEST_F(CommitTest, Hub_HasEveryEventInSeqOrderWithTheStoredBytes) {
  std::vector<std::shared_ptr<GiveReferralCall>> calls;
  for (int i = 0; i < 20; ++i) {
    calls.push_back(i % 2 == 0 ? StartGiveReferral(ana_, bruno_, "r" + std::to_string(i))
                               : StartGiveReferral(bruno_, ana_, "r" + std::to_string(i)));
  }
  for (auto& call : calls) {
    ASSERT_TRUE(call->Wait().ok());
  }
  auto feed = hub_->Find(kChapter);
  ASSERT_NE(nullptr, feed);
  const auto stored = store_.Events(kChapter);
  ASSERT_EQ(stored.back().seq, feed->last_seq());
  for (const store::StoredEvent& event : stored) {
    stream::SharedBytes bytes;
    ASSERT_EQ(stream::ChapterFeed::Lookup::kReady, feed->Get(event.seq, &bytes, {}))
        << "seq " << event.seq;
    EXPECT_EQ(event.bytes, bytes.view());
  }
}

TEST_F(CommitTest, CommitObserver_SeesEachCommitOnceInSeqOrderAfterItIsDurable) {
  std::mutex mu;
  std::vector<int64_t> seen;
  bool observed_before_durable = false;
  engine_->SetCommitObserver(
      [&](const std::string& chapter, const std::vector<stream::FeedEvent>& events) {
        std::lock_guard lock(mu);
        for (const auto& event : events) {
          observed_before_durable |= store_.LastSeq(chapter) < event.seq;
          seen.push_back(event.seq);
        }
      });
  const int64_t first = store_.LastSeq(kChapter) + 1;
  std::vector<std::shared_ptr<GiveReferralCall>> calls;
  for (int i = 0; i < 10; ++i) {
    calls.push_back(StartGiveReferral(ana_, bruno_, "r" + std::to_string(i)));
  }
  for (auto& call : calls) {
    ASSERT_TRUE(call->Wait().ok());
  }
  engine_->SetCommitObserver(nullptr);
  std::lock_guard lock(mu);
  ASSERT_EQ(10u, seen.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(first + static_cast<int64_t>(i), seen[i]);
  }
  EXPECT_FALSE(observed_before_durable);
}

TEST_F(CommitTest, Projection_RowsAreWrittenInTheSameCommitAsTheirEvents) {
  const v1::Referral referral = GiveReferral(ana_, bruno_, "r1");
  const store::Commit commit = store_.Batches().back().back();
  ASSERT_EQ(1u, commit.events.size());
  const int64_t seq = commit.events.front().seq;

  std::set<std::string> names;
  for (const store::ProjectionRow& row : commit.projections) {
    names.insert(row.name);
    EXPECT_EQ(kChapter, row.chapter);
    EXPECT_EQ(seq, row.seq) << row.name;
  }
  EXPECT_EQ((std::set<std::string>{kChapter, referral.name()}), names);

  const auto rows = store_.Projections();
  ASSERT_EQ(1u, rows.count(referral.name()));
  v1::Referral body;
  ASSERT_TRUE(body.ParseFromString(rows.at(referral.name()).body));
  EXPECT_EQ(referral.SerializeAsString(), body.SerializeAsString());
  v1::Chapter chapter;
  ASSERT_TRUE(chapter.ParseFromString(rows.at(kChapter).body));
  EXPECT_EQ(seq, chapter.last_seq());
}

TEST_F(CommitTest, Projection_RowOfAChangedResourceIsReplacedByItsNewState) {
  const auto removed = StartRemoveMember(bruno_, "remove-bruno");
  ASSERT_TRUE(removed->Wait().ok());
  const auto rows = store_.Projections();
  ASSERT_EQ(1u, rows.count(bruno_));
  v1::Member member;
  ASSERT_TRUE(member.ParseFromString(rows.at(bruno_).body));
  EXPECT_EQ(v1::MEMBER_STATE_LEFT, member.state());
  EXPECT_EQ(store_.LastSeq(kChapter), rows.at(bruno_).seq);
}

}  // namespace
}  // namespace reciproca::testing
