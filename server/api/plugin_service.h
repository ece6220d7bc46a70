#pragma once

#include "reciproca/v1/plugin_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/plugins/plugin_host.h"

namespace reciproca::api {

// Admin only. Loading runs on the calling gRPC thread: it copies and opens a library and calls
// the plugin's create(), a rare administrative act; the replay runs on the plugin's strand.
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

 private:
  // Finishes the call with `result` written to `response`, once the caller is the admin.
  grpc::ServerUnaryReactor* AsAdmin(grpc::CallbackServerContext* context,
                                    const std::function<Status()>& act);

  plugins::PluginHost& host_;
};

}  // namespace reciproca::api
