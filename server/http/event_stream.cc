// GET /api/events: the chapter's events as Server-Sent Events over the gRPC Subscribe stream of
// the same server (same replay, same order, no gap, no duplicate). One event is in flight at a
// time: the next is read from the subscription only once the client has taken the previous one,
// so a stalled browser costs a cursor, never a queue.

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <nlohmann/json.hpp>
#include <sstream>

#include <spdlog/spdlog.h>

#include "server/http/internal.h"

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

  EventStream(std::shared_ptr<Gateway::Shared> shared, Stream stream)
      : shared_(std::move(shared)),
        stream_(std::move(stream)),
        strand_(stream_.get_executor()),
        timer_(strand_) {}

  ~EventStream() override {
    if (shared_->backend.metrics) {
      shared_->backend.metrics->HttpStreamClosed();
    }
    shared_->Remove();
  }

  void Start(std::string authorization, v1::SubscribeRequest request, unsigned version) {
    self_ = shared_from_this();
    shared_->Add(self_);
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
    asio::dispatch(strand_, [self = self_, head = out.str()] {
      self->Enqueue(head, false);
      self->SendTime();  // countdowns can use the server's clock at once
      self->WatchForClose();
      self->ScheduleTime();
    });

    request_ = std::move(request);
    if (!authorization.empty()) {
      context_.AddMetadata("authorization", authorization);
    }
    shared_->event_stub->async()->Subscribe(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }

  void Abort() override {
    asio::post(strand_, [self = shared_from_this()] { self->Close(); });
  }

  // gRPC threads.
  void OnReadDone(bool ok) override {
    if (!ok) {
      return;  // OnDone follows with the status
    }
    std::string json;
    pb::util::JsonPrintOptions print;
    print.always_print_primitive_fields = true;  // as the JSON API answers
    if (!pb::util::MessageToJsonString(event_, &json, print).ok()) {
      json = "{}";
    }
    std::string frame =
        "id: " + std::to_string(event_.seq()) + "\nevent: event\ndata: " + json + "\n\n";
    asio::post(strand_, [self = shared_from_this(), frame = std::move(frame)] {
      self->Enqueue(frame, true);
    });
  }

  void OnDone(const grpc::Status& status) override {
    asio::post(strand_, [self = shared_from_this(), status] {
      self->grpc_done_ = true;
      if (!status.ok() && !self->closed_) {
        const std::string data =
            nlohmann::json{{"code", StatusCodeName(status.error_code())},
                           {"message", status.error_message()}}
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        self->Enqueue("event: error\ndata: " + data + "\n\n", false);
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
  void Enqueue(std::string frame, bool from_subscription) {
    if (closed_) {
      return;
    }
    out_.push_back(std::move(frame));
    awaiting_flush_ = awaiting_flush_ || from_subscription;
    if (!writing_) {
      WriteNext();
    }
  }

  void WriteNext() {
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(shared_->options.write_timeout);
    asio::async_write(
        stream_, asio::buffer(out_.front()),
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
  }

  void OnWritten(beast::error_code ec) {
    writing_ = false;
    if (ec) {
      return Close();
    }
    out_.pop_front();
    if (!out_.empty()) {
      return WriteNext();
    }
    beast::get_lowest_layer(stream_).expires_never();
    if (close_after_flush_) {
      return Close();
    }
    if (awaiting_flush_ && !grpc_done_) {
      awaiting_flush_ = false;
      StartRead(&event_);  // the client took the event: the next one
    }
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
    Enqueue("event: time\ndata: {\"now\":\"" + Rfc3339(now) + "\"}\n\n", false);
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
  }

  std::shared_ptr<Gateway::Shared> shared_;
  Stream stream_;
  asio::any_io_executor strand_;
  asio::steady_timer timer_;
  grpc::ClientContext context_;
  v1::SubscribeRequest request_;
  v1::Event event_;
  std::shared_ptr<EventStream> self_;  // held from Start until gRPC's OnDone
  std::deque<std::string> out_;
  char scratch_[64];
  bool writing_ = false;
  bool awaiting_flush_ = false;
  bool grpc_done_ = false;
  bool close_after_flush_ = false;
  bool closed_ = false;
};

}  // namespace

template <class Stream>
void StartEventStream(const std::shared_ptr<Gateway::Shared>& shared, Stream stream,
                      std::string authorization, v1::SubscribeRequest request, unsigned version) {
  std::make_shared<EventStream<Stream>>(shared, std::move(stream))
      ->Start(std::move(authorization), std::move(request), version);
}

template void StartEventStream<PlainStream>(const std::shared_ptr<Gateway::Shared>&, PlainStream,
                                            std::string, v1::SubscribeRequest, unsigned);
template void StartEventStream<TlsStream>(const std::shared_ptr<Gateway::Shared>&, TlsStream,
                                          std::string, v1::SubscribeRequest, unsigned);

}  // namespace reciproca::http
