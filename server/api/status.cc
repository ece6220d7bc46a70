#include "server/api/status.h"

#include <map>

#include "server/domain/error_details.h"
#include "server/domain/message_catalogs.h"

namespace reciproca::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ErrorDetailsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ErrorDetailsInterceptor(
      const std::function<std::string(std::string_view)>* chapter_language)
      : chapter_language_(chapter_language) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      if (const auto* metadata = methods->GetRecvInitialMetadata()) {
        accept_language_ = MetadataValue(*metadata, "accept-language");
        authorization_ = MetadataValue(*metadata, "authorization");
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (!status.ok()) {
        // The chapter's language only when the caller asked for none of the catalogs'.
        const bool asked = !domain::MessageCatalogs::Get().Negotiate(accept_language_).empty();
        const std::string chapter = !asked && !authorization_.empty() && *chapter_language_
                                        ? (*chapter_language_)(authorization_)
                                        : std::string();
        methods->ModifySendStatus(
            Localized(status, domain::MessageLanguage(accept_language_, chapter)));
      }
    }
    methods->Proceed();
  }

 private:
  const std::function<std::string(std::string_view)>* chapter_language_;
  std::string accept_language_;
  std::string authorization_;
};

class ErrorDetailsFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ErrorDetailsFactory(std::function<std::string(std::string_view)> chapter_language)
      : chapter_language_(std::move(chapter_language)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new ErrorDetailsInterceptor(&chapter_language_);
  }

 private:
  const std::function<std::string(std::string_view)> chapter_language_;
};

}  // namespace

grpc::StatusCode ToGrpcCode(ErrorCode code) {
  return static_cast<grpc::StatusCode>(domain::ToRpcCode(code));
}

grpc::Status ToGrpcStatus(const Error& error) {
  const grpc::StatusCode code = ToGrpcCode(error.code);
  return grpc::Status(
      code, error.message,
      domain::MakeDetails(code, error.message, error.reason, error.params).SerializeAsString());
}

grpc::Status ToGrpcStatus(const Status& status) {
  return status.ok() ? grpc::Status::OK : ToGrpcStatus(status.error());
}

std::string MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                          const char* key) {
  auto it = metadata.find(key);
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

grpc::Status Localized(const grpc::Status& status, std::string_view language) {
  google::rpc::Status details = domain::Localize(
      domain::ParseDetails(status.error_code(), status.error_message(), status.error_details()),
      language);
  return grpc::Status(status.error_code(), status.error_message(), details.SerializeAsString());
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ErrorDetailsInterceptorFactory(
    std::function<std::string(std::string_view authorization)> chapter_language) {
  return std::make_unique<ErrorDetailsFactory>(std::move(chapter_language));
}

}  // namespace reciproca::api
