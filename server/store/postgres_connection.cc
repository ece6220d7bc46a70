#include "server/store/postgres_connection.h"

#include <fmt/format.h>

#include <regex>
#include <utility>

namespace reciproca::store {
namespace {

constexpr int kBinaryFormat = 1;
constexpr int kTextFormat = 0;

// libpq's messages end with a newline; error texts read better without it.
std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

PgParams& PgParams::Text(std::string_view value) {
  values_.push_back(value.data() != nullptr ? value.data() : "");
  lengths_.push_back(static_cast<int>(value.size()));
  // Text parameters are sent as text but must be NUL-free; libpq reads them up to the length
  // only in binary format, so send text in binary format too (the server's text input for
  // `text` is its bytes).
  formats_.push_back(kBinaryFormat);
  return *this;
}

PgParams& PgParams::Bytes(std::string_view value) { return Text(value); }

PgParams& PgParams::Int64(int64_t value) {
  owned_.push_back(std::to_string(value));
  values_.push_back(owned_.back().c_str());
  lengths_.push_back(static_cast<int>(owned_.back().size()));
  formats_.push_back(kTextFormat);
  return *this;
}

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() { PQclear(result_); }

int PgResult::rows() const { return result_ == nullptr ? 0 : PQntuples(result_); }

int64_t PgResult::affected() const {
  const char* text = result_ == nullptr ? nullptr : PQcmdTuples(result_);
  return text == nullptr || *text == '\0' ? 0 : std::stoll(text);
}

bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

int64_t PgResult::Int64(int row, int column) const {
  if (IsNull(row, column)) {
    return 0;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column));
  const int length = PQgetlength(result_, row, column);
  uint64_t value = 0;
  for (int i = 0; i < length; ++i) {
    value = (value << 8) | bytes[i];
  }
  if (length == 4) {  // an integer (int4) column: sign-extend
    return static_cast<int32_t>(static_cast<uint32_t>(value));
  }
  return static_cast<int64_t>(value);
}

std::string PgResult::Bytes(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

Result<PgConnection> PgConnection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return Error{ErrorCode::kUnavailable, "PostgreSQL: out of memory making a connection"};
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Error{ErrorCode::kUnavailable, fmt::format("cannot connect to PostgreSQL at {}: {}",
                                                      RedactConninfo(conninfo), why)};
  }
  // Quiet: NOTICEs (such as "relation already exists, skipping") are not for the server's log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return PgConnection(conn);
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), last_sqlstate_(std::move(other.last_sqlstate_)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    last_sqlstate_ = std::move(other.last_sqlstate_);
  }
  return *this;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<PgResult> PgConnection::Check(PGresult* raw, std::string_view what) {
  PgResult result(raw);
  const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) {
    last_sqlstate_.clear();
    return result;
  }
  const char* state = raw == nullptr ? nullptr : PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message = Trimmed(raw != nullptr ? PQresultErrorMessage(raw) : nullptr);
  if (message.empty()) {
    message = Trimmed(PQerrorMessage(conn_));
  }
  const ErrorCode code =
      PQstatus(conn_) == CONNECTION_BAD ? ErrorCode::kUnavailable : ErrorCode::kInternal;
  return Error{code, fmt::format("{}: {} (PostgreSQL SQLSTATE {})", what, message,
                                 last_sqlstate_.empty() ? "none" : last_sqlstate_)};
}

Status PgConnection::Exec(const std::string& sql, std::string_view what) {
  Result<PgResult> result = Check(PQexec(conn_, sql.c_str()), what);
  if (!result.ok()) {
    return result.error();
  }
  return {};
}

Result<PgResult> PgConnection::Query(const std::string& sql, const PgParams& params,
                                     std::string_view what) {
  return Check(PQexecParams(conn_, sql.c_str(), params.size(), nullptr, params.values(),
                            params.lengths(), params.formats(), kBinaryFormat),
               what);
}

Status PgConnection::Prepare(const std::string& name, const std::string& sql) {
  Result<PgResult> result = Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr),
                                  fmt::format("preparing \"{}\"", sql));
  if (!result.ok()) {
    return result.error();
  }
  return {};
}

Result<PgResult> PgConnection::Run(const std::string& name, const PgParams& params,
                                   std::string_view what) {
  return Check(PQexecPrepared(conn_, name.c_str(), params.size(), params.values(), params.lengths(),
                              params.formats(), kBinaryFormat),
               what);
}

Status PgConnection::Stream(const std::string& sql, const PgParams& params, std::string_view what,
                            const std::function<Status(const PgResult&)>& on_row) {
  if (PQsendQueryParams(conn_, sql.c_str(), params.size(), nullptr, params.values(),
                        params.lengths(), params.formats(), kBinaryFormat) == 0 ||
      PQsetSingleRowMode(conn_) == 0) {
    Status failed = Check(nullptr, what).error();
    while (PGresult* rest = PQgetResult(conn_)) {
      PQclear(rest);
    }
    return failed;
  }
  Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    if (!status.ok()) {
      PQclear(raw);  // drain what is left after a failure
      continue;
    }
    Result<PgResult> result = Check(raw, what);
    if (!result.ok()) {
      status = result.error();
    } else if (PQresultStatus(result->get()) == PGRES_SINGLE_TUPLE) {
      status = on_row(*result);
    }
  }
  return status;
}

bool PgConnection::EnsureConnected() {
  if (conn_ == nullptr) {
    return false;
  }
  if (PQstatus(conn_) == CONNECTION_OK) {
    return true;
  }
  PQreset(conn_);
  return PQstatus(conn_) == CONNECTION_OK;
}

std::string RedactConninfo(std::string_view conninfo) {
  static const std::regex kUriPassword(R"((://[^:/@]*:)[^@]*@)");
  static const std::regex kKeywordPassword(R"((password\s*=\s*)('[^']*'|\S+))");
  std::string text = std::regex_replace(std::string(conninfo), kUriPassword, "$1***@");
  return std::regex_replace(text, kKeywordPassword, "$1***");
}

}  // namespace reciproca::store
