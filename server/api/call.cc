#include "server/api/call.h"

#include <sstream>

#include "server/api/call_limits.h"
#include "server/domain/error_reasons.h"
#include "server/domain/event_catalogue.h"

namespace reciproca::api {

Result<domain::Principal> Authenticate(const grpc::ServerContextBase& context,
                                       const engine::TokenRegistry& tokens, std::string* token) {
  if (auto admitted = PeerCallLimit::Admit(context); !admitted.ok()) {
    return admitted.error();
  }
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return Error{ErrorCode::kUnauthenticated,
                 "missing \"authorization: Bearer <token>\" metadata; pass your access token"}
        .Because(domain::kTokenMissing);
  }
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.substr(0, kBearer.size()) != kBearer || value.size() == kBearer.size()) {
    return Error{ErrorCode::kUnauthenticated,
                 "the authorization metadata must be \"Bearer <token>\""}
        .Because(domain::kTokenMissing);
  }
  auto principal = tokens.Find(value.substr(kBearer.size()));
  if (!principal) {
    return Error{ErrorCode::kUnauthenticated,
                 "unknown or revoked token; ask an organizer for a new one"}
        .Because(domain::kTokenUnknown);
  }
  if (token) {
    *token = std::string(value.substr(kBearer.size()));
  }
  return *principal;
}

Result<std::string> ChapterOf(std::string_view field, std::string_view name) {
  constexpr std::string_view kPrefix = "chapters/";
  if (name.empty()) {
    return InvalidArgument(std::string(field) +
                           ": required, a resource name like chapters/{chapter}");
  }
  if (name.substr(0, kPrefix.size()) != kPrefix || name.size() == kPrefix.size()) {
    return InvalidArgument(std::string(field) +
                           ": expected a name starting with chapters/{chapter}, got \"" +
                           std::string(name) + "\"");
  }
  const size_t end = name.find('/', kPrefix.size());
  return std::string(name.substr(0, end));
}

Result<std::string> ChapterItself(std::string_view field, std::string_view name) {
  auto chapter = ChapterOf(field, name);
  if (chapter.ok() && *chapter != name) {
    return InvalidArgument(std::string(field) + ": expected chapters/{chapter}, got \"" +
                           std::string(name) + "\"");
  }
  return chapter;
}

grpc::ServerUnaryReactor* ServiceBase::Reject(grpc::CallbackServerContext* context,
                                              const Error& error) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(error));
  return reactor;
}

ServiceBase::Respond ServiceBase::AnswerTouched(google::protobuf::Message* response) {
  return [response](const domain::Chapter& chapter, const domain::Events& events, store::Commit&) {
    return domain::AnswerOf(chapter, events, response);
  };
}

grpc::ServerUnaryReactor* ServiceBase::Mutate(
    grpc::CallbackServerContext* context, std::string_view method,
    const google::protobuf::Message& request, const std::string& request_id, std::string_view field,
    std::string_view chapter_name, Decide decide, Respond respond,
    google::protobuf::Message* response, std::function<void(google::protobuf::Message*)> redact,
    std::function<void(google::protobuf::Message*)> rehydrate) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  auto chapter = ChapterOf(field, chapter_name);
  if (!chapter.ok()) {
    return Reject(context, chapter.error());
  }
  if (const auto wait = engine_.TakeMutation(*principal); wait.count() > 0) {
    const engine::Limits& limits = engine_.limits();
    std::ostringstream message;
    message << "too many changes from " << engine::LimitKey(*principal) << ": at most "
            << limits.mutation_burst << " at once and " << limits.mutations_per_second
            << " a second; retry in " << (wait.count() + 999) / 1000 << " s";
    engine_.LimitRefused("mutation_rate", message.str());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(Exhausted(*context, message.str(), wait));
    return reactor;
  }
  engine::Mutation mutation;
  mutation.principal = std::move(principal).value();
  mutation.chapter = std::move(chapter).value();
  mutation.method = std::string(method);
  mutation.request = &request;
  mutation.request_id = request_id;
  mutation.decide = std::move(decide);
  mutation.respond = std::move(respond);
  mutation.response = response;
  mutation.redact = std::move(redact);
  mutation.rehydrate = std::move(rehydrate);
  auto* reactor = context->DefaultReactor();
  engine_.Mutate(std::move(mutation),
                 [reactor](const Status& status) { reactor->Finish(ToGrpcStatus(status)); });
  return reactor;
}

grpc::ServerUnaryReactor* ServiceBase::Read(
    grpc::CallbackServerContext* context, std::string_view field, std::string_view chapter_name,
    std::function<Status(const domain::Chapter&, const domain::Principal&)> read) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  auto chapter = ChapterOf(field, chapter_name);
  if (!chapter.ok()) {
    return Reject(context, chapter.error());
  }
  auto* reactor = context->DefaultReactor();
  engine_.Read(
      principal.value(), chapter.value(),
      [read = std::move(read), p = principal.value()](const domain::Chapter& c) {
        return read(c, p);
      },
      [reactor](const Status& status) { reactor->Finish(ToGrpcStatus(status)); });
  return reactor;
}

}  // namespace reciproca::api
