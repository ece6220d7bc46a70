#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "unit/store/store_test_support.h"

// The EventStore contract, run against every store: SQLite (the embedded default) and
// PostgreSQL (a private cluster started by the test). What only one store does is tested in
// sqlite_event_store_test.cc and postgres_event_store_test.cc.

namespace reciproca::store {
namespace {

class EventStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      backend_ = std::make_unique<PostgresBackend>();
    } else {
      backend_ = std::make_unique<SqliteBackend>();
    }
    store_ = OpenStore();
  }

  void TearDown() override {
    store_.reset();
    backend_.reset();
  }

  std::unique_ptr<EventStore> OpenStore() {
    Result<std::unique_ptr<EventStore>> store = backend_->Open();
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  void Reopen() {
    store_.reset();
    store_ = OpenStore();
    ASSERT_NE(nullptr, store_);
  }

  std::unique_ptr<StoreBackend> backend_;
  std::unique_ptr<EventStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Stores, EventStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST_P(EventStoreTest, AppendBatch_ThenReadEventsReturnsThemInSeqOrder) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 2)}).ok());
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 3, 1)}).ok());

  std::vector<StoredEvent> events = ReadAll(*store_, "chapters/rome");
  ASSERT_EQ(3u, events.size());
  for (int i = 0; i < 3; ++i) {
    StoredEvent expected = Event("chapters/rome", i + 1);
    EXPECT_EQ(expected.chapter, events[i].chapter);
    EXPECT_EQ(expected.seq, events[i].seq);
    EXPECT_EQ(expected.time_micros, events[i].time_micros);
    EXPECT_EQ(expected.bytes, events[i].bytes);
  }
  EXPECT_TRUE(ReadAll(*store_, "chapters/unknown").empty());
}

TEST_P(EventStoreTest, ReadEvents_HonoursAfterSeqAndLimit) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 10)}).ok());
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/oslo", 1, 4)}).ok());

  std::vector<StoredEvent> events;
  ASSERT_TRUE(store_->ReadEvents("chapters/rome", 4, 3, &events).ok());
  EXPECT_EQ((std::vector<int64_t>{5, 6, 7}), Seqs(events));

  ASSERT_TRUE(store_->ReadEvents("chapters/rome", 8, 100, &events).ok());
  EXPECT_EQ((std::vector<int64_t>{9, 10}), Seqs(events));  // replaced, not appended

  ASSERT_TRUE(store_->ReadEvents("chapters/rome", 10, 100, &events).ok());
  EXPECT_TRUE(events.empty());

  ASSERT_TRUE(store_->ReadEvents("chapters/rome", 0, 0, &events).ok());
  EXPECT_TRUE(events.empty());
  ASSERT_TRUE(store_->ReadEvents("chapters/rome", 0, -5, &events).ok());
  EXPECT_TRUE(events.empty());

  ASSERT_TRUE(store_->ReadEvents("chapters/oslo", 0, 100, &events).ok());
  EXPECT_EQ((std::vector<int64_t>{1, 2, 3, 4}), Seqs(events));
}

TEST_P(EventStoreTest, AppendBatch_WritesManyCommitsInOneCall) {
  ASSERT_NE(nullptr, store_);
  std::vector<Commit> commits;
  for (int i = 0; i < 500; ++i) {
    // Two chapters interleaved, two events per commit.
    std::string chapter = i % 2 == 0 ? "chapters/rome" : "chapters/oslo";
    commits.push_back(EventsCommit(chapter, (i / 2) * 2 + 1, 2));
  }
  Status status = Append(*store_, commits);
  ASSERT_TRUE(status.ok()) << status.error().message;

  std::vector<int64_t> expected;
  for (int64_t seq = 1; seq <= 500; ++seq) {
    expected.push_back(seq);
  }
  EXPECT_EQ(expected, Seqs(ReadAll(*store_, "chapters/rome")));
  EXPECT_EQ(expected, Seqs(ReadAll(*store_, "chapters/oslo")));
}

TEST_P(EventStoreTest, ForEachEvent_VisitsChaptersInCreationOrder) {
  ASSERT_NE(nullptr, store_);
  // Created zeta, alpha, mid: not alphabetical, and their events interleave across batches.
  ASSERT_TRUE(
      Append(*store_, {EventsCommit("chapters/zeta", 1, 1), EventsCommit("chapters/alpha", 1, 2)})
          .ok());
  ASSERT_TRUE(
      Append(*store_, {EventsCommit("chapters/mid", 1, 1), EventsCommit("chapters/zeta", 2, 2),
                       EventsCommit("chapters/alpha", 3, 1)})
          .ok());

  std::vector<std::pair<std::string, int64_t>> visited;
  Status status = store_->ForEachEvent([&](const StoredEvent& event) -> Status {
    EXPECT_EQ(Event(event.chapter, event.seq).bytes, event.bytes);
    visited.emplace_back(event.chapter, event.seq);
    return {};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  std::vector<std::pair<std::string, int64_t>> expected = {
      {"chapters/zeta", 1},  {"chapters/zeta", 2},  {"chapters/zeta", 3}, {"chapters/alpha", 1},
      {"chapters/alpha", 2}, {"chapters/alpha", 3}, {"chapters/mid", 1}};
  EXPECT_EQ(expected, visited);
}

TEST_P(EventStoreTest, ForEachEvent_StopsAtTheCallbacksError) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 5)}).ok());
  int calls = 0;
  Status status = store_->ForEachEvent([&](const StoredEvent& event) -> Status {
    ++calls;
    if (event.seq == 2) {
      return InvalidArgument("stop here");
    }
    return {};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInvalidArgument, status.error().code);
  EXPECT_EQ("stop here", status.error().message);
  EXPECT_EQ(2, calls);
  // The store is still usable (the statement was reset).
  EXPECT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 6, 1)}).ok());
}

TEST_P(EventStoreTest, AppendBatch_RejectsDuplicateSeqAndWritesNothingOfTheBatch) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 3)}).ok());

  Commit good = EventsCommit("chapters/oslo", 1, 2);
  good.idempotency.push_back({"chapters/oslo", "admin", "req-1", "hash", "response"});
  good.new_tokens.push_back({"aaaa", "display", "chapters/oslo", ""});
  good.projections.push_back({"chapters/oslo", "chapters/oslo", "chapter", "body", 1});
  Commit duplicate = EventsCommit("chapters/rome", 3, 1);  // seq 3 is already stored
  Status status = Append(*store_, {good, duplicate});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);
  EXPECT_NE(std::string::npos, status.error().message.find("chapters/rome seq 3"))
      << status.error().message;

  // Duplicate inside one batch as well.
  status =
      Append(*store_, {EventsCommit("chapters/rome", 4, 1), EventsCommit("chapters/rome", 4, 1)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);

  EXPECT_EQ((std::vector<int64_t>{1, 2, 3}), Seqs(ReadAll(*store_, "chapters/rome")));
  EXPECT_TRUE(ReadAll(*store_, "chapters/oslo").empty());
  std::vector<IdempotencyRecord> idempotency;
  ASSERT_TRUE(store_->LoadIdempotency(&idempotency).ok());
  EXPECT_TRUE(idempotency.empty());
  std::vector<TokenRecord> tokens;
  ASSERT_TRUE(store_->LoadTokens(&tokens).ok());
  EXPECT_TRUE(tokens.empty());
  EXPECT_TRUE(backend_->Query("SELECT name FROM resources").empty());
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"chapters/rome"}}),
            backend_->Query("SELECT chapter FROM chapters"));

  // The rejected batches left the expected next seqs alone.
  EXPECT_TRUE(Append(*store_, {good, EventsCommit("chapters/rome", 4, 1)}).ok());
}

TEST_P(EventStoreTest, AppendBatch_RejectsGap) {
  ASSERT_NE(nullptr, store_);
  Status status = Append(*store_, {EventsCommit("chapters/rome", 2, 1)});  // must start at 1
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);

  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 3)}).ok());
  status = Append(*store_, {EventsCommit("chapters/rome", 5, 1)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);
  EXPECT_NE(std::string::npos, status.error().message.find("gap")) << status.error().message;

  EXPECT_EQ((std::vector<int64_t>{1, 2, 3}), Seqs(ReadAll(*store_, "chapters/rome")));
  EXPECT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 4, 2)}).ok());
}

TEST_P(EventStoreTest, AppendBatch_RollsBackEverythingWhenAWriteFails) {
  ASSERT_NE(nullptr, store_);
  // Contiguous events, but the same token hash twice: the second insert fails inside the
  // transaction, after the events were written.
  Commit first = EventsCommit("chapters/rome", 1, 2);
  first.new_tokens.push_back({"same-hash", "member", "chapters/rome", "chapters/rome/members/1"});
  Commit second = EventsCommit("chapters/rome", 3, 1);
  second.new_tokens.push_back({"same-hash", "member", "chapters/rome", "chapters/rome/members/2"});
  Status status = Append(*store_, {first, second});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ErrorCode::kInternal, status.error().code);
  EXPECT_NE(std::string::npos, status.error().message.find("token")) << status.error().message;
  EXPECT_NE(std::string::npos, status.error().message.find(backend_->UniqueViolationText()))
      << status.error().message;

  EXPECT_TRUE(ReadAll(*store_, "chapters/rome").empty());
  std::vector<TokenRecord> tokens;
  ASSERT_TRUE(store_->LoadTokens(&tokens).ok());
  EXPECT_TRUE(tokens.empty());

  // The in-memory last seq did not move: the chapter starts at 1 again.
  status = Append(*store_, {EventsCommit("chapters/rome", 1, 1)});
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST_P(EventStoreTest, Idempotency_RecordsRoundTrip) {
  ASSERT_NE(nullptr, store_);
  Commit commit = EventsCommit("chapters/rome", 1, 1);
  commit.idempotency.push_back(
      {"", "admin", "create-rome", "CreateChapter:abc", std::string("resp\0onse", 9)});
  commit.idempotency.push_back(
      {"chapters/rome", "chapters/rome/members/1", "r-2", "GiveReferral:def", ""});
  ASSERT_TRUE(Append(*store_, {commit}).ok());

  std::vector<IdempotencyRecord> records;
  ASSERT_TRUE(store_->LoadIdempotency(&records).ok());
  ASSERT_EQ(2u, records.size());
  auto fields = [](const IdempotencyRecord& r) {
    return std::tie(r.scope, r.principal, r.request_id, r.request_hash, r.response);
  };
  EXPECT_EQ(fields(commit.idempotency[0]), fields(records[0]));
  EXPECT_EQ(fields(commit.idempotency[1]), fields(records[1]));
}

TEST_P(EventStoreTest, Idempotency_KeepsTheCreationTimeAndDeletesExpiredKeys) {
  ASSERT_NE(nullptr, store_);
  Commit first = EventsCommit("chapters/rome", 1, 1);
  first.idempotency.push_back({"chapters/rome", "m/1", "old", "GiveReferral:a", "x", 1000});
  first.idempotency.push_back({"chapters/rome", "m/1", "kept", "GiveReferral:b", "y", 2000});
  ASSERT_TRUE(Append(*store_, {first}).ok());
  // A commit may carry only deletions; and a new record may take a deleted key at once.
  Commit prune;
  prune.expired_idempotency.push_back({"chapters/rome", "m/1", "old"});
  prune.expired_idempotency.push_back({"chapters/rome", "m/1", "never-there"});
  ASSERT_TRUE(Append(*store_, {prune}).ok());
  Commit reuse = EventsCommit("chapters/rome", 2, 2);
  reuse.expired_idempotency.push_back({"chapters/rome", "m/1", "kept"});
  reuse.idempotency.push_back({"chapters/rome", "m/1", "kept", "GiveReferral:c", "z", 3000});
  ASSERT_TRUE(Append(*store_, {reuse}).ok());

  Reopen();
  std::vector<IdempotencyRecord> records;
  ASSERT_TRUE(store_->LoadIdempotency(&records).ok());
  ASSERT_EQ(1u, records.size());
  EXPECT_EQ("kept", records[0].request_id);
  EXPECT_EQ("GiveReferral:c", records[0].request_hash);
  EXPECT_EQ(3000, records[0].created_micros);
}

TEST_P(EventStoreTest, Tokens_RoundTripAndRevokeMemberTokensHidesThem) {
  ASSERT_NE(nullptr, store_);
  Commit commit = EventsCommit("chapters/rome", 1, 1);
  commit.new_tokens = {{"h-admin", "admin", "", ""},
                       {"h-display", "display", "chapters/rome", ""},
                       {"h-ann-1", "member", "chapters/rome", "chapters/rome/members/1"},
                       {"h-ann-2", "member", "chapters/rome", "chapters/rome/members/1"},
                       {"h-bob", "member", "chapters/rome", "chapters/rome/members/2"}};
  ASSERT_TRUE(Append(*store_, {commit}).ok());

  auto hashes = [this] {
    std::vector<TokenRecord> tokens;
    EXPECT_TRUE(store_->LoadTokens(&tokens).ok());
    std::vector<std::string> result;
    for (const TokenRecord& t : tokens) {
      result.push_back(t.token_hash + "|" + t.kind + "|" + t.chapter + "|" + t.member);
    }
    std::sort(result.begin(), result.end());
    return result;
  };
  EXPECT_EQ((std::vector<std::string>{"h-admin|admin||",
                                      "h-ann-1|member|chapters/rome|chapters/rome/members/1",
                                      "h-ann-2|member|chapters/rome|chapters/rome/members/1",
                                      "h-bob|member|chapters/rome|chapters/rome/members/2",
                                      "h-display|display|chapters/rome|"}),
            hashes());

  Commit leave = EventsCommit("chapters/rome", 2, 1);
  leave.revoke_member_tokens.push_back("chapters/rome/members/1");
  ASSERT_TRUE(Append(*store_, {leave}).ok());
  EXPECT_EQ((std::vector<std::string>{"h-admin|admin||",
                                      "h-bob|member|chapters/rome|chapters/rome/members/2",
                                      "h-display|display|chapters/rome|"}),
            hashes());
  // Revoked rows are kept, marked.
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"h-ann-1"}, {"h-ann-2"}}),
            backend_->Query("SELECT token_hash FROM tokens WHERE revoked ORDER BY token_hash"));

  // A replaced display token is revoked by its hash.
  Commit rotate = EventsCommit("chapters/rome", 3, 1);
  rotate.revoke_token_hashes.push_back("h-display");
  ASSERT_TRUE(Append(*store_, {rotate}).ok());
  EXPECT_EQ((std::vector<std::string>{"h-admin|admin||",
                                      "h-bob|member|chapters/rome|chapters/rome/members/2"}),
            hashes());
}

TEST_P(EventStoreTest, Projections_AreUpsertedByName) {
  ASSERT_NE(nullptr, store_);
  Commit first = EventsCommit("chapters/rome", 1, 2);
  first.projections = {{"chapters/rome", "chapters/rome", "chapter", "rome-v1", 1},
                       {"chapters/rome", "chapters/rome/members/2", "member", "ann-v1", 2}};
  Commit second = EventsCommit("chapters/rome", 3, 1);
  second.projections = {{"chapters/rome", "chapters/rome/members/2", "member", "ann-v2", 3}};
  ASSERT_TRUE(Append(*store_, {first, second}).ok());

  EXPECT_EQ((std::vector<std::vector<std::string>>{
                {"chapters/rome", "chapters/rome", "chapter", "rome-v1", "1"},
                {"chapters/rome/members/2", "chapters/rome", "member", "ann-v2", "3"}}),
            backend_->Query("SELECT name, chapter, kind, " + backend_->BlobAsText("body") +
                            ", seq FROM resources ORDER BY name"));
}

TEST_P(EventStoreTest, Reopen_KeepsEverythingAndContinuesTheContiguityCheck) {
  ASSERT_NE(nullptr, store_);
  Commit commit = EventsCommit("chapters/zeta", 1, 3);
  commit.idempotency.push_back({"chapters/zeta", "admin", "r-1", "h", "resp"});
  commit.new_tokens.push_back({"h-1", "display", "chapters/zeta", ""});
  ASSERT_TRUE(Append(*store_, {commit, EventsCommit("chapters/alpha", 1, 2)}).ok());

  Reopen();

  EXPECT_EQ((std::vector<int64_t>{1, 2, 3}), Seqs(ReadAll(*store_, "chapters/zeta")));
  EXPECT_EQ((std::vector<int64_t>{1, 2}), Seqs(ReadAll(*store_, "chapters/alpha")));
  std::vector<IdempotencyRecord> records;
  ASSERT_TRUE(store_->LoadIdempotency(&records).ok());
  ASSERT_EQ(1u, records.size());
  EXPECT_EQ("r-1", records[0].request_id);
  std::vector<TokenRecord> tokens;
  ASSERT_TRUE(store_->LoadTokens(&tokens).ok());
  ASSERT_EQ(1u, tokens.size());
  EXPECT_EQ("h-1", tokens[0].token_hash);

  EXPECT_FALSE(Append(*store_, {EventsCommit("chapters/zeta", 3, 1)}).ok());   // duplicate
  EXPECT_FALSE(Append(*store_, {EventsCommit("chapters/zeta", 5, 1)}).ok());   // gap
  EXPECT_FALSE(Append(*store_, {EventsCommit("chapters/alpha", 1, 1)}).ok());  // duplicate
  ASSERT_TRUE(
      Append(*store_, {EventsCommit("chapters/zeta", 4, 1), EventsCommit("chapters/alpha", 3, 1),
                       EventsCommit("chapters/new", 1, 1)})
          .ok());

  Reopen();
  std::vector<std::string> order;
  ASSERT_TRUE(store_
                  ->ForEachEvent([&](const StoredEvent& event) -> Status {
                    order.push_back(event.chapter + "#" + std::to_string(event.seq));
                    return {};
                  })
                  .ok());
  EXPECT_EQ((std::vector<std::string>{"chapters/zeta#1", "chapters/zeta#2", "chapters/zeta#3",
                                      "chapters/zeta#4", "chapters/alpha#1", "chapters/alpha#2",
                                      "chapters/alpha#3", "chapters/new#1"}),
            order);
}

TEST_P(EventStoreTest, ReadEvents_SeesAContiguousPrefixWhileAppendBatchRuns) {
  ASSERT_NE(nullptr, store_);
  constexpr int64_t kTotal = 2000;
  std::atomic<bool> writer_done{false};
  std::atomic<bool> writer_failed{false};

  std::thread writer([&] {
    int64_t next = 1;
    int batch_size = 1;
    while (next <= kTotal) {
      std::vector<Commit> commits;
      for (int i = 0; i < batch_size && next <= kTotal; ++i) {
        commits.push_back(EventsCommit("chapters/rome", next++, 1));
      }
      if (!Append(*store_, commits).ok()) {
        writer_failed = true;
        break;
      }
      batch_size = batch_size % 20 + 1;
    }
    writer_done = true;
  });

  int64_t seen = 0;
  int reads = 0;
  bool prefix_ok = true;
  // Bounded in time: the writer needs about 200 fsyncs, well under a second on most disks.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (prefix_ok && std::chrono::steady_clock::now() < deadline) {
    bool done = writer_done.load();
    std::vector<StoredEvent> events;
    Status status = store_->ReadEvents("chapters/rome", 0, 1'000'000, &events);
    ASSERT_TRUE(status.ok()) << status.error().message;
    ++reads;
    for (size_t j = 0; j < events.size(); ++j) {
      if (events[j].seq != static_cast<int64_t>(j) + 1) {
        prefix_ok = false;
      }
    }
    EXPECT_GE(static_cast<int64_t>(events.size()), seen);  // never goes backwards
    seen = static_cast<int64_t>(events.size());
    if (done) {
      break;
    }
  }
  writer.join();
  EXPECT_TRUE(prefix_ok);
  EXPECT_FALSE(writer_failed);
  EXPECT_EQ(kTotal, seen);
  EXPECT_GT(reads, 1);
}

}  // namespace
}  // namespace reciproca::store

namespace reciproca::store {
namespace {

TEST_P(EventStoreTest, ListChapters_InCreationOrder) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/zeta", 1, 1)}).ok());
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/alpha", 1, 2)}).ok());
  std::vector<std::string> chapters;
  ASSERT_TRUE(store_->ListChapters(&chapters).ok());
  EXPECT_EQ((std::vector<std::string>{"chapters/zeta", "chapters/alpha"}), chapters);
}

TEST_P(EventStoreTest, Snapshot_TheNewestIsKeptAndSurvivesAReopen) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 5)}).ok());
  auto none = store_->LoadSnapshot("chapters/rome");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store_->PutSnapshot({"chapters/rome", 3, 1, std::string("at\0three", 8)}).ok());
  ASSERT_TRUE(store_->PutSnapshot({"chapters/rome", 5, 1, "at five"}).ok());
  // An older one arriving late (written by a slower thread or replica) does not replace it.
  ASSERT_TRUE(store_->PutSnapshot({"chapters/rome", 4, 1, "at four"}).ok());
  Reopen();
  auto found = store_->LoadSnapshot("chapters/rome");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(5, (*found)->seq);
  EXPECT_EQ(1, (*found)->version);
  EXPECT_EQ("at five", (*found)->bytes);
  EXPECT_EQ("chapters/rome", (*found)->chapter);

  ASSERT_TRUE(store_->PutSnapshot({"chapters/rome", 5, 2, std::string("\xff\x00", 2)}).ok());
  found = store_->LoadSnapshot("chapters/rome");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(2, (*found)->version);
  EXPECT_EQ(std::string("\xff\x00", 2), (*found)->bytes);
}

TEST_P(EventStoreTest, Snapshot_OfAnUnknownChapterIsRefused) {
  ASSERT_NE(nullptr, store_);
  EXPECT_FALSE(store_->PutSnapshot({"chapters/nowhere", 1, 1, "x"}).ok());
}

}  // namespace
}  // namespace reciproca::store
