#pragma once

// What the store tests share: events and commits to append, and the two stores behind one
// interface (StoreBackend) so that the EventStore contract runs against SQLite and PostgreSQL
// alike (event_store_test.cc). PostgreSQL comes from a private cluster the tests start
// (tests/support/postgres_cluster.h).

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/store/event_store.h"
#include "server/store/postgres_event_store.h"
#include "server/store/sqlite_event_store.h"
#include "support/postgres_cluster.h"

namespace reciproca::store {

namespace fs = std::filesystem;

inline StoredEvent Event(const std::string& chapter, int64_t seq) {
  // Bytes with a NUL inside, as serialized protobufs have.
  return StoredEvent{chapter, seq, 1'700'000'000'000'000 + seq,
                     std::string("ev\0", 3) + chapter + "#" + std::to_string(seq)};
}

inline Commit EventsCommit(const std::string& chapter, int64_t first_seq, int count) {
  Commit commit;
  for (int i = 0; i < count; ++i) {
    commit.events.push_back(Event(chapter, first_seq + i));
  }
  return commit;
}

inline std::vector<const Commit*> Batch(const std::vector<Commit>& commits) {
  std::vector<const Commit*> batch;
  for (const Commit& commit : commits) {
    batch.push_back(&commit);
  }
  return batch;
}

inline Status Append(EventStore& store, const std::vector<Commit>& commits) {
  return store.AppendBatch(Batch(commits));
}

inline std::vector<int64_t> Seqs(const std::vector<StoredEvent>& events) {
  std::vector<int64_t> seqs;
  for (const StoredEvent& event : events) {
    seqs.push_back(event.seq);
  }
  return seqs;
}

inline std::vector<StoredEvent> ReadAll(EventStore& store, const std::string& chapter) {
  std::vector<StoredEvent> events;
  Status status = store.ReadEvents(chapter, 0, 1'000'000, &events);
  EXPECT_TRUE(status.ok()) << status.error().message;
  return events;
}

using Rows = std::vector<std::vector<std::string>>;

// A database opened next to the store with a plain sqlite3 handle, to look at what tools see.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    EXPECT_EQ(SQLITE_OK, sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr));
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Every row of `sql`, each column as text.
  Rows Query(const std::string& sql) {
    Rows rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(SQLITE_OK, sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr))
        << sqlite3_errmsg(db_);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text),
                         static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }

  void Exec(const std::string& sql) {
    EXPECT_EQ(SQLITE_OK, sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr))
        << sqlite3_errmsg(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

// The same for PostgreSQL: a plain libpq connection, rows as text.
class RawPg {
 public:
  explicit RawPg(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    EXPECT_EQ(CONNECTION_OK, PQstatus(conn_)) << PQerrorMessage(conn_);
  }
  ~RawPg() { PQfinish(conn_); }
  RawPg(const RawPg&) = delete;
  RawPg& operator=(const RawPg&) = delete;

  Rows Query(const std::string& sql) {
    Rows rows;
    PGresult* result = PQexec(conn_, sql.c_str());
    EXPECT_EQ(PGRES_TUPLES_OK, PQresultStatus(result)) << sql << ": " << PQerrorMessage(conn_);
    for (int r = 0; r < PQntuples(result); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(result); ++c) {
        row.emplace_back(PQgetvalue(result, r, c), PQgetlength(result, r, c));
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

  // Runs `sql`; true if PostgreSQL accepted it.
  bool Exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    const bool ok =
        PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    return ok;
  }

 private:
  PGconn* conn_;
};

// One kind of store, opened again and again on the same database.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  virtual Result<std::unique_ptr<EventStore>> Open() = 0;
  // Rows of `sql` as text, read by another connection (what a tool sees).
  virtual Rows Query(const std::string& sql) = 0;
  // A SQL expression for a blob column as text.
  virtual std::string BlobAsText(const std::string& column) const = 0;
  // What the store's message says about a unique key that was violated.
  virtual std::string UniqueViolationText() const = 0;
};

class SqliteBackend final : public StoreBackend {
 public:
  SqliteBackend() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("reciproca_store_test_" + std::string(info->name()) + "_" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
  }
  ~SqliteBackend() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& dir() const { return dir_; }
  std::string db_path() const { return (dir_ / "reciproca.db").string(); }

  Result<std::unique_ptr<EventStore>> Open() override {
    Result<std::unique_ptr<SqliteEventStore>> store = SqliteEventStore::Open(db_path());
    if (!store.ok()) {
      return store.error();
    }
    return std::unique_ptr<EventStore>(std::move(store).value());
  }
  Rows Query(const std::string& sql) override { return RawDb(db_path()).Query(sql); }
  std::string BlobAsText(const std::string& column) const override { return column; }
  std::string UniqueViolationText() const override { return "UNIQUE"; }

 private:
  fs::path dir_;
};

class PostgresBackend final : public StoreBackend {
 public:
  // Fails the test (with how to install PostgreSQL) when no cluster can be started.
  PostgresBackend() {
    std::string why;
    testing::PostgresCluster* cluster = testing::PostgresCluster::Shared(&why);
    if (cluster == nullptr) {
      ADD_FAILURE() << why;
      return;
    }
    uri_ = cluster->CreateDatabase(&why);
    if (uri_.empty()) {
      ADD_FAILURE() << why;
    }
  }
  const std::string& uri() const { return uri_; }

  Result<std::unique_ptr<EventStore>> Open() override {
    if (uri_.empty()) {
      return Internal("no PostgreSQL database (see the failure above)");
    }
    Result<std::unique_ptr<PostgresEventStore>> store = PostgresEventStore::Open(uri_);
    if (!store.ok()) {
      return store.error();
    }
    return std::unique_ptr<EventStore>(std::move(store).value());
  }
  Rows Query(const std::string& sql) override { return RawPg(uri_).Query(sql); }
  std::string BlobAsText(const std::string& column) const override {
    return "convert_from(" + column + ", 'UTF8')";
  }
  std::string UniqueViolationText() const override { return "duplicate key"; }

 private:
  std::string uri_;
};

}  // namespace reciproca::store
