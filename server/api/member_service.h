#pragma once

#include "reciproca/v1/member_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

class MemberService final : public v1::MemberService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* CreateMember(grpc::CallbackServerContext* context,
                                         const v1::CreateMemberRequest* request,
                                         v1::CreateMemberResponse* response) override;
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* context,
                                      const v1::GetMemberRequest* request,
                                      v1::Member* response) override;
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* context,
                                        const v1::ListMembersRequest* request,
                                        v1::ListMembersResponse* response) override;
  grpc::ServerUnaryReactor* UpdateMember(grpc::CallbackServerContext* context,
                                         const v1::UpdateMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* RemoveMember(grpc::CallbackServerContext* context,
                                         const v1::RemoveMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* GetMemberToken(grpc::CallbackServerContext* context,
                                           const v1::GetMemberTokenRequest* request,
                                           v1::GetMemberTokenResponse* response) override;
};

}  // namespace reciproca::api
