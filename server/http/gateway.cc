#include "server/http/gateway.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <charconv>
#include <optional>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "server/domain/message_catalogs.h"
#include "server/http/assets.h"
#include "server/http/internal.h"
#include "server/http/request_parsing.h"

namespace reciproca::http {
namespace {

namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kEventsPath = "/api/events";

// Whether a failed TLS handshake was a plain HTTP request sent to the HTTPS port.
bool IsPlainHttp(const beast::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST;
}

// One HTTP/1.1 connection (plain, or HTTPS after the TLS handshake): requests in turn, kept
// alive, until it is idle too long, the client closes, or it becomes an event stream.
template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

  Session(std::shared_ptr<Gateway::Shared> shared, Stream stream, asio::ip::address address)
      : shared_(std::move(shared)), stream_(std::move(stream)), address_(address) {}

  ~Session() override { shared_->Remove(address_); }

  void Start() {
    shared_->Add(shared_from_this(), address_);
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

  // HTTPS: the TLS handshake first, within header_timeout (a half-open connection holds a slot
  // no longer than an idle one). A client that fails it (an untrusted certificate, garbage) is
  // closed; a plain HTTP request is told, in plain HTTP, to use https://.
  void Handshake() {
    Tcp().expires_after(shared_->options.header_timeout);
    stream_.async_handshake(
        asio::ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
          if (!ec) {
            return self->Read();
          }
          spdlog::debug("https handshake: {}", ec.message());
          if (!IsPlainHttp(ec)) {
            return self->Close();
          }
          self->start_ = Clock::now();
          self->Observe("other", 400);
          self->response_ = self->Plain(bhttp::status::bad_request,
                                        "this port speaks HTTPS: use https:// in the address");
          AddSecurityHeaders(self->response_, false);
          self->response_.keep_alive(false);
          self->response_.prepare_payload();
          self->Tcp().expires_after(self->shared_->options.write_timeout);
          bhttp::async_write(self->Tcp(), self->response_,
                             [self](beast::error_code, size_t) { self->Close(); });
        });
  }

  void Read() {
    if (aborted_) {
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.max_header_bytes));
    parser_->body_limit(shared_->options.max_body_bytes);
    // An idle or half-open connection holds a slot only this long.
    Tcp().expires_after(std::min(shared_->options.header_timeout, shared_->options.read_timeout));
    bhttp::async_read_header(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec || self->parser_->is_done()) {
            return self->OnRead(ec);
          }
          self->Tcp().expires_after(self->shared_->options.read_timeout);
          bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                            [self](beast::error_code ec, size_t) { self->OnRead(ec); });
        });
  }

  void OnRead(beast::error_code ec) {
    // On HTTPS a client that goes away without a TLS close_notify is stream_truncated.
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || aborted_) {
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
    // gRPC metadata (where the token goes) takes visible ASCII only; so does every header here.
    for (const auto& field : request_) {
      const auto name = field.name_string();
      const auto value = field.value();
      if (auto checked = CheckHeaderValue(std::string_view(name.data(), name.size()),
                                          std::string_view(value.data(), value.size()));
          !checked.ok()) {
        return Reply(ErrorResponse(checked, request_.version(), AcceptLanguage()), route);
      }
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
      return ServeMetrics(route);
    }
    if (path == kEventsPath) {
      if (!get) return MethodNotAllowed("GET", route);
      return Events(query, route);
    }
    if (const auto api_method = ApiMethodOf(path)) {
      if (method != bhttp::verb::post) return MethodNotAllowed("POST", route);
      return Api(*api_method, route);
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

  // Serialized on the gateway's scrape thread, never on the threads that serve commands.
  void ServeMetrics(const std::string& route) {
    asio::post(shared_->scraper, [self = shared_from_this(), route] {
      std::string body = self->shared_->Scrape();
      asio::post(self->stream_.get_executor(), [self, route, body = std::move(body)]() mutable {
        Response res{bhttp::status::ok, self->request_.version()};
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.set(bhttp::field::cache_control, "no-store");
        res.body() = std::move(body);
        self->Reply(std::move(res), route);
      });
    });
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

  std::string AcceptLanguage() const {
    auto it = request_.find(bhttp::field::accept_language);
    return it == request_.end() ? std::string() : it->value().to_string();
  }

  void Api(std::string_view method_path, const std::string& route) {
    const auto type = request_[bhttp::field::content_type];
    if (!request_.body().empty() && type.substr(0, 16) != "application/json") {
      Response res = ErrorResponse(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "send the request body as JSON, with Content-Type: application/json"),
          request_.version(), AcceptLanguage());
      res.result(bhttp::status::unsupported_media_type);
      return Reply(std::move(res), route);
    }
    const unsigned version = request_.version();
    std::string language = AcceptLanguage();
    CallJson(shared_, method_path, request_.body(), Authorization(), language,
             [self = shared_from_this(), route, version, language](
                 const grpc::Status& status, std::string json, std::string retry_after) {
               asio::post(self->stream_.get_executor(),
                          [self, route, version, language, status, json = std::move(json),
                           retry_after = std::move(retry_after)]() mutable {
                            if (!status.ok()) {
                              Response res = ErrorResponse(status, version, language);
                              if (!retry_after.empty()) {
                                res.set(bhttp::field::retry_after, retry_after);
                              }
                              return self->Reply(std::move(res), route);
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
    v1::SubscribeRequest subscribe;
    const auto last = request_["Last-Event-ID"];
    if (auto parsed =
            ParseEventsRequest(query, std::string_view(last.data(), last.size()), &subscribe);
        !parsed.ok()) {
      return Reply(ErrorResponse(parsed, version, AcceptLanguage()), route);
    }
    const std::string get_chapter = "{\"name\":" + QuoteJson(subscribe.chapter()) + "}";
    std::string authorization = Authorization();
    std::string language = AcceptLanguage();
    CallJson(shared_, "/reciproca.v1.ChapterService/GetChapter", get_chapter, authorization,
             language,
             [self = shared_from_this(), route, version, subscribe, authorization, language](
                 const grpc::Status& status, std::string, std::string) {
               asio::post(self->stream_.get_executor(), [=]() mutable {
                 if (!status.ok()) {
                   return self->Reply(ErrorResponse(status, version, language), route);
                 }
                 if (self->aborted_) {
                   return self->Close();
                 }
                 self->handed_off_ = true;
                 self->Observe(route, 200);
                 StartEventStream(self->shared_, std::move(self->stream_), self->address_,
                                  authorization, subscribe, version);
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
  const asio::ip::address address_;
  Clock::time_point start_ = Clock::now();
  bool handed_off_ = false;
  bool aborted_ = false;
};

template <class Stream>
void Drain(const std::shared_ptr<Stream>& stream) {
  auto scratch = std::make_shared<std::array<char, 512>>();
  stream->async_read_some(asio::buffer(*scratch), [stream, scratch](beast::error_code ec, size_t) {
    if (ec) {
      return Hangup(*stream);
    }
    Drain(stream);
  });
}

template <class Stream>
void SendRefusal(const std::shared_ptr<Stream>& stream, std::string_view why,
                 std::chrono::seconds retry_after) {
  Response res{bhttp::status::service_unavailable, 11};
  res.set(bhttp::field::server, "reciprocad");
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.set(bhttp::field::retry_after, std::to_string(retry_after.count()));
  AddSecurityHeaders(res, kIsTls<Stream>);
  res.keep_alive(false);
  res.body() =
      ErrorResponse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, std::string(why)), 11, "")
          .body();
  res.prepare_payload();
  auto message = std::make_shared<Response>(std::move(res));
  bhttp::async_write(*stream, *message, [stream, message](beast::error_code ec, size_t) {
    if (ec) {
      return Hangup(*stream);
    }
    // Read what the client sent until it closes (or the second is up): closing with unread
    // bytes would reset the connection and could lose the answer.
    beast::error_code ignored;
    beast::get_lowest_layer(*stream).socket().shutdown(asio::socket_base::shutdown_send, ignored);
    Drain(stream);
  });
}

// Answers a connection over a limit with 503, Retry-After and why, then closes it; the client
// gets a second at most to take the answer. On HTTPS the answer follows the TLS handshake (the
// same second), so a browser shows it rather than a TLS error.
template <class Stream>
void Refuse(const std::shared_ptr<Stream>& stream, std::string why,
            std::chrono::seconds retry_after) {
  beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(1));
  if constexpr (kIsTls<Stream>) {
    stream->async_handshake(asio::ssl::stream_base::server,
                            [stream, why = std::move(why), retry_after](beast::error_code ec) {
                              if (ec) {
                                return Hangup(*stream);
                              }
                              SendRefusal(stream, why, retry_after);
                            });
  } else {
    SendRefusal(stream, why, retry_after);
  }
}

// Calls `use` with the accepted connection as a stream: HTTPS when the gateway has a
// certificate, else plain HTTP.
template <class Use>
void WithStream(const Gateway::Shared& shared, asio::ip::tcp::socket socket, Use use) {
  if (shared.tls) {
    use(TlsStream(beast::tcp_stream(std::move(socket)), *shared.tls));
  } else {
    use(PlainStream(std::move(socket)));
  }
}

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
        beast::error_code endpoint_error;
        const asio::ip::address address = socket.remote_endpoint(endpoint_error).address();
        const auto& options = shared->options;
        const char* limit = nullptr;
        {
          std::lock_guard lock(shared->mu);
          const auto it = shared->per_address.find(address);
          if (shared->connection_count >= options.max_connections) {
            limit = "http_connections";
          } else if (options.max_connections_per_address > 0 && it != shared->per_address.end() &&
                     it->second >= options.max_connections_per_address) {
            limit = "http_connections_per_address";
          }
        }
        if (limit == nullptr) {
          WithStream(*shared, std::move(socket), [&](auto stream) {
            using Stream = decltype(stream);
            std::make_shared<Session<Stream>>(shared, std::move(stream), address)->Start();
          });
        } else {
          std::string why =
              std::string_view(limit) == "http_connections"
                  ? "the server has " + std::to_string(options.max_connections) +
                        " HTTP connections open (--http-max-connections); try again shortly"
                  : "this address has " + std::to_string(options.max_connections_per_address) +
                        " HTTP connections open (--http-max-connections-per-address); close "
                        "some, or try again shortly";
          if (shared->backend.metrics) {
            shared->backend.metrics->LimitRefused(limit, why);
          }
          WithStream(*shared, std::move(socket), [&](auto stream) {
            Refuse(std::make_shared<decltype(stream)>(std::move(stream)), std::move(why),
                   options.retry_after);
          });
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
  if (options.tls_cert_chain.empty() || options.tls_private_key.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 "cannot serve HTTPS: pass both --http-tls-cert and --http-tls-key"};
  }
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
    return bad("--http-tls-key is not a PEM private key, or it is not the key of --http-tls-cert",
               ec);
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return Error{ErrorCode::kInvalidArgument,
                 "cannot serve HTTPS: --http-tls-key is not the key of --http-tls-cert"};
  }
  return context;
}

}  // namespace

void Gateway::Shared::Add(const std::shared_ptr<Connection>& connection,
                          const asio::ip::address& address) {
  std::lock_guard lock(mu);
  connections.insert(connection);
  ++connection_count;
  ++per_address[address];
}

void Gateway::Shared::Remove(const asio::ip::address& address) {
  {
    std::lock_guard lock(mu);
    --connection_count;
    if (auto it = per_address.find(address); it != per_address.end() && --it->second == 0) {
      per_address.erase(it);
    }
    for (auto it = connections.begin(); it != connections.end();) {
      it = it->expired() ? connections.erase(it) : std::next(it);
    }
  }
  cv.notify_all();
}

std::string Gateway::Shared::Scrape() {
  const auto now = Clock::now();
  if (scrape_time && now - *scrape_time < options.scrape_cache) {
    return scrape_cache;
  }
  if (!backend.metrics) {
    return "";
  }
  scrape_cache =
      backend.metrics->Scrape(backend.plugins ? backend.plugins() : std::vector<v1::PluginInfo>());
  scrape_time = now;
  return scrape_cache;
}

namespace {

// The error messages' catalogs (server/domain/messages/<tag>.json), served to the pages at
// /shared/errors/<tag>.json: the phone checks a form with the server's own words before it
// queues it (one home per text; docs/i18n.md).
constexpr std::string_view kErrorCatalogs = "/shared/errors";

const Asset* FindErrorCatalog(std::string_view path) {
  static const std::vector<std::pair<std::string, Asset>> catalogs = [] {
    std::vector<std::pair<std::string, Asset>> out;
    for (const domain::Asset& file : domain::CatalogFiles()) {
      out.emplace_back(std::string(kErrorCatalogs) + std::string(file.path),
                       Asset{{}, file.content_type, file.body});
    }
    for (auto& [served, asset] : out) {
      asset.path = served;  // the strings live in `out`, which is never resized again
    }
    return out;
  }();
  for (const auto& [served, asset] : catalogs) {
    if (served == path) {
      return &asset;
    }
  }
  return nullptr;
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  if (path.starts_with(kErrorCatalogs)) {
    return FindErrorCatalog(path);
  }
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
  lock.unlock();
  shared_->scraper.join();
}

}  // namespace reciproca::http
