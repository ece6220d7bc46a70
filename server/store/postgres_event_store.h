#pragma once

// The EventStore for a region: PostgreSQL, shared by any number of reciprocad replicas.
//
// Ordering: every append locks the chapter's row in `chapters` (SELECT ... FOR UPDATE, chapters
// in name order so two writers never deadlock) and checks that each commit's first event follows
// the stored last_seq; (chapter, seq) is also the events' primary key, as a backstop. A commit
// another replica got ahead of is refused (AppendBatchOrRefuse) and the engine decides it again
// on the reloaded chapter. Idempotency keys are inserted in the same transaction with ON
// CONFLICT DO NOTHING: a key already stored refuses its commit too.
//
// Every commit notifies kAppendsChannel with "<chapter> <last seq>" per chapter it appended to
// (delivered by PostgreSQL when, and only if, the transaction commits); WatchAppends LISTENs on
// its own connection. AskForTurn notifies kTurnsChannel with "<chapter> <server id>" from the
// reader connection; the watch reports the other servers' asks, never this one's own.
//
// Threads and connections: AppendBatch* use the writer connection under one mutex; reads
// (ReadEvents, ForEachEvent, Load*, FindIdempotency) a reader connection under another; the
// watch a third, owned by its thread. A lost connection is made again at the next call.
//
// Durability: a commit is acknowledged once PostgreSQL has made it durable (synchronous_commit
// as configured on the server: on by default). docs/storage.md has the schema.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "server/domain/result.h"
#include "server/store/event_store.h"
#include "server/store/postgres_connection.h"
#include "server/store/postgres_schema.h"

namespace reciproca::store {

// True for "postgresql://..." and "postgres://..." (what --store takes).
bool IsPostgresUri(std::string_view store);

class PostgresEventStore final : public EventStore {
 public:
  static constexpr int kSchemaVersion = kLatestPostgresSchemaVersion;

  // Connects (twice), migrates the schema and prepares the statements. An unreachable server
  // is kUnavailable with libpq's reason.
  static Result<std::unique_ptr<PostgresEventStore>> Open(const std::string& conninfo);

  PostgresEventStore(const PostgresEventStore&) = delete;
  PostgresEventStore& operator=(const PostgresEventStore&) = delete;
  ~PostgresEventStore() override;

  // The EventStore contract, with the checks of SqliteEventStore: a gap, a repeated seq or a
  // repeated idempotency key or token hash is kInternal and nothing of the batch is written.
  Status AppendBatch(std::span<const Commit* const> batch) override;
  Status ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                    std::vector<StoredEvent>* out) override;
  Status ForEachEvent(const std::function<Status(const StoredEvent&)>& visit) override;
  Status ListChapters(std::vector<std::string>* out) override;
  // On the reader connection (its own transaction, as any write outside a batch).
  Status PutSnapshot(const ChapterSnapshot& snapshot) override;
  Result<std::optional<ChapterSnapshot>> LoadSnapshot(const std::string& chapter) override;
  Status LoadTokens(std::vector<TokenRecord>* out) override;
  Status LoadIdempotency(std::vector<IdempotencyRecord>* out) override;

  bool shared() const override { return true; }
  Status AppendBatchOrRefuse(std::span<const Commit* const> batch,
                             std::vector<size_t>* refused) override;
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                           const std::string& principal,
                                                           const std::string& request_id) override;
  Status LoadChapterTokens(const std::string& chapter, std::vector<TokenRecord>* active,
                           std::vector<TokenRecord>* revoked) override;
  Status WatchAppends(StoreNotices notices) override;
  Status AskForTurn(const std::string& chapter) override;
  void StopWatching() override;
  Result<std::string> SharedSetting(const std::string& name, const std::string& proposed) override;

 private:
  explicit PostgresEventStore(std::string conninfo);

  Status ConnectWriter();
  Status ConnectReader();
  // Writes the batch in one transaction. With `refused` null, any refusal fails the batch.
  Status WriteBatch(std::span<const Commit* const> batch, std::vector<size_t>* refused);
  Status WriteBatchLocked(std::span<const Commit* const> batch, std::vector<size_t>* refused);
  // Runs `read` on the reader connection under its mutex, reconnecting first if needed.
  Status WithReader(std::string_view what, const std::function<Status(PgConnection&)>& read);
  void Watch(const StoreNotices& notices);

  const std::string conninfo_;
  const std::string where_;  // conninfo without its password, for messages
  // Tells this store's own turn asks from the other servers' (random, per process).
  const std::string server_id_;

  std::mutex writer_mutex_;
  PgConnection writer_;    // guarded by writer_mutex_
  bool prepared_ = false;  // the writer's statements exist on its current session

  std::mutex reader_mutex_;
  PgConnection reader_;  // guarded by reader_mutex_

  std::atomic<bool> stop_watching_{false};
  std::thread watcher_;
};

}  // namespace reciproca::store
