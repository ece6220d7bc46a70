#pragma once

// The HTTP gateway (Boost.Beast, on the server's Asio context): the web pages, a JSON API over
// the very same gRPC services (an in-process channel carries each request, with the caller's
// bearer token, through the same authentication, validation and error codes), the chapter's
// live events as Server-Sent Events, /healthz and /metrics.
//
//   POST /api/{package.Service}/{Method}   body: the request in protobuf's JSON mapping
//   GET  /api/events?chapter=chapters/c&after_seq=N   text/event-stream (Last-Event-ID resumes)
//   GET  /healthz, /metrics, /display/, /app/ and their assets
//
// Plain HTTP, or HTTPS (TLS 1.2+) when GatewayOptions has a certificate and key (docs/tls.md).

#include <grpcpp/grpcpp.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/domain/result.h"
#include "server/engine/clock.h"
#include "server/http/metrics.h"

namespace reciproca::http {

struct GatewayOptions {
  // "127.0.0.1:8080"; port 0 picks a free port.
  std::string listen;
  // Largest request body accepted (413 beyond), and request head (431 beyond).
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 8 * 1024;
  // A request's head (on HTTPS, first the TLS handshake) must arrive within this: an idle
  // keep-alive or half-open connection is closed after it.
  std::chrono::milliseconds header_timeout{10000};
  // A request must arrive whole within this.
  std::chrono::milliseconds read_timeout{30000};
  // A response (or an event stream's frame) must be taken by the client within this.
  std::chrono::milliseconds write_timeout{30000};
  // Connections beyond this, in all or from one client address (0: no per-address limit; behind
  // a reverse proxy every client has the proxy's address), are answered 503 with Retry-After.
  size_t max_connections = 1024;
  size_t max_connections_per_address = 64;
  // The Retry-After of a refusal (connections, event streams).
  std::chrono::seconds retry_after{5};
  // A /metrics scrape is served from a snapshot at most this old (many scrapers cost one).
  std::chrono::milliseconds scrape_cache{1000};
  // How often an event stream sends the server's time (drives the display's countdown).
  std::chrono::milliseconds time_interval{1000};
  // HTTPS: both set (PEM contents; the gRPC certificate may serve here too). Both empty: plain
  // HTTP.
  std::string tls_cert_chain;
  std::string tls_private_key;
};

struct GatewayBackend {
  // To the server's own services (grpc::Server::InProcessChannel).
  std::shared_ptr<grpc::Channel> channel;
  const engine::Clock* clock = nullptr;
  std::function<bool()> healthy;
  Metrics* metrics = nullptr;
  // The plugins as ListPlugins shows them, for /metrics.
  std::function<std::vector<v1::PluginInfo>()> plugins;
};

class Gateway {
 public:
  static Result<std::unique_ptr<Gateway>> Start(boost::asio::io_context& io,
                                                const GatewayOptions& options,
                                                GatewayBackend backend);
  ~Gateway();

  int port() const;
  // Stops accepting, closes every connection and event stream, and waits (a few seconds at
  // most) until they are gone. Idempotent.
  void Stop();

  struct Shared;

 private:
  explicit Gateway(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
};

// The HTTP status for a gRPC status code (Google's mapping: INVALID_ARGUMENT 400, ...).
int HttpStatusFor(grpc::StatusCode code);

}  // namespace reciproca::http
