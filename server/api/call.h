#pragma once

// What every gRPC service shares: authentication from the bearer token, routing a request to
// its chapter, and the two shapes of a unary call (a mutation through the engine's commit path,
// a read on the chapter's strand). Services stay thin adapters over the domain.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <string_view>

#include "server/api/status.h"
#include "server/domain/chapter.h"
#include "server/engine/engine.h"
#include "server/engine/tokens.h"

namespace reciproca::api {

// The principal behind "authorization: Bearer <token>"; UNAUTHENTICATED when missing or unknown.
// `token`, when given, receives the bearer token (a stream watches it for revocation).
Result<domain::Principal> Authenticate(const grpc::ServerContextBase& context,
                                       const engine::TokenRegistry& tokens,
                                       std::string* token = nullptr);

// "chapters/x" from a resource name in that chapter ("chapters/x/members/7", or "chapters/x"
// itself); INVALID_ARGUMENT naming `field` when the name is empty or malformed.
Result<std::string> ChapterOf(std::string_view field, std::string_view name);
// `name` when it names a chapter itself ("chapters/x"), else INVALID_ARGUMENT naming `field`.
Result<std::string> ChapterItself(std::string_view field, std::string_view name);

// Sets *out from a domain read.
template <class T>
Status Assign(T* out, Result<T> value) {
  if (!value.ok()) {
    return value.error();
  }
  *out = std::move(value).value();
  return {};
}

class ServiceBase {
 public:
  ServiceBase(engine::Engine& engine, const engine::TokenRegistry& tokens)
      : engine_(engine), tokens_(tokens) {}

 protected:
  using Decide =
      std::function<Result<domain::Events>(const domain::Chapter&, const domain::Context&)>;
  using Respond =
      std::function<Status(const domain::Chapter&, const domain::Events&, store::Commit&)>;

  // A finished call with the error.
  static grpc::ServerUnaryReactor* Reject(grpc::CallbackServerContext* context, const Error& error);

  // The usual answer of a mutation: what its first event created or changed, as the event
  // catalogue says (domain::AnswerOf), written to `response` (which must outlive the call).
  static Respond AnswerTouched(google::protobuf::Message* response);

  // Authenticates, routes to the chapter named by `chapter_name` (checked as `field`), and runs
  // the mutation through the engine; the call finishes once the result is durable.
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* context, std::string_view method,
                                   const google::protobuf::Message& request,
                                   const std::string& request_id, std::string_view field,
                                   std::string_view chapter_name, Decide decide, Respond respond,
                                   google::protobuf::Message* response,
                                   std::function<void(google::protobuf::Message*)> redact = {},
                                   std::function<void(google::protobuf::Message*)> rehydrate = {});

  // Authenticates, routes, checks the right to read the chapter, and runs `read` on its strand.
  grpc::ServerUnaryReactor* Read(
      grpc::CallbackServerContext* context, std::string_view field, std::string_view chapter_name,
      std::function<Status(const domain::Chapter&, const domain::Principal&)> read);

  engine::Engine& engine_;
  const engine::TokenRegistry& tokens_;
};

}  // namespace reciproca::api
