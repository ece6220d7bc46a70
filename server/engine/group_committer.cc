#include "server/engine/group_committer.h"

#include <spdlog/spdlog.h>

namespace reciproca::engine {
namespace {

// Nothing to write: answered once everything before it is durable.
bool IsBarrier(const store::Commit& c) {
  return c.events.empty() && c.idempotency.empty() && c.new_tokens.empty() &&
         c.revoke_member_tokens.empty() && c.revoke_token_hashes.empty() && c.projections.empty() &&
         c.expired_idempotency.empty();
}

}  // namespace

GroupCommitter::GroupCommitter(store::EventStore& store, size_t max_batch,
                               std::function<void(const store::Commit&)> after_commit)
    : store_(store), max_batch_(max_batch), after_commit_(std::move(after_commit)) {
  thread_ = std::thread([this] { Run(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(PendingCommit pending) {
  std::unique_lock lock(mu_);
  if (stopping_ || failed_) {
    const std::string why = failed_ ? "storage failed (" + failure_ + "); restart the server"
                                    : "the server is shutting down; retry with the same request_id";
    lock.unlock();
    pending.done(Error{ErrorCode::kUnavailable, why});
    return;
  }
  queue_.push_back(std::move(pending));
  lock.unlock();
  cv_.notify_one();
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void GroupCommitter::SetObserver(Observer observer) {
  std::lock_guard lock(mu_);
  observer_ = std::move(observer);
}

GroupCommitter::Observer GroupCommitter::observer() const {
  std::lock_guard lock(mu_);
  return observer_;
}

bool GroupCommitter::healthy() const {
  std::lock_guard lock(mu_);
  return !failed_;
}

void GroupCommitter::Run() {
  std::vector<PendingCommit> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything is written
      }
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<bool> refused;
    Status status = Write(batch, &refused);
    if (status.ok()) {
      Observer observer;
      {
        std::lock_guard lock(mu_);
        observer = observer_;
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        PendingCommit& pending = batch[i];
        if (refused[i]) {
          if (pending.refused) {
            pending.refused();
          } else {
            pending.done(Error{ErrorCode::kUnavailable,
                               "another server wrote this chapter first; retry with the same "
                               "request_id"});
          }
          continue;
        }
        after_commit_(pending.commit);
        if (pending.feed && !pending.publish.empty()) {
          if (observer) {
            observer(pending.commit.events.front().chapter, pending.publish);
          }
          pending.feed->Publish(std::move(pending.publish));
        }
        if (pending.fence && !pending.commit.events.empty()) {
          pending.fence->durable_seq = pending.commit.events.back().seq;
        }
        pending.done(status);
      }
    } else {
      spdlog::critical("storage failed, refusing further writes: {}", status.error().message);
      std::deque<PendingCommit> rest;
      {
        std::lock_guard lock(mu_);
        failed_ = true;
        failure_ = status.error().message;
        rest.swap(queue_);
      }
      const Error unavailable{ErrorCode::kUnavailable, "storage failed (" + status.error().message +
                                                           "); restart the server"};
      for (auto& pending : batch) {
        pending.done(unavailable);
      }
      for (auto& pending : rest) {
        pending.done(unavailable);
      }
    }
    batch.clear();
  }
}

Status GroupCommitter::Write(std::vector<PendingCommit>& batch, std::vector<bool>* refused) {
  refused->assign(batch.size(), false);
  std::vector<const store::Commit*> commits;
  std::vector<size_t> index;  // commits[k] is batch[index[k]]
  auto stale = [](const PendingCommit& p) {
    return p.fence && p.generation != p.fence->generation.load();
  };
  for (size_t i = 0; i < batch.size(); ++i) {
    if (IsBarrier(batch[i].commit)) {
      continue;
    }
    if (stale(batch[i])) {
      (*refused)[i] = true;  // decided before its chapter's last refusal
      continue;
    }
    commits.push_back(&batch[i].commit);
    index.push_back(i);
  }
  Status status;
  if (!commits.empty()) {
    if (store_.shared()) {
      std::vector<size_t> refused_commits;
      status = store_.AppendBatchOrRefuse(commits, &refused_commits);
      for (size_t k : refused_commits) {
        PendingCommit& pending = batch[index[k]];
        (*refused)[index[k]] = true;
        if (pending.fence) {
          ++pending.fence->generation;
        }
      }
    } else {
      status = store_.AppendBatch(commits);
    }
  }
  // A barrier answers for a commit before it (a retry answered from memory): if that commit's
  // chapter had a refusal, the answer may not be the stored one, so the barrier is refused too
  // and the retry is looked up again.
  for (size_t i = 0; i < batch.size(); ++i) {
    if (IsBarrier(batch[i].commit) && stale(batch[i])) {
      (*refused)[i] = true;
    }
  }
  return status;
}

}  // namespace reciproca::engine
