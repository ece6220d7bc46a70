#include "server/store/sqlite_connection.h"

#include <fmt/format.h>

#include <utility>

namespace reciproca::store {

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::BindInt64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

void SqliteStatement::BindText(int index, std::string_view value) {
  // data() of an empty string_view may be null, which SQLite would store as NULL.
  const char* data = value.empty() ? "" : value.data();
  int rc = sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

void SqliteStatement::BindBlob(int index, std::string_view value) {
  // A null pointer would bind NULL; an empty blob is wanted instead.
  const char* data = value.empty() ? "" : value.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_STATIC);
  if (bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
  }
}

int SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return bind_rc_;
  }
  return sqlite3_step(stmt_);
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

int64_t SqliteStatement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStatement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::string SqliteStatement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (blob == nullptr) {
    return {};
  }
  return std::string(static_cast<const char*>(blob), static_cast<size_t>(size));
}

Result<SqliteConnection> SqliteConnection::Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // Even on failure SQLite usually hands back a handle, which carries the error text and must be
  // closed; the SqliteConnection owns it from here.
  SqliteConnection connection(db);
  if (rc != SQLITE_OK) {
    if (db == nullptr) {
      return Internal(fmt::format("opening SQLite database {}: {}", path, sqlite3_errstr(rc)));
    }
    return connection.ErrorFor(fmt::format("opening SQLite database {}", path));
  }
  sqlite3_extended_result_codes(db, 1);
  return connection;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Status SqliteConnection::Exec(const std::string& sql, std::string_view what) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return ErrorFor(what);
  }
  return {};
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  unsigned int flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
  SqliteStatement statement(stmt);
  if (rc != SQLITE_OK) {
    return ErrorFor(fmt::format("preparing \"{}\"", sql));
  }
  return statement;
}

Result<std::string> SqliteConnection::QueryText(const std::string& sql) {
  Result<SqliteStatement> stmt = Prepare(sql, /*persistent=*/false);
  if (!stmt.ok()) {
    return stmt.error();
  }
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) {
    return Internal(fmt::format("running \"{}\": no row", sql));
  }
  if (rc != SQLITE_ROW) {
    return ErrorFor(fmt::format("running \"{}\"", sql), rc);
  }
  return stmt->ColumnText(0);
}

Result<int64_t> SqliteConnection::QueryInt64(const std::string& sql) {
  Result<SqliteStatement> stmt = Prepare(sql, /*persistent=*/false);
  if (!stmt.ok()) {
    return stmt.error();
  }
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) {
    return Internal(fmt::format("running \"{}\": no row", sql));
  }
  if (rc != SQLITE_ROW) {
    return ErrorFor(fmt::format("running \"{}\"", sql), rc);
  }
  return stmt->ColumnInt64(0);
}

Error SqliteConnection::ErrorFor(std::string_view what) const {
  return Internal(fmt::format("{}: {} (SQLite code {})", what, sqlite3_errmsg(db_),
                              sqlite3_extended_errcode(db_)));
}

Error SqliteConnection::ErrorFor(std::string_view what, int rc) const {
  if ((sqlite3_errcode(db_) & 0xff) == (rc & 0xff)) {
    return ErrorFor(what);
  }
  return Internal(fmt::format("{}: {} (SQLite code {})", what, sqlite3_errstr(rc), rc));
}

}  // namespace reciproca::store
