#include "server/store/postgres_push_store.h"

namespace reciproca::store {
namespace {

Status PushStatementDone(const Result<PgResult>& result) {
  return result.ok() ? Status{} : Status(result.error());
}

}  // namespace

Result<std::unique_ptr<PostgresPushStore>> PostgresPushStore::Open(const std::string& uri) {
  Result<PgConnection> db = PgConnection::Open(uri);
  if (!db.ok()) {
    return db.error();
  }
  return std::unique_ptr<PostgresPushStore>(new PostgresPushStore(std::move(db).value()));
}

Status PostgresPushStore::InTransaction(std::string_view what,
                                        const std::function<Status(PgConnection&)>& body) {
  if (!db_.EnsureConnected()) {
    return Unavailable(std::string(what) + ": the database is unreachable");
  }
  if (Status status = db_.Exec("BEGIN", what); !status.ok()) {
    return status;
  }
  Status status = body(db_);
  if (status.ok()) {
    status = db_.Exec("COMMIT", what);
  }
  if (!status.ok()) {
    (void)db_.Exec("ROLLBACK", what);
  }
  return status;
}

Status PostgresPushStore::PutSubscription(const PushSubscription& s, int64_t chapter_seq) {
  std::lock_guard lock(mu_);
  return InTransaction("storing a push subscription", [&](PgConnection& db) -> Status {
    if (Status status = PushStatementDone(db.Query(
            "INSERT INTO push_subscriptions (endpoint, chapter, member, p256dh, auth, kinds, "
            "created_micros) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (endpoint) DO UPDATE "
            "SET chapter = excluded.chapter, member = excluded.member, p256dh = excluded.p256dh, "
            "auth = excluded.auth, kinds = excluded.kinds",
            PgParams()
                .Text(s.endpoint)
                .Text(s.chapter)
                .Text(s.member)
                .Text(s.p256dh)
                .Text(s.auth)
                .Int64(s.kinds)
                .Int64(s.created_micros),
            "storing a push subscription"));
        !status.ok()) {
      return status;
    }
    if (Status status = PushStatementDone(db.Query(
            "INSERT INTO push_cursors (chapter, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            PgParams().Text(s.chapter).Int64(chapter_seq), "starting the push cursor"));
        !status.ok()) {
      return status;
    }
    return PushStatementDone(
        db.Query("UPDATE push_subscriptions SET kinds = $1 WHERE chapter = $2 AND member = $3",
                 PgParams().Int64(s.kinds).Text(s.chapter).Text(s.member),
                 "storing a member's push choices"));
  });
}

Status PostgresPushStore::DeleteSubscription(const std::string& member,
                                             const std::string& endpoint) {
  std::lock_guard lock(mu_);
  return InTransaction("removing a push subscription", [&](PgConnection& db) -> Status {
    Result<PgResult> deleted =
        db.Query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND member = $2",
                 PgParams().Text(endpoint).Text(member), "removing a push subscription");
    if (!deleted.ok() || deleted->affected() == 0) {
      return PushStatementDone(deleted);
    }
    return PushStatementDone(db.Query("DELETE FROM push_queue WHERE endpoint = $1",
                                      PgParams().Text(endpoint),
                                      "removing a push subscription's messages"));
  });
}

Status PostgresPushStore::DropEndpoint(const std::string& endpoint) {
  std::lock_guard lock(mu_);
  return InTransaction("dropping a push endpoint", [&](PgConnection& db) -> Status {
    if (Status status =
            PushStatementDone(db.Query("DELETE FROM push_subscriptions WHERE endpoint = $1",
                                       PgParams().Text(endpoint), "dropping a push endpoint"));
        !status.ok()) {
      return status;
    }
    return PushStatementDone(db.Query("DELETE FROM push_queue WHERE endpoint = $1",
                                      PgParams().Text(endpoint),
                                      "dropping a push endpoint's messages"));
  });
}

Status PostgresPushStore::ListSubscriptions(const std::string& chapter, const std::string& member,
                                            std::vector<PushSubscription>* out) {
  std::lock_guard lock(mu_);
  out->clear();
  if (!db_.EnsureConnected()) {
    return Unavailable("listing push subscriptions: the database is unreachable");
  }
  Result<PgResult> rows = db_.Query(
      "SELECT endpoint, chapter, member, p256dh, auth, kinds, created_micros FROM "
      "push_subscriptions WHERE chapter = $1 AND ($2 = '' OR member = $2) ORDER BY member, "
      "created_micros, endpoint",
      PgParams().Text(chapter).Text(member), "listing push subscriptions");
  if (!rows.ok()) {
    return rows.error();
  }
  for (int r = 0; r < rows->rows(); ++r) {
    out->push_back({rows->Bytes(r, 1), rows->Bytes(r, 2), rows->Bytes(r, 0), rows->Bytes(r, 3),
                    rows->Bytes(r, 4), rows->Int64(r, 5), rows->Int64(r, 6)});
  }
  return {};
}

Result<int64_t> PostgresPushStore::Cursor(const std::string& chapter) {
  std::lock_guard lock(mu_);
  if (!db_.EnsureConnected()) {
    return Unavailable("reading the push cursor: the database is unreachable");
  }
  Result<PgResult> rows = db_.Query("SELECT seq FROM push_cursors WHERE chapter = $1",
                                    PgParams().Text(chapter), "reading the push cursor");
  if (!rows.ok()) {
    return rows.error();
  }
  return rows->rows() == 0 ? int64_t{-1} : rows->Int64(0, 0);
}

Result<bool> PostgresPushStore::Enqueue(const PushBatch& batch) {
  std::lock_guard lock(mu_);
  bool moved = false;
  Status status = InTransaction("queueing push messages", [&](PgConnection& db) -> Status {
    // The cursor row is the lock: a replica that gets here second waits, then sees the moved
    // cursor and queues nothing.
    Result<PgResult> cursor = db.Query("SELECT seq FROM push_cursors WHERE chapter = $1 FOR UPDATE",
                                       PgParams().Text(batch.chapter), "locking the push cursor");
    if (!cursor.ok()) {
      return cursor.error();
    }
    if (cursor->rows() == 0) {
      if (batch.from_seq != -1) {
        return {};
      }
      Result<PgResult> added =
          db.Query("INSERT INTO push_cursors (chapter, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   PgParams().Text(batch.chapter).Int64(batch.to_seq), "starting the push cursor");
      if (!added.ok() || added->affected() == 0) {
        return PushStatementDone(added);
      }
    } else {
      if (cursor->Int64(0, 0) != batch.from_seq) {
        return {};
      }
      if (Status status = PushStatementDone(db.Query(
              "UPDATE push_cursors SET seq = $2 WHERE chapter = $1",
              PgParams().Text(batch.chapter).Int64(batch.to_seq), "moving the push cursor"));
          !status.ok()) {
        return status;
      }
    }
    moved = true;
    for (const std::string& tag : batch.cancel_tags) {
      if (Status status = PushStatementDone(
              db.Query("DELETE FROM push_queue WHERE chapter = $1 AND tag = $2",
                       PgParams().Text(batch.chapter).Text(tag), "cancelling push messages"));
          !status.ok()) {
        return status;
      }
    }
    for (const PushMessage& m : batch.messages) {
      if (Status status = PushStatementDone(db.Query(
              "INSERT INTO push_queue (chapter, member, endpoint, kind, tag, payload, "
              "ttl_seconds, urgency, due_micros, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7, "
              "$8, $9, 0)",
              PgParams()
                  .Text(batch.chapter)
                  .Text(m.member)
                  .Text(m.endpoint)
                  .Text(m.kind)
                  .Text(m.tag)
                  .Text(m.payload)
                  .Int64(m.ttl_seconds)
                  .Text(m.urgency)
                  .Int64(m.due_micros),
              "queueing a push message"));
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

Status PostgresPushStore::ClaimDue(int64_t now, int64_t lease_until, int limit,
                                   std::vector<PushMessage>* out) {
  std::lock_guard lock(mu_);
  out->clear();
  return InTransaction("claiming push messages", [&](PgConnection& db) -> Status {
    Result<PgResult> rows = db.Query(
        "WITH due AS (SELECT id FROM push_queue WHERE due_micros <= $1 AND lease_until <= $1 "
        "ORDER BY due_micros, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
        "UPDATE push_queue q SET lease_until = $2 FROM due, push_subscriptions s "
        "WHERE q.id = due.id AND s.endpoint = q.endpoint RETURNING q.id, q.chapter, q.member, "
        "q.endpoint, q.kind, q.tag, q.payload, q.ttl_seconds, q.urgency, q.due_micros, "
        "q.attempts, s.p256dh, s.auth",
        PgParams().Int64(now).Int64(lease_until).Int64(limit), "claiming push messages");
    if (!rows.ok()) {
      return rows.error();
    }
    for (int r = 0; r < rows->rows(); ++r) {
      out->push_back(ClaimedMessage([&](int i) { return rows->Bytes(r, i); },
                                    [&](int i) { return rows->Int64(r, i); }));
    }
    return {};
  });
}

Status PostgresPushStore::Forget(int64_t id) {
  std::lock_guard lock(mu_);
  if (!db_.EnsureConnected()) {
    return Unavailable("forgetting a push message: the database is unreachable");
  }
  return PushStatementDone(db_.Query("DELETE FROM push_queue WHERE id = $1", PgParams().Int64(id),
                                     "forgetting a push message"));
}

Status PostgresPushStore::Postpone(int64_t id, int64_t due, int64_t attempts) {
  std::lock_guard lock(mu_);
  if (!db_.EnsureConnected()) {
    return Unavailable("postponing a push message: the database is unreachable");
  }
  return PushStatementDone(db_.Query(
      "UPDATE push_queue SET due_micros = $1, attempts = $2, lease_until = 0 WHERE id = $3",
      PgParams().Int64(due).Int64(attempts).Int64(id), "postponing a push message"));
}

}  // namespace reciproca::store
