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
    // gRPC may run this reaction before OnReadInitialMetadataDone's (on another thread), so the
    // strand can see the first event before Open: an event means the subscription was accepted,
    // and the head must go first (else the browser reads the event as the head and loses it).
    asio::post(strand_, [self = shared_from_this(), frame = std::move(frame)] {
      self->Open();
      self->Enqueue(frame, true);
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
  void Open() {
    if (opened_ || closed_) {
      return;
    }
    opened_ = true;
    Enqueue(std::move(head_), false);
    SendTime();  // countdowns can use the server's clock at once
    WatchForClose();
    ScheduleTime();
  }

  // A refused subscription (too many streams for this token): a plain HTTP error with
  // Retry-After, then the connection closes.
  void Refuse(const grpc::Status& status) {
    if (closed_) {
      return;
    }
    auto res = std::make_shared<Response>(ErrorResponse(status, version_));
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
  const asio::ip::address address_;
  asio::any_io_executor strand_;
  asio::steady_timer timer_;
  grpc::ClientContext context_;
  v1::SubscribeRequest request_;
  v1::Event event_;
  std::shared_ptr<EventStream> self_;  // held from Start until gRPC's OnDone
  std::deque<std::string> out_;
  std::string head_;
  unsigned version_ = 11;
  bool opened_ = false;
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
