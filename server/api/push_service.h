#pragma once

#include "reciproca/v1/push_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/push/push_worker.h"
#include "server/store/push_store.h"

namespace reciproca::api {

// Thin: checks the member and the subscription's shape, then keeps it in the push store (on the
// engine's blocking pool, never on a gRPC thread or a chapter's strand). `worker` and `store`
// are null when the server sends no push messages (reciprocad --push=false).
class PushService final : public v1::PushService::CallbackService, private ServiceBase {
 public:
  PushService(engine::Engine& engine, const engine::TokenRegistry& tokens, push::PushWorker* worker,
              store::PushStore* store)
      : ServiceBase(engine, tokens), worker_(worker), store_(store) {}

  grpc::ServerUnaryReactor* GetPushSettings(grpc::CallbackServerContext* context,
                                            const v1::GetPushSettingsRequest* request,
                                            v1::PushSettings* response) override;
  grpc::ServerUnaryReactor* SubscribePush(grpc::CallbackServerContext* context,
                                          const v1::SubscribePushRequest* request,
                                          v1::PushSettings* response) override;
  grpc::ServerUnaryReactor* UnsubscribePush(grpc::CallbackServerContext* context,
                                            const v1::UnsubscribePushRequest* request,
                                            v1::PushSettings* response) override;

 private:
  // Authenticates, checks the caller may read `chapter` (and, for members_only, is an active
  // member of it), then runs `change` (may be empty; given the member and the chapter's last
  // seq) on the blocking pool and answers the
  // member's settings.
  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* context, const std::string& chapter,
                                   bool members_only,
                                   std::function<Status(const std::string&, int64_t)> change,
                                   v1::PushSettings* response);

  push::PushWorker* worker_;
  store::PushStore* store_;
};

}  // namespace reciproca::api
