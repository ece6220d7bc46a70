#pragma once

// The server's Prometheus metrics (Debian's prometheus-cpp core for the types, its text
// serializer for /metrics): every gRPC call by method and code with its latency (calls made
// through the HTTP gateway included, since it calls the same services), HTTP requests by route
// and status, events appended, subscribers connected, limits' refusals, and the plugins' states.
// Cardinality is bounded: a method is its own label only when the server's services declare it
// (everything else is "unknown"), routes are a fixed set (see RouteOf), and so are the limits.

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "reciproca/v1/plugin_service.pb.h"

namespace reciproca::http {

class Metrics {
 public:
  Metrics();

  // One finished gRPC call: "/reciproca.v1.ReferralService/CreateReferral", "OK".
  void ObserveRpc(const std::string& method, const std::string& code,
                  std::chrono::steady_clock::duration latency);
  void RpcStarted(const std::string& method);
  void RpcEnded(const std::string& method);
  // One answered HTTP request: route "/api", "/display", ...; status 200.
  void ObserveHttp(const std::string& route, int status,
                   std::chrono::steady_clock::duration latency);
  void EventsAppended(size_t count);
  void HttpStreamOpened();
  void HttpStreamClosed();
  // A request refused by the limit `limit` ("http_connections_per_address", ...: a fixed set):
  // counted, and logged with `why` at most once per 10 s per limit (with how many were not).
  void LimitRefused(const char* limit, const std::string& why);

  // The Prometheus text exposition, with `plugins` (ListPlugins' view, read at scrape time) as
  // reciproca_plugin_* gauges labelled by plugin.
  std::string Scrape(const std::vector<v1::PluginInfo>& plugins);

  // For ServerBuilder::experimental().SetInterceptorCreators().
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& rpcs_;
  prometheus::Family<prometheus::Histogram>& rpc_seconds_;
  prometheus::Family<prometheus::Gauge>& rpcs_in_flight_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_seconds_;
  prometheus::Counter& events_appended_;
  prometheus::Gauge& subscribers_;
  prometheus::Gauge& http_streams_;
  prometheus::Family<prometheus::Gauge>& plugin_state_;
  prometheus::Family<prometheus::Gauge>& plugin_restarts_;
  prometheus::Family<prometheus::Gauge>& plugin_events_behind_;
  prometheus::Family<prometheus::Gauge>& plugin_memory_;
  prometheus::Family<prometheus::Gauge>& plugin_call_seconds_;
  prometheus::Family<prometheus::Counter>& limit_refusals_;

  struct RefusalLog {
    std::chrono::steady_clock::time_point last;
    size_t unlogged = 0;
  };
  std::mutex refusal_mu_;
  std::map<std::string, RefusalLog> refusal_logs_;

  std::mutex plugin_mu_;
  // The gauges of the last scrape, per family (a plugin unloaded since is removed).
  std::vector<std::pair<prometheus::Family<prometheus::Gauge>*, prometheus::Gauge*>> plugin_gauges_;
};

// The label of a gRPC method path: itself when a service compiled into the server declares it
// ("/reciproca.v1.ChapterService/WhoAmI", "/grpc.health.v1.Health/Check"), else "unknown".
std::string MethodLabel(std::string_view method_path);

// "OK", "INVALID_ARGUMENT", ... as gRPC spells them.
const char* StatusCodeName(int code);

}  // namespace reciproca::http
