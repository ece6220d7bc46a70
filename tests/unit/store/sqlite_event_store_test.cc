#include "server/store/sqlite_event_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "unit/store/store_test_support.h"

// What only the SQLite store does (its settings, its schema version, its file). The EventStore
// contract itself runs against every store in event_store_test.cc.

namespace reciproca::store {
namespace {

class SqliteEventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("reciproca_store_test_" + std::string(info->name()) + "_" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    db_path_ = (dir_ / "reciproca.db").string();
    store_ = OpenStore();
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::unique_ptr<SqliteEventStore> OpenStore() {
    Result<std::unique_ptr<SqliteEventStore>> store = SqliteEventStore::Open(db_path_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  void Reopen() {
    store_.reset();
    store_ = OpenStore();
    ASSERT_NE(nullptr, store_);
  }

  fs::path dir_;
  std::string db_path_;
  std::unique_ptr<SqliteEventStore> store_;
};

TEST_F(SqliteEventStoreTest, Open_MigratesAVersion1DatabaseItsRecordsCountingFromTheMigration) {
  ASSERT_NE(nullptr, store_);
  Commit commit = EventsCommit("chapters/rome", 1, 1);
  commit.idempotency.push_back({"chapters/rome", "m/1", "r-1", "GiveReferral:a", "x", 5});
  ASSERT_TRUE(Append(*store_, {commit}).ok());
  store_.reset();
  {
    // What a database made before records had a creation time looks like.
    RawDb raw(db_path_);
    raw.Exec("ALTER TABLE idempotency DROP COLUMN created_micros");
    raw.Exec("DROP TABLE snapshots");  // added by v3
    raw.Exec(
        "DROP TABLE push_subscriptions; DROP TABLE push_cursors; DROP TABLE push_queue");  // v4
    raw.Exec("PRAGMA user_version = 1");
  }
  const auto before = std::chrono::system_clock::now();
  store_ = OpenStore();
  ASSERT_NE(nullptr, store_);
  std::vector<IdempotencyRecord> records;
  ASSERT_TRUE(store_->LoadIdempotency(&records).ok());
  ASSERT_EQ(1u, records.size());
  EXPECT_EQ("r-1", records[0].request_id);
  const auto micros = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  };
  EXPECT_GE(records[0].created_micros, micros(before) - 2000000);
  EXPECT_LE(records[0].created_micros, micros(std::chrono::system_clock::now()) + 2000000);
  RawDb raw(db_path_);
  EXPECT_EQ(
      (std::vector<std::vector<std::string>>{{std::to_string(SqliteEventStore::kSchemaVersion)}}),
      raw.Query("PRAGMA user_version"));
  // The chapter's log is all there and continues.
  EXPECT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 2, 2)}).ok());
}

TEST_F(SqliteEventStoreTest, Open_SetsWalFullSynchronousForeignKeysAndSchemaVersion) {
  ASSERT_NE(nullptr, store_);
  Result<SqliteEventStore::Settings> settings = store_->QuerySettings();
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ("wal", settings->journal_mode);
  EXPECT_EQ(2, settings->synchronous);  // FULL
  EXPECT_TRUE(settings->foreign_keys);
  EXPECT_GT(settings->busy_timeout_ms, 0);
  EXPECT_EQ(SqliteEventStore::kSchemaVersion, settings->schema_version);

  // WAL is a property of the file, so any other connection sees it too.
  RawDb raw(db_path_);
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"wal"}}), raw.Query("PRAGMA journal_mode"));
  EXPECT_EQ(
      (std::vector<std::vector<std::string>>{{std::to_string(SqliteEventStore::kSchemaVersion)}}),
      raw.Query("PRAGMA user_version"));
}

TEST_F(SqliteEventStoreTest, Open_RefusesANewerSchemaVersion) {
  store_.reset();
  {
    RawDb raw(db_path_);
    raw.Exec("PRAGMA user_version = 99");
  }
  Result<std::unique_ptr<SqliteEventStore>> store = SqliteEventStore::Open(db_path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, store.error().code);
  EXPECT_NE(std::string::npos, store.error().message.find("99")) << store.error().message;
}

TEST_F(SqliteEventStoreTest, Open_ReportsAMissingDirectory) {
  Result<std::unique_ptr<SqliteEventStore>> store =
      SqliteEventStore::Open((dir_ / "missing" / "reciproca.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(ErrorCode::kInternal, store.error().code);
  EXPECT_NE(std::string::npos, store.error().message.find("missing")) << store.error().message;
}

TEST_F(SqliteEventStoreTest, Events_AreAppendOnlyForOtherTools) {
  ASSERT_NE(nullptr, store_);
  ASSERT_TRUE(Append(*store_, {EventsCommit("chapters/rome", 1, 1)}).ok());
  // Another connection (a tool, a script) cannot rewrite history either.
  sqlite3* db = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open(db_path_.c_str(), &db));
  EXPECT_NE(SQLITE_OK, sqlite3_exec(db, "DELETE FROM events", nullptr, nullptr, nullptr));
  EXPECT_NE(SQLITE_OK,
            sqlite3_exec(db, "UPDATE events SET payload = x'00'", nullptr, nullptr, nullptr));
  sqlite3_close(db);
  EXPECT_EQ(1u, ReadAll(*store_, "chapters/rome").size());
}

}  // namespace
}  // namespace reciproca::store

namespace reciproca::store {
namespace {

// A database as schema v2 left it (v1's tables, plus idempotency.created_micros), with a
// chapter, two events, an idempotency record and a projection row.
constexpr const char* kVersion2Database = R"sql(
CREATE TABLE chapters (chapter TEXT NOT NULL PRIMARY KEY, ordinal INTEGER NOT NULL UNIQUE)
  WITHOUT ROWID;
CREATE TABLE events (chapter TEXT NOT NULL REFERENCES chapters (chapter), seq INTEGER NOT NULL,
  time_micros INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (chapter, seq)) WITHOUT ROWID;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE idempotency (scope TEXT NOT NULL, principal TEXT NOT NULL, request_id TEXT NOT NULL,
  request_hash TEXT NOT NULL, response BLOB NOT NULL, created_micros INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, principal, request_id));
CREATE TABLE tokens (token_hash TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL,
  chapter TEXT NOT NULL, member TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX tokens_by_member ON tokens (member);
CREATE TABLE resources (name TEXT NOT NULL PRIMARY KEY, chapter TEXT NOT NULL,
  kind TEXT NOT NULL, body BLOB NOT NULL, seq INTEGER NOT NULL);
INSERT INTO chapters VALUES ('chapters/rome', 1);
INSERT INTO events VALUES ('chapters/rome', 1, 10, x'0a01'), ('chapters/rome', 2, 20, x'0a02');
INSERT INTO idempotency VALUES ('chapters/rome', 'admin', 'r-1', 'GiveReferral:h', x'78', 42);
INSERT INTO resources VALUES ('chapters/rome/referrals/2', 'chapters/rome', 'referral', x'0b', 2);
PRAGMA user_version = 2;
)sql";

TEST(SqliteSchemaV3, Open_MigratesAVersion2DatabaseKeepingEverythingAndAddsSnapshots) {
  const fs::path dir =
      fs::temp_directory_path() /
      ("reciproca_store_test_v3_" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir);
  const std::string path = (dir / "reciproca.db").string();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_open(path.c_str(), &db));
    ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, kVersion2Database, nullptr, nullptr, nullptr))
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    auto store = SqliteEventStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ((std::vector<int64_t>{1, 2}), Seqs(ReadAll(**store, "chapters/rome")));
    std::vector<IdempotencyRecord> records;
    ASSERT_TRUE((*store)->LoadIdempotency(&records).ok());
    ASSERT_EQ(1u, records.size());
    EXPECT_EQ("r-1", records[0].request_id);
    EXPECT_EQ("GiveReferral:h", records[0].request_hash);
    EXPECT_EQ("x", records[0].response);
    EXPECT_EQ(42, records[0].created_micros);
    ASSERT_TRUE((*store)->PutSnapshot({"chapters/rome", 2, 1, "state"}).ok());
    EXPECT_TRUE(Append(**store, {EventsCommit("chapters/rome", 3, 1)}).ok());
  }
  RawDb raw(path);
  EXPECT_EQ(
      (std::vector<std::vector<std::string>>{{std::to_string(SqliteEventStore::kSchemaVersion)}}),
      raw.Query("PRAGMA user_version"));
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"chapters/rome/referrals/2", "2"}}),
            raw.Query("SELECT name, seq FROM resources"));
  // The keyed tables keep their text keys once: no rowid, no separate index.
  for (const char* table : {"idempotency", "resources", "snapshots"}) {
    auto sql = raw.Query(std::string("SELECT sql FROM sqlite_master WHERE name = '") + table + "'");
    ASSERT_EQ(1u, sql.size()) << table;
    EXPECT_NE(std::string::npos, sql[0][0].find("WITHOUT ROWID")) << table;
  }
  EXPECT_TRUE(
      raw.Query("SELECT name FROM sqlite_master WHERE name LIKE "
                "'sqlite_autoindex_idempotency%' OR name LIKE 'sqlite_autoindex_resources%'")
          .empty());
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace reciproca::store
