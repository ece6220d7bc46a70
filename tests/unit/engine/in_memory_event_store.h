#pragma once

// An EventStore in memory, for tests of the engine and the plugin host. It keeps the contract of
// server/store/event_store.h as the SQLite store does: a batch is checked whole before anything
// is written (each chapter's seqs continue from its last one; no idempotency key or token hash
// stored twice), commits are applied in order, chapters are visited in creation order, revoked
// tokens are not loaded, projection rows are upserted by name.
//
// What a test needs beyond the interface: every batch it was given (to see group commit and
// what a commit carried), a switch that makes the next AppendBatch fail (a storage failure), and
// a hold that parks the next AppendBatch on entry until released (a commit in progress).
// Thread-safe: AppendBatch runs on the engine's writer thread, the rest on any thread.

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/store/event_store.h"

namespace reciproca::testing {

class InMemoryEventStore final : public store::EventStore {
 public:
  Status AppendBatch(std::span<const store::Commit* const> batch) override {
    std::unique_lock lock(mu_);
    if (hold_next_) {
      hold_next_ = false;
      held_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !held_; });
    }
    if (fail_next_) {
      Error error = std::move(*fail_next_);
      fail_next_.reset();
      return error;
    }
    if (Status status = CheckLocked(batch); !status.ok()) {
      return status;
    }
    std::vector<store::Commit> copies;
    for (const store::Commit* commit : batch) {
      ApplyLocked(*commit);
      copies.push_back(*commit);
    }
    batches_.push_back(std::move(copies));
    changed_.notify_all();
    return {};
  }

  Status ReadEvents(const std::string& chapter, int64_t after_seq, int limit,
                    std::vector<store::StoredEvent>* out) override {
    out->clear();
    std::lock_guard lock(mu_);
    auto it = events_.find(chapter);
    if (it == events_.end()) {
      return {};
    }
    for (const store::StoredEvent& event : it->second) {
      if (static_cast<int>(out->size()) >= limit) {
        break;
      }
      if (event.seq > after_seq) {
        out->push_back(event);
      }
    }
    return {};
  }

  Status ForEachEvent(const std::function<Status(const store::StoredEvent&)>& visit) override {
    // A snapshot, so that `visit` may call back into the store.
    std::vector<store::StoredEvent> all;
    {
      std::lock_guard lock(mu_);
      for (const std::string& chapter : chapter_order_) {
        const auto& events = events_.at(chapter);
        all.insert(all.end(), events.begin(), events.end());
      }
    }
    for (const store::StoredEvent& event : all) {
      if (Status status = visit(event); !status.ok()) {
        return status;
      }
    }
    return {};
  }

  Status ListChapters(std::vector<std::string>* out) override {
    std::lock_guard lock(mu_);
    *out = chapter_order_;
    return {};
  }

  Status PutSnapshot(const store::ChapterSnapshot& snapshot) override {
    std::lock_guard lock(mu_);
    if (!events_.contains(snapshot.chapter)) {
      return Internal("PutSnapshot: no chapter " + snapshot.chapter);
    }
    auto& kept = snapshots_[snapshot.chapter];
    if (kept.seq <= snapshot.seq) {
      kept = snapshot;
    }
    ++snapshots_put_;
    changed_.notify_all();
    return {};
  }

  Result<std::optional<store::ChapterSnapshot>> LoadSnapshot(const std::string& chapter) override {
    std::lock_guard lock(mu_);
    auto it = snapshots_.find(chapter);
    if (it == snapshots_.end()) {
      return std::optional<store::ChapterSnapshot>();
    }
    return std::optional<store::ChapterSnapshot>(it->second);
  }

  // How many PutSnapshot calls came, and a wait for the count to reach `n`.
  int snapshots_put() const {
    std::lock_guard lock(mu_);
    return snapshots_put_;
  }
  bool WaitForSnapshots(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return snapshots_put_ >= n; });
  }

  Status LoadTokens(std::vector<store::TokenRecord>* out) override {
    out->clear();
    std::lock_guard lock(mu_);
    for (const auto& [hash, token] : tokens_) {
      if (!token.revoked) {
        out->push_back(token.record);
      }
    }
    return {};
  }

  Status LoadIdempotency(std::vector<store::IdempotencyRecord>* out) override {
    std::lock_guard lock(mu_);
    *out = idempotency_;
    return {};
  }

  // --- Storage failure and commits in progress.

  // The next AppendBatch writes nothing and returns `error`.
  void FailNextAppend(Error error) {
    std::lock_guard lock(mu_);
    fail_next_ = std::move(error);
  }
  // The next AppendBatch waits on entry, before it writes anything, until ReleaseHeldAppend().
  void HoldNextAppend() {
    std::lock_guard lock(mu_);
    hold_next_ = true;
  }
  // True once an AppendBatch is parked by HoldNextAppend(); false after `timeout`.
  bool WaitUntilAppendHeld(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [this] { return held_; });
  }
  void ReleaseHeldAppend() {
    std::lock_guard lock(mu_);
    held_ = false;
    changed_.notify_all();
  }

  // --- What was written.

  // Every successful AppendBatch, each as the commits it wrote, in order.
  std::vector<std::vector<store::Commit>> Batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  size_t BatchCount() const {
    std::lock_guard lock(mu_);
    return batches_.size();
  }
  std::vector<store::StoredEvent> Events(const std::string& chapter) const {
    std::lock_guard lock(mu_);
    auto it = events_.find(chapter);
    return it == events_.end() ? std::vector<store::StoredEvent>{} : it->second;
  }
  int64_t LastSeq(const std::string& chapter) const {
    std::lock_guard lock(mu_);
    auto it = events_.find(chapter);
    return it == events_.end() || it->second.empty() ? 0 : it->second.back().seq;
  }
  std::vector<store::IdempotencyRecord> Idempotency() const {
    std::lock_guard lock(mu_);
    return idempotency_;
  }
  // The `resources` projection: the latest row of each resource name.
  std::map<std::string, store::ProjectionRow> Projections() const {
    std::lock_guard lock(mu_);
    return projections_;
  }

 private:
  struct Token {
    store::TokenRecord record;
    bool revoked = false;
  };
  using IdempotencyKey = std::tuple<std::string, std::string, std::string>;

  static IdempotencyKey KeyOf(const store::IdempotencyRecord& r) {
    return {r.scope, r.principal, r.request_id};
  }

  // The whole batch against what is stored and against itself; nothing is written on an error.
  Status CheckLocked(std::span<const store::Commit* const> batch) const {
    std::map<std::string, int64_t> last;
    std::set<IdempotencyKey> keys;
    std::set<std::string> hashes;
    for (const store::Commit* commit : batch) {
      for (const store::StoredEvent& event : commit->events) {
        auto [it, added] = last.try_emplace(event.chapter, 0);
        if (added) {
          auto stored = events_.find(event.chapter);
          it->second = stored == events_.end() ? 0 : stored->second.back().seq;
        }
        if (event.seq != it->second + 1) {
          return Internal("in-memory store: " + event.chapter + " seq " +
                          std::to_string(event.seq) + " does not follow " +
                          std::to_string(it->second) + "; nothing of the batch was written");
        }
        it->second = event.seq;
      }
      std::set<IdempotencyKey> expired;
      for (const store::IdempotencyKey& k : commit->expired_idempotency) {
        expired.insert(IdempotencyKey{k.scope, k.principal, k.request_id});
      }
      for (const store::IdempotencyRecord& record : commit->idempotency) {
        const IdempotencyKey key = KeyOf(record);
        if ((idempotency_keys_.count(key) > 0 && expired.count(key) == 0) ||
            !keys.insert(key).second) {
          return Internal("in-memory store: idempotency record " + record.request_id +
                          " stored twice; nothing of the batch was written");
        }
      }
      for (const store::TokenRecord& token : commit->new_tokens) {
        if (tokens_.count(token.token_hash) > 0 || !hashes.insert(token.token_hash).second) {
          return Internal("in-memory store: token stored twice; nothing of the batch was written");
        }
      }
    }
    return {};
  }

  void ApplyLocked(const store::Commit& commit) {
    for (const store::StoredEvent& event : commit.events) {
      auto& events = events_[event.chapter];
      if (events.empty()) {
        chapter_order_.push_back(event.chapter);
      }
      events.push_back(event);
    }
    for (const store::IdempotencyKey& k : commit.expired_idempotency) {
      const IdempotencyKey key{k.scope, k.principal, k.request_id};
      idempotency_keys_.erase(key);
      std::erase_if(idempotency_,
                    [&](const store::IdempotencyRecord& record) { return KeyOf(record) == key; });
    }
    for (const store::IdempotencyRecord& record : commit.idempotency) {
      idempotency_keys_.insert(KeyOf(record));
      idempotency_.push_back(record);
    }
    for (const store::TokenRecord& token : commit.new_tokens) {
      tokens_[token.token_hash] = Token{token, false};
    }
    for (const std::string& member : commit.revoke_member_tokens) {
      for (auto& [hash, token] : tokens_) {
        if (token.record.member == member) {
          token.revoked = true;
        }
      }
    }
    for (const std::string& hash : commit.revoke_token_hashes) {
      if (auto it = tokens_.find(hash); it != tokens_.end()) {
        it->second.revoked = true;
      }
    }
    for (const store::ProjectionRow& row : commit.projections) {
      projections_[row.name] = row;
    }
  }

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::optional<Error> fail_next_;
  bool hold_next_ = false;
  bool held_ = false;

  std::map<std::string, std::vector<store::StoredEvent>> events_;
  std::vector<std::string> chapter_order_;
  std::map<std::string, store::ChapterSnapshot> snapshots_;
  int snapshots_put_ = 0;
  std::vector<store::IdempotencyRecord> idempotency_;
  std::set<IdempotencyKey> idempotency_keys_;
  std::map<std::string, Token> tokens_;
  std::map<std::string, store::ProjectionRow> projections_;
  std::vector<std::vector<store::Commit>> batches_;
};

}  // namespace reciproca::testing
