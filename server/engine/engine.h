#pragma once

// The one place where commands meet threads and I/O.
//
// Each chapter lives on its own Boost.Asio strand: commands of one chapter run one at a time, in
// order, without locks; different chapters run in parallel. A mutation is checked for a repeated
// request_id, decided by the domain, applied to the in-memory chapter, and handed to the group
// committer; the caller is answered only once the commit is durable. Reads run on the strand too.
// Nothing here blocks a gRPC thread: callers pass a completion callback.

#include <google/protobuf/message.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/domain/chapter.h"
#include "server/engine/chapter_snapshot.h"
#include "server/engine/clock.h"
#include "server/engine/group_committer.h"
#include "server/engine/limits.h"
#include "server/engine/rate_limiter.h"
#include "server/engine/tokens.h"
#include "server/store/event_store.h"
#include "server/stream/event_feed.h"

namespace reciproca::engine {

struct EngineOptions {
  int worker_threads = 2;
  size_t max_batch = 512;
  // Called on the writer thread with each durable commit's event count (metrics). Must not block.
  std::function<void(size_t)> on_durable;
  // Which time zones exist, for the domain's decisions; nullptr: the system's database
  // (SystemTimeZones()). Must outlive the engine.
  const domain::TimeZones* time_zones = nullptr;
  // The mutation rate and the idempotency retention of `limits` are the engine's.
  Limits limits;
  // Called when a limit refuses something: the limit's name ("mutation_rate") and why, for the
  // metrics and a rate-limited log line. Any thread; must not block.
  std::function<void(const char* limit, const std::string& why)> on_limit_refused;
  // When chapters' snapshots are written (docs/storage.md, "Snapshots").
  SnapshotOptions snapshots;
};

// The request_ids of plugins' outputs ("plugin:{name}:{key hash}", recorded as the admin). Their
// idempotency records are what keeps a replay to a plugin (after a restart or a reload) from
// recording an output twice, and a replay can reach back to the first event of the log: so they
// never expire. They grow with the outputs, which the log keeps anyway.
inline constexpr std::string_view kPluginRequestIdPrefix = "plugin:";

using Done = std::function<void(const Status&)>;

// A mutation of one chapter (or, with an empty scope, the creation of one).
struct Mutation {
  domain::Principal principal;
  // The chapter's name ("chapters/x").
  std::string chapter;
  // The method name, part of the request fingerprint ("GiveReferral").
  std::string method;
  const google::protobuf::Message* request = nullptr;
  std::string request_id;
  // Runs on the chapter's strand against the current state.
  std::function<Result<domain::Events>(const domain::Chapter&, const domain::Context&)> decide;
  // Runs on the strand after the events are applied: fills `response` (owned by the caller and
  // valid until done) and may add tokens to the commit.
  std::function<Status(const domain::Chapter&, const domain::Events&, store::Commit&)> respond;
  google::protobuf::Message* response = nullptr;
  // Optional: removes secrets (tokens) from a copy of the response before it is stored for
  // retries, and puts them back into a replayed response.
  std::function<void(google::protobuf::Message*)> redact;
  std::function<void(google::protobuf::Message*)> rehydrate;
};

class Engine {
 public:
  Engine(store::EventStore& store, const Clock& clock, TokenRegistry& tokens, TokenMinter minter,
         stream::EventHub& hub, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Rebuilds every chapter (from its snapshot and the events after it), token and idempotency
  // record from the store. Call once, first.
  Status Recover();

  // Finishes queued work, writes everything, stops the threads. Later calls are refused.
  void Stop();
  bool healthy() const { return committer_.healthy(); }

  void Mutate(Mutation mutation, Done done);

  // Creates a chapter. `chapter_id` may be empty (the server picks one).
  void CreateChapter(const domain::Principal& principal, const v1::CreateChapterRequest* request,
                     v1::CreateChapterResponse* response, Done done);

  // Runs `read` on the chapter's strand after the caller's right to read the chapter is checked.
  void Read(const domain::Principal& principal, const std::string& chapter,
            std::function<Status(const domain::Chapter&)> read, Done done);

  // The chapters the principal may see, in creation order (a snapshot, any thread).
  std::vector<v1::Chapter> ListChapters(const domain::Principal& principal) const;

  // Sees every commit's events, in order, once durable (the plugin host).
  void SetCommitObserver(GroupCommitter::Observer observer) {
    committer_.SetObserver(std::move(observer));
  }

  const TokenMinter& minter() const { return minter_; }
  const Limits& limits() const { return options_.limits; }
  // Takes one mutation from the principal's bucket (Limits::mutations_per_second): zero when it
  // may mutate now, else how long until it may (it took nothing). The admin is never limited.
  // The api layer asks before each mutation and answers RESOURCE_EXHAUSTED with the wait.
  std::chrono::milliseconds TakeMutation(const domain::Principal& principal);
  // Reports a refusal by one of the limits (EngineOptions::on_limit_refused). Any thread.
  void LimitRefused(const char* limit, const std::string& why) const;
  const Clock& clock() const { return clock_; }
  // Which time zones exist, as decisions see them (domain::Context::time_zones).
  const domain::TimeZones& time_zones() const { return time_zones_; }
  store::EventStore& store() { return store_; }
  boost::asio::thread_pool& blocking_pool() { return blocking_pool_; }
  // Where subscribers' sends are started: apart from the chapters' strands, so that waking a
  // thousand subscribers never queues ahead of the next command.
  boost::asio::thread_pool& fanout_pool() { return fanout_pool_; }
  boost::asio::io_context& io_context() { return io_; }

 private:
  struct IdempotencyEntry {
    std::string request_hash;
    std::string response;
    std::chrono::system_clock::time_point created;
  };
  // One scope's records (a chapter's, or the registry's), touched only on its strand.
  struct IdempotencyTable {
    std::unordered_map<std::string, IdempotencyEntry> entries;
    std::chrono::system_clock::time_point last_prune{};
  };
  struct Slot;
  // Decides a refused mutation again (shared stores): posts it back where it came from.
  using Retry = std::function<void(Mutation, Done, int attempt)>;

  void MutateAttempt(Mutation mutation, Done done, int attempt);
  // On the slot's strand: decides the mutation (Execute), unless it is held for another
  // server's turn.
  void Decide(const std::shared_ptr<Slot>& slot, Mutation mutation, Done done, int attempt);
  void CreateChapterAttempt(const domain::Principal& principal,
                            const v1::CreateChapterRequest* request,
                            v1::CreateChapterResponse* response, Done done, int attempt);

  std::shared_ptr<Slot> FindSlot(const std::string& chapter) const;
  // PERMISSION_DENIED for another chapter's principal, NOT_FOUND for an unknown chapter.
  Result<std::shared_ptr<Slot>> Route(const domain::Principal& principal,
                                      const std::string& chapter) const;
  std::shared_ptr<Slot> AddSlot(domain::Chapter chapter);
  // Runs on the slot's strand (or, for a new chapter not yet visible, the registry strand).
  // `reveal`, when set, is the new chapter's slot, made visible as its creation is submitted.
  // `attempt` counts the store's refusals so far; `retry` is called (from the writer thread)
  // if the store refuses this attempt too.
  void Execute(Slot& slot, const std::string& scope, IdempotencyTable& idempotency,
               Mutation& mutation, Done& done, std::shared_ptr<Slot> reveal, int attempt,
               const Retry& retry);
  // Whether the record expired (it is then forgotten: a request_id used again is new).
  bool Expired(const std::string& key, const IdempotencyEntry& entry,
               std::chrono::system_clock::time_point now) const;
  // Forgets the table's expired records, at most once an hour of the clock; their keys go to
  // `expired` for the store to delete with the next commit.
  void PruneIdempotency(const std::string& scope, IdempotencyTable& table,
                        std::chrono::system_clock::time_point now,
                        std::vector<store::IdempotencyKey>& expired) const;
  void ApplyCommitted(const store::Commit& commit);

  // ---- Snapshots (docs/storage.md, "Snapshots"). ----
  // The chapter `name` as stored: its snapshot, when there is one this code reads (else a log
  // line and every event), then the events after it. Events after `keep_after` go to *kept
  // (read from the store even when the snapshot covers them), when kept is not null.
  Status RebuildChapter(const std::string& name, domain::Chapter* out, int64_t keep_after,
                        std::vector<v1::Event>* kept, bool* from_snapshot = nullptr);
  // On the slot's strand, while deciding a commit: a copy of the chapter when a snapshot is
  // due (SnapshotOptions), to be written once that commit is durable; nullptr otherwise.
  std::shared_ptr<const domain::Chapter> SnapshotIfDue(Slot& slot);
  // Encodes and stores a snapshot (the blocking pool, or Stop()); failures are logged.
  void WriteSnapshot(const domain::Chapter& chapter);
  // UNAVAILABLE once Stop() has begun: a call posted to a stopped io_context would never be
  // answered.
  Status RefuseIfStopped() const;

  // ---- Several servers on one store (replica_sync.cc; docs/storage.md). ----
  // From the store's watch thread: some server committed `chapter` up to `last_seq`.
  void OnStoreAppended(const std::string& chapter, int64_t last_seq);
  // From the store's watch thread: another server keeps being refused on `chapter` and asks
  // for a turn: this one holds its new requests on the chapter for a moment (kOthersTurn).
  void OnTurnAsked(const std::string& chapter);
  // On the slot's strand, for a new request: while another server has the turn, posts the
  // request to be decided again a little later and returns true.
  bool HoldForOthersTurn(const std::shared_ptr<Slot>& slot, Mutation& mutation, Done& done);
  // On the slot's strand: asks the other servers for a turn on the chapter.
  void AskForTurn(Slot& slot);
  // On the slot's strand: applies and publishes the chapter's stored events after the
  // in-memory ones, when none of this server's own commits of it is in flight.
  void CatchUp(Slot& slot);
  // On the slot's strand, before deciding: if one of the chapter's commits was refused since
  // the chapter was last rebuilt, rebuilds it from the store.
  Status SyncWithStore(Slot& slot);
  // On the slot's strand: the chapter as stored (events published past what was published
  // here); a chapter the store does not have (its creation was refused) is forgotten.
  Status ReloadChapter(Slot& slot);
  // On the registry strand: a chapter another server created becomes known here.
  void AdoptChapter(const std::string& chapter);
  // The first answer to a retried request that reached this server after another one, from
  // the store, put into `idempotency` under `key`; end() if none.
  std::unordered_map<std::string, IdempotencyEntry>::iterator RecallFromStore(
      const std::string& scope, const Mutation& mutation, const std::string& key,
      std::unordered_map<std::string, IdempotencyEntry>& idempotency);
  // Reads the chapter's events after `after_seq` into *events (parsed), all of them.
  Status ReadTail(const std::string& chapter, int64_t after_seq, std::vector<v1::Event>* events);
  // Hands events another server committed to the plugins and the subscribers, in order.
  void PublishStored(Slot& slot, const std::vector<v1::Event>& events);
  // Tokens another server added or revoked for the chapter.
  void RefreshChapterTokens(const std::string& chapter);

  store::EventStore& store_;
  const Clock& clock_;
  TokenRegistry& tokens_;
  TokenMinter minter_;
  stream::EventHub& hub_;
  EngineOptions options_;
  const domain::TimeZones& time_zones_;

  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopped_{false};
  boost::asio::thread_pool blocking_pool_{2};
  boost::asio::thread_pool fanout_pool_{2};
  GroupCommitter committer_;

  mutable std::shared_mutex slots_mu_;
  std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;
  std::vector<std::string> creation_order_;
  // Chapter creation runs here, with its own idempotency records (scope "").
  boost::asio::strand<boost::asio::io_context::executor_type> registry_strand_;
  IdempotencyTable registry_idempotency_;
  RateLimiter mutation_limiter_;
};

}  // namespace reciproca::engine
