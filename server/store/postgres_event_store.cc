#include "server/store/postgres_event_store.h"

#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <utility>

#include "server/store/postgres_schema.h"
#include "server/store/store_errors.h"

namespace reciproca::store {
namespace {

// The writer's statements, prepared once per session.
struct Statement {
  const char* name;
  const char* sql;
};
// New chapters take their ordinals in batch order (creation order) but are inserted, like every
// lock is taken, in name order.
constexpr Statement kNextOrdinal{"next_ordinal",
                                 "SELECT nextval(pg_get_serial_sequence('chapters', 'ordinal'))"};
constexpr Statement kInsertChapter{
    "insert_chapter",
    "INSERT INTO chapters (chapter, ordinal) VALUES ($1, $2) ON CONFLICT DO NOTHING"};
constexpr Statement kLockChapter{"lock_chapter",
                                 "SELECT last_seq FROM chapters WHERE chapter = $1 FOR UPDATE"};
constexpr Statement kInsertEvent{
    "insert_event",
    "INSERT INTO events (chapter, seq, time_micros, payload) VALUES ($1, $2, $3, $4)"};
constexpr Statement kInsertIdempotency{
    "insert_idempotency",
    "INSERT INTO idempotency (scope, principal, request_id, request_hash, response, "
    "created_micros) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"};
constexpr Statement kDeleteIdempotency{
    "delete_idempotency",
    "DELETE FROM idempotency WHERE scope = $1 AND principal = $2 AND request_id = $3"};
constexpr Statement kInsertToken{
    "insert_token",
    "INSERT INTO tokens (token_hash, kind, chapter, member) VALUES ($1, $2, $3, $4)"};
constexpr Statement kRevokeMemberTokens{
    "revoke_member_tokens", "UPDATE tokens SET revoked = true WHERE member = $1 AND NOT revoked"};
constexpr Statement kRevokeToken{"revoke_token",
                                 "UPDATE tokens SET revoked = true WHERE token_hash = $1"};
// A replica that is behind never puts an older version of a resource over a newer one.
constexpr Statement kUpsertResource{
    "upsert_resource",
    "INSERT INTO resources (name, chapter, kind, body, seq) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (name) DO UPDATE SET chapter = excluded.chapter, kind = excluded.kind, "
    "body = excluded.body, seq = excluded.seq WHERE resources.seq <= excluded.seq"};
constexpr Statement kSetLastSeq{"set_last_seq",
                                "UPDATE chapters SET last_seq = $2 WHERE chapter = $1"};
constexpr Statement kNotify{"notify", "SELECT pg_notify($1, $2)"};
constexpr Statement kWriterStatements[] = {kNextOrdinal,    kInsertChapter,      kLockChapter,
                                           kInsertEvent,    kInsertIdempotency,  kDeleteIdempotency,
                                           kInsertToken,    kRevokeMemberTokens, kRevokeToken,
                                           kUpsertResource, kSetLastSeq,         kNotify};

constexpr auto kWatchPoll = std::chrono::milliseconds(100);
constexpr auto kWatchRetry = std::chrono::seconds(1);

// A server id unlikely to repeat among the replicas of one database.
std::string NewServerId() {
  std::random_device random;
  return fmt::format("{:08x}{:08x}", random(), random());
}

// The chapter a commit belongs to: its events', or its idempotency scope.
std::string_view CommitChapter(const Commit& commit) {
  if (!commit.events.empty()) {
    return commit.events.front().chapter;
  }
  if (!commit.idempotency.empty()) {
    return commit.idempotency.front().scope;
  }
  if (!commit.expired_idempotency.empty()) {
    return commit.expired_idempotency.front().scope;
  }
  return {};
}

// A transaction on one connection, rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(PgConnection& db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_ && !db_.Exec("ROLLBACK", "ROLLBACK").ok()) {
      spdlog::error("event store: ROLLBACK failed: {}", PQerrorMessage(db_.get()));
    }
  }
  Status Begin() {
    Status status = db_.Exec("BEGIN", "AppendBatch: BEGIN");
    open_ = status.ok();
    return status;
  }
  Status Commit() {
    open_ = false;
    return db_.Exec("COMMIT", "AppendBatch: COMMIT");
  }

 private:
  PgConnection& db_;
  bool open_ = false;
};

}  // namespace

bool IsPostgresUri(std::string_view store) {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

PostgresEventStore::PostgresEventStore(std::string conninfo)
    : conninfo_(std::move(conninfo)),
      where_(RedactConninfo(conninfo_)),
      server_id_(NewServerId()) {}

Result<std::unique_ptr<PostgresEventStore>> PostgresEventStore::Open(const std::string& conninfo) {
  try {
    std::unique_ptr<PostgresEventStore> store(new PostgresEventStore(conninfo));
    if (Status status = store->ConnectWriter(); !status.ok()) {
      return status.error();
    }
    Result<int64_t> found = MigratePostgresSchema(store->writer_, store->where_);
    if (!found.ok()) {
      return found.error();
    }
    if (Status status = store->ConnectReader(); !status.ok()) {
      return status.error();
    }
    Result<PgResult> counts = store->reader_.Query(
        "SELECT count(*)::bigint, COALESCE(sum(last_seq), 0)::bigint FROM chapters", PgParams(),
        "counting chapters");
    if (!counts.ok()) {
      return counts.error();
    }
    std::string schema = fmt::format("schema v{}", kSchemaVersion);
    if (*found == 0) {
      schema += ", new database";
    } else if (*found != kSchemaVersion) {
      schema += fmt::format(", migrated from v{}", *found);
    }
    spdlog::info("event store opened: {} ({} events in {} chapters, {})", store->where_,
                 counts->Int64(0, 1), counts->Int64(0, 0), schema);
    return store;
  } catch (const std::exception& e) {
    return FromException("opening the PostgreSQL event store", &e);
  }
}

PostgresEventStore::~PostgresEventStore() { StopWatching(); }

Status PostgresEventStore::ConnectWriter() {
  Result<PgConnection> db = PgConnection::Open(conninfo_);
  if (!db.ok()) {
    return db.error();
  }
  writer_ = std::move(db).value();
  prepared_ = false;
  return {};
}

Status PostgresEventStore::ConnectReader() {
  Result<PgConnection> db = PgConnection::Open(conninfo_);
  if (!db.ok()) {
    return db.error();
  }
  reader_ = std::move(db).value();
  return {};
}

Status PostgresEventStore::AppendBatch(std::span<const Commit* const> batch) {
  return WriteBatch(batch, nullptr);
}

Status PostgresEventStore::AppendBatchOrRefuse(std::span<const Commit* const> batch,
                                               std::vector<size_t>* refused) {
  if (refused == nullptr) {
    return Internal("AppendBatchOrRefuse: refused is null");
  }
  refused->clear();
  return WriteBatch(batch, refused);
}

Status PostgresEventStore::WriteBatch(std::span<const Commit* const> batch,
                                      std::vector<size_t>* refused) {
  if (batch.empty()) {
    return {};
  }
  try {
    std::lock_guard lock(writer_mutex_);
    if (!writer_.EnsureConnected()) {
      return Error{ErrorCode::kUnavailable,
                   fmt::format("AppendBatch: lost the connection to {} and cannot make it again: "
                               "{}; nothing was written",
                               where_, PQerrorMessage(writer_.get()))};
    }
    if (PQstatus(writer_.get()) == CONNECTION_OK && !prepared_) {
      for (const Statement& s : kWriterStatements) {
        if (Status status = writer_.Prepare(s.name, s.sql); !status.ok()) {
          return status;
        }
      }
      prepared_ = true;
    }
    Status status = WriteBatchLocked(batch, refused);
    if (!status.ok() && refused != nullptr) {
      refused->clear();
    }
    if (PQstatus(writer_.get()) != CONNECTION_OK) {
      prepared_ = false;  // a new session will need them again
    }
    return status;
  } catch (const std::exception& e) {
    return FromException("AppendBatch", &e);
  }
}

Status PostgresEventStore::WriteBatchLocked(std::span<const Commit* const> batch,
                                            std::vector<size_t>* refused) {
  // Each chapter's seq in the batch's first event of it: 1 means the batch creates it.
  std::map<std::string, int64_t, std::less<>> first_seq;
  std::vector<std::string_view> created;  // in batch order
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i] == nullptr) {
      return Internal(
          fmt::format("AppendBatch: commit {} of the batch is null; nothing was written", i));
    }
    for (const StoredEvent& event : batch[i]->events) {
      if (first_seq.try_emplace(event.chapter, event.seq).second && event.seq == 1) {
        created.push_back(event.chapter);
      }
    }
  }

  Transaction transaction(writer_);
  if (Status status = transaction.Begin(); !status.ok()) {
    return status;
  }
  // Lock every chapter's row in name order (std::map order), so that two replicas appending
  // to the same chapters wait for each other instead of deadlocking. `head` is the last seq as
  // the batch goes; `stored` what the table said.
  std::map<std::string_view, int64_t> ordinal;
  for (std::string_view chapter : created) {
    Result<PgResult> next = writer_.Run(kNextOrdinal.name, PgParams(), "AppendBatch: nextval");
    if (!next.ok()) {
      return next.error();
    }
    ordinal[chapter] = next->Int64(0, 0);
  }
  std::map<std::string, int64_t, std::less<>> head;
  for (const auto& [chapter, seq] : first_seq) {
    if (seq == 1) {
      Result<PgResult> inserted =
          writer_.Run(kInsertChapter.name, PgParams().Text(chapter).Int64(ordinal[chapter]),
                      fmt::format("AppendBatch: inserting chapter {}", chapter));
      if (!inserted.ok()) {
        return inserted.error();
      }
    }
    Result<PgResult> locked = writer_.Run(kLockChapter.name, PgParams().Text(chapter),
                                          fmt::format("AppendBatch: locking chapter {}", chapter));
    if (!locked.ok()) {
      return locked.error();
    }
    head[chapter] = locked->rows() == 1 ? locked->Int64(0, 0) : 0;
  }
  const std::map<std::string, int64_t, std::less<>> stored = head;

  std::set<std::string, std::less<>> poisoned;  // chapters with a refused commit in this batch
  auto refuse = [&](size_t index, std::string_view chapter, std::string why) -> Status {
    if (refused == nullptr) {
      return Internal(fmt::format("AppendBatch: {}; nothing of the batch was written", why));
    }
    refused->push_back(index);
    poisoned.emplace(chapter);
    return {};
  };

  for (size_t i = 0; i < batch.size(); ++i) {
    const Commit& commit = *batch[i];
    const std::string_view chapter = CommitChapter(commit);
    if (poisoned.count(chapter) > 0) {
      refused->push_back(i);
      continue;
    }
    // The seqs first, in memory: a refusal then writes nothing of this commit.
    std::string mismatch;
    std::map<std::string_view, int64_t> next;
    for (const StoredEvent& e : commit.events) {
      auto [it, fresh] = next.try_emplace(e.chapter, head[e.chapter]);
      const int64_t expected = it->second + 1;
      if (e.seq != expected) {
        mismatch = fmt::format(
            "event {} seq {} rejected ({}: the chapter's last seq is {}, so the next must be {})",
            e.chapter, e.seq, e.seq > expected ? "a gap" : "already stored", it->second, expected);
        break;
      }
      it->second = e.seq;
    }
    if (!mismatch.empty()) {
      if (Status status = refuse(i, chapter, mismatch); !status.ok()) {
        return status;
      }
      continue;
    }
    // Idempotency keys next: the expired ones deleted first (a new record may take an expired
    // one's key), then the new ones inserted. A key already stored refuses the commit, so when
    // something was written before it, a savepoint undoes that.
    const bool savepoint = !commit.idempotency.empty() &&
                           (commit.idempotency.size() > 1 || !commit.expired_idempotency.empty());
    if (savepoint) {
      if (Status status = writer_.Exec("SAVEPOINT commit_keys", "AppendBatch: SAVEPOINT");
          !status.ok()) {
        return status;
      }
    }
    for (const IdempotencyKey& k : commit.expired_idempotency) {
      Result<PgResult> deleted = writer_.Run(
          kDeleteIdempotency.name, PgParams().Text(k.scope).Text(k.principal).Text(k.request_id),
          fmt::format("AppendBatch: deleting expired idempotency record (scope '{}', principal "
                      "'{}', request_id '{}'); rolled back",
                      k.scope, k.principal, k.request_id));
      if (!deleted.ok()) {
        return deleted.error();
      }
    }
    std::string repeated;
    for (const IdempotencyRecord& r : commit.idempotency) {
      Result<PgResult> inserted = writer_.Run(kInsertIdempotency.name,
                                              PgParams()
                                                  .Text(r.scope)
                                                  .Text(r.principal)
                                                  .Text(r.request_id)
                                                  .Text(r.request_hash)
                                                  .Bytes(r.response)
                                                  .Int64(r.created_micros),
                                              "AppendBatch: inserting an idempotency record");
      if (!inserted.ok()) {
        return inserted.error();
      }
      if (inserted->affected() == 0) {
        repeated = fmt::format(
            "idempotency record (scope '{}', principal '{}', request_id '{}') already stored",
            r.scope, r.principal, r.request_id);
        break;
      }
    }
    if (!repeated.empty()) {
      if (savepoint) {
        if (Status status =
                writer_.Exec("ROLLBACK TO SAVEPOINT commit_keys", "AppendBatch: ROLLBACK TO");
            !status.ok()) {
          return status;
        }
      }
      if (Status status = refuse(i, chapter, repeated); !status.ok()) {
        return status;
      }
      continue;
    }
    for (const StoredEvent& e : commit.events) {
      Result<PgResult> inserted = writer_.Run(
          kInsertEvent.name,
          PgParams().Text(e.chapter).Int64(e.seq).Int64(e.time_micros).Bytes(e.bytes),
          fmt::format("AppendBatch: inserting event {} seq {}; rolled back", e.chapter, e.seq));
      if (!inserted.ok()) {
        return inserted.error();
      }
    }
    for (const TokenRecord& t : commit.new_tokens) {
      Result<PgResult> inserted =
          writer_.Run(kInsertToken.name,
                      PgParams().Text(t.token_hash).Text(t.kind).Text(t.chapter).Text(t.member),
                      fmt::format("AppendBatch: inserting {} token (chapter '{}', member '{}'); "
                                  "rolled back",
                                  t.kind, t.chapter, t.member));
      if (!inserted.ok()) {
        return inserted.error();
      }
    }
    for (const std::string& member : commit.revoke_member_tokens) {
      Result<PgResult> updated =
          writer_.Run(kRevokeMemberTokens.name, PgParams().Text(member),
                      fmt::format("AppendBatch: revoking the tokens of {}; rolled back", member));
      if (!updated.ok()) {
        return updated.error();
      }
    }
    for (const std::string& hash : commit.revoke_token_hashes) {
      Result<PgResult> updated =
          writer_.Run(kRevokeToken.name, PgParams().Text(hash),
                      fmt::format("AppendBatch: revoking a replaced token; rolled back"));
      if (!updated.ok()) {
        return updated.error();
      }
    }
    for (const ProjectionRow& p : commit.projections) {
      Result<PgResult> upserted = writer_.Run(
          kUpsertResource.name,
          PgParams().Text(p.name).Text(p.chapter).Text(p.kind).Bytes(p.body).Int64(p.seq),
          fmt::format("AppendBatch: upserting resource {}; rolled back", p.name));
      if (!upserted.ok()) {
        return upserted.error();
      }
    }
    for (const auto& [name, last] : next) {
      head[std::string(name)] = last;
    }
  }

  // Move each chapter's last_seq and tell the other replicas (delivered at COMMIT).
  for (const auto& [chapter, last] : head) {
    if (last == stored.at(chapter)) {
      continue;
    }
    Result<PgResult> updated =
        writer_.Run(kSetLastSeq.name, PgParams().Text(chapter).Int64(last),
                    fmt::format("AppendBatch: moving the last seq of {}", chapter));
    if (!updated.ok()) {
      return updated.error();
    }
    const std::string payload = fmt::format("{} {}", chapter, last);
    Result<PgResult> notified = writer_.Run(
        kNotify.name, PgParams().Text(kAppendsChannel).Text(payload), "AppendBatch: NOTIFY");
    if (!notified.ok()) {
      return notified.error();
    }
  }
  return transaction.Commit();
}

Status PostgresEventStore::WithReader(std::string_view what,
                                      const std::function<Status(PgConnection&)>& read) {
  try {
    std::lock_guard lock(reader_mutex_);
    if (!reader_.EnsureConnected()) {
      return Error{ErrorCode::kUnavailable,
                   fmt::format("{}: lost the connection to {} and cannot make it again: {}", what,
                               where_, PQerrorMessage(reader_.get()))};
    }
    return read(reader_);
  } catch (const std::exception& e) {
    return FromException(what, &e);
  }
}

Status PostgresEventStore::ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                                      std::vector<StoredEvent>* out) {
  if (out == nullptr) {
    return Internal("ReadEvents: out is null");
  }
  out->clear();
  if (limit <= 0) {
    return {};
  }
  Status status = WithReader("ReadEvents", [&](PgConnection& db) -> Status {
    Result<PgResult> rows = db.Query(
        "SELECT seq, time_micros, payload FROM events WHERE chapter = $1 AND seq > $2 "
        "ORDER BY seq LIMIT $3",
        PgParams().Text(chapter).Int64(after_seq).Int64(limit),
        fmt::format("ReadEvents: reading {} after seq {}", chapter, after_seq));
    if (!rows.ok()) {
      return rows.error();
    }
    out->reserve(static_cast<size_t>(rows->rows()));
    for (int r = 0; r < rows->rows(); ++r) {
      out->push_back(StoredEvent{chapter, rows->Int64(r, 0), rows->Int64(r, 1), rows->Bytes(r, 2)});
    }
    return {};
  });
  if (!status.ok()) {
    out->clear();
  }
  return status;
}

Status PostgresEventStore::ForEachEvent(const std::function<Status(const StoredEvent&)>& visit) {
  return WithReader("ForEachEvent", [&](PgConnection& db) -> Status {
    // One statement, so one snapshot; streamed row by row.
    StoredEvent event;
    return db.Stream(
        "SELECT e.chapter, e.seq, e.time_micros, e.payload "
        "FROM chapters AS c JOIN events AS e ON e.chapter = c.chapter "
        "ORDER BY c.ordinal, e.seq",
        PgParams(), "ForEachEvent", [&](const PgResult& row) -> Status {
          event.chapter = row.Bytes(0, 0);
          event.seq = row.Int64(0, 1);
          event.time_micros = row.Int64(0, 2);
          event.bytes = row.Bytes(0, 3);
          return visit(event);
        });
  });
}

Status PostgresEventStore::ListChapters(std::vector<std::string>* out) {
  out->clear();
  Status status = WithReader("ListChapters", [&](PgConnection& db) -> Status {
    Result<PgResult> rows =
        db.Query("SELECT chapter FROM chapters ORDER BY ordinal", PgParams(), "ListChapters");
    if (!rows.ok()) {
      return rows.error();
    }
    for (int r = 0; r < rows->rows(); ++r) {
      out->push_back(rows->Bytes(r, 0));
    }
    return {};
  });
  if (!status.ok()) {
    out->clear();
  }
  return status;
}

Status PostgresEventStore::PutSnapshot(const ChapterSnapshot& snapshot) {
  return WithReader("PutSnapshot", [&](PgConnection& db) -> Status {
    Result<PgResult> done = db.Query(
        "INSERT INTO snapshots (chapter, seq, version, body) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (chapter) DO UPDATE SET seq = excluded.seq, version = excluded.version, "
        "body = excluded.body WHERE snapshots.seq <= excluded.seq",
        PgParams()
            .Text(snapshot.chapter)
            .Int64(snapshot.seq)
            .Int64(snapshot.version)
            .Bytes(snapshot.bytes),
        fmt::format("PutSnapshot: {} at seq {}", snapshot.chapter, snapshot.seq));
    return done.ok() ? Status{} : Status{done.error()};
  });
}

Result<std::optional<ChapterSnapshot>> PostgresEventStore::LoadSnapshot(
    const std::string& chapter) {
  std::optional<ChapterSnapshot> found;
  Status status = WithReader("LoadSnapshot", [&](PgConnection& db) -> Status {
    Result<PgResult> rows =
        db.Query("SELECT seq, version, body FROM snapshots WHERE chapter = $1",
                 PgParams().Text(chapter), fmt::format("LoadSnapshot: {}", chapter));
    if (!rows.ok()) {
      return rows.error();
    }
    if (rows->rows() == 1) {
      found = ChapterSnapshot{chapter, rows->Int64(0, 0), static_cast<int32_t>(rows->Int64(0, 1)),
                              rows->Bytes(0, 2)};
    }
    return {};
  });
  if (!status.ok()) {
    return status.error();
  }
  return found;
}

Status PostgresEventStore::LoadTokens(std::vector<TokenRecord>* out) {
  if (out == nullptr) {
    return Internal("LoadTokens: out is null");
  }
  out->clear();
  Status status = WithReader("LoadTokens", [&](PgConnection& db) -> Status {
    Result<PgResult> rows =
        db.Query("SELECT token_hash, kind, chapter, member FROM tokens WHERE NOT revoked",
                 PgParams(), "LoadTokens");
    if (!rows.ok()) {
      return rows.error();
    }
    for (int r = 0; r < rows->rows(); ++r) {
      out->push_back(
          TokenRecord{rows->Bytes(r, 0), rows->Bytes(r, 1), rows->Bytes(r, 2), rows->Bytes(r, 3)});
    }
    return {};
  });
  if (!status.ok()) {
    out->clear();
  }
  return status;
}

Status PostgresEventStore::LoadIdempotency(std::vector<IdempotencyRecord>* out) {
  if (out == nullptr) {
    return Internal("LoadIdempotency: out is null");
  }
  out->clear();
  Status status = WithReader("LoadIdempotency", [&](PgConnection& db) -> Status {
    return db.Stream(
        "SELECT scope, principal, request_id, request_hash, response, created_micros "
        "FROM idempotency ORDER BY ordinal",
        PgParams(), "LoadIdempotency", [&](const PgResult& row) -> Status {
          out->push_back(IdempotencyRecord{row.Bytes(0, 0), row.Bytes(0, 1), row.Bytes(0, 2),
                                           row.Bytes(0, 3), row.Bytes(0, 4), row.Int64(0, 5)});
          return {};
        });
  });
  if (!status.ok()) {
    out->clear();
  }
  return status;
}

Result<std::optional<IdempotencyRecord>> PostgresEventStore::FindIdempotency(
    const std::string& scope, const std::string& principal, const std::string& request_id) {
  std::optional<IdempotencyRecord> found;
  Status status = WithReader("FindIdempotency", [&](PgConnection& db) -> Status {
    Result<PgResult> rows = db.Query(
        "SELECT request_hash, response, created_micros FROM idempotency "
        "WHERE scope = $1 AND principal = $2 AND request_id = $3",
        PgParams().Text(scope).Text(principal).Text(request_id), "FindIdempotency");
    if (!rows.ok()) {
      return rows.error();
    }
    if (rows->rows() == 1) {
      found = IdempotencyRecord{
          scope, principal, request_id, rows->Bytes(0, 0), rows->Bytes(0, 1), rows->Int64(0, 2)};
    }
    return {};
  });
  if (!status.ok()) {
    return status.error();
  }
  return found;
}

Status PostgresEventStore::LoadChapterTokens(const std::string& chapter,
                                             std::vector<TokenRecord>* active,
                                             std::vector<TokenRecord>* revoked) {
  active->clear();
  revoked->clear();
  return WithReader("LoadChapterTokens", [&](PgConnection& db) -> Status {
    Result<PgResult> rows = db.Query(
        "SELECT token_hash, kind, chapter, member, revoked::int::bigint FROM tokens "
        "WHERE chapter = $1",
        PgParams().Text(chapter), fmt::format("LoadChapterTokens: {}", chapter));
    if (!rows.ok()) {
      return rows.error();
    }
    for (int r = 0; r < rows->rows(); ++r) {
      TokenRecord token{rows->Bytes(r, 0), rows->Bytes(r, 1), rows->Bytes(r, 2), rows->Bytes(r, 3)};
      (rows->Int64(r, 4) != 0 ? revoked : active)->push_back(std::move(token));
    }
    return {};
  });
}

Result<std::string> PostgresEventStore::SharedSetting(const std::string& name,
                                                      const std::string& proposed) {
  std::string value;
  Status status = WithReader("SharedSetting", [&](PgConnection& db) -> Status {
    // Two replicas starting together: the second's INSERT waits for the first's and does
    // nothing, and its SELECT (same snapshot) sees no row; the next statement sees it.
    for (int attempt = 0; attempt < 3; ++attempt) {
      Result<PgResult> rows = db.Query(
          "WITH added AS (INSERT INTO settings (name, value) VALUES ($1, $2) "
          "ON CONFLICT DO NOTHING RETURNING value) "
          "SELECT value FROM added UNION ALL SELECT value FROM settings WHERE name = $1",
          PgParams().Text(name).Text(proposed), fmt::format("reading the shared setting {}", name));
      if (!rows.ok()) {
        return rows.error();
      }
      if (rows->rows() > 0) {
        value = rows->Bytes(0, 0);
        return {};
      }
    }
    return Internal(fmt::format("the shared setting {} is neither stored nor storable", name));
  });
  if (!status.ok()) {
    return status.error();
  }
  return value;
}

Status PostgresEventStore::WatchAppends(StoreNotices notices) {
  if (watcher_.joinable()) {
    return FailedPrecondition("WatchAppends: already watching");
  }
  stop_watching_ = false;
  watcher_ = std::thread([this, notices = std::move(notices)] { Watch(notices); });
  return {};
}

Status PostgresEventStore::AskForTurn(const std::string& chapter) {
  // Outside a transaction: delivered at once.
  return WithReader("AskForTurn", [&](PgConnection& db) -> Status {
    Result<PgResult> notified =
        db.Query("SELECT pg_notify($1, $2)",
                 PgParams().Text(kTurnsChannel).Text(fmt::format("{} {}", chapter, server_id_)),
                 "asking the other replicas for a turn");
    return notified.ok() ? Status{} : Status(notified.error());
  });
}

void PostgresEventStore::StopWatching() {
  stop_watching_ = true;
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

void PostgresEventStore::Watch(const StoreNotices& notices) {
  bool warned = false;
  while (!stop_watching_) {
    Result<PgConnection> opened = PgConnection::Open(conninfo_);
    Status status = opened.ok() ? Status{} : Status(opened.error());
    if (status.ok()) {
      status = opened->Exec(fmt::format("LISTEN {}", kAppendsChannel), "LISTEN");
    }
    if (status.ok()) {
      status = opened->Exec(fmt::format("LISTEN {}", kTurnsChannel), "LISTEN");
    }
    // Listening first, then every chapter's last seq: a commit in between is seen twice, which
    // is harmless; none is missed.
    if (status.ok()) {
      Result<PgResult> heads =
          opened->Query("SELECT chapter, last_seq FROM chapters ORDER BY ordinal", PgParams(),
                        "reading every chapter's last seq");
      status = heads.ok() ? Status{} : Status(heads.error());
      for (int r = 0; status.ok() && r < heads->rows(); ++r) {
        notices.appended(heads->Bytes(r, 0), heads->Int64(r, 1));
      }
    }
    if (!status.ok()) {
      if (!warned) {
        spdlog::warn("watching {} for other replicas' commits: {}; retrying every second", where_,
                     status.error().message);
        warned = true;
      }
      std::this_thread::sleep_for(kWatchRetry);
      continue;
    }
    if (warned) {
      spdlog::info("watching {} for other replicas' commits again", where_);
      warned = false;
    }
    PGconn* conn = opened->get();
    while (!stop_watching_ && PQstatus(conn) == CONNECTION_OK) {
      pollfd fd{PQsocket(conn), POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>(kWatchPoll.count())) < 0 || PQconsumeInput(conn) == 0) {
        break;
      }
      while (PGnotify* notify = PQnotifies(conn)) {
        const std::string_view payload = notify->extra;
        const size_t space = payload.rfind(' ');
        if (space != std::string_view::npos) {
          std::string chapter(payload.substr(0, space));
          const std::string_view rest = payload.substr(space + 1);
          if (kAppendsChannel == notify->relname) {
            notices.appended(chapter, std::stoll(std::string(rest)));
          } else if (kTurnsChannel == notify->relname && rest != server_id_ && notices.turn_asked) {
            notices.turn_asked(chapter);
          }
        }
        PQfreemem(notify);
      }
    }
  }
}

}  // namespace reciproca::store
