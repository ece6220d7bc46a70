#pragma once

// Live fan-out of committed events.
//
// Each chapter has one ChapterFeed: a bounded ring of its most recent committed events, each
// serialized once (SharedBytes is reference-counted, so every subscriber writes the same
// bytes). Subscribers are cursors, not queues: a subscriber asks for the event after the last one
// it sent, and gets it from the ring, or is told to read it from the store (it fell behind the
// ring), or is parked until the next commit wakes it. So a slow subscriber holds no memory of its
// own beyond one store page and never slows the chapter or anyone else.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "server/stream/shared_bytes.h"

namespace reciproca::stream {

// The other versions of one event, for subscribers who may not see all of it (need-to-know: the
// rule is server/domain/need_to_know.h), made once per event, not per subscriber, and shared.
struct EventViews {
  // The event as a member who is not one of `parties` sees it, and as the room display sees it.
  // Empty when that version is the full event.
  SharedBytes others;
  SharedBytes display;
  // The members who see the full event besides organizers (a referral's giver and receiver).
  std::vector<std::string> parties;
  // When the event sets a member's organizer status (a role change, a member leaving): which
  // member, and whether they organize after it. A stream follows its subscriber's role with it.
  bool sets_role = false;
  std::string role_member;
  bool role_organizer = false;
};

struct FeedEvent {
  int64_t seq = 0;
  SharedBytes bytes;  // a serialized reciproca.v1.Event, in full
  // Null when every subscriber who may read the chapter gets `bytes`.
  std::shared_ptr<const EventViews> views;
};

// Something parked on a feed, woken once by the next commit or by Close().
class Listener {
 public:
  virtual ~Listener() = default;
  // Called from the committing thread with no feed lock held: must not block; post work away.
  virtual void Wake() = 0;
};

class ChapterFeed {
 public:
  ChapterFeed(int64_t last_seq, size_t capacity);

  // Events just committed, in seq order, continuing last_seq(). Wakes every parked listener.
  void Publish(std::vector<FeedEvent> events);

  enum class Lookup {
    kReady,    // *out holds event `seq`
    kInStore,  // `seq` is older than the ring: read it from the store
    kWait,     // `seq` is not committed yet: `listener` was parked and will be woken
    kClosed,   // the server is shutting down
  };
  Lookup Get(int64_t seq, FeedEvent* out, const std::weak_ptr<Listener>& listener);
  // The same, for the full bytes only.
  Lookup Get(int64_t seq, SharedBytes* out, const std::weak_ptr<Listener>& listener);

  int64_t last_seq() const;
  // Bytes of every event published since the feed was made: how much a subscriber that has not
  // moved since it last read this has been left behind.
  uint64_t bytes_published() const;
  // Parks `listener` until the next commit (or Close()) without asking for an event: how a
  // subscriber with a write in flight hears that the chapter moved on. Pass what the listener's
  // previous Park returned: a listener still parked since then is not added again, so one that
  // parks at every write waits in the list once, however many writes pass between commits.
  uint64_t Park(const std::weak_ptr<Listener>& listener, uint64_t parked_in = 0);
  bool closed() const;
  // Ends the feed: every parked listener is woken and every later Get returns kClosed.
  void Close();

 private:
  void WakeAll(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mu_;
  size_t capacity_;
  int64_t last_seq_;
  uint64_t bytes_published_ = 0;
  uint64_t wake_generation_ = 1;  // one more at every WakeAll: parked_ was emptied
  std::deque<FeedEvent> ring_;    // seqs last_seq_-ring_.size()+1 .. last_seq_
  std::vector<std::weak_ptr<Listener>> parked_;
  bool closed_ = false;
};

// The feeds of every chapter. Thread-safe.
class EventHub {
 public:
  explicit EventHub(size_t ring_capacity = 4096) : ring_capacity_(ring_capacity) {}

  // Creates the chapter's feed if it has none yet.
  std::shared_ptr<ChapterFeed> AddChapter(const std::string& chapter, int64_t last_seq);
  // nullptr when the chapter has no feed.
  std::shared_ptr<ChapterFeed> Find(const std::string& chapter) const;
  void CloseAll();

 private:
  size_t ring_capacity_;
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<ChapterFeed>, std::less<>> feeds_;
  bool closed_ = false;
};

}  // namespace reciproca::stream
