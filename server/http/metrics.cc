#include "server/http/metrics.h"

#include <google/protobuf/descriptor.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string_view>

#include <spdlog/spdlog.h>

namespace reciproca::http {
namespace {

using Seconds = std::chrono::duration<double>;

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  return buckets;
}

bool IsSubscribe(std::string_view method) {
  return method == "/reciproca.v1.EventService/Subscribe";
}

// One per call: counts it when its status is sent, or as CANCELLED when it ends without one.
class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(Metrics& metrics, grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        method_(MethodLabel(info->method() ? info->method() : "")),
        streaming_(info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY),
        start_(std::chrono::steady_clock::now()) {
    metrics_.RpcStarted(method_);
  }

  ~CallInterceptor() override {
    if (!observed_) {
      Observe("CANCELLED");
    }
    metrics_.RpcEnded(method_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Observe(StatusCodeName(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  void Observe(const char* code) {
    observed_ = true;
    // A stream's duration is how long someone watched, not a latency.
    const auto latency = streaming_ ? std::chrono::steady_clock::duration::zero()
                                    : std::chrono::steady_clock::now() - start_;
    metrics_.ObserveRpc(method_, code, latency);
  }

  Metrics& metrics_;
  std::string method_;
  bool streaming_;
  std::chrono::steady_clock::time_point start_;
  bool observed_ = false;
};

class InterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit InterceptorFactory(Metrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(metrics_, info);
  }

 private:
  Metrics& metrics_;
};

constexpr auto kRefusalLogInterval = std::chrono::seconds(10);

}  // namespace

std::string MethodLabel(std::string_view method_path) {
  // The health service is served by gRPC itself (not from the generated descriptors).
  static constexpr std::string_view kHealth[] = {"/grpc.health.v1.Health/Check",
                                                 "/grpc.health.v1.Health/Watch"};
  for (std::string_view health : kHealth) {
    if (method_path == health) {
      return std::string(method_path);
    }
  }
  const auto slash = method_path.find('/', 1);
  if (method_path.size() < 2 || method_path[0] != '/' || slash == std::string_view::npos) {
    return "unknown";
  }
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      std::string(method_path.substr(1, slash - 1)));
  if (service == nullptr ||
      service->FindMethodByName(std::string(method_path.substr(slash + 1))) == nullptr) {
    return "unknown";
  }
  return std::string(method_path);
}

const char* StatusCodeName(int code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) {
    return "UNKNOWN";
  }
  return kNames[code];
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      rpcs_(prometheus::BuildCounter()
                .Name("reciproca_rpcs_total")
                .Help("gRPC calls finished, by method and status code (HTTP API calls included)")
                .Register(*registry_)),
      rpc_seconds_(prometheus::BuildHistogram()
                       .Name("reciproca_rpc_duration_seconds")
                       .Help("Latency of unary gRPC calls, by method")
                       .Register(*registry_)),
      rpcs_in_flight_(prometheus::BuildGauge()
                          .Name("reciproca_rpcs_in_flight")
                          .Help("gRPC calls in progress, by method")
                          .Register(*registry_)),
      http_requests_(prometheus::BuildCounter()
                         .Name("reciproca_http_requests_total")
                         .Help("HTTP requests answered, by route and status")
                         .Register(*registry_)),
      http_seconds_(prometheus::BuildHistogram()
                        .Name("reciproca_http_request_duration_seconds")
                        .Help("Time to answer an HTTP request, by route (event streams excluded)")
                        .Register(*registry_)),
      events_appended_(prometheus::BuildCounter()
                           .Name("reciproca_events_appended_total")
                           .Help("Events made durable in the chapters' logs")
                           .Register(*registry_)
                           .Add({})),
      subscribers_(prometheus::BuildGauge()
                       .Name("reciproca_subscribers")
                       .Help("Event subscribers connected (gRPC Subscribe, HTTP streams included)")
                       .Register(*registry_)
                       .Add({})),
      http_streams_(prometheus::BuildGauge()
                        .Name("reciproca_http_event_streams")
                        .Help("HTTP event streams open")
                        .Register(*registry_)
                        .Add({})),
      plugin_state_(prometheus::BuildGauge()
                        .Name("reciproca_plugin_state")
                        .Help("1 for each loaded plugin's current state")
                        .Register(*registry_)),
      plugin_restarts_(prometheus::BuildGauge()
                           .Name("reciproca_plugin_restarts")
                           .Help("Times the plugin's process was started again after a crash or "
                                 "hang since it was (re)loaded")
                           .Register(*registry_)),
      plugin_events_behind_(prometheus::BuildGauge()
                                .Name("reciproca_plugin_events_behind")
                                .Help("Committed events of its chapters not delivered to it yet")
                                .Register(*registry_)),
      plugin_memory_(prometheus::BuildGauge()
                         .Name("reciproca_plugin_memory_bytes")
                         .Help("Resident memory of the plugin's process (0 in process)")
                         .Register(*registry_)),
      plugin_call_seconds_(prometheus::BuildGauge()
                               .Name("reciproca_plugin_call_seconds")
                               .Help("Latency of a call into the plugin (events, ticks, queries), "
                                     "by stat: mean, p99, max")
                               .Register(*registry_)),
      limit_refusals_(prometheus::BuildCounter()
                          .Name("reciproca_limit_refusals_total")
                          .Help("Requests, connections and streams refused by a limit, by limit")
                          .Register(*registry_)) {}

void Metrics::ObserveRpc(const std::string& method, const std::string& code,
                         std::chrono::steady_clock::duration latency) {
  rpcs_.Add({{"method", method}, {"code", code}}).Increment();
  if (latency != std::chrono::steady_clock::duration::zero()) {
    rpc_seconds_.Add({{"method", method}}, LatencyBuckets())
        .Observe(std::chrono::duration_cast<Seconds>(latency).count());
  }
}

void Metrics::RpcStarted(const std::string& method) {
  rpcs_in_flight_.Add({{"method", method}}).Increment();
  if (IsSubscribe(method)) {
    subscribers_.Increment();
  }
}

void Metrics::RpcEnded(const std::string& method) {
  rpcs_in_flight_.Add({{"method", method}}).Decrement();
  if (IsSubscribe(method)) {
    subscribers_.Decrement();
  }
}

void Metrics::ObserveHttp(const std::string& route, int status,
                          std::chrono::steady_clock::duration latency) {
  http_requests_.Add({{"route", route}, {"status", std::to_string(status)}}).Increment();
  http_seconds_.Add({{"route", route}}, LatencyBuckets())
      .Observe(std::chrono::duration_cast<Seconds>(latency).count());
}

void Metrics::EventsAppended(size_t count) {
  events_appended_.Increment(static_cast<double>(count));
}

void Metrics::HttpStreamOpened() { http_streams_.Increment(); }

void Metrics::HttpStreamClosed() { http_streams_.Decrement(); }

void Metrics::LimitRefused(const char* limit, const std::string& why) {
  limit_refusals_.Add({{"limit", limit}}).Increment();
  const auto now = std::chrono::steady_clock::now();
  size_t unlogged = 0;
  {
    std::lock_guard lock(refusal_mu_);
    auto [it, first] = refusal_logs_.try_emplace(limit);
    if (!first && now - it->second.last < kRefusalLogInterval) {
      ++it->second.unlogged;
      return;
    }
    unlogged = it->second.unlogged;
    it->second = {now, 0};
  }
  if (unlogged > 0) {
    spdlog::warn("refused ({}): {} ({} more refusals in the last {} s)", limit, why, unlogged,
                 kRefusalLogInterval.count());
  } else {
    spdlog::warn("refused ({}): {}", limit, why);
  }
}

std::string Metrics::Scrape(const std::vector<v1::PluginInfo>& plugins) {
  {
    std::lock_guard lock(plugin_mu_);
    for (auto [family, gauge] : plugin_gauges_) {
      family->Remove(gauge);
    }
    plugin_gauges_.clear();
    const auto set = [this](prometheus::Family<prometheus::Gauge>& family,
                            const std::map<std::string, std::string>& labels, double value) {
      auto& gauge = family.Add(labels);
      gauge.Set(value);
      plugin_gauges_.emplace_back(&family, &gauge);
    };
    constexpr double kMicros = 1e-6;
    for (const auto& p : plugins) {
      set(plugin_state_, {{"plugin", p.name()}, {"state", v1::PluginState_Name(p.state())}}, 1);
      set(plugin_restarts_, {{"plugin", p.name()}}, static_cast<double>(p.restarts()));
      set(plugin_events_behind_, {{"plugin", p.name()}}, static_cast<double>(p.events_behind()));
      set(plugin_memory_, {{"plugin", p.name()}}, static_cast<double>(p.memory_bytes()));
      set(plugin_call_seconds_, {{"plugin", p.name()}, {"stat", "mean"}},
          static_cast<double>(p.mean_call_micros()) * kMicros);
      set(plugin_call_seconds_, {{"plugin", p.name()}, {"stat", "p99"}},
          static_cast<double>(p.p99_call_micros()) * kMicros);
      set(plugin_call_seconds_, {{"plugin", p.name()}, {"stat", "max"}},
          static_cast<double>(p.max_call_micros()) * kMicros);
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::InterceptorFactory() {
  return std::make_unique<http::InterceptorFactory>(*this);
}

}  // namespace reciproca::http
