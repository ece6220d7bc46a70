#pragma once

// The small error/result type of the domain and the store. Only server/api turns it into a
// grpc::Status (see server/api/status.h); nothing below the api layer includes gRPC.

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

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
  kInternal,
};

// An error's parameters for its localized message (metadata of its google.rpc.ErrorInfo).
using ErrorParams = std::vector<std::pair<std::string, std::string>>;

struct Error {
  ErrorCode code;
  // A sentence a person can act on, in English: names the field and the rule
  // ("referral.temperature: must be between 1 and 5, got 6").
  std::string message;
  // A stable UPPER_SNAKE_CASE constant naming the cause (server/domain/error_reasons.h); empty:
  // the one derived from the code. Sent as google.rpc.ErrorInfo.reason; picks the localized
  // message (docs/errors.md).
  std::string reason = {};
  // The parameters of the localized message ({"value", "6"}).
  ErrorParams params = {};

  // This error with a reason and its parameters:
  // `return InvalidArgument("...").Because(kSelfReferral);`
  Error&& Because(std::string_view why, ErrorParams with = {}) && {
    reason = std::string(why);
    params = std::move(with);
    return std::move(*this);
  }
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
inline Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }

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
