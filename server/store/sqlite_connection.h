#pragma once

// Small RAII owners for the SQLite C API: one connection (sqlite3*) and one prepared statement
// (sqlite3_stmt*). They add no locking: the owner of a connection serializes its use (the
// connections are opened with SQLITE_OPEN_NOMUTEX).

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::store {

// One prepared statement. Move-only; finalized on destruction.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based. Text and blobs are bound without a copy (SQLITE_STATIC): the bytes
  // must stay alive and unchanged until the statement is reset. The first failing bind is
  // remembered and returned by the next Step(), so callers check once.
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::string_view value);

  // SQLITE_ROW, SQLITE_DONE or an error code (the connection's sqlite3_errmsg says more).
  int Step();
  // Ready to run again (bindings are kept until rebound).
  void Reset();

  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// Resets a statement when the scope ends, so an early return or an error never leaves it active
// (an active statement keeps its read snapshot open).
class ScopedReset {
 public:
  explicit ScopedReset(SqliteStatement& stmt) : stmt_(stmt) {}
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;
  ~ScopedReset() { stmt_.Reset(); }

 private:
  SqliteStatement& stmt_;
};

// One database connection. Move-only; closed on destruction.
class SqliteConnection {
 public:
  // `flags` are sqlite3_open_v2 flags (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, ...).
  static Result<SqliteConnection> Open(const std::string& path, int flags);

  SqliteConnection() = default;
  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&& other) noexcept;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // Runs one or more statements that return no rows we need (DDL, PRAGMA settings).
  Status Exec(const std::string& sql, std::string_view what);

  // A statement kept for the connection's lifetime is prepared `persistent` (a hint to SQLite's
  // allocator).
  Result<SqliteStatement> Prepare(std::string_view sql, bool persistent);

  // The single value of a one-row query such as "PRAGMA journal_mode".
  Result<std::string> QueryText(const std::string& sql);
  Result<int64_t> QueryInt64(const std::string& sql);

  // Internal error "<what>: <sqlite3_errmsg> (SQLite code <extended code>)", from the
  // connection's last error.
  Error ErrorFor(std::string_view what) const;
  // The same for a call that returned `rc`; uses SQLite's generic text for `rc` when the
  // connection's last error is a different one (bind errors do not always set it).
  Error ErrorFor(std::string_view what, int rc) const;

  sqlite3* get() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_ = nullptr;
};

}  // namespace reciproca::store
