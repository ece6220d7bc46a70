#include "server/domain/error_details.h"

#include <map>

#include "google/rpc/error_details.pb.h"
#include "server/domain/error_reasons.h"
#include "server/domain/message_catalogs.h"

namespace reciproca::domain {
namespace {

bool IsFieldChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

RpcCode ToRpcCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return RpcCode::kInvalidArgument;
    case ErrorCode::kNotFound:
      return RpcCode::kNotFound;
    case ErrorCode::kAlreadyExists:
      return RpcCode::kAlreadyExists;
    case ErrorCode::kPermissionDenied:
      return RpcCode::kPermissionDenied;
    case ErrorCode::kUnauthenticated:
      return RpcCode::kUnauthenticated;
    case ErrorCode::kFailedPrecondition:
      return RpcCode::kFailedPrecondition;
    case ErrorCode::kOutOfRange:
      return RpcCode::kOutOfRange;
    case ErrorCode::kUnavailable:
      return RpcCode::kUnavailable;
    case ErrorCode::kInternal:
      break;
  }
  return RpcCode::kInternal;
}

std::string_view ReasonOfCode(int32_t rpc_code) {
  switch (static_cast<RpcCode>(rpc_code)) {
    case RpcCode::kInvalidArgument:
      return kForInvalidArgument;
    case RpcCode::kNotFound:
      return kForNotFound;
    case RpcCode::kAlreadyExists:
      return kForAlreadyExists;
    case RpcCode::kPermissionDenied:
      return kForPermissionDenied;
    case RpcCode::kUnauthenticated:
      return kForUnauthenticated;
    case RpcCode::kFailedPrecondition:
      return kForFailedPrecondition;
    case RpcCode::kOutOfRange:
      return kForOutOfRange;
    case RpcCode::kUnavailable:
      return kForUnavailable;
    case RpcCode::kResourceExhausted:
      return kForResourceExhausted;
    case RpcCode::kInternal:
      return kForInternal;
  }
  return kForOther;
}

std::string FieldOfMessage(std::string_view message) {
  // Lower-case identifiers separated by dots, then ": ".
  size_t i = 0;
  bool segment_start = true;
  while (i < message.size() && (IsFieldChar(message[i]) || (message[i] == '.' && !segment_start))) {
    segment_start = message[i] == '.';
    ++i;
  }
  if (i == 0 || segment_start || message.substr(i, 2) != ": ") {
    return "";
  }
  return std::string(message.substr(0, i));
}

google::rpc::Status MakeDetails(int32_t rpc_code, const std::string& message,
                                std::string_view reason, const ErrorParams& params) {
  google::rpc::Status details;
  details.set_code(rpc_code);
  details.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason.empty() ? ReasonOfCode(rpc_code) : reason));
  info.set_domain(std::string(kErrorDomain));
  auto& metadata = *info.mutable_metadata();
  for (const auto& [key, value] : params) {
    metadata[key] = value;
  }
  if (std::string field = FieldOfMessage(message); !field.empty()) {
    metadata["field"] = std::move(field);
  }
  details.add_details()->PackFrom(info);
  return details;
}

google::rpc::Status ParseDetails(int32_t rpc_code, const std::string& message,
                                 const std::string& bytes) {
  google::rpc::Status details;
  if (!bytes.empty() && details.ParseFromString(bytes)) {
    for (const auto& any : details.details()) {
      if (any.Is<google::rpc::ErrorInfo>()) {
        return details;
      }
    }
  }
  return MakeDetails(rpc_code, message);
}

google::rpc::Status Localize(google::rpc::Status details, std::string_view language) {
  google::rpc::ErrorInfo info;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::LocalizedMessage>()) {
      return details;
    }
    if (any.Is<google::rpc::ErrorInfo>()) {
      any.UnpackTo(&info);
    }
  }
  std::map<std::string, std::string> params(info.metadata().begin(), info.metadata().end());
  // The English message itself, for the catalogs whose message for a reason is no more precise
  // (English, for the reasons of codes: "{message}").
  params.emplace("message", details.message());
  google::rpc::LocalizedMessage localized;
  localized.set_locale(std::string(language));
  localized.set_message(
      MessageCatalogs::Get().Format(language, info.reason(), params, details.message()));
  if (auto field = params.find("field"); field != params.end()) {
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field(field->second);
    violation->set_description(details.message());
    violation->set_reason(info.reason());
    *violation->mutable_localized_message() = localized;
    details.add_details()->PackFrom(bad);
  }
  details.add_details()->PackFrom(localized);
  return details;
}

std::string MessageLanguage(std::string_view accept_language, std::string_view chapter_language) {
  const MessageCatalogs& catalogs = MessageCatalogs::Get();
  if (std::string best = catalogs.Negotiate(accept_language); !best.empty()) {
    return best;
  }
  if (std::string best = catalogs.Negotiate(chapter_language); !best.empty()) {
    return best;
  }
  return "en";
}

}  // namespace reciproca::domain
