#pragma once

// The one place where domain errors become gRPC statuses.

#include <grpcpp/support/status.h>

#include "server/domain/result.h"

namespace reciproca::api {

grpc::StatusCode ToGrpcCode(ErrorCode code);
grpc::Status ToGrpcStatus(const Error& error);
grpc::Status ToGrpcStatus(const Status& status);

}  // namespace reciproca::api
