#include "server/store/postgres_schema.h"

#include <fmt/format.h>

#include <iterator>
#include <string>

namespace reciproca::store {
namespace {

// Any constant both replicas agree on: the key of the advisory lock held while migrating.
constexpr int64_t kMigrationLockKey = 0x5265'6369'7072'6f01;  // "Reciproc" + 1

// kPostgresMigrations[i] takes a database from version i to i + 1. Append new ones; never edit a
// released one. The tables mirror the SQLite schema (sqlite_schema.cc), plus chapters.last_seq:
// the row every writer of a chapter locks (SELECT ... FOR UPDATE) to append after it.
constexpr const char* kPostgresMigrations[] = {
    // Version 1.
    R"sql(
CREATE TABLE chapters (
  chapter text NOT NULL PRIMARY KEY,
  ordinal bigserial NOT NULL UNIQUE,  -- creation order
  last_seq bigint NOT NULL DEFAULT 0  -- the seq of the chapter's last stored event
);

CREATE TABLE events (
  chapter text NOT NULL REFERENCES chapters (chapter),
  seq bigint NOT NULL,
  time_micros bigint NOT NULL,
  payload bytea NOT NULL,  -- serialized reciproca.v1.Event
  PRIMARY KEY (chapter, seq)
);

CREATE FUNCTION reciproca_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION reciproca_events_append_only();

CREATE TABLE idempotency (
  scope text NOT NULL,
  principal text NOT NULL,
  request_id text NOT NULL,
  request_hash text NOT NULL,
  response bytea NOT NULL,
  created_micros bigint NOT NULL,  -- when it was made (the engine's clock): it expires after
                                   -- the idempotency retention
  ordinal bigserial NOT NULL,  -- insertion order, for LoadIdempotency
  PRIMARY KEY (scope, principal, request_id)
);

CREATE TABLE tokens (
  token_hash text NOT NULL PRIMARY KEY,  -- hex SHA-256
  kind text NOT NULL,
  chapter text NOT NULL,
  member text NOT NULL,
  revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX tokens_by_member ON tokens (member);
CREATE INDEX tokens_by_chapter ON tokens (chapter);

CREATE TABLE resources (
  name text NOT NULL PRIMARY KEY,
  chapter text NOT NULL,
  kind text NOT NULL,
  body bytea NOT NULL,  -- serialized protobuf of the resource
  seq bigint NOT NULL  -- the event that last changed it
);

CREATE TABLE settings (
  name text NOT NULL PRIMARY KEY,
  value text NOT NULL
);
)sql",
    // Version 2: chapter snapshots (docs/storage.md, "Snapshots"), one per chapter, the newest.
    R"sql(
CREATE TABLE snapshots (
  chapter text NOT NULL PRIMARY KEY REFERENCES chapters (chapter),
  seq bigint NOT NULL,      -- it covers events 1..seq
  version bigint NOT NULL,  -- the engine's snapshot format
  body bytea NOT NULL
);
)sql",
    // Version 3: Web Push, as in SQLite (server/store/push_store.h, docs/push.md).
    R"sql(
CREATE TABLE push_subscriptions (
  endpoint text NOT NULL PRIMARY KEY,
  chapter text NOT NULL,
  member text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  kinds bigint NOT NULL,
  created_micros bigint NOT NULL
);
CREATE INDEX push_subscriptions_by_member ON push_subscriptions (chapter, member);

CREATE TABLE push_cursors (
  chapter text NOT NULL PRIMARY KEY,
  seq bigint NOT NULL
);

CREATE TABLE push_queue (
  id bigserial PRIMARY KEY,
  chapter text NOT NULL,
  member text NOT NULL,
  endpoint text NOT NULL,
  kind text NOT NULL,
  tag text NOT NULL,
  payload text NOT NULL,
  ttl_seconds bigint NOT NULL,
  urgency text NOT NULL,
  due_micros bigint NOT NULL,
  attempts bigint NOT NULL,
  lease_until bigint NOT NULL DEFAULT 0
);
CREATE INDEX push_queue_by_due ON push_queue (due_micros);
CREATE INDEX push_queue_by_endpoint ON push_queue (endpoint);
)sql",
};
static_assert(std::size(kPostgresMigrations) == kLatestPostgresSchemaVersion);

}  // namespace

Result<int64_t> MigratePostgresSchema(PgConnection& db, std::string_view where) {
  if (Status status = db.Exec("BEGIN", "starting the schema migration"); !status.ok()) {
    return status.error();
  }
  auto fail = [&db](Error error) -> Error {
    (void)db.Exec("ROLLBACK", "rolling back the schema migration");
    return error;
  };
  const std::string lock = fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLockKey);
  for (const std::string& sql :
       {lock, std::string("CREATE TABLE IF NOT EXISTS reciproca_schema (version integer NOT NULL)"),
        std::string("INSERT INTO reciproca_schema (version) SELECT 0 "
                    "WHERE NOT EXISTS (SELECT 1 FROM reciproca_schema)")}) {
    if (Status status = db.Exec(sql, "preparing the schema migration"); !status.ok()) {
      return fail(status.error());
    }
  }
  Result<PgResult> found = db.Query("SELECT version::bigint FROM reciproca_schema", PgParams(),
                                    "reading the schema version");
  if (!found.ok()) {
    return fail(found.error());
  }
  const int64_t version = found->rows() == 1 ? found->Int64(0, 0) : -1;
  if (version > kLatestPostgresSchemaVersion || version < 0) {
    return fail(FailedPrecondition(
        fmt::format("{}: database schema version {} is not one this server knows (it writes "
                    "version {}); use a newer server",
                    where, version, kLatestPostgresSchemaVersion)));
  }
  for (int64_t v = version; v < kLatestPostgresSchemaVersion; ++v) {
    if (Status status =
            db.Exec(kPostgresMigrations[v], fmt::format("migrating schema to v{}", v + 1));
        !status.ok()) {
      return fail(status.error());
    }
  }
  if (Status status = db.Exec(
          fmt::format("UPDATE reciproca_schema SET version = {}", kLatestPostgresSchemaVersion),
          "setting the schema version");
      !status.ok()) {
    return fail(status.error());
  }
  if (Status status = db.Exec("COMMIT", "committing the schema migration"); !status.ok()) {
    return fail(status.error());
  }
  return version;
}

}  // namespace reciproca::store
