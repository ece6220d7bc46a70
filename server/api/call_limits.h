#pragma once

// The limits the gRPC edge enforces per call (docs/limits.md): how many things one key (a
// principal, a client address) may have open at once, and how a refusal is answered.
//
// Connections per client address: gRPC 1.51 has no hook to refuse a connection (no per-address
// accept limit, no connection interceptor), so the server bounds what a connection can cost
// instead: GRPC_ARG_MAX_CONCURRENT_STREAMS per connection, and calls in progress per client
// address across all its connections (PeerCallLimit). A client that opens connections and makes
// no call holds only a socket until GRPC_ARG_MAX_CONNECTION_IDLE_MS closes it.

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::api {

// A limit's refusal: RESOURCE_EXHAUSTED with `message`, and the trailing metadata "retry-after"
// (whole seconds, rounded up; the HTTP gateway sends it as Retry-After).
grpc::Status Exhausted(grpc::ServerContextBase& context, const std::string& message,
                       std::chrono::milliseconds retry_after);

// How many things each key has open, against a bound. Thread-safe.
class ConcurrencyLimit {
 public:
  // 0: no bound (Take always succeeds).
  explicit ConcurrencyLimit(size_t max) : max_(max) {}

  // One slot of `key`'s count, given back when the last copy of the pointer is released (it may
  // outlive the limit); nullptr when `key` has `max` open.
  std::shared_ptr<void> Take(std::string key);
  size_t max() const { return max_; }

 private:
  struct Counts {
    std::mutex mu;
    std::map<std::string, size_t> open;
  };
  const size_t max_;
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

// The address part of a gRPC peer ("ipv4:10.0.0.7:51234" -> "ipv4:10.0.0.7", "ipv6:[::1]:5" ->
// "ipv6:[::1]"); "" for a peer that is not a network address (the HTTP gateway's in-process
// channel, a unix socket): those are not counted.
std::string PeerAddress(std::string_view peer);

// Calls in progress per client address, counted by a server interceptor (it sees every call,
// from its start to its end). gRPC 1.51's interceptors cannot refuse a call themselves, so the
// interceptor of a call over the bound records the refusal by the call's context;
// Authenticate() (server/api/call.h), which every handler runs first, fails the call at once
// (Admit), and the interceptor sends it as RESOURCE_EXHAUSTED with its message and retry-after.
class PeerCallLimit {
 public:
  // `max_per_address` 0: no limit (behind a reverse proxy every call has the proxy's address).
  // `refused` is told each refusal (for /metrics and a rate-limited log line).
  PeerCallLimit(size_t max_per_address, std::function<void(const std::string& why)> refused);

  // For ServerBuilder::experimental().SetInterceptorCreators(); must not outlive this.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

  // An error when this call's address was over the limit as the call began (the interceptor
  // replaces it by its RESOURCE_EXHAUSTED); OK otherwise. For a call of any server.
  static Status Admit(const grpc::ServerContextBase& context);

 private:
  class Interceptor;
  ConcurrencyLimit calls_;
  const std::function<void(const std::string&)> refused_;
};

}  // namespace reciproca::api
