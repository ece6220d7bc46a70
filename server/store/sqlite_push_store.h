#pragma once

// PushStore on the SQLite file of the event store (its tables come with the event store's schema
// migrations, version 4): a connection of its own, so the push worker never waits on the
// engine's writer lock for longer than SQLite's busy timeout. One server writes a SQLite file,
// so leases only guard against the worker's own restarts.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/store/push_store.h"
#include "server/store/sqlite_connection.h"

namespace reciproca::store {

class SqlitePushStore final : public PushStore {
 public:
  // `path` is the event store's file, already opened (and migrated) by SqliteEventStore.
  static Result<std::unique_ptr<SqlitePushStore>> Open(const std::string& path);

  Status PutSubscription(const PushSubscription& subscription, int64_t chapter_seq) override;
  Status DeleteSubscription(const std::string& member, const std::string& endpoint) override;
  Status DropEndpoint(const std::string& endpoint) override;
  Status ListSubscriptions(const std::string& chapter, const std::string& member,
                           std::vector<PushSubscription>* out) override;
  Result<int64_t> Cursor(const std::string& chapter) override;
  Result<bool> Enqueue(const PushBatch& batch) override;
  Status ClaimDue(int64_t now, int64_t lease_until, int limit,
                  std::vector<PushMessage>* out) override;
  Status Forget(int64_t id) override;
  Status Postpone(int64_t id, int64_t due, int64_t attempts) override;

 private:
  explicit SqlitePushStore(SqliteConnection db) : db_(std::move(db)) {}
  // Runs `body` in a BEGIN IMMEDIATE transaction, committed when it returns ok.
  Status InTransaction(std::string_view what, const std::function<Status()>& body);
  // Prepares, binds with `bind` and steps `sql` until done; each row goes to `row`.
  Status Run(std::string_view sql, std::string_view what,
             const std::function<void(SqliteStatement&)>& bind,
             const std::function<void(SqliteStatement&)>& row = {});

  std::mutex mu_;
  SqliteConnection db_;  // guarded by mu_
};

}  // namespace reciproca::store
