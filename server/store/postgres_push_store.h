#pragma once

// PushStore on the PostgreSQL database several replicas share (its tables come with the event
// store's schema migrations, version 3). The cursor row is locked (SELECT ... FOR UPDATE) while
// a batch is queued, so each event's messages are queued once; due messages are claimed with
// FOR UPDATE SKIP LOCKED and a lease, so each is sent by one replica.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/store/postgres_connection.h"
#include "server/store/push_store.h"

namespace reciproca::store {

class PostgresPushStore final : public PushStore {
 public:
  // `uri` as for PostgresEventStore::Open, whose Open has migrated the schema.
  static Result<std::unique_ptr<PostgresPushStore>> Open(const std::string& uri);

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
  explicit PostgresPushStore(PgConnection db) : db_(std::move(db)) {}
  // Runs `body` in a transaction (committed when it returns ok, else rolled back), on a
  // connection made again first if it was lost.
  Status InTransaction(std::string_view what, const std::function<Status(PgConnection&)>& body);

  std::mutex mu_;
  PgConnection db_;  // guarded by mu_
};

}  // namespace reciproca::store
