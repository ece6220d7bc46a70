#pragma once

// A request whose bytes do not parse as the method's request message is INVALID_ARGUMENT naming
// the message type, on every method. gRPC 1.51's callback handlers answer such a request with
// UNIMPLEMENTED and no message (the client would think the method does not exist) before any
// handler runs; the interceptor made here sees that the request did not deserialize and rewrites
// the status it sends.

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string_view>

namespace reciproca::api {

// INVALID_ARGUMENT: "the request is not a valid reciproca.v1.X (protobuf binary encoding) ...".
grpc::Status UnparseableRequest(std::string_view message_type);

// For ServerBuilder::experimental().SetInterceptorCreators().
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
UnparseableRequestInterceptorFactory();

}  // namespace reciproca::api
