#include "server/stream/event_feed.h"

namespace reciproca::stream {

ChapterFeed::ChapterFeed(int64_t last_seq, size_t capacity)
    : capacity_(capacity), last_seq_(last_seq) {}

void ChapterFeed::Publish(std::vector<FeedEvent> events) {
  std::unique_lock lock(mu_);
  for (auto& event : events) {
    bytes_published_ += event.bytes.size();
    ring_.push_back(std::move(event));
    last_seq_ = ring_.back().seq;
    if (ring_.size() > capacity_) {
      ring_.pop_front();
    }
  }
  WakeAll(lock);
}

ChapterFeed::Lookup ChapterFeed::Get(int64_t seq, SharedBytes* out,
                                     const std::weak_ptr<Listener>& listener) {
  FeedEvent event;
  const Lookup lookup = Get(seq, &event, listener);
  if (lookup == Lookup::kReady) {
    *out = std::move(event.bytes);
  }
  return lookup;
}

ChapterFeed::Lookup ChapterFeed::Get(int64_t seq, FeedEvent* out,
                                     const std::weak_ptr<Listener>& listener) {
  std::lock_guard lock(mu_);
  if (closed_) {
    return Lookup::kClosed;
  }
  if (seq > last_seq_) {
    parked_.push_back(listener);
    return Lookup::kWait;
  }
  const int64_t first = last_seq_ - static_cast<int64_t>(ring_.size()) + 1;
  if (seq < first) {
    return Lookup::kInStore;
  }
  *out = ring_[static_cast<size_t>(seq - first)];
  return Lookup::kReady;
}

int64_t ChapterFeed::last_seq() const {
  std::lock_guard lock(mu_);
  return last_seq_;
}

uint64_t ChapterFeed::bytes_published() const {
  std::lock_guard lock(mu_);
  return bytes_published_;
}

uint64_t ChapterFeed::Park(const std::weak_ptr<Listener>& listener, uint64_t parked_in) {
  std::unique_lock lock(mu_);
  if (closed_) {
    lock.unlock();
    if (auto parked = listener.lock()) {
      parked->Wake();
    }
    return 0;
  }
  if (parked_in != wake_generation_) {
    parked_.push_back(listener);
  }
  return wake_generation_;
}

bool ChapterFeed::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void ChapterFeed::Close() {
  std::unique_lock lock(mu_);
  closed_ = true;
  WakeAll(lock);
}

void ChapterFeed::WakeAll(std::unique_lock<std::mutex>& lock) {
  std::vector<std::weak_ptr<Listener>> parked;
  parked.swap(parked_);
  ++wake_generation_;
  lock.unlock();
  for (auto& weak : parked) {
    if (auto listener = weak.lock()) {
      listener->Wake();
    }
  }
}

std::shared_ptr<ChapterFeed> EventHub::AddChapter(const std::string& chapter, int64_t last_seq) {
  std::unique_lock lock(mu_);
  auto& feed = feeds_[chapter];
  if (!feed) {
    feed = std::make_shared<ChapterFeed>(last_seq, ring_capacity_);
    if (closed_) {
      feed->Close();
    }
  }
  return feed;
}

std::shared_ptr<ChapterFeed> EventHub::Find(const std::string& chapter) const {
  std::shared_lock lock(mu_);
  auto it = feeds_.find(chapter);
  return it == feeds_.end() ? nullptr : it->second;
}

void EventHub::CloseAll() {
  std::vector<std::shared_ptr<ChapterFeed>> feeds;
  {
    std::unique_lock lock(mu_);
    closed_ = true;
    for (auto& [name, feed] : feeds_) {
      feeds.push_back(feed);
    }
  }
  for (auto& feed : feeds) {
    feed->Close();
  }
}

}  // namespace reciproca::stream
