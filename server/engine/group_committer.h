#pragma once

// The single writer: takes commits from every chapter's strand, writes whatever has accumulated
// as one transaction (group commit: one fsync for many commits), and only then publishes the
// events and answers the callers, in the order the commits were submitted.
//
// If the store fails, the in-memory state is ahead of the durable log, so the committer stops
// for good: that batch and every later submission is answered UNAVAILABLE, and the server must
// be restarted (it then rebuilds its state from what is durable).

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

struct PendingCommit {
  // Empty for a barrier: nothing to write, just answer once everything before it is durable.
  store::Commit commit;
  std::shared_ptr<stream::ChapterFeed> feed;
  std::vector<stream::FeedEvent> publish;
  // Runs on the writer thread after the commit is durable and its events are published
  // (ok), or after the store failed (the error). Must not block.
  std::function<void(const Status&)> done;
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

 private:
  void Run();

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
