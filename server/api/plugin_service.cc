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
    return Assign(response, host_.LoadRequested(plugins::PluginSpecFromRequest(*request)));
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

grpc::ServerUnaryReactor* PluginService::EnablePlugin(grpc::CallbackServerContext* context,
                                                      const v1::EnablePluginRequest* request,
                                                      v1::ChapterPlugin* response) {
  return Mutate(
      context, "EnablePlugin", *request, request->request_id(), "chapter", request->chapter(),
      [this, request](const domain::Chapter& c,
                      const domain::Context& x) -> Result<domain::Events> {
        auto capabilities = host_.CheckEnable(request->name(), request->config_json());
        if (!capabilities.ok()) {
          return capabilities.error();
        }
        auto events = c.DecideEnablePlugin(x, *request, *capabilities);
        if (!events.ok()) {
          return events;
        }
        // Once the caller may enable it: the plugin's own check of the chapter's config. A
        // refused one is the caller's error; nothing is recorded and the chapter keeps its own.
        if (auto taken =
                host_.CheckChapterConfig(request->name(), c.name(), request->config_json());
            !taken.ok()) {
          return taken.error();
        }
        return events;
      },
      [this, response](const domain::Chapter& c, const domain::Events& events, store::Commit&) {
        const auto& enabled = events.front().plugin_enabled();
        host_.ExpectScopeChange(c.name(), events.front().seq());
        *response = c.plugins().at(enabled.plugin());
        return Status{};
      },
      response);
}

grpc::ServerUnaryReactor* PluginService::DisablePlugin(grpc::CallbackServerContext* context,
                                                       const v1::DisablePluginRequest* request,
                                                       v1::ChapterPlugin* response) {
  return Mutate(
      context, "DisablePlugin", *request, request->request_id(), "chapter", request->chapter(),
      [request](const domain::Chapter& c, const domain::Context& x) {
        return c.DecideDisablePlugin(x, *request);
      },
      [this, response](const domain::Chapter& c, const domain::Events& events, store::Commit&) {
        host_.ExpectScopeChange(c.name(), events.front().seq());
        response->set_name(events.front().plugin_disabled().plugin());
        response->set_chapter(c.name());
        response->set_enabled(false);
        return Status{};
      },
      response);
}

}  // namespace reciproca::api
