#pragma once

// The SQLite schema of the event store and its migrations. The version lives in
// PRAGMA user_version; a database is migrated forward at open, never backward.

#include <cstdint>
#include <string_view>

#include "server/domain/result.h"
#include "server/store/sqlite_connection.h"

namespace reciproca::store {

// The schema version this code writes.
inline constexpr int kLatestSchemaVersion = 4;

// Brings the database up to kLatestSchemaVersion in one transaction (all or nothing) and returns
// the version it found (0 for a new file). A version newer than this code knows is
// kFailedPrecondition. `path` only names the file in errors. Call before any other statement.
Result<int64_t> MigrateSchema(SqliteConnection& db, std::string_view path);

}  // namespace reciproca::store
