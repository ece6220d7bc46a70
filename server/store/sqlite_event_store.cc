#include "server/store/sqlite_event_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <string_view>
#include <utility>

#include "server/store/sqlite_schema.h"
#include "server/store/store_errors.h"

namespace reciproca::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kWriterFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
constexpr int kReaderFlags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;

// Steps a statement that returns no rows we need, then resets it. `what` is only called to
// describe a failure, so the hot path formats nothing.
template <class What>
Status Run(const SqliteConnection& db, SqliteStatement& stmt, const What& what) {
  int rc = stmt.Step();
  Status status;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    status = db.ErrorFor(what(), rc);
  }
  stmt.Reset();
  return status;
}

// Runs a query and calls on_row(stmt) for each row until it returns an error.
template <class OnRow>
Status QueryRows(SqliteConnection& db, std::string_view sql, const OnRow& on_row) {
  Result<SqliteStatement> stmt = db.Prepare(sql, /*persistent=*/false);
  if (!stmt.ok()) {
    return stmt.error();
  }
  ScopedReset reset(*stmt);
  while (true) {
    int rc = stmt->Step();
    if (rc == SQLITE_DONE) {
      return {};
    }
    if (rc != SQLITE_ROW) {
      return db.ErrorFor(fmt::format("running \"{}\"", sql), rc);
    }
    if (Status status = on_row(*stmt); !status.ok()) {
      return status;
    }
  }
}

}  // namespace

Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(const std::string& path) {
  try {
    std::unique_ptr<SqliteEventStore> store(new SqliteEventStore(path));
    if (Status status = store->Init(); !status.ok()) {
      return status.error();
    }
    return store;
  } catch (const std::exception& e) {
    return FromException(fmt::format("opening event store {}", path), &e);
  } catch (...) {
    return FromException("opening event store", nullptr);
  }
}

// Members are destroyed in reverse order: the reader closes first, so the writer is the last
// connection and checkpoints the WAL into the database file as it closes.
SqliteEventStore::~SqliteEventStore() = default;

Status SqliteEventStore::Init() {
  Result<SqliteConnection> writer = SqliteConnection::Open(path_, kWriterFlags);
  if (!writer.ok()) {
    return writer.error();
  }
  writer_ = std::move(writer).value();
  using Step = Status (SqliteEventStore::*)();
  for (Step step : {&SqliteEventStore::ConfigureWriter, &SqliteEventStore::Migrate,
                    &SqliteEventStore::PrepareStatements, &SqliteEventStore::LoadLastSeqs,
                    &SqliteEventStore::OpenReader}) {
    if (Status status = (this->*step)(); !status.ok()) {
      return status;
    }
  }
  return {};
}

Status SqliteEventStore::ConfigureWriter() {
  // WAL: readers do not block the writer and a commit is one sequential WAL append. FULL: the WAL
  // is fsynced at every COMMIT, so an acknowledged batch survives power loss.
  Result<std::string> mode = writer_.QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) {
    return mode.error();
  }
  if (*mode != "wal") {
    return Internal(fmt::format("{}: SQLite refused WAL mode (journal_mode is {})", path_, *mode));
  }
  if (Status status = writer_.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                                   "setting synchronous and foreign_keys");
      !status.ok()) {
    return status;
  }
  if (sqlite3_busy_timeout(writer_.get(), kBusyTimeoutMs) != SQLITE_OK) {
    return writer_.ErrorFor("setting busy_timeout");
  }
  // PRAGMA foreign_keys is silently ignored inside a transaction or by builds without foreign
  // keys; check it took.
  Result<int64_t> foreign_keys = writer_.QueryInt64("PRAGMA foreign_keys");
  if (!foreign_keys.ok()) {
    return foreign_keys.error();
  }
  if (*foreign_keys != 1) {
    return Internal(fmt::format("{}: SQLite did not enable foreign keys", path_));
  }
  return {};
}

Status SqliteEventStore::Migrate() {
  Result<int64_t> found = MigrateSchema(writer_, path_);
  if (!found.ok()) {
    return found.error();
  }
  schema_version_at_open_ = *found;
  return {};
}

Status SqliteEventStore::PrepareStatements() {
  struct Entry {
    SqliteStatement* stmt;
    std::string_view sql;
  };
  WriterStatements& s = statements_;
  const Entry entries[] = {
      {&s.begin, "BEGIN IMMEDIATE"},
      {&s.commit, "COMMIT"},
      {&s.rollback, "ROLLBACK"},
      {&s.insert_chapter,
       "INSERT INTO chapters (chapter, ordinal) "
       "VALUES (?1, (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM chapters))"},
      {&s.insert_event,
       "INSERT INTO events (chapter, seq, time_micros, payload) VALUES (?1, ?2, ?3, ?4)"},
      {&s.insert_idempotency,
       "INSERT INTO idempotency (scope, principal, request_id, request_hash, response, "
       "created_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&s.delete_idempotency,
       "DELETE FROM idempotency WHERE scope = ?1 AND principal = ?2 AND request_id = ?3"},
      {&s.insert_token,
       "INSERT INTO tokens (token_hash, kind, chapter, member) VALUES (?1, ?2, ?3, ?4)"},
      {&s.revoke_member_tokens, "UPDATE tokens SET revoked = 1 WHERE member = ?1 AND revoked = 0"},
      {&s.revoke_token, "UPDATE tokens SET revoked = 1 WHERE token_hash = ?1"},
      {&s.upsert_resource,
       "INSERT INTO resources (name, chapter, kind, body, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
       "ON CONFLICT (name) DO UPDATE SET chapter = excluded.chapter, kind = excluded.kind, "
       "body = excluded.body, seq = excluded.seq"},
      {&s.put_snapshot,
       "INSERT INTO snapshots (chapter, seq, version, body) VALUES (?1, ?2, ?3, ?4) "
       "ON CONFLICT (chapter) DO UPDATE SET seq = excluded.seq, version = excluded.version, "
       "body = excluded.body WHERE snapshots.seq <= excluded.seq"},
      {&s.load_snapshot, "SELECT seq, version, body FROM snapshots WHERE chapter = ?1"},
  };
  for (const Entry& entry : entries) {
    Result<SqliteStatement> stmt = writer_.Prepare(entry.sql, /*persistent=*/true);
    if (!stmt.ok()) {
      return stmt.error();
    }
    *entry.stmt = std::move(stmt).value();
  }
  return {};
}

Status SqliteEventStore::LoadLastSeqs() {
  // MAX(seq) per chapter is one index probe each (the events primary key), not a table scan.
  // Seqs are contiguous from 1, so the event count is the sum of the last seqs.
  int64_t event_count = 0;
  Status status = QueryRows(
      writer_,
      "SELECT chapter, (SELECT MAX(seq) FROM events WHERE events.chapter = chapters.chapter) "
      "FROM chapters",
      [&](const SqliteStatement& row) -> Status {
        int64_t last = row.ColumnInt64(1);
        last_seq_[row.ColumnText(0)] = last;
        event_count += last;
        return {};
      });
  if (!status.ok()) {
    return status;
  }
  std::string schema = fmt::format("schema v{}", kSchemaVersion);
  if (schema_version_at_open_ == 0) {
    schema += ", new database";
  } else if (schema_version_at_open_ != kSchemaVersion) {
    schema += fmt::format(", migrated from v{}", schema_version_at_open_);
  }
  spdlog::info("event store opened: {} ({} events in {} chapters, {})", path_, event_count,
               last_seq_.size(), schema);
  return {};
}

Status SqliteEventStore::OpenReader() {
  // Opened after the writer has set WAL mode (a property of the file), so this connection reads
  // committed snapshots without blocking the writer.
  Result<SqliteConnection> reader = SqliteConnection::Open(path_, kReaderFlags);
  if (!reader.ok()) {
    return reader.error();
  }
  reader_ = std::move(reader).value();
  if (sqlite3_busy_timeout(reader_.get(), kBusyTimeoutMs) != SQLITE_OK) {
    return reader_.ErrorFor("setting busy_timeout on the reader");
  }
  Result<SqliteStatement> stmt = reader_.Prepare(
      "SELECT seq, time_micros, payload FROM events WHERE chapter = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3",
      /*persistent=*/true);
  if (!stmt.ok()) {
    return stmt.error();
  }
  read_events_ = std::move(stmt).value();
  return {};
}

Status SqliteEventStore::AppendBatch(std::span<const Commit* const> batch) {
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    return AppendBatchLocked(batch);
  } catch (const std::exception& e) {
    return FromException("AppendBatch", &e);
  } catch (...) {
    return FromException("AppendBatch", nullptr);
  }
}

Status SqliteEventStore::AppendBatchLocked(std::span<const Commit* const> batch) {
  // Check contiguity first, in memory, so a bad batch writes nothing. `pending` holds the last
  // seq of each chapter as the batch goes; `stored` points at its slot in last_seq_ (inserting a
  // 0 changes nothing: absent means 0), which is updated only once COMMIT has succeeded.
  struct Pending {
    int64_t* stored;
    int64_t last;
  };
  if (batch.empty()) {
    return {};
  }
  std::unordered_map<std::string_view, Pending> pending;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i] == nullptr) {
      return Internal(
          fmt::format("AppendBatch: commit {} of the batch is null; nothing was written", i));
    }
    for (const StoredEvent& event : batch[i]->events) {
      auto it = pending.find(event.chapter);
      if (it == pending.end()) {
        auto slot = last_seq_.try_emplace(event.chapter, 0).first;
        it = pending.emplace(event.chapter, Pending{&slot->second, slot->second}).first;
      }
      int64_t expected = it->second.last + 1;
      if (event.seq != expected) {
        return Internal(fmt::format(
            "AppendBatch: event {} seq {} rejected ({}: the chapter's last seq is {}, so the "
            "next must be {}); nothing of the batch was written",
            event.chapter, event.seq, event.seq > expected ? "a gap" : "already stored",
            it->second.last, expected));
      }
      it->second.last = event.seq;
    }
  }

  // Rolls back on every early return (and on an exception) unless COMMIT succeeded.
  struct RollbackUnlessCommitted {
    SqliteEventStore* store;
    bool committed = false;
    ~RollbackUnlessCommitted() {
      if (!committed) {
        store->RollbackQuietly();
      }
    }
  };
  if (Status status = Run(writer_, statements_.begin, [] { return "AppendBatch: BEGIN"; });
      !status.ok()) {
    return status;
  }
  RollbackUnlessCommitted transaction{this};
  for (const Commit* commit : batch) {
    if (Status status = WriteCommit(*commit); !status.ok()) {
      return status;
    }
  }
  if (Status status = Run(writer_, statements_.commit, [] { return "AppendBatch: COMMIT"; });
      !status.ok()) {
    return status;
  }
  transaction.committed = true;
  for (const auto& [chapter, entry] : pending) {
    *entry.stored = entry.last;
  }
  return {};
}

Status SqliteEventStore::WriteCommit(const Commit& commit) {
  WriterStatements& s = statements_;
  for (const StoredEvent& e : commit.events) {
    if (e.seq == 1) {
      s.insert_chapter.BindText(1, e.chapter);
      if (Status status = Run(writer_, s.insert_chapter,
                              [&] {
                                return fmt::format("AppendBatch: inserting chapter {}; rolled back",
                                                   e.chapter);
                              });
          !status.ok()) {
        return status;
      }
    }
    s.insert_event.BindText(1, e.chapter);
    s.insert_event.BindInt64(2, e.seq);
    s.insert_event.BindInt64(3, e.time_micros);
    s.insert_event.BindBlob(4, e.bytes);
    if (Status status = Run(writer_, s.insert_event,
                            [&] {
                              return fmt::format(
                                  "AppendBatch: inserting event {} seq {}; rolled back", e.chapter,
                                  e.seq);
                            });
        !status.ok()) {
      return status;
    }
  }
  // Expired records first: a new record may take an expired one's key in the same commit.
  for (const IdempotencyKey& k : commit.expired_idempotency) {
    s.delete_idempotency.BindText(1, k.scope);
    s.delete_idempotency.BindText(2, k.principal);
    s.delete_idempotency.BindText(3, k.request_id);
    if (Status status =
            Run(writer_, s.delete_idempotency,
                [&] {
                  return fmt::format(
                      "AppendBatch: deleting expired idempotency record (scope '{}', principal "
                      "'{}', request_id '{}'); rolled back",
                      k.scope, k.principal, k.request_id);
                });
        !status.ok()) {
      return status;
    }
  }
  for (const IdempotencyRecord& r : commit.idempotency) {
    s.insert_idempotency.BindText(1, r.scope);
    s.insert_idempotency.BindText(2, r.principal);
    s.insert_idempotency.BindText(3, r.request_id);
    s.insert_idempotency.BindText(4, r.request_hash);
    s.insert_idempotency.BindBlob(5, r.response);
    s.insert_idempotency.BindInt64(6, r.created_micros);
    if (Status status =
            Run(writer_, s.insert_idempotency,
                [&] {
                  return fmt::format(
                      "AppendBatch: inserting idempotency record (scope '{}', principal '{}', "
                      "request_id '{}'); rolled back",
                      r.scope, r.principal, r.request_id);
                });
        !status.ok()) {
      return status;
    }
  }
  for (const TokenRecord& t : commit.new_tokens) {
    s.insert_token.BindText(1, t.token_hash);
    s.insert_token.BindText(2, t.kind);
    s.insert_token.BindText(3, t.chapter);
    s.insert_token.BindText(4, t.member);
    if (Status status =
            Run(writer_, s.insert_token,
                [&] {
                  return fmt::format(
                      "AppendBatch: inserting {} token (chapter '{}', member '{}'); rolled back",
                      t.kind, t.chapter, t.member);
                });
        !status.ok()) {
      return status;
    }
  }
  for (const std::string& member : commit.revoke_member_tokens) {
    s.revoke_member_tokens.BindText(1, member);
    if (Status status = Run(writer_, s.revoke_member_tokens,
                            [&] {
                              return fmt::format(
                                  "AppendBatch: revoking the tokens of {}; rolled back", member);
                            });
        !status.ok()) {
      return status;
    }
  }
  for (const std::string& hash : commit.revoke_token_hashes) {
    s.revoke_token.BindText(1, hash);
    if (Status status =
            Run(writer_, s.revoke_token,
                [] { return std::string("AppendBatch: revoking a token; rolled back"); });
        !status.ok()) {
      return status;
    }
  }
  for (const ProjectionRow& p : commit.projections) {
    s.upsert_resource.BindText(1, p.name);
    s.upsert_resource.BindText(2, p.chapter);
    s.upsert_resource.BindText(3, p.kind);
    s.upsert_resource.BindBlob(4, p.body);
    s.upsert_resource.BindInt64(5, p.seq);
    if (Status status = Run(
            writer_, s.upsert_resource,
            [&] { return fmt::format("AppendBatch: upserting resource {}; rolled back", p.name); });
        !status.ok()) {
      return status;
    }
  }
  return {};
}

void SqliteEventStore::RollbackQuietly() {
  // Some errors (I/O, a full disk) make SQLite roll back by itself; then there is nothing to do.
  if (sqlite3_get_autocommit(writer_.get()) != 0) {
    return;
  }
  int rc = statements_.rollback.Step();
  statements_.rollback.Reset();
  if (rc != SQLITE_DONE) {
    spdlog::error("event store {}: ROLLBACK failed: {}", path_, sqlite3_errmsg(writer_.get()));
  }
}

Status SqliteEventStore::ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                                    std::vector<StoredEvent>* out) {
  if (out == nullptr) {
    return Internal("ReadEvents: out is null");
  }
  out->clear();
  if (limit <= 0) {
    return {};
  }
  try {
    std::lock_guard<std::mutex> lock(reader_mutex_);
    ScopedReset reset(read_events_);
    read_events_.BindText(1, chapter);
    read_events_.BindInt64(2, after_seq);
    read_events_.BindInt64(3, limit);
    out->reserve(static_cast<size_t>(std::min(limit, 1024)));
    while (true) {
      int rc = read_events_.Step();
      if (rc == SQLITE_DONE) {
        return {};
      }
      if (rc != SQLITE_ROW) {
        out->clear();
        return reader_.ErrorFor(
            fmt::format("ReadEvents: reading {} after seq {}", chapter, after_seq), rc);
      }
      out->push_back(StoredEvent{chapter, read_events_.ColumnInt64(0), read_events_.ColumnInt64(1),
                                 read_events_.ColumnBlob(2)});
    }
  } catch (const std::exception& e) {
    out->clear();
    return FromException("ReadEvents", &e);
  } catch (...) {
    out->clear();
    return FromException("ReadEvents", nullptr);
  }
}

Status SqliteEventStore::ForEachEvent(const std::function<Status(const StoredEvent&)>& visit) {
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    // One statement, so one snapshot. The plan walks chapters by ordinal and each chapter's
    // events by primary key: rows stream in order, with no sort of the whole log.
    StoredEvent event;
    return QueryRows(writer_,
                     "SELECT e.chapter, e.seq, e.time_micros, e.payload "
                     "FROM chapters AS c JOIN events AS e ON e.chapter = c.chapter "
                     "ORDER BY c.ordinal, e.seq",
                     [&](const SqliteStatement& row) -> Status {
                       event.chapter = row.ColumnText(0);
                       event.seq = row.ColumnInt64(1);
                       event.time_micros = row.ColumnInt64(2);
                       event.bytes = row.ColumnBlob(3);
                       return visit(event);
                     });
  } catch (const std::exception& e) {
    return FromException("ForEachEvent", &e);
  } catch (...) {
    return FromException("ForEachEvent", nullptr);
  }
}

Status SqliteEventStore::ListChapters(std::vector<std::string>* out) {
  out->clear();
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    return QueryRows(writer_, "SELECT chapter FROM chapters ORDER BY ordinal",
                     [&](const SqliteStatement& row) -> Status {
                       out->push_back(row.ColumnText(0));
                       return {};
                     });
  } catch (const std::exception& e) {
    return FromException("ListChapters", &e);
  }
}

Status SqliteEventStore::PutSnapshot(const ChapterSnapshot& snapshot) {
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    SqliteStatement& put = statements_.put_snapshot;
    put.BindText(1, snapshot.chapter);
    put.BindInt64(2, snapshot.seq);
    put.BindInt64(3, snapshot.version);
    put.BindBlob(4, snapshot.bytes);
    return Run(writer_, put, [&] {
      return fmt::format("PutSnapshot: {} at seq {}", snapshot.chapter, snapshot.seq);
    });
  } catch (const std::exception& e) {
    return FromException("PutSnapshot", &e);
  }
}

Result<std::optional<ChapterSnapshot>> SqliteEventStore::LoadSnapshot(const std::string& chapter) {
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    SqliteStatement& load = statements_.load_snapshot;
    ScopedReset reset(load);
    load.BindText(1, chapter);
    const int rc = load.Step();
    if (rc == SQLITE_DONE) {
      return std::optional<ChapterSnapshot>();
    }
    if (rc != SQLITE_ROW) {
      return writer_.ErrorFor(fmt::format("LoadSnapshot: {}", chapter), rc);
    }
    return std::optional<ChapterSnapshot>(ChapterSnapshot{chapter, load.ColumnInt64(0),
                                                          static_cast<int32_t>(load.ColumnInt64(1)),
                                                          load.ColumnBlob(2)});
  } catch (const std::exception& e) {
    return FromException("LoadSnapshot", &e);
  }
}

Status SqliteEventStore::LoadTokens(std::vector<TokenRecord>* out) {
  if (out == nullptr) {
    return Internal("LoadTokens: out is null");
  }
  out->clear();
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    Status status =
        QueryRows(writer_, "SELECT token_hash, kind, chapter, member FROM tokens WHERE revoked = 0",
                  [&](const SqliteStatement& row) -> Status {
                    out->push_back(TokenRecord{row.ColumnText(0), row.ColumnText(1),
                                               row.ColumnText(2), row.ColumnText(3)});
                    return {};
                  });
    if (!status.ok()) {
      out->clear();
    }
    return status;
  } catch (const std::exception& e) {
    out->clear();
    return FromException("LoadTokens", &e);
  } catch (...) {
    out->clear();
    return FromException("LoadTokens", nullptr);
  }
}

Status SqliteEventStore::LoadIdempotency(std::vector<IdempotencyRecord>* out) {
  if (out == nullptr) {
    return Internal("LoadIdempotency: out is null");
  }
  out->clear();
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    Status status =
        QueryRows(writer_,
                  "SELECT scope, principal, request_id, request_hash, response, created_micros "
                  "FROM idempotency ORDER BY created_micros",
                  [&](const SqliteStatement& row) -> Status {
                    out->push_back(IdempotencyRecord{row.ColumnText(0), row.ColumnText(1),
                                                     row.ColumnText(2), row.ColumnText(3),
                                                     row.ColumnBlob(4), row.ColumnInt64(5)});
                    return {};
                  });
    if (!status.ok()) {
      out->clear();
    }
    return status;
  } catch (const std::exception& e) {
    out->clear();
    return FromException("LoadIdempotency", &e);
  } catch (...) {
    out->clear();
    return FromException("LoadIdempotency", nullptr);
  }
}

Result<SqliteEventStore::Settings> SqliteEventStore::QuerySettings() {
  try {
    std::lock_guard<std::mutex> lock(writer_mutex_);
    Settings settings;
    Result<std::string> mode = writer_.QueryText("PRAGMA journal_mode");
    if (!mode.ok()) {
      return mode.error();
    }
    settings.journal_mode = *mode;
    struct IntPragma {
      const char* sql;
      int64_t* value;
    };
    int64_t foreign_keys = 0;
    for (const IntPragma& pragma : {IntPragma{"PRAGMA synchronous", &settings.synchronous},
                                    IntPragma{"PRAGMA foreign_keys", &foreign_keys},
                                    IntPragma{"PRAGMA busy_timeout", &settings.busy_timeout_ms},
                                    IntPragma{"PRAGMA user_version", &settings.schema_version}}) {
      Result<int64_t> value = writer_.QueryInt64(pragma.sql);
      if (!value.ok()) {
        return value.error();
      }
      *pragma.value = *value;
    }
    settings.foreign_keys = foreign_keys == 1;
    return settings;
  } catch (const std::exception& e) {
    return FromException("QuerySettings", &e);
  } catch (...) {
    return FromException("QuerySettings", nullptr);
  }
}

}  // namespace reciproca::store
