#include "server/store/postgres_event_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "unit/store/store_test_support.h"

// What only the PostgreSQL store does: several stores (replicas) on one database. The
// EventStore contract itself runs against every store in event_store_test.cc.

namespace reciproca::store {
namespace {

class PostgresEventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<PostgresBackend>();
    first_ = OpenStore();
    second_ = OpenStore();
  }

  std::unique_ptr<PostgresEventStore> OpenStore() {
    Result<std::unique_ptr<PostgresEventStore>> store = PostgresEventStore::Open(backend_->uri());
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<PostgresBackend> backend_;
  std::unique_ptr<PostgresEventStore> first_;   // replica A's store
  std::unique_ptr<PostgresEventStore> second_;  // replica B's, same database
};

TEST_F(PostgresEventStoreTest, AppendBatchOrRefuse_RefusesACommitAnotherWriterGotAheadOf) {
  ASSERT_NE(nullptr, first_);
  ASSERT_NE(nullptr, second_);
  ASSERT_TRUE(Append(*first_, {EventsCommit("chapters/rome", 1, 2)}).ok());
  // B decided seq 3 and 4 on top of seq 2, but A stored seq 3 first.
  ASSERT_TRUE(Append(*first_, {EventsCommit("chapters/rome", 3, 1)}).ok());

  std::vector<Commit> commits = {EventsCommit("chapters/rome", 3, 1),
                                 EventsCommit("chapters/oslo", 1, 1),
                                 EventsCommit("chapters/rome", 4, 1)};
  std::vector<size_t> refused;
  Status status = second_->AppendBatchOrRefuse(Batch(commits), &refused);
  ASSERT_TRUE(status.ok()) << status.error().message;
  // seq 4 would follow the stored seq 3, but it was decided on top of the refused commit.
  EXPECT_EQ((std::vector<size_t>{0, 2}), refused);
  EXPECT_EQ((std::vector<int64_t>{1, 2, 3}), Seqs(ReadAll(*second_, "chapters/rome")));
  EXPECT_EQ(Event("chapters/rome", 3).bytes, ReadAll(*second_, "chapters/rome")[2].bytes);
  EXPECT_EQ((std::vector<int64_t>{1}), Seqs(ReadAll(*second_, "chapters/oslo")));
}

TEST_F(PostgresEventStoreTest, AppendBatchOrRefuse_RefusesAStoredIdempotencyKeyAndWritesNothing) {
  ASSERT_NE(nullptr, first_);
  ASSERT_NE(nullptr, second_);
  Commit first = EventsCommit("chapters/rome", 1, 1);
  first.idempotency.push_back({"chapters/rome", "admin", "req-1", "h", "first answer"});
  ASSERT_TRUE(Append(*first_, {first}).ok());

  // The same request retried on B: decided again (seq 2), but its key is stored already. The
  // commit has two keys, so the first must be undone too.
  Commit retry = EventsCommit("chapters/rome", 2, 1);
  retry.idempotency.push_back({"chapters/rome", "admin", "req-0", "h", "never"});
  retry.idempotency.push_back({"chapters/rome", "admin", "req-1", "h", "second answer"});
  retry.new_tokens.push_back({"h-token", "display", "chapters/rome", ""});
  std::vector<Commit> commits = {retry};
  std::vector<size_t> refused;
  ASSERT_TRUE(second_->AppendBatchOrRefuse(Batch(commits), &refused).ok());
  EXPECT_EQ((std::vector<size_t>{0}), refused);
  EXPECT_EQ((std::vector<int64_t>{1}), Seqs(ReadAll(*second_, "chapters/rome")));
  EXPECT_EQ((Rows{{"req-1"}}), backend_->Query("SELECT request_id FROM idempotency"));
  EXPECT_TRUE(backend_->Query("SELECT token_hash FROM tokens").empty());

  Result<std::optional<IdempotencyRecord>> found =
      second_->FindIdempotency("chapters/rome", "admin", "req-1");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ("first answer", (*found)->response);
  found = second_->FindIdempotency("chapters/rome", "admin", "req-0");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_FALSE(found->has_value());
}

TEST_F(PostgresEventStoreTest, TwoWritersAppendingOneChapter_LeaveNoGapNoDuplicate) {
  ASSERT_NE(nullptr, first_);
  ASSERT_NE(nullptr, second_);
  ASSERT_TRUE(Append(*first_, {EventsCommit("chapters/rome", 1, 1)}).ok());
  // Each writer appends after the last seq it knows and, when refused, reads the tail and tries
  // again: what the engine does. Every event carries its writer, so none is lost.
  constexpr int kPerWriter = 150;
  auto writer = [](EventStore& store, const std::string& who, int* refusals) {
    int64_t known = 1;
    for (int written = 0; written < kPerWriter;) {
      Commit commit = EventsCommit("chapters/rome", known + 1, 1);
      commit.events[0].bytes = who + "#" + std::to_string(written);
      std::vector<size_t> refused;
      std::vector<const Commit*> batch = {&commit};
      if (!store.AppendBatchOrRefuse(batch, &refused).ok()) {
        ADD_FAILURE() << who << " failed";
        return;
      }
      if (refused.empty()) {
        ++written;
        ++known;
      } else {
        ++*refusals;
        std::vector<StoredEvent> tail;
        EXPECT_TRUE(store.ReadEvents("chapters/rome", known, 1000, &tail).ok());
        known += static_cast<int64_t>(tail.size());
      }
    }
  };
  int refusals_a = 0;
  int refusals_b = 0;
  std::thread a(writer, std::ref(*first_), "a", &refusals_a);
  std::thread b(writer, std::ref(*second_), "b", &refusals_b);
  a.join();
  b.join();

  std::vector<StoredEvent> events = ReadAll(*first_, "chapters/rome");
  ASSERT_EQ(static_cast<size_t>(1 + 2 * kPerWriter), events.size());
  std::map<std::string, int> next = {{"a", 0}, {"b", 0}};
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(static_cast<int64_t>(i) + 1, events[i].seq);
    if (i == 0) {
      continue;
    }
    const std::string who = events[i].bytes.substr(0, 1);
    // Each writer's events are all there, once, in its order.
    EXPECT_EQ(who + "#" + std::to_string(next[who]++), events[i].bytes);
  }
  EXPECT_EQ(kPerWriter, next["a"]);
  EXPECT_EQ(kPerWriter, next["b"]);
  EXPECT_EQ((Rows{{"301"}}),
            backend_->Query("SELECT last_seq FROM chapters WHERE chapter = 'chapters/rome'"));
}

TEST_F(PostgresEventStoreTest, WatchAppends_TellsEveryStoreWhatAnyWriterCommitted) {
  ASSERT_NE(nullptr, first_);
  ASSERT_NE(nullptr, second_);
  ASSERT_TRUE(Append(*first_, {EventsCommit("chapters/old", 1, 4)}).ok());

  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, int64_t> seen;
  ASSERT_TRUE(second_
                  ->WatchAppends([&](const std::string& chapter, int64_t last_seq) {
                    std::lock_guard lock(mu);
                    seen[chapter] = std::max(seen[chapter], last_seq);
                    cv.notify_all();
                  })
                  .ok());
  auto wait_for = [&](const std::string& chapter, int64_t seq) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10),
                       [&] { return seen.count(chapter) > 0 && seen[chapter] >= seq; });
  };
  // What was there before the watch started is reported when it connects.
  EXPECT_TRUE(wait_for("chapters/old", 4));

  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(
      Append(*first_, {EventsCommit("chapters/rome", 1, 2), EventsCommit("chapters/old", 5, 1)})
          .ok());
  EXPECT_TRUE(wait_for("chapters/rome", 2));
  EXPECT_TRUE(wait_for("chapters/old", 5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));

  // A refused commit notifies nothing.
  std::vector<Commit> stale = {EventsCommit("chapters/rome", 2, 1)};
  std::vector<size_t> refused;
  ASSERT_TRUE(first_->AppendBatchOrRefuse(Batch(stale), &refused).ok());
  EXPECT_EQ(1u, refused.size());
  second_->StopWatching();
  std::lock_guard lock(mu);
  EXPECT_EQ(2, seen["chapters/rome"]);
}

TEST_F(PostgresEventStoreTest, LoadChapterTokens_ReportsActiveAndRevokedTokens) {
  ASSERT_NE(nullptr, first_);
  Commit commit = EventsCommit("chapters/rome", 1, 1);
  commit.new_tokens = {{"h-display", "display", "chapters/rome", ""},
                       {"h-ann", "member", "chapters/rome", "chapters/rome/members/1"},
                       {"h-bob", "member", "chapters/rome", "chapters/rome/members/2"},
                       {"h-oslo", "display", "chapters/oslo", ""}};
  Commit leave = EventsCommit("chapters/rome", 2, 1);
  leave.revoke_member_tokens.push_back("chapters/rome/members/1");
  Commit rotate = EventsCommit("chapters/rome", 3, 1);
  rotate.revoke_token_hashes.push_back("h-display");
  rotate.new_tokens = {{"h-display-2", "display", "chapters/rome", ""}};
  ASSERT_TRUE(Append(*first_, {commit, leave, rotate}).ok());

  std::vector<TokenRecord> active;
  std::vector<TokenRecord> revoked;
  ASSERT_TRUE(second_->LoadChapterTokens("chapters/rome", &active, &revoked).ok());
  auto describe = [](const std::vector<TokenRecord>& tokens) {
    std::vector<std::string> out;
    for (const TokenRecord& t : tokens) {
      out.push_back(t.token_hash + "|" + t.kind + "|" + t.member);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(
      (std::vector<std::string>{"h-bob|member|chapters/rome/members/2", "h-display-2|display|"}),
      describe(active));
  EXPECT_EQ(
      (std::vector<std::string>{"h-ann|member|chapters/rome/members/1", "h-display|display|"}),
      describe(revoked));
}

TEST_F(PostgresEventStoreTest, SharedSetting_TheFirstProposalWins) {
  ASSERT_NE(nullptr, first_);
  Result<std::string> a = first_->SharedSetting("token_secret", "from-a");
  Result<std::string> b = second_->SharedSetting("token_secret", "from-b");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ("from-a", *a);
  EXPECT_EQ("from-a", *b);
}

TEST_F(PostgresEventStoreTest, Open_RefusesANewerSchemaVersion) {
  ASSERT_NE(nullptr, first_);
  RawPg raw(backend_->uri());
  ASSERT_TRUE(raw.Exec("UPDATE reciproca_schema SET version = 99"));
  Result<std::unique_ptr<PostgresEventStore>> store = PostgresEventStore::Open(backend_->uri());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, store.error().code);
  EXPECT_NE(std::string::npos, store.error().message.find("99")) << store.error().message;
}

TEST_F(PostgresEventStoreTest, Open_ReportsAnUnreachableServerWithoutItsPassword) {
  Result<std::unique_ptr<PostgresEventStore>> store =
      PostgresEventStore::Open("postgresql://someone:s3cret@127.0.0.1:1/nowhere?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(ErrorCode::kUnavailable, store.error().code);
  EXPECT_NE(std::string::npos, store.error().message.find("127.0.0.1")) << store.error().message;
  EXPECT_EQ(std::string::npos, store.error().message.find("s3cret")) << store.error().message;
}

TEST_F(PostgresEventStoreTest, Events_AreAppendOnlyForOtherTools) {
  ASSERT_NE(nullptr, first_);
  ASSERT_TRUE(Append(*first_, {EventsCommit("chapters/rome", 1, 1)}).ok());
  RawPg raw(backend_->uri());
  EXPECT_FALSE(raw.Exec("DELETE FROM events"));
  EXPECT_FALSE(raw.Exec("UPDATE events SET payload = '\\x00'"));
  EXPECT_EQ(1u, ReadAll(*first_, "chapters/rome").size());
}

}  // namespace
}  // namespace reciproca::store
