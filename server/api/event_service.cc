#include "server/api/event_service.h"

#include <boost/asio/post.hpp>
#include <deque>
#include <mutex>

#include <spdlog/spdlog.h>

namespace reciproca::api {
namespace {

constexpr int kStorePage = 256;

// The event's bytes as a slice that holds a reference to them: every subscriber of an event
// writes the same bytes and none copies them. gRPC only reads a slice it sends.
grpc::Slice SliceOf(const stream::SharedBytes& bytes) {
  if (bytes.empty()) {
    return grpc::Slice();
  }
  using Owner = std::shared_ptr<const std::string>;
  auto* owner = new Owner(bytes.owner());
  return grpc::Slice(
      const_cast<char*>((*owner)->data()), (*owner)->size(),
      [](void* user_data) { delete static_cast<Owner*>(user_data); }, owner);
}

// One subscriber: a cursor over the chapter's log (see stream/event_feed.h). It owns itself
// from construction until gRPC calls OnDone. One write is in flight at a time; while it is, the
// reactor is parked on the feed, and if the chapter moves on by more than
// Limits::subscriber_queue_bytes before the write completes (the client takes nothing), the
// stream ends with RESOURCE_EXHAUSTED and where to resume.
class SubscribeReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                               public stream::Listener,
                               public std::enable_shared_from_this<SubscribeReactor> {
 public:
  SubscribeReactor(engine::Engine& engine, grpc::CallbackServerContext* context,
                   std::string chapter)
      : engine_(engine), context_(context), chapter_(std::move(chapter)) {}

  void Hold() { self_ = shared_from_this(); }

  // Starts streaming the events after `after_seq` from `feed`.
  void Begin(std::shared_ptr<stream::ChapterFeed> feed, int64_t after_seq) {
    {
      std::lock_guard lock(mu_);
      feed_ = std::move(feed);
      next_seq_ = after_seq + 1;
    }
    Pump();
  }

  void Fail(const grpc::Status& status) {
    std::lock_guard lock(mu_);
    FinishLocked(status);
  }

  // Ends the stream with UNAUTHENTICATED once the token it was opened with is revoked (the
  // member removed, the display token rotated): registered before streaming starts.
  void WatchToken(std::unique_ptr<engine::TokenRegistry::Watch> watch) {
    std::lock_guard lock(mu_);
    watch_ = std::move(watch);
  }
  void OnTokenRevoked() {
    boost::asio::post(engine_.fanout_pool(), [weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        self->Fail(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                "your token was revoked (removed from the chapter, or the display "
                                "token was rotated); ask an organizer for a new one"));
      }
    });
  }

  void Wake() override {
    boost::asio::post(engine_.fanout_pool(), [self = shared_from_this()] { self->Pump(); });
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mu_);
      writing_ = false;
      if (!ok) {
        FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the subscriber went away"));
        return;
      }
      ++next_seq_;
    }
    Pump();
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (!writing_) {
      FinishLocked(grpc::Status::CANCELLED);
    }
  }

  void OnDone() override {
    std::shared_ptr<SubscribeReactor> self;
    std::unique_ptr<engine::TokenRegistry::Watch> watch;
    std::lock_guard lock(mu_);
    done_ = true;
    self.swap(self_);  // both released after the lock, at the end of this scope
    watch.swap(watch_);
  }

 private:
  void Pump() {
    std::unique_lock lock(mu_);
    if (writing_ && !finished_) {
      return CheckQueueLocked();
    }
    if (!feed_ || writing_ || loading_ || finished_) {
      return;
    }
    if (cancelled_) {
      return FinishLocked(grpc::Status::CANCELLED);
    }
    if (feed_->closed()) {
      return FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                       "the server is shutting down; resubscribe with after_seq=" +
                                           std::to_string(next_seq_ - 1)));
    }
    stream::SharedBytes bytes;
    if (!backlog_.empty() && backlog_first_ == next_seq_) {
      bytes = std::move(backlog_.front());
      backlog_.pop_front();
      ++backlog_first_;
    } else {
      backlog_.clear();
      switch (feed_->Get(next_seq_, &bytes, weak_from_this())) {
        case stream::ChapterFeed::Lookup::kReady:
          break;
        case stream::ChapterFeed::Lookup::kWait:
          return;
        case stream::ChapterFeed::Lookup::kClosed:
          return FinishLocked(
              grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
        case stream::ChapterFeed::Lookup::kInStore:
          loading_ = true;
          boost::asio::post(
              engine_.blocking_pool(),
              [self = shared_from_this(), after = next_seq_ - 1] { self->LoadFromStore(after); });
          return;
      }
    }
    grpc::Slice slice = SliceOf(bytes);
    buffer_ = grpc::ByteBuffer(&slice, 1);
    writing_ = true;
    StartWrite(&buffer_);
    if (engine_.limits().subscriber_queue_bytes > 0) {
      bytes_at_write_ = feed_->bytes_published();
      feed_->Park(weak_from_this());
    }
  }

  // A write is in flight and the chapter moved on: ends the stream when what it left waiting
  // exceeds the bound, else waits for the next commit.
  void CheckQueueLocked() {
    const size_t bound = engine_.limits().subscriber_queue_bytes;
    if (bound == 0 || !feed_) {
      return;
    }
    const uint64_t waiting = feed_->bytes_published() - bytes_at_write_;
    if (waiting <= bound) {
      feed_->Park(weak_from_this());
      return;
    }
    const int64_t resume = next_seq_ - 1;
    const std::string message =
        "this stream left more than " + std::to_string(bound) +
        " bytes of events waiting (its client is not reading); resubscribe with after_seq=" +
        std::to_string(resume) + " (or the last seq you received, if later)";
    engine_.LimitRefused("subscriber_queue_bytes", chapter_ + ": " + message);
    context_->AddTrailingMetadata("resume-after-seq", std::to_string(resume));
    FinishLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message));
  }

  // On the blocking pool: one page of older events from the store.
  void LoadFromStore(int64_t after_seq) {
    std::vector<store::StoredEvent> events;
    Status status = engine_.store().ReadEvents(chapter_, after_seq, kStorePage, &events);
    {
      std::lock_guard lock(mu_);
      loading_ = false;
      if (!status.ok() || events.empty() || events.front().seq != after_seq + 1) {
        spdlog::error("subscriber of {}: reading events after {} failed: {}", chapter_, after_seq,
                      status.ok() ? "missing events" : status.error().message);
        return FinishLocked(
            grpc::Status(grpc::StatusCode::INTERNAL, "could not read the chapter's past events"));
      }
      backlog_.clear();
      backlog_first_ = events.front().seq;
      for (auto& event : events) {
        backlog_.emplace_back(std::move(event.bytes));
      }
    }
    Pump();
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_ || done_) {
      return;
    }
    finished_ = true;
    Finish(status);
  }

  engine::Engine& engine_;
  grpc::CallbackServerContext* const context_;
  const std::string chapter_;
  std::shared_ptr<SubscribeReactor> self_;

  std::mutex mu_;
  std::unique_ptr<engine::TokenRegistry::Watch> watch_;
  std::shared_ptr<stream::ChapterFeed> feed_;
  int64_t next_seq_ = 1;
  std::deque<stream::SharedBytes> backlog_;
  int64_t backlog_first_ = 0;
  grpc::ByteBuffer buffer_;
  bool writing_ = false;
  // The feed's bytes_published() when the write in flight started.
  uint64_t bytes_at_write_ = 0;
  bool loading_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  bool done_ = false;
};

bool ParseRequest(const grpc::ByteBuffer& raw, v1::SubscribeRequest* request) {
  grpc::ByteBuffer copy(raw);
  std::vector<grpc::Slice> slices;
  if (!copy.Dump(&slices).ok()) {
    return false;
  }
  std::string bytes;
  for (const auto& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return request->ParseFromString(bytes);
}

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* EventService::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw) {
  v1::SubscribeRequest request;
  const bool parsed = ParseRequest(*raw, &request);
  auto reactor = std::make_shared<SubscribeReactor>(engine_, context, request.chapter());
  reactor->Hold();
  auto principal = Authenticate(*context, tokens_);
  if (!parsed) {
    reactor->Fail(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "malformed SubscribeRequest"));
    return reactor.get();
  }
  if (!principal.ok()) {
    reactor->Fail(ToGrpcStatus(principal.error()));
    return reactor.get();
  }
  auto chapter = ChapterOf("chapter", request.chapter());
  if (chapter.ok() && *chapter != request.chapter()) {
    chapter =
        InvalidArgument("chapter: expected chapters/{chapter}, got \"" + request.chapter() + "\"");
  }
  if (!chapter.ok()) {
    reactor->Fail(ToGrpcStatus(chapter.error()));
    return reactor.get();
  }
  // Watched from before the read below, so a revocation between it and the first event counts.
  auto watch = tokens_.WatchRevocation(*BearerToken(*context), [weak = std::weak_ptr(reactor)] {
    if (auto self = weak.lock()) {
      self->OnTokenRevoked();
    }
  });
  if (!watch) {
    reactor->Fail(ToGrpcStatus(UnknownToken()));
    return reactor.get();
  }
  reactor->WatchToken(std::move(watch));
  if (request.after_seq() < 0) {
    reactor->Fail(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                               "after_seq: must not be negative; 0 replays the whole log"));
    return reactor.get();
  }
  // The read checks the principal may see the chapter; streaming starts once it has.
  auto feed = hub_.Find(*chapter);
  engine_.Read(
      *principal, *chapter, [](const domain::Chapter&) { return Status{}; },
      [reactor, feed, after = request.after_seq(), chapter = *chapter](const Status& status) {
        if (!status.ok()) {
          return reactor->Fail(ToGrpcStatus(status));
        }
        if (!feed) {
          return reactor->Fail(
              grpc::Status(grpc::StatusCode::NOT_FOUND, "chapter " + chapter + " does not exist"));
        }
        const int64_t last = feed->last_seq();
        if (after > last) {
          return reactor->Fail(grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                                            "after_seq: " + std::to_string(after) +
                                                " is beyond the last event of " + chapter + " (" +
                                                std::to_string(last) + ")"));
        }
        reactor->Begin(feed, after);
      });
  return reactor.get();
}

}  // namespace reciproca::api
