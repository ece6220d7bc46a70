#include "server/store/sqlite_push_store.h"

#include <fmt/format.h>

namespace reciproca::store {
namespace {

constexpr int kPushConnectionFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
constexpr int kPushBusyTimeoutMs = 5000;

constexpr std::string_view kDeleteQueuedOfEndpoint = "DELETE FROM push_queue WHERE endpoint = ?1";

}  // namespace

Result<std::unique_ptr<SqlitePushStore>> SqlitePushStore::Open(const std::string& path) {
  Result<SqliteConnection> db = SqliteConnection::Open(path, kPushConnectionFlags);
  if (!db.ok()) {
    return db.error();
  }
  if (sqlite3_busy_timeout(db->get(), kPushBusyTimeoutMs) != SQLITE_OK) {
    return db->ErrorFor("setting busy_timeout on the push connection");
  }
  if (Status status = db->Exec("PRAGMA synchronous = FULL", "configuring the push connection");
      !status.ok()) {
    return status.error();
  }
  return std::unique_ptr<SqlitePushStore>(new SqlitePushStore(std::move(db).value()));
}

Status SqlitePushStore::Run(std::string_view sql, std::string_view what,
                            const std::function<void(SqliteStatement&)>& bind,
                            const std::function<void(SqliteStatement&)>& row) {
  Result<SqliteStatement> stmt = db_.Prepare(sql, false);
  if (!stmt.ok()) {
    return stmt.error();
  }
  bind(*stmt);
  for (;;) {
    int rc = stmt->Step();
    if (rc == SQLITE_DONE) {
      return {};
    }
    if (rc != SQLITE_ROW) {
      return db_.ErrorFor(what, rc);
    }
    if (row) {
      row(*stmt);
    }
  }
}

Status SqlitePushStore::InTransaction(std::string_view what, const std::function<Status()>& body) {
  if (Status status = db_.Exec("BEGIN IMMEDIATE", what); !status.ok()) {
    return status;
  }
  Status status = body();
  if (status.ok()) {
    status = db_.Exec("COMMIT", what);
  }
  if (!status.ok() && sqlite3_get_autocommit(db_.get()) == 0) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return status;
}

Status SqlitePushStore::PutSubscription(const PushSubscription& s, int64_t chapter_seq) {
  std::lock_guard lock(mu_);
  return InTransaction("storing a push subscription", [&]() -> Status {
    if (Status status = Run(
            "INSERT INTO push_subscriptions (endpoint, chapter, member, p256dh, auth, kinds, "
            "created_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (endpoint) DO UPDATE "
            "SET chapter = excluded.chapter, member = excluded.member, p256dh = excluded.p256dh, "
            "auth = excluded.auth, kinds = excluded.kinds",
            "storing a push subscription",
            [&](SqliteStatement& st) {
              st.BindText(1, s.endpoint);
              st.BindText(2, s.chapter);
              st.BindText(3, s.member);
              st.BindText(4, s.p256dh);
              st.BindText(5, s.auth);
              st.BindInt64(6, s.kinds);
              st.BindInt64(7, s.created_micros);
            });
        !status.ok()) {
      return status;
    }
    if (Status status =
            Run("INSERT INTO push_cursors (chapter, seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                "starting the push cursor",
                [&](SqliteStatement& st) {
                  st.BindText(1, s.chapter);
                  st.BindInt64(2, chapter_seq);
                });
        !status.ok()) {
      return status;
    }
    return Run("UPDATE push_subscriptions SET kinds = ?1 WHERE chapter = ?2 AND member = ?3",
               "storing a member's push choices", [&](SqliteStatement& st) {
                 st.BindInt64(1, s.kinds);
                 st.BindText(2, s.chapter);
                 st.BindText(3, s.member);
               });
  });
}

Status SqlitePushStore::DeleteSubscription(const std::string& member, const std::string& endpoint) {
  std::lock_guard lock(mu_);
  return InTransaction("removing a push subscription", [&]() -> Status {
    bool mine = false;
    if (Status status = Run(
            "DELETE FROM push_subscriptions WHERE endpoint = ?1 AND member = ?2 RETURNING 1",
            "removing a push subscription",
            [&](SqliteStatement& st) {
              st.BindText(1, endpoint);
              st.BindText(2, member);
            },
            [&](SqliteStatement&) { mine = true; });
        !status.ok() || !mine) {
      return status;
    }
    return Run(kDeleteQueuedOfEndpoint, "removing a push subscription's messages",
               [&](SqliteStatement& st) { st.BindText(1, endpoint); });
  });
}

Status SqlitePushStore::DropEndpoint(const std::string& endpoint) {
  std::lock_guard lock(mu_);
  return InTransaction("dropping a push endpoint", [&]() -> Status {
    if (Status status =
            Run("DELETE FROM push_subscriptions WHERE endpoint = ?1", "dropping a push endpoint",
                [&](SqliteStatement& st) { st.BindText(1, endpoint); });
        !status.ok()) {
      return status;
    }
    return Run(kDeleteQueuedOfEndpoint, "dropping a push endpoint's messages",
               [&](SqliteStatement& st) { st.BindText(1, endpoint); });
  });
}

Status SqlitePushStore::ListSubscriptions(const std::string& chapter, const std::string& member,
                                          std::vector<PushSubscription>* out) {
  std::lock_guard lock(mu_);
  out->clear();
  return Run(
      "SELECT endpoint, chapter, member, p256dh, auth, kinds, created_micros FROM "
      "push_subscriptions WHERE chapter = ?1 AND (?2 = '' OR member = ?2) ORDER BY member, "
      "created_micros, endpoint",
      "listing push subscriptions",
      [&](SqliteStatement& st) {
        st.BindText(1, chapter);
        st.BindText(2, member);
      },
      [&](SqliteStatement& st) {
        out->push_back({st.ColumnText(1), st.ColumnText(2), st.ColumnText(0), st.ColumnText(3),
                        st.ColumnText(4), st.ColumnInt64(5), st.ColumnInt64(6)});
      });
}

Result<int64_t> SqlitePushStore::Cursor(const std::string& chapter) {
  std::lock_guard lock(mu_);
  int64_t seq = -1;
  Status status = Run(
      "SELECT seq FROM push_cursors WHERE chapter = ?1", "reading the push cursor",
      [&](SqliteStatement& st) { st.BindText(1, chapter); },
      [&](SqliteStatement& st) { seq = st.ColumnInt64(0); });
  if (!status.ok()) {
    return status.error();
  }
  return seq;
}

Result<bool> SqlitePushStore::Enqueue(const PushBatch& batch) {
  std::lock_guard lock(mu_);
  bool moved = false;
  Status status = InTransaction("queueing push messages", [&]() -> Status {
    int64_t stored = -1;
    if (Status status = Run(
            "SELECT seq FROM push_cursors WHERE chapter = ?1", "reading the push cursor",
            [&](SqliteStatement& st) { st.BindText(1, batch.chapter); },
            [&](SqliteStatement& st) { stored = st.ColumnInt64(0); });
        !status.ok()) {
      return status;
    }
    if (stored != batch.from_seq) {
      return {};
    }
    moved = true;
    if (Status status =
            Run("INSERT INTO push_cursors (chapter, seq) VALUES (?1, ?2) ON CONFLICT (chapter) DO "
                "UPDATE SET seq = excluded.seq",
                "moving the push cursor",
                [&](SqliteStatement& st) {
                  st.BindText(1, batch.chapter);
                  st.BindInt64(2, batch.to_seq);
                });
        !status.ok()) {
      return status;
    }
    for (const std::string& tag : batch.cancel_tags) {
      if (Status status = Run("DELETE FROM push_queue WHERE chapter = ?1 AND tag = ?2",
                              "cancelling push messages",
                              [&](SqliteStatement& st) {
                                st.BindText(1, batch.chapter);
                                st.BindText(2, tag);
                              });
          !status.ok()) {
        return status;
      }
    }
    for (const PushMessage& m : batch.messages) {
      if (Status status =
              Run("INSERT INTO push_queue (chapter, member, endpoint, kind, tag, payload, "
                  "ttl_seconds, urgency, due_micros, attempts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                  "?8, ?9, 0)",
                  "queueing a push message",
                  [&](SqliteStatement& st) {
                    st.BindText(1, batch.chapter);
                    st.BindText(2, m.member);
                    st.BindText(3, m.endpoint);
                    st.BindText(4, m.kind);
                    st.BindText(5, m.tag);
                    st.BindText(6, m.payload);
                    st.BindInt64(7, m.ttl_seconds);
                    st.BindText(8, m.urgency);
                    st.BindInt64(9, m.due_micros);
                  });
          !status.ok()) {
        return status;
      }
    }
    return {};
  });
  if (!status.ok()) {
    return status.error();
  }
  return moved;
}

Status SqlitePushStore::ClaimDue(int64_t now, int64_t lease_until, int limit,
                                 std::vector<PushMessage>* out) {
  std::lock_guard lock(mu_);
  out->clear();
  return InTransaction("claiming push messages", [&]() -> Status {
    Status status = Run(
        "SELECT q.id, q.chapter, q.member, q.endpoint, q.kind, q.tag, q.payload, q.ttl_seconds, "
        "q.urgency, q.due_micros, q.attempts, s.p256dh, s.auth FROM push_queue q JOIN "
        "push_subscriptions s ON s.endpoint = q.endpoint WHERE q.due_micros <= ?1 AND "
        "q.lease_until <= ?1 ORDER BY q.due_micros, q.id LIMIT ?2",
        "claiming push messages",
        [&](SqliteStatement& st) {
          st.BindInt64(1, now);
          st.BindInt64(2, limit);
        },
        [&](SqliteStatement& st) {
          out->push_back(ClaimedMessage([&](int i) { return st.ColumnText(i); },
                                        [&](int i) { return st.ColumnInt64(i); }));
        });
    if (!status.ok()) {
      return status;
    }
    for (const PushMessage& m : *out) {
      if (Status leased =
              Run("UPDATE push_queue SET lease_until = ?1 WHERE id = ?2", "leasing a push message",
                  [&](SqliteStatement& st) {
                    st.BindInt64(1, lease_until);
                    st.BindInt64(2, m.id);
                  });
          !leased.ok()) {
        return leased;
      }
    }
    return {};
  });
}

Status SqlitePushStore::Forget(int64_t id) {
  std::lock_guard lock(mu_);
  return Run("DELETE FROM push_queue WHERE id = ?1", "forgetting a push message",
             [&](SqliteStatement& st) { st.BindInt64(1, id); });
}

Status SqlitePushStore::Postpone(int64_t id, int64_t due, int64_t attempts) {
  std::lock_guard lock(mu_);
  return Run("UPDATE push_queue SET due_micros = ?1, attempts = ?2, lease_until = 0 WHERE id = ?3",
             "postponing a push message", [&](SqliteStatement& st) {
               st.BindInt64(1, due);
               st.BindInt64(2, attempts);
               st.BindInt64(3, id);
             });
}

}  // namespace reciproca::store
