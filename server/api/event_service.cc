#include "server/api/event_service.h"

#include <boost/asio/post.hpp>
#include <deque>
#include <mutex>

#include <spdlog/spdlog.h>

#include "server/api/unparseable_request.h"
#include "server/domain/need_to_know.h"
#include "server/engine/event_views.h"

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
// from construction until gRPC calls OnDone.
//
// Need-to-know: each event is written in the version its subscriber may see (domain/
// need_to_know.h). The versions are made once per event (engine/event_views.h) and shared; a
// subscriber only picks one, and follows its own role changes as they stream past. It watches
// its token and ends with UNAUTHENTICATED when the token is revoked (a replaced display link).
//
// One write is in flight at a time; while it is, the reactor is parked on the feed, and if the
// chapter moves on by more than Limits::subscriber_queue_bytes before the write completes (the
// client takes nothing), the stream ends with RESOURCE_EXHAUSTED and where to resume.
class SubscribeReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                               public stream::Listener,
                               public engine::TokenWatcher,
                               public std::enable_shared_from_this<SubscribeReactor> {
 public:
  SubscribeReactor(engine::Engine& engine, grpc::CallbackServerContext* context,
                   std::string chapter)
      : engine_(engine), context_(context), chapter_(std::move(chapter)) {}

  void Hold() { self_ = shared_from_this(); }

  // The principal's stream slot, held until the stream is done.
  void Keep(std::shared_ptr<void> slot) { slot_ = std::move(slot); }

  // Tells the client the subscription is accepted, then streams the events after `after_seq`
  // from `feed`, as `viewer` may see them; `viewer` was resolved against the chapter after event
  // `viewer_since`.
  void Begin(std::shared_ptr<stream::ChapterFeed> feed, int64_t after_seq, domain::Viewer viewer,
             int64_t viewer_since) {
    {
      std::lock_guard lock(mu_);
      if (finished_ || done_) {
        return;
      }
      feed_ = std::move(feed);
      next_seq_ = after_seq + 1;
      viewer_ = std::move(viewer);
      viewer_since_ = viewer_since;
      context_->AddInitialMetadata(stream::kStreamAcceptedKey, "1");
      StartSendInitialMetadata();
    }
    Pump();
  }

  // Ends the stream at once, even with a write in flight (a client that stopped reading must not
  // keep a revoked token's stream open): gRPC sends the status after that write.
  void OnRevoked(const std::string& reason) override {
    std::lock_guard lock(mu_);
    FinishLocked(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, reason));
  }

  void Fail(const grpc::Status& status) {
    std::lock_guard lock(mu_);
    FinishLocked(status);
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
    std::lock_guard lock(mu_);
    done_ = true;
    slot_.reset();
    self.swap(self_);  // released after the lock, at the end of this scope
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
    stream::FeedEvent event;
    if (!backlog_.empty() && backlog_first_ == next_seq_) {
      event = std::move(backlog_.front());
      backlog_.pop_front();
      ++backlog_first_;
    } else {
      backlog_.clear();
      switch (feed_->Get(next_seq_, &event, weak_from_this())) {
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
    grpc::Slice slice = SliceOf(VersionForLocked(event));
    buffer_ = grpc::ByteBuffer(&slice, 1);
    writing_ = true;
    StartWrite(&buffer_);
    if (engine_.limits().subscriber_queue_bytes > 0) {
      bytes_at_write_ = feed_->bytes_published();
      parked_in_ = feed_->Park(weak_from_this(), parked_in_);
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
      parked_in_ = feed_->Park(weak_from_this(), parked_in_);
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

  // The bytes of `event` this subscriber may see.
  const stream::SharedBytes& VersionForLocked(const stream::FeedEvent& event) {
    const stream::EventViews* views = event.views.get();
    if (!views) {
      return event.bytes;
    }
    if (views->sets_role && event.seq > viewer_since_ && views->role_member == viewer_.member &&
        viewer_.kind == domain::Principal::Kind::kMember) {
      viewer_.organizer = views->role_organizer;
    }
    switch (domain::ViewFor(viewer_, views->parties)) {
      case domain::View::kFull:
        break;
      case domain::View::kOthers:
        return views->others.empty() ? event.bytes : views->others;
      case domain::View::kDisplay:
        return views->display.empty() ? event.bytes : views->display;
    }
    return event.bytes;
  }

  // On the blocking pool: one page of older events from the store, with their versions (made
  // here, per page, for events older than the feed's ring).
  void LoadFromStore(int64_t after_seq) {
    std::vector<store::StoredEvent> events;
    Status status = engine_.store().ReadEvents(chapter_, after_seq, kStorePage, &events);
    std::vector<stream::FeedEvent> loaded;
    loaded.reserve(events.size());
    for (auto& stored : events) {
      v1::Event event;
      if (!status.ok() || !event.ParseFromString(stored.bytes)) {
        status = Internal("event " + std::to_string(stored.seq) + " does not parse");
        break;
      }
      loaded.push_back(engine::FeedEventOf(event, std::move(stored.bytes)));
    }
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
      for (auto& event : loaded) {
        backlog_.push_back(std::move(event));
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
  std::shared_ptr<void> slot_;

  std::mutex mu_;
  std::shared_ptr<stream::ChapterFeed> feed_;
  int64_t next_seq_ = 1;
  domain::Viewer viewer_;
  int64_t viewer_since_ = 0;
  std::deque<stream::FeedEvent> backlog_;
  int64_t backlog_first_ = 0;
  grpc::ByteBuffer buffer_;
  bool writing_ = false;
  // The feed's bytes_published() when the write in flight started.
  uint64_t bytes_at_write_ = 0;
  uint64_t parked_in_ = 0;  // what the last ChapterFeed::Park returned
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

EventService::EventService(engine::Engine& engine, const engine::TokenRegistry& tokens,
                           stream::EventHub& hub, StreamLimit limit)
    : ServiceBase(engine, tokens),
      hub_(hub),
      limit_(std::move(limit)),
      streams_(limit_.per_principal) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* EventService::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw) {
  v1::SubscribeRequest request;
  const bool parsed = ParseRequest(*raw, &request);
  auto reactor = std::make_shared<SubscribeReactor>(engine_, context, request.chapter());
  reactor->Hold();
  std::string token;
  auto principal = Authenticate(*context, tokens_, &token);
  if (!parsed) {
    reactor->Fail(UnparseableRequest(v1::SubscribeRequest::descriptor()->full_name()));
    return reactor.get();
  }
  if (!principal.ok()) {
    reactor->Fail(ToGrpcStatus(principal.error()));
    return reactor.get();
  }
  auto slot = streams_.Take(engine::LimitKey(*principal));
  if (!slot) {
    const std::string why = "this token has " + std::to_string(limit_.per_principal) +
                            " event streams open (--max-streams-per-principal); close a tab or "
                            "a display, or retry in a few seconds";
    if (limit_.refused) {
      limit_.refused(why);
    }
    reactor->Fail(Exhausted(*context, why, std::chrono::seconds(5)));
    return reactor.get();
  }
  reactor->Keep(std::move(slot));
  auto chapter = ChapterOf("chapter", request.chapter());
  if (chapter.ok() && *chapter != request.chapter()) {
    chapter =
        InvalidArgument("chapter: expected chapters/{chapter}, got \"" + request.chapter() + "\"");
  }
  if (!chapter.ok()) {
    reactor->Fail(ToGrpcStatus(chapter.error()));
    return reactor.get();
  }
  if (request.after_seq() < 0) {
    reactor->Fail(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                               "after_seq: must not be negative; 0 replays the whole log"));
    return reactor.get();
  }
  // The read checks the principal may see the chapter and resolves what they may see of it;
  // streaming starts once it has.
  auto feed = hub_.Find(*chapter);
  struct Start {
    domain::Viewer viewer;
    int64_t since = 0;
  };
  auto start = std::make_shared<Start>();
  engine_.Read(
      *principal, *chapter,
      [start, principal = *principal](const domain::Chapter& c) {
        start->viewer = domain::ViewerOf(c, principal);
        start->since = c.last_seq();
        return Status{};
      },
      [this, reactor, feed, start, token = std::move(token), after = request.after_seq(),
       chapter = *chapter](const Status& status) {
        if (!status.ok()) {
          return reactor->Fail(ToGrpcStatus(status));
        }
        if (!tokens_.Watch(token, reactor)) {
          return reactor->Fail(
              grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                           "unknown or revoked token; ask an organizer for a new one"));
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
        reactor->Begin(feed, after, start->viewer, start->since);
      });
  return reactor.get();
}

}  // namespace reciproca::api
