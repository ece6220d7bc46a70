#pragma once

// The durable log. Everything a command changes is written by one Commit; a batch of commits
// (group commit) is one transaction, durable (fsynced) when AppendBatch returns.
//
// Threads: AppendBatch is called from the engine's single writer thread only. ReadEvents may be
// called from any thread, concurrently with AppendBatch (it uses its own connection). The Load*
// and ForEachEvent calls are for start-up, before any AppendBatch.
//
// A store may be shared by several servers (PostgreSQL: replicas of one region). Such a store
// says so with shared() and implements the calls of the second half of EventStore; a store only
// one server writes (SQLite) keeps their defaults. docs/storage.md tells the whole story.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::store {

// One event of one chapter, as serialized reciproca.v1.Event bytes.
struct StoredEvent {
  std::string chapter;  // "chapters/{chapter}"
  int64_t seq = 0;
  int64_t time_micros = 0;  // event time, microseconds since the Unix epoch (for inspection)
  std::string bytes;
};

// The first answer to a mutation, kept so that a retry with the same request_id gets it again.
struct IdempotencyRecord {
  std::string scope;         // the chapter name, or "" for chapter creation
  std::string principal;     // the caller's actor name ("admin", a member's name)
  std::string request_id;    // the client's key
  std::string request_hash;  // method name + hash of the request, to spot a reused key
  std::string response;      // the serialized response message
  // When it was made, microseconds since the Unix epoch (the engine's clock): records expire
  // after Limits::idempotency_retention. Records of databases older than the column count from
  // the migration that added it.
  int64_t created_micros = 0;
};

// The key of an idempotency record.
struct IdempotencyKey {
  std::string scope;
  std::string principal;
  std::string request_id;
};

// A bearer token, stored by its SHA-256 hash only.
struct TokenRecord {
  std::string token_hash;  // hex SHA-256 of the token
  std::string kind;        // "admin", "member" or "display"
  std::string chapter;     // "" for admin
  std::string member;      // "" unless kind == "member"
};

// The current state of one resource after a commit, written to the `resources` projection table
// (upserted by name) so that the database can be read by ordinary SQLite tools.
struct ProjectionRow {
  std::string chapter;
  std::string name;  // resource name
  std::string kind;  // "chapter", "member", "meeting", "referral", ...
  std::string body;  // serialized protobuf of the resource
  int64_t seq = 0;   // the event that last changed it
};

struct Commit {
  std::vector<StoredEvent> events;
  std::vector<IdempotencyRecord> idempotency;
  std::vector<TokenRecord> new_tokens;
  // Revoke every token of these members (a member who left).
  std::vector<std::string> revoke_member_tokens;
  // Revoke the tokens of these SHA-256 hashes (hex): a display token that was replaced.
  std::vector<std::string> revoke_token_hashes;
  std::vector<ProjectionRow> projections;
  // Idempotency records to delete (expired: the engine decides which). Deleting a key that is
  // not there is no error. A commit may carry only these.
  std::vector<IdempotencyKey> expired_idempotency;
};

// A chapter's state at `seq` (it covers events 1..seq), in the engine's snapshot format
// `version` (server/engine/chapter_snapshot.h). A cache: the events stay the truth, and a
// snapshot the engine cannot read is ignored.
struct ChapterSnapshot {
  std::string chapter;
  int64_t seq = 0;
  int32_t version = 0;
  std::string bytes;
};

// What a watch of a shared store reports (EventStore::WatchAppends).
struct StoreNotices {
  std::function<void(const std::string& chapter, int64_t last_seq)> appended;
  std::function<void(const std::string& chapter)> turn_asked;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Writes every commit of the batch in one transaction, in order, and returns once it is
  // durable. An event whose (chapter, seq) already exists is an error (kInternal) and nothing of
  // the batch is written.
  virtual Status AppendBatch(std::span<const Commit* const> batch) = 0;

  // Up to `limit` events of `chapter` with seq > after_seq, in seq order.
  virtual Status ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                            std::vector<StoredEvent>* out) = 0;

  // Every event of every chapter, chapter by chapter (in the order chapters were created), each
  // chapter's events in seq order. Stops early, returning the callback's error, if it fails.
  virtual Status ForEachEvent(const std::function<Status(const StoredEvent&)>& visit) = 0;

  // Every chapter's name, in the order chapters were created.
  virtual Status ListChapters(std::vector<std::string>* out) = 0;

  // Keeps `snapshot` as its chapter's snapshot, unless the stored one covers a later seq (a
  // chapter has one snapshot, the newest). Any thread; its own transaction, durable when this
  // returns. The chapter must exist.
  virtual Status PutSnapshot(const ChapterSnapshot& snapshot) = 0;
  // The chapter's snapshot, if any. Any thread.
  virtual Result<std::optional<ChapterSnapshot>> LoadSnapshot(const std::string& chapter) = 0;

  // Tokens that are not revoked.
  virtual Status LoadTokens(std::vector<TokenRecord>* out) = 0;
  virtual Status LoadIdempotency(std::vector<IdempotencyRecord>* out) = 0;

  // ---- For a store several servers write. ----

  // True when other servers may append to the same chapters.
  virtual bool shared() const { return false; }

  // Like AppendBatch, except that a commit another writer got ahead of is refused instead of
  // failing the batch: its first event does not follow the chapter's stored last seq, or one of
  // its idempotency keys is already stored. A refused commit writes nothing, and neither does
  // any later commit of the same chapter in the batch (it was decided on top of the refused
  // one); both are listed in *refused (indexes into `batch`, ascending). The rest is written in
  // one transaction, durable when this returns ok. Refusals are not errors; an error means
  // nothing of the batch was written.
  virtual Status AppendBatchOrRefuse(std::span<const Commit* const> batch,
                                     std::vector<size_t>* refused) {
    refused->clear();
    return AppendBatch(batch);
  }

  // The stored first answer for a key, if any, for a retry that reached another server than
  // the first attempt did. Any thread.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                                   const std::string& principal,
                                                                   const std::string& request_id) {
    (void)scope, (void)principal, (void)request_id;
    return std::optional<IdempotencyRecord>();
  }

  // The tokens of one chapter, which another server may have added (active) or revoked
  // (revoked: a member who left, a display link that was replaced). Any thread.
  virtual Status LoadChapterTokens(const std::string& chapter, std::vector<TokenRecord>* active,
                                   std::vector<TokenRecord>* revoked) {
    (void)chapter;
    active->clear();
    revoked->clear();
    return {};
  }

  // Calls notices.appended(chapter, last_seq), from a thread of the store's, each time any
  // writer (this server included) has committed events of `chapter` up to `last_seq`, and once
  // for every chapter each time the watch (re)connects, so that nothing committed while it was
  // away is missed; and notices.turn_asked(chapter) each time another server asks for a turn on
  // `chapter` (AskForTurn). Neither may block. Stopped by StopWatching (and by the destructor).
  virtual Status WatchAppends(StoreNotices notices) {
    (void)notices;
    return {};
  }
  // Tells the other servers that this one keeps being refused on `chapter` because their
  // commits go in first, and asks them to hold their next decisions on it for a moment
  // (docs/storage.md, "Fairness"). Never blocks for longer than a round trip.
  virtual Status AskForTurn(const std::string& chapter) {
    (void)chapter;
    return {};
  }
  // Returns once no notice is being delivered and none will be again.
  virtual void StopWatching() {}

  // A value every server of the store must agree on (the token secret, the admin token): the
  // stored one, or `proposed`, stored now, if there is none yet.
  virtual Result<std::string> SharedSetting(const std::string& name, const std::string& proposed) {
    (void)name;
    return proposed;
  }
};

}  // namespace reciproca::store
