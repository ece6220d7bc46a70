#pragma once

// The rich details of an error (AIP-193, google.rpc), built without gRPC so that the api layer
// (gRPC statuses) and the http layer (the JSON gateway's error bodies) share them: an ErrorInfo
// always (domain "reciproca", a stable reason, its parameters and the field as metadata); the
// message in the caller's language as a LocalizedMessage; a BadRequest field violation when
// the message names a field. docs/errors.md.

#include <cstdint>
#include <string>
#include <string_view>

#include "google/rpc/status.pb.h"
#include "server/domain/result.h"

namespace reciproca::domain {

// The google.rpc.Code numbers (the same as grpc::StatusCode's).
enum class RpcCode : int32_t {
  kInvalidArgument = 3,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kOutOfRange = 11,
  kInternal = 13,
  kUnavailable = 14,
  kUnauthenticated = 16,
};

RpcCode ToRpcCode(ErrorCode code);
// The reason of an error raised without one: its code's (error_reasons.h).
std::string_view ReasonOfCode(int32_t rpc_code);
// The field a message names first ("referral.temperature: must be ..." ->
// "referral.temperature"); "" when it names none.
std::string FieldOfMessage(std::string_view message);

// The details of an error with this code and message and, when given, reason and parameters.
google::rpc::Status MakeDetails(int32_t rpc_code, const std::string& message,
                                std::string_view reason = {}, const ErrorParams& params = {});
// The details carried as `bytes` (a serialized google.rpc.Status) when they hold an ErrorInfo;
// otherwise MakeDetails(rpc_code, message).
google::rpc::Status ParseDetails(int32_t rpc_code, const std::string& message,
                                 const std::string& bytes);
// `details` with the message of its reason in `language` (LocalizedMessage) and, when it names
// a field, a BadRequest field violation. Unchanged when localized already.
google::rpc::Status Localize(google::rpc::Status details, std::string_view language);

// The language of the messages for a caller: the best catalog for its Accept-Language, else
// for its chapter's language, else English.
std::string MessageLanguage(std::string_view accept_language, std::string_view chapter_language);

}  // namespace reciproca::domain
