#include "server/store/sqlite_schema.h"

#include <fmt/format.h>

#include <iterator>

namespace reciproca::store {
namespace {

// Schema migrations: kMigrations[i] takes a database from user_version i to i + 1. Append new
// ones; never edit a released one.
constexpr const char* kMigrations[] = {
    // Version 1.
    R"sql(
CREATE TABLE chapters (
  chapter TEXT NOT NULL PRIMARY KEY,
  ordinal INTEGER NOT NULL UNIQUE  -- creation order, 1, 2, ...
) WITHOUT ROWID;

CREATE TABLE events (
  chapter TEXT NOT NULL REFERENCES chapters (chapter),
  seq INTEGER NOT NULL,
  time_micros INTEGER NOT NULL,
  payload BLOB NOT NULL,  -- serialized reciproca.v1.Event
  PRIMARY KEY (chapter, seq)
) WITHOUT ROWID;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE idempotency (
  scope TEXT NOT NULL,
  principal TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response BLOB NOT NULL,
  PRIMARY KEY (scope, principal, request_id)
);

CREATE TABLE tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,  -- hex SHA-256
  kind TEXT NOT NULL,
  chapter TEXT NOT NULL,
  member TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX tokens_by_member ON tokens (member);

CREATE TABLE resources (
  name TEXT NOT NULL PRIMARY KEY,
  chapter TEXT NOT NULL,
  kind TEXT NOT NULL,
  body BLOB NOT NULL,  -- serialized protobuf of the resource
  seq INTEGER NOT NULL  -- the event that last changed it
);
)sql",
    // Version 2: idempotency records expire (Limits::idempotency_retention), so each has its
    // creation time. Records from before count from this migration: a full retention from now.
    R"sql(
ALTER TABLE idempotency ADD COLUMN created_micros INTEGER NOT NULL DEFAULT 0;
UPDATE idempotency
  SET created_micros = CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER);
)sql",
    // Version 3: chapter snapshots (docs/storage.md, "Snapshots"), and a more compact disk
    // format: the idempotency records and the projection are keyed tables (WITHOUT ROWID), so
    // their text keys are stored once, not again in an index of their own.
    R"sql(
CREATE TABLE snapshots (
  chapter TEXT NOT NULL PRIMARY KEY REFERENCES chapters (chapter),
  seq INTEGER NOT NULL,      -- it covers events 1..seq
  version INTEGER NOT NULL,  -- the engine's snapshot format
  body BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE idempotency_v3 (
  scope TEXT NOT NULL,
  principal TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response BLOB NOT NULL,
  created_micros INTEGER NOT NULL,
  PRIMARY KEY (scope, principal, request_id)
) WITHOUT ROWID;
INSERT INTO idempotency_v3
  SELECT scope, principal, request_id, request_hash, response, created_micros FROM idempotency;
DROP TABLE idempotency;
ALTER TABLE idempotency_v3 RENAME TO idempotency;

CREATE TABLE resources_v3 (
  name TEXT NOT NULL PRIMARY KEY,
  chapter TEXT NOT NULL,
  kind TEXT NOT NULL,
  body BLOB NOT NULL,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO resources_v3 SELECT name, chapter, kind, body, seq FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v3 RENAME TO resources;
)sql",
    // Version 4: Web Push (server/store/push_store.h, docs/push.md). Subscriptions are secrets
    // kept apart from the events; the queue is filled with the cursor's advance.
    R"sql(
CREATE TABLE push_subscriptions (
  endpoint TEXT NOT NULL PRIMARY KEY,
  chapter TEXT NOT NULL,
  member TEXT NOT NULL,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  kinds INTEGER NOT NULL,
  created_micros INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX push_subscriptions_by_member ON push_subscriptions (chapter, member);

CREATE TABLE push_cursors (
  chapter TEXT NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE push_queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  chapter TEXT NOT NULL,
  member TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  kind TEXT NOT NULL,
  tag TEXT NOT NULL,
  payload TEXT NOT NULL,
  ttl_seconds INTEGER NOT NULL,
  urgency TEXT NOT NULL,
  due_micros INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX push_queue_by_due ON push_queue (due_micros);
CREATE INDEX push_queue_by_endpoint ON push_queue (endpoint);
)sql",
};
static_assert(std::size(kMigrations) == kLatestSchemaVersion);

}  // namespace

Result<int64_t> MigrateSchema(SqliteConnection& db, std::string_view path) {
  // All pending migrations in one IMMEDIATE transaction: a crash leaves the old version intact,
  // and user_version is read under the write lock.
  if (Status status = db.Exec("BEGIN IMMEDIATE", "starting the schema migration"); !status.ok()) {
    return status.error();
  }
  auto fail = [&db](Error error) -> Error {
    if (sqlite3_get_autocommit(db.get()) == 0) {
      sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    return error;
  };
  Result<int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version.ok()) {
    return fail(version.error());
  }
  if (*version > kLatestSchemaVersion || *version < 0) {
    return fail(FailedPrecondition(
        fmt::format("{}: database schema version {} is not one this server knows (it writes "
                    "version {}); use a newer server",
                    path, *version, kLatestSchemaVersion)));
  }
  for (int64_t v = *version; v < kLatestSchemaVersion; ++v) {
    if (Status status = db.Exec(kMigrations[v], fmt::format("migrating schema to v{}", v + 1));
        !status.ok()) {
      return fail(status.error());
    }
    if (Status status =
            db.Exec(fmt::format("PRAGMA user_version = {}", v + 1), "setting user_version");
        !status.ok()) {
      return fail(status.error());
    }
  }
  if (Status status = db.Exec("COMMIT", "committing the schema migration"); !status.ok()) {
    return fail(status.error());
  }
  return *version;
}

}  // namespace reciproca::store
