// GET /api/events: the chapter's events as Server-Sent Events over the gRPC Subscribe stream of
// the same server (same replay, same order, no gap, no duplicate).
//
// Where a browser's events wait: in the kernel's buffers for its socket (the kernel's to size),
// then in this stream's own queue of frames (`out_`), whose first frame is the one being written.
// The gateway reads the subscription ahead while at most Limits::subscriber_queue_bytes of events
// wait behind the write in flight, so the server's write to the gateway always completes and the
// bound is kept here, the way the server keeps it for a gRPC subscriber: if more than the bound
// arrives while one write to the browser stays unfinished (it takes nothing), the subscription
// is cancelled, the frames not yet written are dropped, and the frame in flight is followed by
// an `event: error` frame naming the last event the browser will have (`resumeAfterSeq`); the
// connection closes once the browser took it (or at the write timeout). A browser that is slow
// but reading (catching up a long log) is never cut: each write it completes starts the count
// again, and past the bound the gateway reads no further ahead until its queue drains. With the
// bound off (0) one event is read at a time, once the browser took the previous one.

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include <spdlog/spdlog.h>

#include "server/http/internal.h"
#include "server/stream/subscribe_protocol.h"

namespace reciproca::http {
namespace {

namespace pb = google::protobuf;

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return pb::util::TimeUtil::ToString(pb::util::TimeUtil::NanosecondsToTimestamp(nanos));
}

template <class Stream>
class EventStream final : public grpc::ClientReadReactor<v1::Event>,
                          public Connection,
                          public std::enable_shared_from_this<EventStream<Stream>> {
 public:
  using std::enable_shared_from_this<EventStream<Stream>>::shared_from_this;

  EventStream(std::shared_ptr<Gateway::Shared> shared, Stream stream, asio::ip::address address)
      : shared_(std::move(shared)),
        stream_(std::move(stream)),
        address_(address),
        strand_(stream_.get_executor()),
        timer_(strand_) {}

  ~EventStream() override {
    if (shared_->backend.metrics) {
      shared_->backend.metrics->HttpStreamClosed();
    }
    shared_->Remove(address_);
  }

  void Start(std::string authorization, v1::SubscribeRequest request, unsigned version) {
    self_ = shared_from_this();
    shared_->Add(self_, address_);
    if (shared_->backend.metrics) {
      shared_->backend.metrics->HttpStreamOpened();
    }
    Response head{beast::http::status::ok, version};
    head.set(beast::http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(beast::http::field::cache_control, "no-store");
    head.set(beast::http::field::connection, "close");
    head.set("X-Accel-Buffering", "no");
    AddSecurityHeaders(head, kIsTls<Stream>);
    std::ostringstream out;
    out << head.base() << "retry: 1000\n\n";
    head_ = out.str();
    version_ = version;

    request_ = std::move(request);
    if (!authorization.empty()) {
      context_.AddMetadata("authorization", authorization);
    }
    shared_->event_stub->async()->Subscribe(&context_, &request_, this);
    // The strand starts the later reads: held until it will start none (ReadAhead).
    AddHold();
    reading_ = true;
    StartRead(&event_);
    StartCall();
  }

  void Abort() override {
    asio::post(strand_, [self = shared_from_this()] { self->Close(); });
  }

  // gRPC threads. The server's initial metadata says the subscription was accepted.
  void OnReadInitialMetadataDone(bool ok) override {
    const auto& metadata = context_.GetServerInitialMetadata();
    const auto accepted = metadata.find(stream::kStreamAcceptedKey);
    if (!ok || accepted == metadata.end()) {
      return;  // refused or failed: OnDone follows with the status
    }
    asio::post(strand_, [self = shared_from_this()] { self->Open(); });
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // OnDone follows with the status, once the hold is released
      asio::post(strand_, [self = shared_from_this()] {
        self->reading_ = false;
        self->read_failed_ = true;
        self->ReadAhead();
      });
      return;
    }
    std::string json;
    pb::util::JsonPrintOptions print;
    print.always_print_primitive_fields = true;  // as the JSON API answers
    if (!pb::util::MessageToJsonString(event_, &json, print).ok()) {
      json = "{}";
    }
    const int64_t seq = event_.seq();
    std::string frame = "id: " + std::to_string(seq) + "\nevent: event\ndata: " + json + "\n\n";
    // gRPC may run this reaction before OnReadInitialMetadataDone's (on another thread), so the
    // strand can see the first event before Open: an event means the subscription was accepted,
    // and the head must go first (else the browser reads the event as the head and loses it).
    asio::post(strand_, [self = shared_from_this(), seq, frame = std::move(frame)]() mutable {
      self->reading_ = false;
      self->Open();
      self->OnEvent(seq, std::move(frame));
      self->ReadAhead();
    });
  }

  void OnDone(const grpc::Status& status) override {
    asio::post(strand_, [self = shared_from_this(), status] {
      self->grpc_done_ = true;
      if (!self->opened_ && status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        self->self_.reset();
        return self->Refuse(status);
      }
      self->Open();  // other errors are told on the stream, as EventSource expects
      if (!status.ok() && !self->closed_ && !self->ended_) {
        self->Enqueue("event: error\ndata: " + self->ErrorData(status) + "\n\n");
      }
      self->close_after_flush_ = true;
      if (!self->writing_) {
        self->Close();
      }
      self->self_.reset();  // the reactor is done: nothing else will call it
    });
  }

 private:
  // Strand from here on.
  void Open() {
    if (opened_ || closed_) {
      return;
    }
    opened_ = true;
    Enqueue(std::move(head_));
    SendTime();  // countdowns can use the server's clock at once
    WatchForClose();
    ScheduleTime();
  }

  // The error frame's JSON: the status, and where to resume when the server said so (the
  // trailer `resume-after-seq` of a subscription it ended by the subscriber queue bound).
  std::string ErrorData(const grpc::Status& status) const {
    std::optional<int64_t> resume_after_seq;
    const auto& trailers = context_.GetServerTrailingMetadata();
    const auto resume = trailers.find(stream::kResumeAfterSeqKey);
    if (resume != trailers.end()) {
      int64_t seq = 0;
      const char* end = resume->second.data() + resume->second.size();
      if (std::from_chars(resume->second.data(), end, seq).ptr == end) {
        resume_after_seq = seq;
      }
    }
    return ErrorData(status.error_code(), status.error_message(), resume_after_seq);
  }

  static std::string ErrorData(grpc::StatusCode code, const std::string& message,
                               std::optional<int64_t> resume_after_seq) {
    nlohmann::json data{{"code", StatusCodeName(code)}, {"message", message}};
    if (resume_after_seq) {
      data["resumeAfterSeq"] = *resume_after_seq;
    }
    return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // A refused subscription (too many streams for this token): a plain HTTP error with
  // Retry-After, then the connection closes.
  void Refuse(const grpc::Status& status) {
    if (closed_) {
      return;
    }
    auto res = std::make_shared<Response>(ErrorResponse(status, version_, ""));
    res->set(beast::http::field::server, "reciprocad");
    res->set(beast::http::field::retry_after, std::to_string(shared_->options.retry_after.count()));
    AddSecurityHeaders(*res, kIsTls<Stream>);
    res->keep_alive(false);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(shared_->options.write_timeout);
    beast::http::async_write(stream_, *res,
                             [self = shared_from_this(), res](beast::error_code, size_t) {
                               self->closed_ = true;
                               Hangup(self->stream_, asio::socket_base::shutdown_send);
                             });
  }

  // An event read from the subscription: queued for the browser, and the bound kept.
  void OnEvent(int64_t seq, std::string frame) {
    if (closed_ || ended_) {
      return;  // read before the subscription was cancelled: the error frame said where to resume
    }
    waiting_bytes_ += frame.size();
    if (writing_) {
      arrived_during_write_ += frame.size();
    }
    Enqueue(std::move(frame), seq);
    const size_t bound = shared_->backend.limits.subscriber_queue_bytes;
    if (bound > 0 && arrived_during_write_ > bound) {
      EndPastTheBound(bound);
    }
  }

  // More than the bound arrived while the browser took nothing: the subscription ends, and what
  // the browser gets is the frame in flight, then the error frame.
  void EndPastTheBound(size_t bound) {
    ended_ = true;
    out_.erase(out_.begin() + 1, out_.end());  // the first one is being written
    waiting_bytes_ = 0;
    const std::string message = stream::QueueBoundMessage(bound, written_seq_);
    if (shared_->backend.metrics) {
      shared_->backend.metrics->LimitRefused("subscriber_queue_bytes",
                                             request_.chapter() + " (HTTP): " + message);
    }
    Enqueue("event: error\ndata: " +
            ErrorData(grpc::StatusCode::RESOURCE_EXHAUSTED, message, written_seq_) + "\n\n");
    close_after_flush_ = true;
    context_.TryCancel();
  }

  // Reads the subscription's next event when the browser's queue has room for it; releases the
  // hold once no read will follow (OnDone may then come).
  void ReadAhead() {
    if (reading_ || hold_released_) {
      return;
    }
    if (closed_ || ended_ || read_failed_) {
      hold_released_ = true;
      RemoveHold();
      return;
    }
    const size_t bound = shared_->backend.limits.subscriber_queue_bytes;
    if (bound == 0 ? waiting_bytes_ > 0 || (writing_ && out_.front().seq > 0)
                   : waiting_bytes_ > bound) {
      return;  // OnWritten reads on
    }
    reading_ = true;
    StartRead(&event_);
  }

  // `seq`: the event the frame carries, 0 for the others (head, time, error).
  void Enqueue(std::string frame, int64_t seq = 0) {
    if (closed_) {
      return;
    }
    out_.push_back({std::move(frame), seq});
    if (!writing_) {
      WriteNext();
    }
  }

  void WriteNext() {
    writing_ = true;
    arrived_during_write_ = 0;
    const Frame& frame = out_.front();
    if (frame.seq > 0) {
      waiting_bytes_ -= frame.text.size();  // no longer waiting: in flight
      written_seq_ = frame.seq;
    }
    beast::get_lowest_layer(stream_).expires_after(shared_->options.write_timeout);
    asio::async_write(
        stream_, asio::buffer(frame.text),
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
  }

  void OnWritten(beast::error_code ec) {
    writing_ = false;
    if (ec) {
      return Close();
    }
    out_.pop_front();
    if (!out_.empty()) {
      WriteNext();
    } else {
      beast::get_lowest_layer(stream_).expires_never();
      if (close_after_flush_) {
        return Close();
      }
    }
    ReadAhead();
  }

  // The client sends nothing on an event stream; a read completes when it goes away (on HTTPS
  // too: the TCP socket under the TLS session, so the read never competes with the writes).
  void WatchForClose() {
    beast::get_lowest_layer(stream_).socket().async_read_some(
        asio::buffer(scratch_),
        [self = shared_from_this()](beast::error_code, size_t) { self->Close(); });
  }

  void ScheduleTime() {
    timer_.expires_after(shared_->options.time_interval);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) {
        return;
      }
      if (self->out_.empty()) {
        self->SendTime();
      }
      self->ScheduleTime();
    });
  }

  void SendTime() {
    const auto now = shared_->backend.clock->Now();
    Enqueue("event: time\ndata: {\"now\":\"" + Rfc3339(now) + "\"}\n\n");
  }

  void Close() {
    if (closed_) {
      return;
    }
    closed_ = true;
    if (!grpc_done_) {
      context_.TryCancel();
    }
    timer_.cancel();
    Hangup(stream_);
    ReadAhead();  // releases the hold
  }

  struct Frame {
    std::string text;
    int64_t seq = 0;
  };

  std::shared_ptr<Gateway::Shared> shared_;
  Stream stream_;
  const asio::ip::address address_;
  asio::any_io_executor strand_;
  asio::steady_timer timer_;
  grpc::ClientContext context_;
  v1::SubscribeRequest request_;
  v1::Event event_;
  std::shared_ptr<EventStream> self_;  // held from Start until gRPC's OnDone
  // Frames for the browser; while writing_, the first is being written.
  std::deque<Frame> out_;
  // Bytes of the events in out_ behind the write in flight; of those, the bytes that arrived
  // since that write started.
  size_t waiting_bytes_ = 0;
  size_t arrived_during_write_ = 0;
  // The last event whose frame was handed to the socket (in flight, or taken).
  int64_t written_seq_ = 0;
  std::string head_;
  unsigned version_ = 11;
  bool opened_ = false;
  char scratch_[64];
  bool writing_ = false;
  bool reading_ = false;        // a read of the subscription is in flight
  bool read_failed_ = false;    // a read came back !ok: the call is over
  bool hold_released_ = false;  // see ReadAhead
  bool ended_ = false;          // by the bound (EndPastTheBound)
  bool grpc_done_ = false;
  bool close_after_flush_ = false;
  bool closed_ = false;
};

}  // namespace

template <class Stream>
void StartEventStream(const std::shared_ptr<Gateway::Shared>& shared, Stream stream,
                      asio::ip::address address, std::string authorization,
                      v1::SubscribeRequest request, unsigned version) {
  std::make_shared<EventStream<Stream>>(shared, std::move(stream), address)
      ->Start(std::move(authorization), std::move(request), version);
}

template void StartEventStream<PlainStream>(const std::shared_ptr<Gateway::Shared>&, PlainStream,
                                            asio::ip::address, std::string, v1::SubscribeRequest,
                                            unsigned);
template void StartEventStream<TlsStream>(const std::shared_ptr<Gateway::Shared>&, TlsStream,
                                          asio::ip::address, std::string, v1::SubscribeRequest,
                                          unsigned);

}  // namespace reciproca::http
