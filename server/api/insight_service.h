#pragma once

#include "reciproca/v1/insight_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/plugins/plugin_host.h"

namespace reciproca::api {

// Thin: checks who may ask, then asks the plugin with the capability.
class InsightService final : public v1::InsightService::CallbackService, private ServiceBase {
 public:
  InsightService(engine::Engine& engine, const engine::TokenRegistry& tokens,
                 plugins::PluginHost& host)
      : ServiceBase(engine, tokens), host_(host) {}

  grpc::ServerUnaryReactor* GetScores(grpc::CallbackServerContext* context,
                                      const v1::GetScoresRequest* request,
                                      plugin::v1::Scores* response) override;
  grpc::ServerUnaryReactor* GetLeaderboard(grpc::CallbackServerContext* context,
                                           const v1::GetLeaderboardRequest* request,
                                           plugin::v1::Leaderboard* response) override;
  grpc::ServerUnaryReactor* ListReminders(grpc::CallbackServerContext* context,
                                          const v1::ListRemindersRequest* request,
                                          plugin::v1::Reminders* response) override;
  grpc::ServerUnaryReactor* ListRelationships(grpc::CallbackServerContext* context,
                                              const v1::ListRelationshipsRequest* request,
                                              plugin::v1::Relationships* response) override;

 private:
  // Checks the caller may read `chapter` (and `check` on the chapter's state, which may fill in
  // the query), then asks the plugins and hands the answer to `take`.
  grpc::ServerUnaryReactor* Ask(
      grpc::CallbackServerContext* context, const std::string& chapter, uint64_t capability,
      std::function<Status(const domain::Chapter&, const domain::Principal&, plugin::v1::Query&)>
          check,
      std::function<Status(plugin::v1::QueryAnswer&)> take);

  plugins::PluginHost& host_;
};

}  // namespace reciproca::api
