#include "server/engine/group_committer.h"

#include <spdlog/spdlog.h>

namespace reciproca::engine {

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

bool GroupCommitter::healthy() const {
  std::lock_guard lock(mu_);
  return !failed_;
}

void GroupCommitter::Run() {
  std::vector<PendingCommit> batch;
  std::vector<const store::Commit*> commits;
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
    commits.clear();
    for (const auto& pending : batch) {
      const auto& c = pending.commit;
      if (!c.events.empty() || !c.idempotency.empty() || !c.new_tokens.empty() ||
          !c.revoke_member_tokens.empty() || !c.revoke_token_hashes.empty() ||
          !c.projections.empty() || !c.expired_idempotency.empty()) {
        commits.push_back(&c);
      }
    }
    Status status;
    if (!commits.empty()) {
      status = store_.AppendBatch(commits);
    }
    if (status.ok()) {
      Observer observer;
      {
        std::lock_guard lock(mu_);
        observer = observer_;
      }
      for (auto& pending : batch) {
        after_commit_(pending.commit);
        if (pending.feed && !pending.publish.empty()) {
          if (observer) {
            observer(pending.commit.events.front().chapter, pending.publish);
          }
          pending.feed->Publish(std::move(pending.publish));
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

}  // namespace reciproca::engine
