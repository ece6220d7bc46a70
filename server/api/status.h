#pragma once

// The one place where domain errors become gRPC statuses, with their rich details
// (domain/error_details.h): every status carries a google.rpc.ErrorInfo in its details, and
// ErrorDetailsInterceptorFactory adds, before any error is sent, the message in the caller's
// language and the field violation. docs/errors.md.

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>
#include <grpcpp/support/string_ref.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::api {

grpc::StatusCode ToGrpcCode(ErrorCode code);
grpc::Status ToGrpcStatus(const Error& error);
grpc::Status ToGrpcStatus(const Status& status);

// A value of the caller's metadata ("accept-language"), or "".
std::string MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                          const char* key);

// `status` with its details localized in `language` (domain::Localize).
grpc::Status Localized(const grpc::Status& status, std::string_view language);

// Localizes every error the server sends, in the caller's "accept-language" metadata, else its
// chapter's language: `chapter_language` maps the caller's "authorization" metadata to it ("" when
// there is none).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ErrorDetailsInterceptorFactory(
    std::function<std::string(std::string_view authorization)> chapter_language);

}  // namespace reciproca::api
