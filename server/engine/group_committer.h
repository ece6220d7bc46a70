#pragma once

// The single writer: takes commits from every chapter's strand, writes whatever has accumulated
// as one transaction (group commit: one fsync for many commits), and only then publishes the
// events and answers the callers, in the order the commits were submitted.
//
// If the store fails, the in-memory state is ahead of the durable log, so the committer stops
// for good: that batch and every later submission is answered UNAVAILABLE, and the server must
// be restarted (it then rebuilds its state from what is durable).
//
// With a store several servers write (EventStore::shared), another replica may have appended to
// a chapter first. The store then refuses the commit (AppendBatchOrRefuse); the committer bumps
// the chapter's fence generation and calls the commit's `refused` instead of `done`, and every
// later commit decided at the old generation is refused without being written, until the
// chapter's strand has reloaded it from the store and decides again (docs/storage.md).

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/store/event_store.h"
#include "server/stream/event_feed.h"

namespace reciproca::engine {

// What the writer thread and a chapter's strand share about the chapter (shared stores only).
struct ChapterFence {
  // Bumped by the writer thread when the store refuses one of the chapter's commits.
  std::atomic<int64_t> generation{0};
  // The chapter's last seq known durable and published here (this server's commits and the
  // other replicas' alike). Set after publishing.
  std::atomic<int64_t> durable_seq{0};
};

struct PendingCommit {
  // Empty for a barrier: nothing to write, just answer once everything before it is durable.
  store::Commit commit;
  std::shared_ptr<stream::ChapterFeed> feed;
  std::vector<stream::FeedEvent> publish;
  // Runs on the writer thread after the commit is durable and its events are published
  // (ok), or after the store failed (the error). Must not block.
  std::function<void(const Status&)> done;
  // Shared stores: the chapter's fence and the generation the commit was decided at. A commit
  // (or barrier) of an older generation is refused.
  std::shared_ptr<ChapterFence> fence;
  int64_t generation = 0;
  // Runs on the writer thread instead of `done` when the commit was refused. Must not block.
  std::function<void()> refused;
};

class GroupCommitter {
 public:
  // `after_commit` runs for each durable commit before its events are published (token updates).
  GroupCommitter(store::EventStore& store, size_t max_batch,
                 std::function<void(const store::Commit&)> after_commit);
  ~GroupCommitter();

  void Submit(PendingCommit pending);
  // Writes everything submitted so far and stops the thread. Later submissions are refused.
  void Stop();
  // False once the store has failed.
  bool healthy() const;

  // Called on the writer thread with each commit's events once they are durable and published,
  // in commit order. Set it before the commits it should see.
  using Observer =
      std::function<void(const std::string& chapter, const std::vector<stream::FeedEvent>& events)>;
  void SetObserver(Observer observer);
  Observer observer() const;

 private:
  void Run();
  // Writes the batch's commits; marks in *refused those the store (or their fence) refused.
  Status Write(std::vector<PendingCommit>& batch, std::vector<bool>* refused);

  store::EventStore& store_;
  size_t max_batch_;
  std::function<void(const store::Commit&)> after_commit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingCommit> queue_;
  bool stopping_ = false;
  bool failed_ = false;
  std::string failure_;
  Observer observer_;
  std::thread thread_;
};

}  // namespace reciproca::engine
