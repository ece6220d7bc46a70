#include "server/http/gateway.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <charconv>
#include <optional>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "server/http/assets.h"
#include "server/http/internal.h"

namespace reciproca::http {
namespace {

namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kApiPrefix = "/api/";
constexpr std::string_view kEventsPath = "/api/events";

int FromHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a query value ("chapters%2Frome" → "chapters/rome"); nullopt when malformed.
std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        return std::nullopt;
      }
      const int hi = FromHex(in[i + 1]);
      const int lo = FromHex(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// The value of `key` in "a=1&b=2", decoded; "" when absent.
std::optional<std::string> QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    }
  }
  return std::string();
}

std::optional<int64_t> ParseSeq(std::string_view text) {
  int64_t value = 0;
  if (text.empty()) {
    return 0;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// The route label for metrics and logs: bounded, never the query.
std::string RouteOf(std::string_view path) {
  if (path == kEventsPath || path == "/healthz" || path == "/metrics") {
    return std::string(path);
  }
  if (path.substr(0, kApiPrefix.size()) == kApiPrefix) {
    const std::string_view method = path.substr(kApiPrefix.size() - 1);
    return IsApiMethod(method) ? "/api" + std::string(method) : "/api/unknown";
  }
  return FindAsset(path) ? "static" : "other";
}

// One HTTP/1.1 connection (plain, or HTTPS after the TLS handshake): requests in turn, kept
// alive, until it is idle too long, the client closes, or it becomes an event stream.
template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

  Session(std::shared_ptr<Gateway::Shared> shared, Stream stream)
      : shared_(std::move(shared)), stream_(std::move(stream)) {}

  ~Session() override { shared_->Remove(); }

  void Start() {
    shared_->Add(shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kIsTls<Stream>) {
        self->Handshake();
      } else {
        self->Read();
      }
    });
  }

  void Abort() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->aborted_ = true;
      self->Close();
    });
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // HTTPS: the TLS handshake first, within handshake_timeout. A client that failed it (plain
  // HTTP, an untrusted certificate, garbage) is closed; plain HTTP is told to use https://.
  void Handshake() {
    Tcp().expires_after(shared_->options.handshake_timeout);
    stream_.async_handshake(
        asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
          if (!ec) {
            return self->Read();
          }
          spdlog::debug("https handshake: {}", ec.message());
          if (ec.category() == asio::error::get_ssl_category() &&
              ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST) {
            // Answered on the TCP connection itself, in plain text.
            self->response_ = self->Plain(bhttp::status::bad_request,
                                          "this port speaks HTTPS: use https:// in the address");
            self->response_.keep_alive(false);
            self->response_.prepare_payload();
            self->Tcp().expires_after(self->shared_->options.write_timeout);
            return bhttp::async_write(self->Tcp(), self->response_,
                                      [self](beast::error_code, size_t) { self->Close(); });
          }
          self->Close();
        });
  }

  void Read() {
    if (aborted_) {
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.max_header_bytes));
    parser_->body_limit(shared_->options.max_body_bytes);
    Tcp().expires_after(shared_->options.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || aborted_) {
      return Close();
    }
    start_ = Clock::now();
    if (ec == bhttp::error::body_limit) {
      return Reply(Plain(bhttp::status::payload_too_large,
                         "the request body is larger than " +
                             std::to_string(shared_->options.max_body_bytes) + " bytes"),
                   "other", false);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(
          Plain(bhttp::status::request_header_fields_too_large, "the request head is too large"),
          "other", false);
    }
    if (ec) {
      return Reply(Plain(bhttp::status::bad_request, "malformed HTTP request: " + ec.message()),
                   "other", false);
    }
    request_ = parser_->release();
    Handle();
  }

  Response Plain(bhttp::status status, std::string text) const {
    Response res{status, 11};
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = std::move(text) + "\n";
    return res;
  }

  void Handle() {
    const std::string_view target(request_.target().data(), request_.target().size());
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    const std::string route = RouteOf(path);
    const auto method = request_.method();
    const bool get = method == bhttp::verb::get;

    if (path.empty() || path[0] != '/') {
      return Reply(Plain(bhttp::status::bad_request, "the request target must be a path"), route);
    }
    if (path == "/healthz") {
      if (!get) return MethodNotAllowed("GET", route);
      const bool serving =
          !shared_->stopping && (!shared_->backend.healthy || shared_->backend.healthy());
      Response res = Plain(serving ? bhttp::status::ok : bhttp::status::service_unavailable,
                           serving ? "SERVING" : "NOT_SERVING");
      return Reply(std::move(res), route);
    }
    if (path == "/metrics") {
      if (!get) return MethodNotAllowed("GET", route);
      Response res{bhttp::status::ok, request_.version()};
      res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.set(bhttp::field::cache_control, "no-store");
      res.body() =
          shared_->backend.metrics
              ? shared_->backend.metrics->Scrape(shared_->backend.plugin_states
                                                     ? shared_->backend.plugin_states()
                                                     : decltype(shared_->backend.plugin_states())())
              : "";
      return Reply(std::move(res), route);
    }
    if (path == kEventsPath) {
      if (!get) return MethodNotAllowed("GET", route);
      return Events(query, route);
    }
    if (path.substr(0, kApiPrefix.size()) == kApiPrefix) {
      if (method != bhttp::verb::post) return MethodNotAllowed("POST", route);
      return Api(path.substr(kApiPrefix.size() - 1), route);
    }
    if (path == "/") {
      Response res{bhttp::status::found, request_.version()};
      res.set(bhttp::field::location, "/app/");
      return Reply(std::move(res), route);
    }
    if (const Asset* asset = FindAsset(path)) {
      if (!get) return MethodNotAllowed("GET", route);
      Response res{bhttp::status::ok, request_.version()};
      res.set(bhttp::field::content_type, std::string(asset->content_type));
      res.set(bhttp::field::cache_control, "no-cache");
      res.body().assign(asset->body.data(), asset->body.size());
      return Reply(std::move(res), route);
    }
    return Reply(Plain(bhttp::status::not_found, "not found"), route);
  }

  void MethodNotAllowed(const char* allow, const std::string& route) {
    Response res = Plain(bhttp::status::method_not_allowed, std::string("use ") + allow);
    res.set(bhttp::field::allow, allow);
    Reply(std::move(res), route);
  }

  std::string Authorization() const {
    auto it = request_.find(bhttp::field::authorization);
    return it == request_.end() ? std::string() : it->value().to_string();
  }

  void Api(std::string_view method_path, const std::string& route) {
    const auto type = request_[bhttp::field::content_type];
    if (!request_.body().empty() && type.substr(0, 16) != "application/json") {
      Response res = ErrorResponse(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "send the request body as JSON, with Content-Type: application/json"),
          request_.version());
      res.result(bhttp::status::unsupported_media_type);
      return Reply(std::move(res), route);
    }
    const unsigned version = request_.version();
    CallJson(
        shared_, method_path, request_.body(), Authorization(),
        [self = shared_from_this(), route, version](const grpc::Status& status, std::string json) {
          asio::post(self->stream_.get_executor(),
                     [self, route, version, status, json = std::move(json)]() mutable {
                       if (!status.ok()) {
                         return self->Reply(ErrorResponse(status, version), route);
                       }
                       Response res{bhttp::status::ok, version};
                       res.set(bhttp::field::content_type, "application/json");
                       res.set(bhttp::field::cache_control, "no-store");
                       res.body() = std::move(json);
                       self->Reply(std::move(res), route);
                     });
        });
  }

  // Checks the caller may read the chapter (GetChapter: the same authentication and access
  // rules), then hands the connection to an event stream.
  void Events(std::string_view query, const std::string& route) {
    const unsigned version = request_.version();
    auto chapter = QueryValue(query, "chapter");
    auto after = QueryValue(query, "after_seq");
    // EventSource's own resume header wins over the query.
    if (const auto last = request_["Last-Event-ID"]; !last.empty()) {
      after = last.to_string();
    }
    std::optional<int64_t> after_seq = after ? ParseSeq(*after) : std::nullopt;
    if (!chapter || chapter->empty()) {
      return Reply(ErrorResponse(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                              "chapter is required: /api/events?chapter="
                                              "chapters/{chapter}&after_seq=N"),
                                 version),
                   route);
    }
    if (!after_seq) {
      return Reply(ErrorResponse(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                              "after_seq must be a whole number >= 0 (the last "
                                              "seq seen; 0 for the whole log)"),
                                 version),
                   route);
    }
    v1::SubscribeRequest subscribe;
    subscribe.set_chapter(*chapter);
    subscribe.set_after_seq(*after_seq);
    const std::string get_chapter = "{\"name\":" + QuoteJson(*chapter) + "}";
    std::string authorization = Authorization();
    CallJson(shared_, "/reciproca.v1.ChapterService/GetChapter", get_chapter, authorization,
             [self = shared_from_this(), route, version, subscribe, authorization](
                 const grpc::Status& status, std::string) {
               asio::post(self->stream_.get_executor(), [=]() mutable {
                 if (!status.ok()) {
                   return self->Reply(ErrorResponse(status, version), route);
                 }
                 if (self->aborted_) {
                   return self->Close();
                 }
                 self->handed_off_ = true;
                 self->Observe(route, 200);
                 StartEventStream(self->shared_, std::move(self->stream_), authorization, subscribe,
                                  version);
               });
             });
  }

  static std::string QuoteJson(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

  void Observe(const std::string& route, int status) {
    const auto latency = Clock::now() - start_;
    if (shared_->backend.metrics) {
      shared_->backend.metrics->ObserveHttp(route, status, latency);
    }
    // The route, never the query or the headers: tokens stay out of the logs.
    spdlog::debug("http {} {} {} {:.1f}ms", request_.method_string().to_string(), route, status,
                  std::chrono::duration<double, std::milli>(latency).count());
  }

  void Reply(Response res, const std::string& route, bool keep_alive = true) {
    keep_alive = keep_alive && request_.keep_alive() && !shared_->stopping;
    res.version(request_.version() ? request_.version() : 11);
    res.set(bhttp::field::server, "reciprocad");
    AddSecurityHeaders(res, kIsTls<Stream>);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    Observe(route, res.result_int());
    response_ = std::move(res);
    Tcp().expires_after(shared_->options.write_timeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) {
                           return self->Close();
                         }
                         self->Read();
                       });
  }

  void Close() {
    if (!handed_off_) {
      Hangup(stream_, asio::socket_base::shutdown_send);
    }
  }

  std::shared_ptr<Gateway::Shared> shared_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  Response response_;
  Clock::time_point start_ = Clock::now();
  bool handed_off_ = false;
  bool aborted_ = false;
};

void Accept(const std::shared_ptr<Gateway::Shared>& shared) {
  shared->acceptor.async_accept(
      asio::make_strand(shared->io), [shared](beast::error_code ec, asio::ip::tcp::socket socket) {
        if (ec || shared->stopping) {
          if (ec != asio::error::operation_aborted && !shared->stopping) {
            spdlog::warn("http accept: {}", ec.message());
            Accept(shared);
          }
          return;
        }
        bool full = false;
        {
          std::lock_guard lock(shared->mu);
          full = shared->connection_count >= shared->options.max_connections;
        }
        if (full) {
          spdlog::warn("http: {} connections open; refusing another",
                       shared->options.max_connections);
          beast::error_code ignored;
          socket.close(ignored);
        } else if (shared->tls) {
          std::make_shared<Session<TlsStream>>(
              shared, TlsStream(beast::tcp_stream(std::move(socket)), *shared->tls))
              ->Start();
        } else {
          std::make_shared<Session<PlainStream>>(shared, PlainStream(std::move(socket)))->Start();
        }
        Accept(shared);
      });
}

Result<asio::ip::tcp::endpoint> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  auto bad = [&listen](const std::string& why) {
    return Error{ErrorCode::kInvalidArgument, "--http-listen " + listen + ": " + why +
                                                  " (expected HOST:PORT, e.g. 127.0.0.1:8080)"};
  };
  if (colon == std::string::npos) {
    return bad("no port");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") {
    host = "127.0.0.1";
  }
  unsigned port = 0;
  const std::string port_text = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return bad("bad port");
  }
  beast::error_code address_error;
  auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, address_error);
  if (address_error) {
    return bad("bad address");
  }
  return asio::ip::tcp::endpoint(address, static_cast<unsigned short>(port));
}

// The HTTPS context: the PEM certificate chain and key, TLS 1.2 and later only.
Result<std::unique_ptr<asio::ssl::context>> TlsContext(const GatewayOptions& options) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  auto bad = [](const std::string& what, const beast::error_code& ec) {
    return Error{ErrorCode::kInvalidArgument,
                 "cannot serve HTTPS: " + what + " (" + ec.message() + ")"};
  };
  beast::error_code ec;
  context->use_certificate_chain(asio::buffer(options.tls_cert_chain), ec);
  if (ec) {
    return bad("--http-tls-cert is not a PEM certificate chain", ec);
  }
  context->use_private_key(asio::buffer(options.tls_private_key), asio::ssl::context::pem, ec);
  if (ec) {
    return bad("--http-tls-key is not a PEM private key, or not the certificate's", ec);
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return Error{ErrorCode::kInvalidArgument,
                 "cannot serve HTTPS: --http-tls-key is not the key of --http-tls-cert"};
  }
  return context;
}

}  // namespace

void Gateway::Shared::Add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu);
  connections.insert(connection);
  ++connection_count;
}

void Gateway::Shared::Remove() {
  {
    std::lock_guard lock(mu);
    --connection_count;
    for (auto it = connections.begin(); it != connections.end();) {
      it = it->expired() ? connections.erase(it) : std::next(it);
    }
  }
  cv.notify_all();
}

const Asset* FindAsset(std::string_view path) {
  std::string wanted(path);
  if (!wanted.empty() && wanted.back() == '/') {
    wanted += "index.html";
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (const Asset& asset : WebAssets()) {
      if (asset.path == wanted) {
        return &asset;
      }
    }
    wanted += "/index.html";  // "/app" is the folder
  }
  return nullptr;
}

Result<std::unique_ptr<Gateway>> Gateway::Start(asio::io_context& io, const GatewayOptions& options,
                                                GatewayBackend backend) {
  auto endpoint = ParseListen(options.listen);
  if (!endpoint.ok()) {
    return endpoint.error();
  }
  auto shared = std::make_shared<Shared>(io, options, std::move(backend));
  if (!options.tls_cert_chain.empty() || !options.tls_private_key.empty()) {
    auto tls = TlsContext(options);
    if (!tls.ok()) {
      return tls.error();
    }
    shared->tls = std::move(tls).value();
  }
  beast::error_code ec;
  shared->acceptor.open(endpoint->protocol(), ec);
  if (!ec) shared->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) shared->acceptor.bind(*endpoint, ec);
  if (!ec) shared->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kUnavailable,
                 "cannot serve HTTP on " + options.listen + ": " + ec.message()};
  }
  shared->port = shared->acceptor.local_endpoint().port();
  Accept(shared);
  spdlog::info("{} gateway listening on {} (port {})", shared->tls ? "https" : "http",
               options.listen, shared->port);
  return std::unique_ptr<Gateway>(new Gateway(std::move(shared)));
}

Gateway::Gateway(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

Gateway::~Gateway() { Stop(); }

int Gateway::port() const { return shared_->port; }

void Gateway::Stop() {
  if (shared_->stopping.exchange(true)) {
    return;
  }
  asio::post(shared_->acceptor.get_executor(), [shared = shared_] {
    beast::error_code ignored;
    shared->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(shared_->mu);
    for (const auto& weak : shared_->connections) {
      if (auto connection = weak.lock()) {
        live.push_back(std::move(connection));
      }
    }
  }
  for (auto& connection : live) {
    connection->Abort();
  }
  live.clear();
  std::unique_lock lock(shared_->mu);
  if (!shared_->cv.wait_for(lock, std::chrono::seconds(5),
                            [this] { return shared_->connection_count == 0; })) {
    spdlog::warn("http: {} connections still open at shutdown", shared_->connection_count);
  }
}

}  // namespace reciproca::http
