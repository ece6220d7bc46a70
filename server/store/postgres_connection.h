#pragma once

// Small RAII owners for libpq, PostgreSQL's C client: one connection (PGconn*), one result
// (PGresult*) and the parameters of one statement. Like the SQLite owners, they add no locking:
// the owner of a connection serializes its use.
//
// Results are asked for in binary format, so bytea columns come back as their bytes (no hex
// decoding) and integers as big-endian 8-byte values: select integers as bigint.

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::store {

// The SQLSTATE of a unique_violation ("duplicate key value violates unique constraint").
inline constexpr std::string_view kPgUniqueViolation = "23505";

// The parameters of one statement ($1, $2, ...). Text and bytes are borrowed: they must outlive
// the call that uses them. Integers are formatted and kept here.
class PgParams {
 public:
  PgParams& Text(std::string_view value);
  PgParams& Bytes(std::string_view value);
  PgParams& Int64(int64_t value);

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // a deque: growing it never moves what values_ points at
};

// One result. Move-only; cleared on destruction.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // The number of rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  bool IsNull(int row, int column) const;
  // A bigint column (binary format: 8 bytes, big-endian).
  int64_t Int64(int row, int column) const;
  // A text or bytea column, as its bytes.
  std::string Bytes(int row, int column) const;

  PGresult* get() const { return result_; }

 private:
  PGresult* result_ = nullptr;
};

// One connection. Move-only; closed on destruction.
class PgConnection {
 public:
  // `conninfo` is a libpq connection string or URI ("postgresql://user@host:port/db"). A
  // connection that cannot be made is kUnavailable, with libpq's reason.
  static Result<PgConnection> Open(const std::string& conninfo);

  PgConnection() = default;
  PgConnection(PgConnection&& other) noexcept;
  PgConnection& operator=(PgConnection&& other) noexcept;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Runs one or more statements without parameters (DDL, BEGIN, COMMIT, LISTEN).
  Status Exec(const std::string& sql, std::string_view what);
  // Runs one statement with parameters; rows come back in binary format.
  Result<PgResult> Query(const std::string& sql, const PgParams& params, std::string_view what);
  // The same for a statement prepared once with Prepare (by name).
  Status Prepare(const std::string& name, const std::string& sql);
  Result<PgResult> Run(const std::string& name, const PgParams& params, std::string_view what);
  // Runs a query and calls on_row(result, 0) for each row as it arrives (libpq's single-row
  // mode), so a large result is never held whole. Stops at the first error of on_row, reads the
  // rest of the result away and returns that error.
  Status Stream(const std::string& sql, const PgParams& params, std::string_view what,
                const std::function<Status(const PgResult&)>& on_row);

  // If the connection was lost, tries once to make it again (a new session: no transaction, no
  // LISTEN, no prepared statements survive). True when the connection is usable.
  bool EnsureConnected();

  // The SQLSTATE of the last failed statement ("" when it did not come from the server).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

  PGconn* get() const { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> Check(PGresult* raw, std::string_view what);

  PGconn* conn_ = nullptr;
  std::string last_sqlstate_;
};

// Masks the password of a connection string or URI for logs and error messages.
std::string RedactConninfo(std::string_view conninfo);

}  // namespace reciproca::store
