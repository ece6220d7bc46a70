#pragma once

#include "reciproca/v1/chapter_service.grpc.pb.h"
#include "server/api/call.h"

namespace reciproca::api {

class ChapterService final : public v1::ChapterService::CallbackService, private ServiceBase {
 public:
  using ServiceBase::ServiceBase;

  grpc::ServerUnaryReactor* CreateChapter(grpc::CallbackServerContext* context,
                                          const v1::CreateChapterRequest* request,
                                          v1::CreateChapterResponse* response) override;
  grpc::ServerUnaryReactor* GetChapter(grpc::CallbackServerContext* context,
                                       const v1::GetChapterRequest* request,
                                       v1::Chapter* response) override;
  grpc::ServerUnaryReactor* ListChapters(grpc::CallbackServerContext* context,
                                         const v1::ListChaptersRequest* request,
                                         v1::ListChaptersResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* UpdateChapter(grpc::CallbackServerContext* context,
                                          const v1::UpdateChapterRequest* request,
                                          v1::Chapter* response) override;
  grpc::ServerUnaryReactor* GetDisplayToken(grpc::CallbackServerContext* context,
                                            const v1::GetDisplayTokenRequest* request,
                                            v1::GetDisplayTokenResponse* response) override;
  grpc::ServerUnaryReactor* RotateDisplayToken(grpc::CallbackServerContext* context,
                                               const v1::RotateDisplayTokenRequest* request,
                                               v1::RotateDisplayTokenResponse* response) override;
};

}  // namespace reciproca::api
