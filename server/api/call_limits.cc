#include "server/api/call_limits.h"

#include <grpcpp/server_context.h>

#include <unordered_map>

namespace reciproca::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// What a refused call is told, by the refused call's context while it lives. gRPC gives an
// interceptor no other way to reach the handler of its call; a context is one call's, so this
// serves every server of the process.
struct Refusals {
  std::mutex mu;
  std::unordered_map<const grpc::ServerContextBase*, std::string> by_context;
};

Refusals& TheRefusals() {
  static Refusals* refusals = new Refusals;  // never destroyed: calls may end during exit
  return *refusals;
}

constexpr std::chrono::seconds kPeerRetryAfter(1);

}  // namespace

grpc::Status Exhausted(grpc::ServerContextBase& context, const std::string& message,
                       std::chrono::milliseconds retry_after) {
  if (retry_after.count() > 0) {
    context.AddTrailingMetadata("retry-after", std::to_string((retry_after.count() + 999) / 1000));
  }
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message);
}

std::shared_ptr<void> ConcurrencyLimit::Take(std::string key) {
  std::lock_guard lock(counts_->mu);
  size_t& open = counts_->open[key];
  if (max_ > 0 && open >= max_) {
    if (open == 0) {
      counts_->open.erase(key);
    }
    return nullptr;
  }
  ++open;
  // The slot is the count's own (non-null) address; the deleter gives the slot back.
  return std::shared_ptr<void>(&open, [counts = counts_, key = std::move(key)](void*) {
    std::lock_guard lock(counts->mu);
    if (auto it = counts->open.find(key); it != counts->open.end() && --it->second == 0) {
      counts->open.erase(it);
    }
  });
}

std::string PeerAddress(std::string_view peer) {
  if (peer.substr(0, 5) != "ipv4:" && peer.substr(0, 5) != "ipv6:") {
    return "";
  }
  const size_t colon = peer.rfind(':');
  return std::string(colon > 4 ? peer.substr(0, colon) : peer);
}

class PeerCallLimit::Interceptor final : public grpc::experimental::Interceptor {
 public:
  Interceptor(PeerCallLimit& limit, grpc::experimental::ServerRpcInfo* info)
      : context_(info->server_context()) {
    if (limit.calls_.max() == 0) {
      return;
    }
    const std::string address = PeerAddress(context_->peer());
    if (address.empty()) {
      return;
    }
    slot_ = limit.calls_.Take(address);
    if (slot_) {
      return;
    }
    message_ = "too many calls in progress from " + address + ": at most " +
               std::to_string(limit.calls_.max()) +
               " at once (--max-calls-per-address); close some streams or retry in " +
               std::to_string(kPeerRetryAfter.count()) + " s";
    limit.refused_(message_);
    std::lock_guard lock(TheRefusals().mu);
    TheRefusals().by_context[context_] = message_;
  }

  ~Interceptor() override {
    if (!message_.empty()) {
      std::lock_guard lock(TheRefusals().mu);
      TheRefusals().by_context.erase(context_);
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!message_.empty() &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->ModifySendStatus(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message_));
      methods->GetSendTrailingMetadata()->emplace("retry-after",
                                                  std::to_string(kPeerRetryAfter.count()));
    }
    methods->Proceed();
  }

 private:
  const grpc::ServerContextBase* const context_;
  std::shared_ptr<void> slot_;
  std::string message_;  // set when refused
};

PeerCallLimit::PeerCallLimit(size_t max_per_address,
                             std::function<void(const std::string& why)> refused)
    : calls_(max_per_address), refused_(std::move(refused)) {}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
PeerCallLimit::InterceptorFactory() {
  class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
   public:
    explicit Factory(PeerCallLimit& limit) : limit_(limit) {}
    grpc::experimental::Interceptor* CreateServerInterceptor(
        grpc::experimental::ServerRpcInfo* info) override {
      return new Interceptor(limit_, info);
    }

   private:
    PeerCallLimit& limit_;
  };
  return std::make_unique<Factory>(*this);
}

Status PeerCallLimit::Admit(const grpc::ServerContextBase& context) {
  std::lock_guard lock(TheRefusals().mu);
  auto it = TheRefusals().by_context.find(&context);
  if (it == TheRefusals().by_context.end()) {
    return {};
  }
  return Error{ErrorCode::kUnavailable, it->second};
}

}  // namespace reciproca::api
