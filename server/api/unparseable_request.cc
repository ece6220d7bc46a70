#include "server/api/unparseable_request.h"

#include <google/protobuf/descriptor.h>

#include <string>

namespace reciproca::api {
namespace {

namespace pb = google::protobuf;
using grpc::experimental::InterceptionHookPoints;

// The request type of "/package.Service/Method"; "" when the method is not one of ours.
std::string RequestTypeOf(std::string_view method_path) {
  const auto slash = method_path.find('/', 1);
  if (method_path.size() < 2 || slash == std::string_view::npos) {
    return "";
  }
  const auto* service = pb::DescriptorPool::generated_pool()->FindServiceByName(
      std::string(method_path.substr(1, slash - 1)));
  const auto* method =
      service ? service->FindMethodByName(std::string(method_path.substr(slash + 1))) : nullptr;
  return method ? method->input_type()->full_name() : "";
}

class UnparseableRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UnparseableRequestInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method() ? info->method() : ""),
        // A unary or server-streaming call's one request is deserialized by gRPC before its
        // handler runs, so a null message there means it did not parse. On a client- or
        // bidi-streaming call (server reflection) the handler reads, and a null message is the
        // client's half-close. Subscribe is a raw method: its handler parses, with the same
        // UnparseableRequest().
        one_request_(info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY ||
                     info->type() == grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The server deserializes the request before this hook; a null message means it failed.
    if (one_request_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparseable_ = true;
    }
    if (unparseable_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (const std::string type = RequestTypeOf(method_); !type.empty()) {
        methods->ModifySendStatus(UnparseableRequest(type));
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  const bool one_request_;
  bool unparseable_ = false;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new UnparseableRequestInterceptor(info);
  }
};

}  // namespace

grpc::Status UnparseableRequest(std::string_view message_type) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "the request is not a valid " + std::string(message_type) +
                          " (protobuf binary encoding); is the client built from this server's "
                          ".proto files?");
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparseableRequestInterceptorFactory() {
  return std::make_unique<Factory>();
}

}  // namespace reciproca::api
