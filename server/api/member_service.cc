#include "server/api/member_service.h"

#include "server/api/pagination.h"
#include "server/domain/event_catalogue.h"
#include "server/domain/need_to_know.h"

namespace reciproca::api {

grpc::ServerUnaryReactor* MemberService::CreateMember(grpc::CallbackServerContext* context,
                                                      const v1::CreateMemberRequest* request,
                                                      v1::CreateMemberResponse* response) {
  const engine::TokenMinter& minter = engine_.minter();
  return Mutate(
      context, "CreateMember", *request, request->request_id(), "parent", request->parent(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideCreateMember(x, *request);
      },
      [response, &minter](const domain::Chapter& c, const domain::Events& events,
                          store::Commit& commit) {
        if (auto s = domain::AnswerOf(c, events, response->mutable_member()); !s.ok()) {
          return s;
        }
        response->set_access_token(minter.ForMember(response->member().name()));
        commit.new_tokens.push_back(engine::TokenRegistry::MemberRecord(
            response->access_token(), c.name(), response->member().name()));
        return Status{};
      },
      response,
      [](google::protobuf::Message* m) {
        static_cast<v1::CreateMemberResponse*>(m)->clear_access_token();
      },
      [&minter](google::protobuf::Message* m) {
        auto* r = static_cast<v1::CreateMemberResponse*>(m);
        r->set_access_token(minter.ForMember(r->member().name()));
      });
}

grpc::ServerUnaryReactor* MemberService::GetMember(grpc::CallbackServerContext* context,
                                                   const v1::GetMemberRequest* request,
                                                   v1::Member* response) {
  return Read(context, "name", request->name(),
              [request, response](const domain::Chapter& c, const domain::Principal& p) {
                Status s = Assign(response, c.GetMember(request->name()));
                domain::Redact(domain::ViewerOf(c, p), response);
                return s;
              });
}

grpc::ServerUnaryReactor* MemberService::ListMembers(grpc::CallbackServerContext* context,
                                                     const v1::ListMembersRequest* request,
                                                     v1::ListMembersResponse* response) {
  return Read(context, "parent", request->parent(),
              [request, response, tokens = PageTokens(engine_.minter())](
                  const domain::Chapter& c, const domain::Principal& p) -> Status {
                auto next = CopyPage(
                    tokens,
                    {request->page_size(), request->page_token(),
                     "members:" + request->parent() + (request->show_left() ? ":all" : ":active")},
                    c.ListMembers(request->show_left()), domain::MemberListKey,
                    [response] { return response->add_members(); });
                if (!next.ok()) {
                  return next.error();
                }
                const domain::Viewer viewer = domain::ViewerOf(c, p);
                for (v1::Member& item : *response->mutable_members()) {
                  domain::Redact(viewer, &item);
                }
                response->set_next_page_token(*next);
                return {};
              });
}

grpc::ServerUnaryReactor* MemberService::UpdateMember(grpc::CallbackServerContext* context,
                                                      const v1::UpdateMemberRequest* request,
                                                      v1::Member* response) {
  return Mutate(
      context, "UpdateMember", *request, request->request_id(), "member.name",
      request->member().name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideUpdateMember(x, *request);
      },
      AnswerTouched(response), response);
}

grpc::ServerUnaryReactor* MemberService::RemoveMember(grpc::CallbackServerContext* context,
                                                      const v1::RemoveMemberRequest* request,
                                                      v1::Member* response) {
  return Mutate(
      context, "RemoveMember", *request, request->request_id(), "name", request->name(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideRemoveMember(x, *request);
      },
      [request, response](const domain::Chapter& c, const domain::Events& events,
                          store::Commit& commit) {
        commit.revoke_member_tokens.push_back(request->name());
        return domain::AnswerOf(c, events, response);
      },
      response);
}

grpc::ServerUnaryReactor* MemberService::GetMemberToken(grpc::CallbackServerContext* context,
                                                        const v1::GetMemberTokenRequest* request,
                                                        v1::GetMemberTokenResponse* response) {
  const engine::TokenMinter& minter = engine_.minter();
  return Read(context, "name", request->name(),
              [request, response, &minter](const domain::Chapter& c,
                                           const domain::Principal& principal) -> Status {
                auto member = c.GetMemberForToken(principal, request->name());
                if (!member.ok()) {
                  return member.error();
                }
                response->set_access_token(minter.ForMember(member->name()));
                return {};
              });
}

}  // namespace reciproca::api
