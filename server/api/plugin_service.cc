#include "server/api/plugin_service.h"

namespace reciproca::api {

grpc::ServerUnaryReactor* PluginService::AsAdmin(grpc::CallbackServerContext* context,
                                                 const std::function<Status()>& act) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  if (principal->kind != domain::Principal::Kind::kAdmin) {
    return Reject(context, PermissionDenied("only the server admin manages plugins"));
  }
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(act()));
  return reactor;
}

grpc::ServerUnaryReactor* PluginService::ListPlugins(grpc::CallbackServerContext* context,
                                                     const v1::ListPluginsRequest*,
                                                     v1::ListPluginsResponse* response) {
  return AsAdmin(context, [this, response] {
    for (auto& info : host_.List()) {
      *response->add_plugins() = std::move(info);
    }
    return Status{};
  });
}

grpc::ServerUnaryReactor* PluginService::LoadPlugin(grpc::CallbackServerContext* context,
                                                    const v1::LoadPluginRequest* request,
                                                    v1::PluginInfo* response) {
  return AsAdmin(context, [this, request, response] {
    return Assign(response, host_.Load(plugins::PluginSpecFromRequest(*request)));
  });
}

grpc::ServerUnaryReactor* PluginService::UnloadPlugin(grpc::CallbackServerContext* context,
                                                      const v1::UnloadPluginRequest* request,
                                                      v1::PluginInfo* response) {
  return AsAdmin(context, [this, request, response] {
    return Assign(response, host_.Unload(request->name()));
  });
}

grpc::ServerUnaryReactor* PluginService::ReloadPlugin(grpc::CallbackServerContext* context,
                                                      const v1::ReloadPluginRequest* request,
                                                      v1::PluginInfo* response) {
  return AsAdmin(context, [this, request, response] {
    return Assign(response, host_.Reload(request->name(), request->config_json()));
  });
}

}  // namespace reciproca::api
