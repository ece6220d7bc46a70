#pragma once

// The PostgreSQL schema of the event store and its migrations. The version lives in the
// one-row table reciproca_schema; a database is migrated forward at open, never backward, under
// an advisory lock so that replicas starting together migrate it once.

#include <cstdint>
#include <string_view>

#include "server/domain/result.h"
#include "server/store/postgres_connection.h"

namespace reciproca::store {

// The schema version this code writes.
inline constexpr int kLatestPostgresSchemaVersion = 3;

// The channel every commit notifies with "<chapter> <last seq>" per chapter it appended to.
inline constexpr std::string_view kAppendsChannel = "reciproca_appends";
// The channel a server that keeps losing the race for a chapter notifies with
// "<chapter> <server id>" (EventStore::AskForTurn).
inline constexpr std::string_view kTurnsChannel = "reciproca_turns";

// Brings the database up to kLatestPostgresSchemaVersion in one transaction and returns the
// version it found (0 for an empty database). A newer version is kFailedPrecondition. `where`
// names the database in errors (no password).
Result<int64_t> MigratePostgresSchema(PgConnection& db, std::string_view where);

}  // namespace reciproca::store
