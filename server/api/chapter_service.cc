#include "server/api/chapter_service.h"

#include <unordered_map>

#include "server/api/pagination.h"

namespace reciproca::api {
namespace {

// INVALID_ARGUMENT unless `name` is exactly "chapters/{chapter}" (the chapter itself, not a
// resource in it).
Status CheckChapterName(std::string_view field, const std::string& name) {
  if (name.find('/', std::string_view("chapters/").size()) != std::string::npos) {
    return InvalidArgument(std::string(field) + ": expected chapters/{chapter}, got \"" + name +
                           "\"");
  }
  return {};
}

}  // namespace

grpc::ServerUnaryReactor* ChapterService::CreateChapter(grpc::CallbackServerContext* context,
                                                        const v1::CreateChapterRequest* request,
                                                        v1::CreateChapterResponse* response) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  auto* reactor = context->DefaultReactor();
  engine_.CreateChapter(principal.value(), request, response,
                        [reactor](const Status& s) { reactor->Finish(ToGrpcStatus(s)); });
  return reactor;
}

grpc::ServerUnaryReactor* ChapterService::GetChapter(grpc::CallbackServerContext* context,
                                                     const v1::GetChapterRequest* request,
                                                     v1::Chapter* response) {
  if (auto s = CheckChapterName("name", request->name()); !s.ok()) {
    return Reject(context, s.error());
  }
  return Read(context, "name", request->name(),
              [response](const domain::Chapter& chapter, const domain::Principal&) {
                *response = chapter.Info();
                return Status{};
              });
}

grpc::ServerUnaryReactor* ChapterService::ListChapters(grpc::CallbackServerContext* context,
                                                       const v1::ListChaptersRequest* request,
                                                       v1::ListChaptersResponse* response) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  // In creation order, as the engine lists them; the position in that order is the key.
  const auto chapters = engine_.ListChapters(principal.value());
  std::unordered_map<std::string, int64_t> position;
  for (size_t i = 0; i < chapters.size(); ++i) {
    position.emplace(chapters[i].name(), static_cast<int64_t>(i));
  }
  auto key_of = [&position](const v1::Chapter& chapter) {
    return domain::ChapterListKey(position.at(chapter.name()), chapter);
  };
  auto next = CopyPage(PageTokens(engine_.minter()),
                       {request->page_size(), request->page_token(), "chapters"}, chapters, key_of,
                       [response] { return response->add_chapters(); });
  if (!next.ok()) {
    return Reject(context, next.error());
  }
  response->set_next_page_token(*next);
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ChapterService::WhoAmI(grpc::CallbackServerContext* context,
                                                 const v1::WhoAmIRequest*,
                                                 v1::WhoAmIResponse* response) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  if (principal->kind == domain::Principal::Kind::kAdmin) {
    response->set_kind(v1::PRINCIPAL_KIND_ADMIN);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  return Read(context, "token", principal->chapter,
              [response](const domain::Chapter& chapter, const domain::Principal& p) {
                response->set_chapter(p.chapter);
                response->set_member(p.member);
                if (p.kind == domain::Principal::Kind::kDisplay) {
                  response->set_kind(v1::PRINCIPAL_KIND_DISPLAY);
                } else {
                  response->set_kind(chapter.IsOrganizer(p.member) ? v1::PRINCIPAL_KIND_ORGANIZER
                                                                   : v1::PRINCIPAL_KIND_MEMBER);
                }
                return Status{};
              });
}

grpc::ServerUnaryReactor* ChapterService::UpdateChapter(grpc::CallbackServerContext* context,
                                                        const v1::UpdateChapterRequest* request,
                                                        v1::Chapter* response) {
  return Mutate(
      context, "UpdateChapter", *request, request->request_id(), "chapter.name",
      request->chapter().name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideUpdateChapter(x, *request);
      },
      [response](const domain::Chapter& c, const domain::Events&, store::Commit&) {
        *response = c.Info();
        return Status{};
      },
      response);
}

grpc::ServerUnaryReactor* ChapterService::GetDisplayToken(grpc::CallbackServerContext* context,
                                                          const v1::GetDisplayTokenRequest* request,
                                                          v1::GetDisplayTokenResponse* response) {
  if (auto s = CheckChapterName("name", request->name()); !s.ok()) {
    return Reject(context, s.error());
  }
  const engine::TokenMinter& minter = engine_.minter();
  return Read(context, "name", request->name(),
              [response, &minter](const domain::Chapter& chapter,
                                  const domain::Principal& principal) -> Status {
                if (Status s = chapter.CheckCanGetDisplayToken(principal); !s.ok()) {
                  return s;
                }
                response->set_display_token(
                    minter.ForDisplay(chapter.name(), chapter.display_token_generation()));
                return {};
              });
}

grpc::ServerUnaryReactor* ChapterService::RotateDisplayToken(
    grpc::CallbackServerContext* context, const v1::RotateDisplayTokenRequest* request,
    v1::RotateDisplayTokenResponse* response) {
  if (auto s = CheckChapterName("name", request->name()); !s.ok()) {
    return Reject(context, s.error());
  }
  const engine::TokenMinter& minter = engine_.minter();
  return Mutate(
      context, "RotateDisplayToken", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRotateDisplayToken(x, *request);
      },
      [response, &minter](const domain::Chapter& c, const domain::Events&, store::Commit& commit) {
        // The new token opens the chapter and the one before it stops: both in this commit, so
        // the old token works until the rotation is durable and never after.
        const int64_t generation = c.display_token_generation();
        response->set_generation(generation);
        response->set_display_token(minter.ForDisplay(c.name(), generation));
        commit.new_tokens.push_back(
            engine::TokenRegistry::DisplayRecord(response->display_token(), c.name()));
        commit.revoke_token_hashes.push_back(
            engine::Sha256Hex(minter.ForDisplay(c.name(), generation - 1)));
        return Status{};
      },
      response,
      [](google::protobuf::Message* m) {
        static_cast<v1::RotateDisplayTokenResponse*>(m)->clear_display_token();
      },
      [&minter, name = request->name()](google::protobuf::Message* m) {
        auto* r = static_cast<v1::RotateDisplayTokenResponse*>(m);
        r->set_display_token(minter.ForDisplay(name, r->generation()));
      });
}

}  // namespace reciproca::api
