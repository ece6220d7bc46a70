#pragma once

// What the gateway's pieces share (not part of the server's interface).

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>

#include "reciproca/v1/event_service.grpc.pb.h"
#include "server/http/gateway.h"

namespace reciproca::http {

namespace beast = boost::beast;
namespace asio = boost::asio;
using Request = beast::http::request<beast::http::string_body>;
using Response = beast::http::response<beast::http::string_body>;
// A connection is one of these two: plain HTTP, or HTTPS (--http-tls-cert). Sessions and event
// streams are templates over the stream type: one code path for both.
using PlainStream = beast::tcp_stream;
using TlsStream = asio::ssl::stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// A connection the gateway can close when it stops.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes it soon, from any thread.
  virtual void Abort() = 0;
};

struct Gateway::Shared {
  Shared(asio::io_context& io_context, GatewayOptions gateway_options, GatewayBackend b)
      : io(io_context),
        options(std::move(gateway_options)),
        backend(std::move(b)),
        generic_stub(backend.channel),
        event_stub(v1::EventService::NewStub(backend.channel)),
        acceptor(asio::make_strand(io)) {}

  asio::io_context& io;
  const GatewayOptions options;
  const GatewayBackend backend;
  grpc::GenericStub generic_stub;
  std::unique_ptr<v1::EventService::Stub> event_stub;
  asio::ip::tcp::acceptor acceptor;
  // Set when the gateway serves HTTPS.
  std::unique_ptr<asio::ssl::context> tls;
  int port = 0;
  std::atomic<bool> stopping{false};

  // Live connections, for Stop() and the connection limits.
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> connections;
  size_t connection_count = 0;
  std::map<asio::ip::address, size_t> per_address;

  void Add(const std::shared_ptr<Connection>& connection, const asio::ip::address& address);
  void Remove(const asio::ip::address& address);

  // /metrics is serialized here, one scrape at a time, off the threads that serve commands.
  asio::thread_pool scraper{1};
  // The text exposition, at most options.scrape_cache old. Scraper thread only.
  std::string Scrape();
  std::string scrape_cache;
  std::optional<std::chrono::steady_clock::time_point> scrape_time;
};

// Shuts the connection down and closes it; errors (already closed) do not matter. After a
// response, shut down only sending: the client still reads what was sent, even if it has not
// finished sending (a request refused as too large).
// On HTTPS the TCP connection is closed under the TLS session (no close_notify): every response
// has a length or ends the event stream, which the browser then reopens.
template <class Stream>
void Hangup(Stream& stream,
            asio::socket_base::shutdown_type how = asio::socket_base::shutdown_both) {
  beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
  beast::error_code ignored;
  tcp.socket().shutdown(how, ignored);
  tcp.close();
}

// Headers every response carries: a strict CSP (everything is served from here), nosniff, no
// framing, no referrer; on HTTPS, Strict-Transport-Security.
void AddSecurityHeaders(beast::http::fields& fields, bool https);

// {"code": "NOT_FOUND", "message": "..."} with the mapped HTTP status.
Response ErrorResponse(const grpc::Status& status, unsigned version);

// Whether "/reciproca.v1.ChapterService/WhoAmI" names a method of the API.
bool IsApiMethod(std::string_view method_path);

// Calls a unary method of the server's services with a JSON request; `done` gets the status,
// when OK the response as JSON, and the server's "retry-after" trailer (whole seconds, "" when
// none: a limit's refusal says when to retry, sent on as Retry-After). Runs `done` on a gRPC
// thread.
void CallJson(const std::shared_ptr<Gateway::Shared>& shared, std::string_view method_path,
              std::string_view json, std::string_view authorization,
              std::function<void(const grpc::Status&, std::string, std::string)> done);

// Takes over a connection for GET /api/events once the caller's right to read the chapter has
// been checked: once the subscription is accepted, sends the response head, then the events and
// the server's time; a refused subscription (the stream limit) gets its HTTP error instead.
// The connection stays counted against `address` while it streams. Defined for PlainStream and
// TlsStream.
template <class Stream>
void StartEventStream(const std::shared_ptr<Gateway::Shared>& shared, Stream stream,
                      asio::ip::address address, std::string authorization,
                      v1::SubscribeRequest request, unsigned version);

}  // namespace reciproca::http
