#pragma once

// The small error/result type of the domain and the store. Only server/api turns it into a
// grpc::Status (see server/api/status.h); nothing below the api layer includes gRPC.

#include <chrono>
#include <string>
#include <utility>
#include <variant>

namespace reciproca {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kOutOfRange,
  kUnavailable,
  kResourceExhausted,
  kInternal,
};

// What a caller inside the server may need to tell apart within one code, without reading the
// message. Not sent to clients: the gRPC status is the code and the message only.
enum class ErrorReason {
  kUnspecified,
  // The request_id was already used by this caller for a request with other content.
  kRequestIdReused,
};

struct Error {
  ErrorCode code;
  // A sentence a person can act on: names the field and the rule ("referral.temperature: must be
  // between 1 and 5, got 6").
  std::string message;
  ErrorReason reason = ErrorReason::kUnspecified;
  // kResourceExhausted: how long until the same request would be accepted (0: not known).
  // gRPC clients get it as trailing metadata "retry-after" (whole seconds).
  std::chrono::milliseconds retry_after{0};
};

inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Error PermissionDenied(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Error FailedPrecondition(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Error OutOfRange(std::string m) { return {ErrorCode::kOutOfRange, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
// INVALID_ARGUMENT with reason kRequestIdReused.
inline Error RequestIdReused(std::string m) {
  return {ErrorCode::kInvalidArgument, std::move(m), ErrorReason::kRequestIdReused};
}

// Either a value or an Error. Result<void> carries no value.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace reciproca
