#pragma once

#include "reciproca/v1/plugin_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/plugins/plugin_host.h"

namespace reciproca::api {

// Loading, reloading, unloading and listing: the admin only (LoadPlugin from the server's plugin
// directories only). The calling gRPC thread waits for create(), which runs on the plugin's
// strand in its own process; the replay runs after, on the strand. Enabling and disabling a
// plugin in a chapter: the admin and the chapter's organizers, as PluginEnabled /
// PluginDisabled events of the chapter.
class PluginService final : public v1::PluginService::CallbackService, private ServiceBase {
 public:
  PluginService(engine::Engine& engine, const engine::TokenRegistry& tokens,
                plugins::PluginHost& host)
      : ServiceBase(engine, tokens), host_(host) {}

  grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* context,
                                        const v1::ListPluginsRequest* request,
                                        v1::ListPluginsResponse* response) override;
  grpc::ServerUnaryReactor* LoadPlugin(grpc::CallbackServerContext* context,
                                       const v1::LoadPluginRequest* request,
                                       v1::PluginInfo* response) override;
  grpc::ServerUnaryReactor* UnloadPlugin(grpc::CallbackServerContext* context,
                                         const v1::UnloadPluginRequest* request,
                                         v1::PluginInfo* response) override;
  grpc::ServerUnaryReactor* ReloadPlugin(grpc::CallbackServerContext* context,
                                         const v1::ReloadPluginRequest* request,
                                         v1::PluginInfo* response) override;
  grpc::ServerUnaryReactor* EnablePlugin(grpc::CallbackServerContext* context,
                                         const v1::EnablePluginRequest* request,
                                         v1::ChapterPlugin* response) override;
  grpc::ServerUnaryReactor* DisablePlugin(grpc::CallbackServerContext* context,
                                          const v1::DisablePluginRequest* request,
                                          v1::ChapterPlugin* response) override;

 private:
  // Finishes the call with `result` written to `response`, once the caller is the admin.
  grpc::ServerUnaryReactor* AsAdmin(grpc::CallbackServerContext* context,
                                    const std::function<Status()>& act);

  plugins::PluginHost& host_;
};

}  // namespace reciproca::api
