#include "server/engine/engine.h"

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include "server/domain/error_reasons.h"
#include "server/domain/names.h"
#include "server/engine/chapter_slot.h"
#include "server/engine/event_views.h"
#include "server/engine/projection.h"
#include "server/engine/tzdb_time_zones.h"

namespace reciproca::engine {
namespace {

// Refusals in a row after which a mutation's server asks the others for a turn on the chapter
// (shared stores; docs/storage.md, "Fairness").
constexpr int kAskForTurnAfter = 2;

Status CheckRequestId(const std::string& request_id) {
  if (request_id.empty()) {
    return InvalidArgument(
        "request_id: required on every mutation (1..100 printable characters); send the same "
        "one again when you retry");
  }
  if (request_id.size() > 100) {
    return InvalidArgument("request_id: at most 100 characters, got " +
                           std::to_string(request_id.size()));
  }
  for (unsigned char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidArgument("request_id: only printable ASCII characters without spaces");
    }
  }
  return {};
}

std::string IdempotencyKey(const std::string& actor, const std::string& request_id) {
  return actor + '\n' + request_id;
}

std::string IdempotencyKey(const domain::Principal& principal, const std::string& request_id) {
  return IdempotencyKey(principal.ActorName(), request_id);
}

// The principal and request_id back from IdempotencyKey().
store::IdempotencyKey SplitKey(const std::string& scope, const std::string& key) {
  const size_t newline = key.find('\n');
  return {scope, key.substr(0, newline), key.substr(newline + 1)};
}

// A plugin's output (see kPluginRequestIdPrefix): recorded as the admin.
bool KeptForever(const std::string& key) {
  const std::string prefix = IdempotencyKey("admin", std::string(kPluginRequestIdPrefix));
  return key.compare(0, prefix.size(), prefix) == 0;
}

constexpr auto kPruneInterval = std::chrono::hours(1);

std::string Fingerprint(const std::string& method, const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return method + ":" + Sha256Hex(bytes);
}

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

int64_t Micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::chrono::system_clock::time_point FromMicros(int64_t micros) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(micros)));
}

Engine::Engine(store::EventStore& store, const Clock& clock, TokenRegistry& tokens,
               TokenMinter minter, stream::EventHub& hub, EngineOptions options)
    : store_(store),
      clock_(clock),
      tokens_(tokens),
      minter_(std::move(minter)),
      hub_(hub),
      options_(options),
      time_zones_(options.time_zones != nullptr ? *options.time_zones : SystemTimeZones()),
      work_(std::make_unique<
            boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          io_.get_executor())),
      committer_(store, options.max_batch,
                 [this](const store::Commit& commit) {
                   ApplyCommitted(commit);
                   if (options_.on_durable) {
                     options_.on_durable(commit.events.size());
                   }
                 }),
      registry_strand_(boost::asio::make_strand(io_)),
      mutation_limiter_(clock, options.limits.mutations_per_second, options.limits.mutation_burst) {
  for (int i = 0; i < std::max(1, options_.worker_threads); ++i) {
    workers_.emplace_back([this] { io_.run(); });
  }
}

Engine::~Engine() { Stop(); }

Status Engine::RefuseIfStopped() const {
  if (stopped_.load()) {
    return Unavailable("the server is shutting down; retry with the same request_id");
  }
  return {};
}

void Engine::Stop() {
  stopped_ = true;
  if (work_) {
    store_.StopWatching();  // no more catch-ups posted from the store's thread
    work_.reset();
    for (auto& worker : workers_) {
      worker.join();
    }
    workers_.clear();
    committer_.Stop();
    blocking_pool_.join();
    fanout_pool_.join();
    if (options_.snapshots.at_stop && committer_.healthy()) {
      // Every strand is idle and everything decided is durable (or refused: such a chapter's
      // state is not the stored one, and it is left out).
      std::shared_lock lock(slots_mu_);
      for (const auto& [name, slot] : slots_) {
        const bool current =
            !store_.shared() || (slot->decided_generation == slot->fence->generation &&
                                 slot->chapter.last_seq() == slot->fence->durable_seq);
        if (current && slot->chapter.last_seq() > slot->snapshot_seq) {
          WriteSnapshot(slot->chapter);
        }
      }
    }
  }
}

Status Engine::Recover() {
  std::vector<store::TokenRecord> tokens;
  if (auto s = store_.LoadTokens(&tokens); !s.ok()) {
    return s;
  }
  for (const auto& token : tokens) {
    tokens_.Add(token);
  }

  std::vector<std::string> names;
  if (auto s = store_.ListChapters(&names); !s.ok()) {
    return s;
  }
  size_t from_snapshots = 0;
  for (const std::string& name : names) {
    auto slot = std::make_shared<Slot>(io_);
    bool from_snapshot = false;
    if (auto s = RebuildChapter(name, &slot->chapter, 0, nullptr, &from_snapshot); !s.ok()) {
      return s;
    }
    if (slot->chapter.last_seq() == 0) {
      continue;  // no events (what a join of chapters and events never showed either)
    }
    if (slot->chapter.name() != name) {
      return Internal("the log of " + name + " does not start with its creation");
    }
    from_snapshots += from_snapshot ? 1 : 0;
    slot->snapshot_seq = from_snapshot ? slot->chapter.last_seq() : 0;
    std::unique_lock lock(slots_mu_);
    slots_.emplace(name, std::move(slot));
    creation_order_.push_back(name);
  }
  {
    std::shared_lock lock(slots_mu_);
    for (auto& [name, slot] : slots_) {
      slot->feed = hub_.AddChapter(name, slot->chapter.last_seq());
      slot->fence->durable_seq = slot->chapter.last_seq();
      slot->RefreshInfo();
    }
  }

  std::vector<store::IdempotencyRecord> records;
  if (auto s = store_.LoadIdempotency(&records); !s.ok()) {
    return s;
  }
  const auto now = clock_.Now();
  PendingCommit expired;
  for (auto& record : records) {
    IdempotencyEntry entry{std::move(record.request_hash), std::move(record.response),
                           FromMicros(record.created_micros)};
    const std::string key = IdempotencyKey(record.principal, record.request_id);
    if (Expired(key, entry, now)) {
      expired.commit.expired_idempotency.push_back(
          {record.scope, std::move(record.principal), std::move(record.request_id)});
    } else if (record.scope.empty()) {
      registry_idempotency_.entries[key] = std::move(entry);
    } else if (auto slot = FindSlot(record.scope)) {
      slot->idempotency.entries[key] = std::move(entry);
    }
  }
  spdlog::info(
      "recovered {} chapters ({} from snapshots), {} tokens, {} idempotency records ({} expired)",
      creation_order_.size(), from_snapshots, tokens.size(),
      records.size() - expired.commit.expired_idempotency.size(),
      expired.commit.expired_idempotency.size());
  if (!expired.commit.expired_idempotency.empty()) {
    // Deleted by the writer, like any commit; nothing waits for it.
    expired.done = [](const Status&) {};
    committer_.Submit(std::move(expired));
  }
  if (store_.shared()) {
    return store_.WatchAppends(
        store::StoreNotices{[this](const std::string& chapter, int64_t last_seq) {
                              OnStoreAppended(chapter, last_seq);
                            },
                            [this](const std::string& chapter) { OnTurnAsked(chapter); }});
  }
  return {};
}

std::shared_ptr<Engine::Slot> Engine::FindSlot(const std::string& chapter) const {
  std::shared_lock lock(slots_mu_);
  auto it = slots_.find(chapter);
  return it == slots_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<Engine::Slot>> Engine::Route(const domain::Principal& principal,
                                                    const std::string& chapter) const {
  if (!principal.Opens(chapter)) {
    return PermissionDenied("your token is for " + principal.chapter + ", not " + chapter)
        .Because(domain::kOtherChapter,
                 {{"token_chapter", principal.chapter}, {"chapter", chapter}});
  }
  auto slot = FindSlot(chapter);
  if (!slot) {
    return NotFound("chapter " + chapter + " does not exist");
  }
  return slot;
}

bool Engine::Expired(const std::string& key, const IdempotencyEntry& entry,
                     std::chrono::system_clock::time_point now) const {
  return !KeptForever(key) && now - entry.created >= options_.limits.idempotency_retention;
}

void Engine::PruneIdempotency(const std::string& scope, IdempotencyTable& table,
                              std::chrono::system_clock::time_point now,
                              std::vector<store::IdempotencyKey>& expired) const {
  if (now - table.last_prune < kPruneInterval && now >= table.last_prune) {
    return;
  }
  table.last_prune = now;
  for (auto it = table.entries.begin(); it != table.entries.end();) {
    if (Expired(it->first, it->second, now)) {
      expired.push_back(SplitKey(scope, it->first));
      it = table.entries.erase(it);
    } else {
      ++it;
    }
  }
}

std::chrono::milliseconds Engine::TakeMutation(const domain::Principal& principal) {
  if (principal.kind == domain::Principal::Kind::kAdmin) {
    return {};  // the operator, and the plugins' outputs: see Limits::mutations_per_second
  }
  return mutation_limiter_.Take(LimitKey(principal));
}

void Engine::LimitRefused(const char* limit, const std::string& why) const {
  if (options_.on_limit_refused) {
    options_.on_limit_refused(limit, why);
  }
}

void Engine::Mutate(Mutation mutation, Done done) {
  MutateAttempt(std::move(mutation), std::move(done), 0);
}

void Engine::MutateAttempt(Mutation mutation, Done done, int attempt) {
  if (auto s = RefuseIfStopped(); !s.ok()) {
    return done(s);
  }
  if (auto s = CheckRequestId(mutation.request_id); !s.ok()) {
    return done(s);
  }
  auto routed = Route(mutation.principal, mutation.chapter);
  if (!routed.ok()) {
    return done(routed.error());
  }
  auto slot = std::move(routed).value();
  boost::asio::post(slot->strand, [this, slot, attempt, mutation = std::move(mutation),
                                   done = std::move(done)]() mutable {
    Decide(slot, std::move(mutation), std::move(done), attempt);
  });
}

void Engine::Decide(const std::shared_ptr<Slot>& slot, Mutation mutation, Done done, int attempt) {
  if (attempt == 0 && store_.shared() && HoldForOthersTurn(slot, mutation, done)) {
    return;
  }
  if (attempt >= kAskForTurnAfter) {
    AskForTurn(*slot);
  }
  // Refused: forget the answer kept for the refused attempt, then route again (the chapter
  // is rebuilt from the store first).
  // At once, without a backoff: the replica whose commit went in first answers its caller and
  // takes the next request straight away, so a loser that waited before deciding again would
  // find the chapter moved on every time and lose again. Deciding again at once on the reloaded
  // chapter races for the chapter's row lock; every refusal means another replica's commit went
  // in, so the chapter always moves forward; and a server refused twice in a row asks the others
  // for a turn (AskForTurn), so it is not starved while they stay busy.
  Retry retry = [this, slot](Mutation again, Done answer, int next) {
    auto held = std::make_shared<std::pair<Mutation, Done>>(std::move(again), std::move(answer));
    boost::asio::post(slot->strand, [this, slot, next, held] {
      slot->idempotency.entries.erase(
          IdempotencyKey(held->first.principal, held->first.request_id));
      MutateAttempt(std::move(held->first), std::move(held->second), next);
    });
  };
  // A copy: rebuilding the chapter from the store (shared stores) replaces its name string.
  const std::string scope = slot->chapter.name();
  Execute(*slot, scope, slot->idempotency, mutation, done, nullptr, attempt, retry);
}

void Engine::Execute(Slot& slot, const std::string& scope, IdempotencyTable& idempotency,
                     Mutation& mutation, Done& done, std::shared_ptr<Slot> reveal, int attempt,
                     const Retry& retry) {
  constexpr int kMaxAttempts = 50;
  if (attempt > kMaxAttempts) {
    return done(Error{ErrorCode::kUnavailable,
                      "chapter " + slot.chapter.name() +
                          " is being changed by other servers faster than this one can follow; "
                          "retry with the same request_id"});
  }
  if (auto s = SyncWithStore(slot); !s.ok()) {
    return done(s);
  }
  domain::Chapter& chapter = slot.chapter;
  const auto now = clock_.Now();
  const std::string key = IdempotencyKey(mutation.principal, mutation.request_id);
  const std::string fingerprint = Fingerprint(mutation.method, *mutation.request);
  PendingCommit pending;
  std::vector<store::IdempotencyKey>& expired = pending.commit.expired_idempotency;
  PruneIdempotency(scope, idempotency, now, expired);
  // The record kept under `key`, unless it expired: then it is forgotten (in memory, and in the
  // store with this commit) and this request_id is new again.
  auto live = [&](std::unordered_map<std::string, IdempotencyEntry>::iterator it) {
    if (it != idempotency.entries.end() && Expired(key, it->second, now)) {
      expired.push_back(SplitKey(scope, key));
      idempotency.entries.erase(it);
      return idempotency.entries.end();
    }
    return it;
  };
  auto replay = [&](const IdempotencyEntry& first) {
    if (first.request_hash != fingerprint) {
      return done(InvalidArgument("request_id \"" + mutation.request_id +
                                  "\" was already used for a different request; use a new "
                                  "request_id for a new request")
                      .Because(domain::kRequestIdReused, {{"request_id", mutation.request_id}}));
    }
    mutation.response->ParseFromString(first.response);
    if (mutation.rehydrate) {
      mutation.rehydrate(mutation.response);
    }
    // Answer only once the first attempt is durable: a barrier behind it in the commit queue
    // (which also deletes what was just pruned).
    pending.done = std::move(done);
    if (store_.shared()) {
      // If the first attempt is refused, so is this barrier, and the retry is looked up again.
      pending.fence = slot.fence;
      pending.generation = slot.decided_generation;
      auto held = std::make_shared<Mutation>(std::move(mutation));
      auto answer = std::make_shared<Done>(std::move(pending.done));
      pending.done = [answer](const Status& status) { (*answer)(status); };
      pending.refused = [held, answer, attempt, retry] {
        retry(std::move(*held), std::move(*answer), attempt + 1);
      };
    }
    return committer_.Submit(std::move(pending));
  };
  auto it = idempotency.entries.find(key);
  if (it == idempotency.entries.end() && attempt > 0) {
    // The first attempt may have been answered elsewhere.
    it = RecallFromStore(scope, mutation, key, idempotency.entries);
  }
  if (it = live(it); it != idempotency.entries.end()) {
    return replay(it->second);
  }

  const domain::Context context{mutation.principal, now, time_zones_};
  auto decided = mutation.decide(chapter, context);
  if (!decided.ok()) {
    // A retry of a request another server answered may no longer decide the same way here.
    if (attempt == 0) {
      if (auto it = live(RecallFromStore(scope, mutation, key, idempotency.entries));
          it != idempotency.entries.end()) {
        return replay(it->second);
      }
    }
    if (!expired.empty()) {
      // What was pruned is gone from memory: the store forgets it too.
      pending.done = [done = std::move(done), error = decided.error()](const Status&) {
        done(error);
      };
      return committer_.Submit(std::move(pending));
    }
    return done(decided.error());
  }
  const domain::Events& events = decided.value();
  for (const auto& event : events) {
    chapter.Apply(event);
  }

  Status answer = mutation.respond(chapter, events, pending.commit);

  std::unique_ptr<google::protobuf::Message> stored(mutation.response->New());
  stored->CopyFrom(*mutation.response);
  if (mutation.redact) {
    mutation.redact(stored.get());
  }
  IdempotencyEntry entry{fingerprint, stored->SerializeAsString(), now};
  if (answer.ok()) {
    pending.commit.idempotency.push_back(
        store::IdempotencyRecord{scope, mutation.principal.ActorName(), mutation.request_id,
                                 entry.request_hash, entry.response, Micros(now)});
    idempotency.entries[key] = std::move(entry);
  }

  for (const auto& event : events) {
    std::string bytes = event.SerializeAsString();
    pending.publish.push_back(FeedEventOf(event, bytes));
    pending.commit.events.push_back(
        store::StoredEvent{chapter.name(), event.seq(), Micros(event.time()), std::move(bytes)});
  }
  pending.commit.projections = ProjectionRows(chapter, events);
  pending.feed = slot.feed;
  slot.RefreshInfo();
  auto answer_to = std::make_shared<Done>(std::move(done));
  pending.done = [answer_to, answer](const Status& committed) {
    (*answer_to)(committed.ok() ? answer : committed);
  };
  if (!reveal) {
    if (auto snapshot = SnapshotIfDue(slot)) {
      // Written once this commit is durable (then so is every event the copy holds).
      pending.done = [this, snapshot, answered = std::move(pending.done)](const Status& s) {
        answered(s);
        if (s.ok()) {
          boost::asio::post(blocking_pool_, [this, snapshot] { WriteSnapshot(*snapshot); });
        }
      };
    }
  }
  if (store_.shared()) {
    pending.fence = slot.fence;
    pending.generation = slot.decided_generation;
    auto held = std::make_shared<Mutation>(std::move(mutation));
    pending.refused = [held, answer_to, attempt, retry] {
      retry(std::move(*held), std::move(*answer_to), attempt + 1);
    };
  }
  if (!reveal) {
    committer_.Submit(std::move(pending));
    return;
  }
  // A new chapter becomes visible in the same critical section in which its creation is queued:
  // a command on it (Route takes this lock) can only be queued after its creation and never
  // touches it while this strand still does, and the creator, answered once the creation is
  // durable, always finds it.
  std::unique_lock lock(slots_mu_);
  committer_.Submit(std::move(pending));
  creation_order_.push_back(reveal->chapter.name());
  slots_.emplace(reveal->chapter.name(), std::move(reveal));
}

void Engine::CreateChapter(const domain::Principal& principal,
                           const v1::CreateChapterRequest* request,
                           v1::CreateChapterResponse* response, Done done) {
  CreateChapterAttempt(principal, request, response, std::move(done), 0);
}

void Engine::CreateChapterAttempt(const domain::Principal& principal,
                                  const v1::CreateChapterRequest* request,
                                  v1::CreateChapterResponse* response, Done done, int attempt) {
  if (auto s = RefuseIfStopped(); !s.ok()) {
    return done(s);
  }
  if (auto s = CheckRequestId(request->request_id()); !s.ok()) {
    return done(s);
  }
  boost::asio::post(registry_strand_, [this, principal, request, response, attempt,
                                       done = std::move(done)]() mutable {
    // A new chapter gets a slot of its own; its creation is recorded in the registry scope.
    auto slot = std::make_shared<Slot>(io_);
    Mutation mutation;
    mutation.principal = principal;
    mutation.method = "CreateChapter";
    mutation.request = request;
    mutation.request_id = request->request_id();
    mutation.response = response;
    // Runs on the registry strand, where chapters are added: nothing can take the id between
    // this check and the creation on this server (on another one, the store refuses the second
    // creation). Every rule of creation is the domain's.
    mutation.decide = [this, request](const domain::Chapter&, const domain::Context& context) {
      std::string id = request->chapter_id();
      if (id.empty()) {
        do {
          id = "c" + RandomHex(4);
        } while (FindSlot(domain::ChapterName(id)));
      }
      const bool taken = FindSlot(domain::ChapterName(id)) != nullptr;
      return domain::Chapter::DecideCreate(context, *request, id, taken);
    };
    mutation.respond = [this, response, slot](const domain::Chapter& chapter, const domain::Events&,
                                              store::Commit& commit) {
      *response->mutable_chapter() = chapter.Info();
      response->set_display_token(minter_.ForDisplay(chapter.name()));
      commit.new_tokens.push_back(
          TokenRegistry::DisplayRecord(response->display_token(), chapter.name()));
      slot->feed = hub_.AddChapter(chapter.name(), 0);
      return Status{};
    };
    mutation.redact = [](google::protobuf::Message* m) {
      static_cast<v1::CreateChapterResponse*>(m)->clear_display_token();
    };
    mutation.rehydrate = [this](google::protobuf::Message* m) {
      auto* r = static_cast<v1::CreateChapterResponse*>(m);
      r->set_display_token(minter_.ForDisplay(r->chapter().name()));
    };
    // Refused (another server created this chapter, or answered this request): the slot is
    // rebuilt from the store (or forgotten), then the request is decided again.
    Retry retry = [this, slot, principal, request, response](Mutation, Done answer, int next) {
      boost::asio::post(slot->strand, [this, slot, principal, request, response, next,
                                       answer = std::move(answer)]() mutable {
        if (auto s = ReloadChapter(*slot); !s.ok()) {
          spdlog::error("reloading {}: {}", slot->chapter.name(), s.error().message);
        }
        boost::asio::post(registry_strand_, [this, principal, request, response, next,
                                             answer = std::move(answer)]() mutable {
          registry_idempotency_.entries.erase(IdempotencyKey(principal, request->request_id()));
          CreateChapterAttempt(principal, request, response, std::move(answer), next);
        });
      });
    };
    Execute(*slot, "", registry_idempotency_, mutation, done, slot, attempt, retry);
  });
}

void Engine::Read(const domain::Principal& principal, const std::string& chapter,
                  std::function<Status(const domain::Chapter&)> read, Done done) {
  if (auto s = RefuseIfStopped(); !s.ok()) {
    return done(s);
  }
  auto routed = Route(principal, chapter);
  if (!routed.ok()) {
    return done(routed.error());
  }
  auto slot = std::move(routed).value();
  boost::asio::post(slot->strand,
                    [slot, principal, read = std::move(read), done = std::move(done)] {
                      Status status = slot->chapter.CheckCanRead(principal);
                      if (status.ok()) {
                        status = read(slot->chapter);
                      }
                      done(status);
                    });
}

std::vector<v1::Chapter> Engine::ListChapters(const domain::Principal& principal) const {
  std::vector<v1::Chapter> out;
  std::shared_lock lock(slots_mu_);
  for (const auto& name : creation_order_) {
    if (!principal.Opens(name)) {
      continue;
    }
    const auto& slot = slots_.at(name);
    std::lock_guard info_lock(slot->info_mu);
    out.push_back(slot->info);
  }
  return out;
}

void Engine::ApplyCommitted(const store::Commit& commit) {
  for (const auto& token : commit.new_tokens) {
    tokens_.Add(token);
  }
  for (const auto& member : commit.revoke_member_tokens) {
    tokens_.RevokeMember(member);
  }
  for (const auto& hash : commit.revoke_token_hashes) {
    tokens_.RevokeHash(hash);
  }
}

}  // namespace reciproca::engine
