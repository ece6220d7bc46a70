// The engine's side of several servers sharing one store (docs/storage.md, "Several
// replicas"): catching up with what the others committed, and deciding again when the store
// refused a commit because another server got there first. Nothing here runs with a store only
// one server writes (SQLite): every entry point returns at once when !store_.shared().

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include <spdlog/spdlog.h>

#include "server/engine/chapter_slot.h"
#include "server/engine/engine.h"
#include "server/engine/event_views.h"

namespace reciproca::engine {
namespace {

constexpr int kReadPage = 1000;
// How soon a catch-up put off by this server's own commits in flight looks again.
constexpr auto kCatchUpAgain = std::chrono::milliseconds(2);
// How long a server holds its new requests on a chapter for another server that asked for a
// turn, at most (the turn usually ends sooner: when that server's commit is seen), and how
// often a held request looks again.
constexpr auto kOthersTurn = std::chrono::milliseconds(100);
constexpr auto kHeldLooksAgain = std::chrono::milliseconds(2);

}  // namespace

void Engine::OnStoreAppended(const std::string& chapter, int64_t last_seq) {
  auto slot = FindSlot(chapter);
  if (!slot) {
    boost::asio::post(registry_strand_, [this, chapter] { AdoptChapter(chapter); });
    return;
  }
  if (last_seq <= slot->fence->durable_seq) {
    return;  // already here (usually this server's own commit)
  }
  boost::asio::post(slot->strand, [this, slot] {
    slot->others_turn_until = {};  // another server's commit went in: its turn is over
    CatchUp(*slot);
  });
}

void Engine::OnTurnAsked(const std::string& chapter) {
  if (auto slot = FindSlot(chapter)) {
    boost::asio::post(slot->strand, [slot] {
      slot->others_turn_until = std::chrono::steady_clock::now() + kOthersTurn;
    });
  }
}

bool Engine::HoldForOthersTurn(const std::shared_ptr<Slot>& slot, Mutation& mutation, Done& done) {
  if (std::chrono::steady_clock::now() >= slot->others_turn_until) {
    return false;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, kHeldLooksAgain);
  timer->async_wait([this, timer, slot, mutation = std::move(mutation),
                     done = std::move(done)](const boost::system::error_code&) mutable {
    boost::asio::post(slot->strand, [this, slot, mutation = std::move(mutation),
                                     done = std::move(done)]() mutable {
      if (auto s = RefuseIfStopped(); !s.ok()) {
        return done(s);
      }
      Decide(slot, std::move(mutation), std::move(done), 0);
    });
  });
  return true;
}

void Engine::AskForTurn(Slot& slot) {
  if (auto s = store_.AskForTurn(slot.chapter.name()); !s.ok()) {
    spdlog::debug("asking the other servers for a turn on {}: {}", slot.chapter.name(),
                  s.error().message);
  }
}

Status Engine::ReadTail(const std::string& chapter, int64_t after_seq,
                        std::vector<v1::Event>* events) {
  events->clear();
  std::vector<store::StoredEvent> page;
  for (;;) {
    if (auto s = store_.ReadEvents(chapter, after_seq, kReadPage, &page); !s.ok()) {
      return s;
    }
    for (const auto& stored : page) {
      v1::Event event;
      if (!event.ParseFromString(stored.bytes) || stored.seq != after_seq + 1) {
        return Internal("event " + chapter + "#" + std::to_string(stored.seq) +
                        " cannot be parsed or does not follow seq " + std::to_string(after_seq));
      }
      after_seq = stored.seq;
      events->push_back(std::move(event));
    }
    if (page.size() < static_cast<size_t>(kReadPage)) {
      return {};
    }
  }
}

void Engine::PublishStored(Slot& slot, const std::vector<v1::Event>& events) {
  const int64_t published = slot.fence->durable_seq;
  std::vector<stream::FeedEvent> feed_events;
  for (const auto& event : events) {
    if (event.seq() > published) {
      feed_events.push_back(FeedEventOf(event, event.SerializeAsString()));
    }
  }
  if (feed_events.empty()) {
    return;
  }
  slot.fence->durable_seq = feed_events.back().seq;
  if (auto observer = committer_.observer()) {
    observer(slot.chapter.name(), feed_events);
  }
  if (slot.feed) {
    slot.feed->Publish(std::move(feed_events));
  }
}

void Engine::RefreshChapterTokens(const std::string& chapter) {
  std::vector<store::TokenRecord> active;
  std::vector<store::TokenRecord> revoked;
  if (auto s = store_.LoadChapterTokens(chapter, &active, &revoked); !s.ok()) {
    spdlog::warn("tokens of {} not refreshed from the store: {}", chapter, s.error().message);
    return;
  }
  for (const auto& token : revoked) {
    // A member's tokens are revoked together, when they leave; other tokens one by one.
    if (token.kind == "member") {
      tokens_.RevokeMember(token.member);
    } else {
      tokens_.RevokeHash(token.token_hash);
    }
  }
  for (const auto& token : active) {
    tokens_.Add(token);
  }
}

void Engine::CatchUp(Slot& slot) {
  if (slot.chapter.last_seq() != slot.fence->durable_seq) {
    // Own commits in flight: refused, they reload the chapter; stored, they may still precede
    // what another server committed after them and notified now. So look again once they
    // settle (one timer per chapter at a time, however many notices arrive).
    if (!slot.catch_up_due) {
      if (auto shared = FindSlot(slot.chapter.name()); shared.get() == &slot) {
        slot.catch_up_due = true;
        auto timer = std::make_shared<boost::asio::steady_timer>(io_, kCatchUpAgain);
        timer->async_wait([this, timer, shared](const boost::system::error_code&) {
          boost::asio::post(shared->strand, [this, shared] {
            shared->catch_up_due = false;
            CatchUp(*shared);
          });
        });
      }
    }
    return;
  }
  if (slot.decided_generation != slot.fence->generation) {
    (void)SyncWithStore(slot);
    return;
  }
  std::vector<v1::Event> events;
  if (auto s = ReadTail(slot.chapter.name(), slot.chapter.last_seq(), &events); !s.ok()) {
    spdlog::error("catching up with {}: {}", slot.chapter.name(), s.error().message);
    return;
  }
  if (events.empty()) {
    return;
  }
  for (const auto& event : events) {
    slot.chapter.Apply(event);
  }
  RefreshChapterTokens(slot.chapter.name());
  slot.RefreshInfo();
  PublishStored(slot, events);
}

Status Engine::SyncWithStore(Slot& slot) {
  if (!store_.shared() || slot.decided_generation == slot.fence->generation) {
    return {};
  }
  return ReloadChapter(slot);
}

Status Engine::ReloadChapter(Slot& slot) {
  const int64_t generation = slot.fence->generation;
  const std::string name = slot.chapter.name();
  // From its snapshot and the events after it; the events this server has not published yet
  // are read too (they go to the subscribers and the plugins).
  domain::Chapter rebuilt;
  std::vector<v1::Event> unpublished;
  if (auto s = RebuildChapter(name, &rebuilt, slot.fence->durable_seq, &unpublished); !s.ok()) {
    return s;
  }
  if (rebuilt.last_seq() == 0) {
    // Its creation was refused (another server answered the same request with another
    // chapter): it never existed.
    std::unique_lock lock(slots_mu_);
    slots_.erase(name);
    std::erase(creation_order_, name);
    slot.decided_generation = generation;
    return {};
  }
  slot.chapter = std::move(rebuilt);
  slot.decided_generation = generation;
  RefreshChapterTokens(name);
  slot.RefreshInfo();
  PublishStored(slot, unpublished);
  spdlog::debug("{} reloaded from the store at seq {} (another server wrote it first)", name,
                slot.chapter.last_seq());
  return {};
}

void Engine::AdoptChapter(const std::string& chapter) {
  if (auto slot = FindSlot(chapter)) {
    boost::asio::post(slot->strand, [this, slot] { CatchUp(*slot); });
    return;
  }
  std::vector<v1::Event> events;
  if (auto s = ReadTail(chapter, 0, &events);
      !s.ok() || events.empty() || !events.front().has_chapter_created()) {
    if (!s.ok()) {
      spdlog::error("adopting {}: {}", chapter, s.error().message);
    }
    return;
  }
  auto slot = std::make_shared<Slot>(io_);
  for (const auto& event : events) {
    slot->chapter.Apply(event);
  }
  slot->feed = hub_.AddChapter(chapter, 0);
  RefreshChapterTokens(chapter);
  slot->RefreshInfo();
  // Nothing else knows the slot yet, so this (registry) strand may touch it.
  PublishStored(*slot, events);
  std::unique_lock lock(slots_mu_);
  if (slots_.emplace(chapter, slot).second) {
    creation_order_.push_back(chapter);
  }
}

std::unordered_map<std::string, Engine::IdempotencyEntry>::iterator Engine::RecallFromStore(
    const std::string& scope, const Mutation& mutation, const std::string& key,
    std::unordered_map<std::string, IdempotencyEntry>& idempotency) {
  if (!store_.shared()) {
    return idempotency.end();
  }
  auto found = store_.FindIdempotency(scope, mutation.principal.ActorName(), mutation.request_id);
  if (!found.ok()) {
    spdlog::warn("looking up request_id {} in the store: {}", mutation.request_id,
                 found.error().message);
    return idempotency.end();
  }
  if (!found->has_value()) {
    return idempotency.end();
  }
  return idempotency
      .insert_or_assign(key, IdempotencyEntry{(*found)->request_hash, (*found)->response,
                                              FromMicros((*found)->created_micros)})
      .first;
}

}  // namespace reciproca::engine
