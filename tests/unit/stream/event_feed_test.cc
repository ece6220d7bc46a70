#include "server/stream/event_feed.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace reciproca::stream {
namespace {

std::string Bytes(int64_t seq) { return "event#" + std::to_string(seq); }

std::vector<FeedEvent> Events(int64_t first_seq, int count) {
  std::vector<FeedEvent> events;
  for (int64_t seq = first_seq; seq < first_seq + count; ++seq) {
    events.push_back(FeedEvent{seq, SharedBytes(Bytes(seq)), nullptr});
  }
  return events;
}

// Counts its wake-ups.
class CountingListener final : public Listener {
 public:
  void Wake() override { ++wakes; }
  std::atomic<int> wakes = 0;
};

std::weak_ptr<Listener> NoListener() { return {}; }

TEST(ChapterFeedTest, ReturnsCommittedEventsFromTheRing) {
  ChapterFeed feed(0, 16);
  feed.Publish(Events(1, 3));
  EXPECT_EQ(feed.last_seq(), 3);
  for (int64_t seq = 1; seq <= 3; ++seq) {
    SharedBytes bytes;
    ASSERT_EQ(feed.Get(seq, &bytes, NoListener()), ChapterFeed::Lookup::kReady) << seq;
    EXPECT_EQ(bytes.view(), Bytes(seq));
  }
}

TEST(ChapterFeedTest, EverySubscriberGetsTheSameBytes) {
  ChapterFeed feed(0, 16);
  feed.Publish(Events(1, 1));
  SharedBytes first;
  SharedBytes second;
  ASSERT_EQ(feed.Get(1, &first, NoListener()), ChapterFeed::Lookup::kReady);
  ASSERT_EQ(feed.Get(1, &second, NoListener()), ChapterFeed::Lookup::kReady);
  EXPECT_EQ(first.owner(), second.owner());
  EXPECT_EQ(first.view().data(), second.view().data());
}

TEST(ChapterFeedTest, EventsOlderThanTheRingAreInTheStore) {
  ChapterFeed feed(0, 2);
  feed.Publish(Events(1, 3));
  SharedBytes bytes;
  EXPECT_EQ(feed.Get(1, &bytes, NoListener()), ChapterFeed::Lookup::kInStore);
  EXPECT_TRUE(bytes.empty());
  ASSERT_EQ(feed.Get(2, &bytes, NoListener()), ChapterFeed::Lookup::kReady);
  EXPECT_EQ(bytes.view(), Bytes(2));
  ASSERT_EQ(feed.Get(3, &bytes, NoListener()), ChapterFeed::Lookup::kReady);
  EXPECT_EQ(bytes.view(), Bytes(3));
}

TEST(ChapterFeedTest, ARecoveredChapterReadsItsPastFromTheStore) {
  // A chapter recovered at seq 10 starts with an empty ring.
  ChapterFeed feed(10, 16);
  SharedBytes bytes;
  EXPECT_EQ(feed.Get(1, &bytes, NoListener()), ChapterFeed::Lookup::kInStore);
  EXPECT_EQ(feed.Get(10, &bytes, NoListener()), ChapterFeed::Lookup::kInStore);
  feed.Publish(Events(11, 1));
  EXPECT_EQ(feed.Get(10, &bytes, NoListener()), ChapterFeed::Lookup::kInStore);
  ASSERT_EQ(feed.Get(11, &bytes, NoListener()), ChapterFeed::Lookup::kReady);
  EXPECT_EQ(bytes.view(), Bytes(11));
}

TEST(ChapterFeedTest, AListenerWaitingForTheNextEventIsWokenOnceByTheCommit) {
  ChapterFeed feed(0, 16);
  auto listener = std::make_shared<CountingListener>();
  SharedBytes bytes;
  ASSERT_EQ(feed.Get(1, &bytes, listener), ChapterFeed::Lookup::kWait);
  EXPECT_EQ(listener->wakes, 0);

  feed.Publish(Events(1, 1));
  EXPECT_EQ(listener->wakes, 1);
  ASSERT_EQ(feed.Get(1, &bytes, listener), ChapterFeed::Lookup::kReady);
  EXPECT_EQ(bytes.view(), Bytes(1));

  // Not parked again: the next commit does not wake it.
  feed.Publish(Events(2, 1));
  EXPECT_EQ(listener->wakes, 1);
}

TEST(ChapterFeedTest, Park_WaitsForTheNextCommitOnceHoweverOftenItIsCalled) {
  ChapterFeed feed(0, 16);
  feed.Publish(Events(1, 2));
  auto listener = std::make_shared<CountingListener>();
  // A subscriber with a write in flight parks at every write; the ring has what it needs.
  uint64_t parked_in = 0;
  for (int write = 0; write < 100; ++write) {
    parked_in = feed.Park(listener, parked_in);
  }
  EXPECT_EQ(listener->wakes, 0);
  feed.Publish(Events(3, 1));
  EXPECT_EQ(listener->wakes, 1);  // in the list once
  EXPECT_EQ(feed.bytes_published(), 3 * Bytes(1).size());

  // Woken, it parks again for the commit after.
  parked_in = feed.Park(listener, parked_in);
  feed.Publish(Events(4, 1));
  EXPECT_EQ(listener->wakes, 2);
  feed.Publish(Events(5, 1));
  EXPECT_EQ(listener->wakes, 2);
}

TEST(ChapterFeedTest, EveryParkedListenerIsWoken) {
  ChapterFeed feed(0, 16);
  std::vector<std::shared_ptr<CountingListener>> listeners;
  SharedBytes bytes;
  for (int i = 0; i < 5; ++i) {
    listeners.push_back(std::make_shared<CountingListener>());
    ASSERT_EQ(feed.Get(1, &bytes, listeners.back()), ChapterFeed::Lookup::kWait);
  }
  feed.Publish(Events(1, 2));
  for (const auto& listener : listeners) {
    EXPECT_EQ(listener->wakes, 1);
  }
}

TEST(ChapterFeedTest, AListenerGoneBeforeTheCommitIsSkipped) {
  ChapterFeed feed(0, 16);
  auto kept = std::make_shared<CountingListener>();
  SharedBytes bytes;
  {
    auto gone = std::make_shared<CountingListener>();
    ASSERT_EQ(feed.Get(1, &bytes, gone), ChapterFeed::Lookup::kWait);
  }
  ASSERT_EQ(feed.Get(1, &bytes, kept), ChapterFeed::Lookup::kWait);
  feed.Publish(Events(1, 1));
  EXPECT_EQ(kept->wakes, 1);
}

// Reads the feed from inside Wake(), as a subscriber that pumps inline would: this deadlocks
// if the feed woke it with its lock held.
class ReadingListener final : public Listener {
 public:
  explicit ReadingListener(ChapterFeed& feed) : feed_(feed) {}
  void Wake() override {
    SharedBytes bytes;
    lookup = feed_.Get(1, &bytes, std::weak_ptr<Listener>());
    read = std::string(bytes.view());
  }
  ChapterFeed::Lookup lookup = ChapterFeed::Lookup::kWait;
  std::string read;

 private:
  ChapterFeed& feed_;
};

TEST(ChapterFeedTest, ListenersAreWokenWithoutTheFeedLockHeld) {
  ChapterFeed feed(0, 16);
  auto listener = std::make_shared<ReadingListener>(feed);
  SharedBytes bytes;
  ASSERT_EQ(feed.Get(1, &bytes, listener), ChapterFeed::Lookup::kWait);
  feed.Publish(Events(1, 1));
  EXPECT_EQ(listener->lookup, ChapterFeed::Lookup::kReady);
  EXPECT_EQ(listener->read, Bytes(1));
}

TEST(ChapterFeedTest, CloseWakesTheParkedAndEndsEveryLaterLookup) {
  ChapterFeed feed(0, 16);
  feed.Publish(Events(1, 1));
  auto listener = std::make_shared<CountingListener>();
  SharedBytes bytes;
  ASSERT_EQ(feed.Get(2, &bytes, listener), ChapterFeed::Lookup::kWait);
  EXPECT_FALSE(feed.closed());

  feed.Close();
  EXPECT_TRUE(feed.closed());
  EXPECT_EQ(listener->wakes, 1);
  EXPECT_EQ(feed.Get(1, &bytes, listener), ChapterFeed::Lookup::kClosed);
  EXPECT_EQ(feed.Get(2, &bytes, listener), ChapterFeed::Lookup::kClosed);
}

TEST(ChapterFeedTest, ConcurrentReadersSeeEveryEventOfAConcurrentWriter) {
  constexpr int64_t kEvents = 2000;
  ChapterFeed feed(0, static_cast<size_t>(kEvents));
  std::atomic<bool> failed = false;
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      auto listener = std::make_shared<CountingListener>();
      for (int64_t seq = 1; seq <= kEvents;) {
        SharedBytes bytes;
        const int wakes = listener->wakes;
        switch (feed.Get(seq, &bytes, listener)) {
          case ChapterFeed::Lookup::kReady:
            if (bytes.view() != Bytes(seq)) {
              failed = true;
            }
            ++seq;
            break;
          case ChapterFeed::Lookup::kWait:
            while (listener->wakes == wakes) {  // parked until the next commit
              std::this_thread::yield();
            }
            break;
          case ChapterFeed::Lookup::kInStore:
          case ChapterFeed::Lookup::kClosed:
            failed = true;
            return;
        }
      }
    });
  }
  for (int64_t seq = 1; seq <= kEvents; ++seq) {
    feed.Publish(Events(seq, 1));
  }
  for (auto& reader : readers) {
    reader.join();
  }
  EXPECT_FALSE(failed);
  EXPECT_EQ(feed.last_seq(), kEvents);
}

TEST(EventHubTest, OneFeedPerChapter) {
  EventHub hub(8);
  EXPECT_EQ(hub.Find("chapters/lisbon"), nullptr);
  auto feed = hub.AddChapter("chapters/lisbon", 4);
  ASSERT_NE(feed, nullptr);
  EXPECT_EQ(feed->last_seq(), 4);
  EXPECT_EQ(hub.AddChapter("chapters/lisbon", 99), feed);  // the existing feed, unchanged
  EXPECT_EQ(feed->last_seq(), 4);
  EXPECT_EQ(hub.Find("chapters/lisbon"), feed);
  EXPECT_NE(hub.AddChapter("chapters/porto", 0), feed);
}

TEST(EventHubTest, TheRingCapacityAppliesToEveryFeed) {
  EventHub hub(2);
  auto feed = hub.AddChapter("chapters/lisbon", 0);
  feed->Publish(Events(1, 3));
  SharedBytes bytes;
  EXPECT_EQ(feed->Get(1, &bytes, NoListener()), ChapterFeed::Lookup::kInStore);
  EXPECT_EQ(feed->Get(2, &bytes, NoListener()), ChapterFeed::Lookup::kReady);
}

TEST(EventHubTest, CloseAllClosesEveryFeedAndTheFeedsAddedAfter) {
  EventHub hub;
  auto lisbon = hub.AddChapter("chapters/lisbon", 0);
  auto listener = std::make_shared<CountingListener>();
  SharedBytes bytes;
  ASSERT_EQ(lisbon->Get(1, &bytes, listener), ChapterFeed::Lookup::kWait);

  hub.CloseAll();
  EXPECT_TRUE(lisbon->closed());
  EXPECT_EQ(listener->wakes, 1);
  auto porto = hub.AddChapter("chapters/porto", 0);
  EXPECT_TRUE(porto->closed());
  EXPECT_EQ(porto->Get(1, &bytes, listener), ChapterFeed::Lookup::kClosed);
}

}  // namespace
}  // namespace reciproca::stream
