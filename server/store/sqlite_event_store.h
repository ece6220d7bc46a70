#pragma once

// The embedded EventStore: one SQLite file in WAL mode with synchronous=FULL, so a batch is on
// disk (the WAL fsynced) when AppendBatch returns and survives kill -9 and power loss.
//
// Threads (see EventStore): AppendBatch, ForEachEvent and the Load* calls use the writer
// connection, guarded by one mutex; ReadEvents uses a second, read-only connection guarded by its
// own mutex, so readers see committed snapshots while the writer thread appends.
//
// Schema (sqlite_schema.cc, version in PRAGMA user_version): `events` (append-only, contiguous
// seqs per chapter), `chapters` (creation order), `idempotency`, `tokens` and the `resources`
// projection.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/domain/result.h"
#include "server/store/event_store.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_schema.h"

namespace reciproca::store {

class SqliteEventStore final : public EventStore {
 public:
  // The schema version this code writes; Open migrates older files up to it and refuses newer
  // ones (kFailedPrecondition).
  static constexpr int kSchemaVersion = kLatestSchemaVersion;

  // Opens (creating if needed) the database file `path` (e.g. "<data-dir>/reciproca.db"). The
  // directory must exist.
  static Result<std::unique_ptr<SqliteEventStore>> Open(const std::string& path);

  SqliteEventStore(const SqliteEventStore&) = delete;
  SqliteEventStore& operator=(const SqliteEventStore&) = delete;
  ~SqliteEventStore() override;

  // Besides the EventStore contract: each event's seq must be 1 for a new chapter, or follow the
  // chapter's last stored seq (counting earlier events of the same batch); a gap or a repeat is
  // kInternal and nothing of the batch is written. Idempotency keys and token hashes are inserted,
  // not replaced: storing one twice is kInternal and rolls the batch back.
  Status AppendBatch(std::span<const Commit* const> batch) override;

  // Replaces *out (left empty on error).
  Status ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                    std::vector<StoredEvent>* out) override;

  // `visit` runs with the writer lock held: it must not call AppendBatch or the Load* methods.
  Status ForEachEvent(const std::function<Status(const StoredEvent&)>& visit) override;

  Status ListChapters(std::vector<std::string>* out) override;
  // On the writer connection, between batches.
  Status PutSnapshot(const ChapterSnapshot& snapshot) override;
  Result<std::optional<ChapterSnapshot>> LoadSnapshot(const std::string& chapter) override;

  // Both replace *out (left empty on error).
  Status LoadTokens(std::vector<TokenRecord>* out) override;
  Status LoadIdempotency(std::vector<IdempotencyRecord>* out) override;

  // The settings in effect on the writer connection, read back from SQLite (for tests and
  // diagnostics).
  struct Settings {
    std::string journal_mode;  // "wal"
    int64_t synchronous = 0;   // 2 = FULL
    bool foreign_keys = false;
    int64_t busy_timeout_ms = 0;
    int64_t schema_version = 0;  // PRAGMA user_version
  };
  Result<Settings> QuerySettings();

 private:
  // Heterogeneous lookup, so a std::string_view chapter finds its entry without a copy.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using LastSeqMap = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

  // The writer's statements, prepared once at Open and reused by every batch.
  struct WriterStatements {
    SqliteStatement begin;
    SqliteStatement commit;
    SqliteStatement rollback;
    SqliteStatement insert_chapter;
    SqliteStatement insert_event;
    SqliteStatement insert_idempotency;
    SqliteStatement delete_idempotency;
    SqliteStatement insert_token;
    SqliteStatement revoke_member_tokens;
    SqliteStatement revoke_token;
    SqliteStatement upsert_resource;
    SqliteStatement put_snapshot;
    SqliteStatement load_snapshot;
  };

  explicit SqliteEventStore(std::string path) : path_(std::move(path)) {}

  Status Init();
  Status ConfigureWriter();
  Status Migrate();
  Status PrepareStatements();
  Status LoadLastSeqs();
  Status OpenReader();

  Status AppendBatchLocked(std::span<const Commit* const> batch);
  Status WriteCommit(const Commit& commit);
  // Rolls back the open transaction, if any. Never fails; problems are logged.
  void RollbackQuietly();

  const std::string path_;
  int64_t schema_version_at_open_ = 0;  // before migrating, for the log line

  // Statements are declared after their connection, so they are finalized before it closes.
  std::mutex writer_mutex_;
  SqliteConnection writer_;      // guarded by writer_mutex_
  WriterStatements statements_;  // guarded by writer_mutex_
  // The last committed seq of every chapter (absent or 0: no events). Changed only after a
  // successful COMMIT. Guarded by writer_mutex_.
  LastSeqMap last_seq_;

  std::mutex reader_mutex_;
  SqliteConnection reader_;      // guarded by reader_mutex_, read-only
  SqliteStatement read_events_;  // guarded by reader_mutex_
};

}  // namespace reciproca::store
