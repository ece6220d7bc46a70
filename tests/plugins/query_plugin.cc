// A test-only client for tests/plugins/examples_test.sh: PluginService and InsightService calls,
// answers printed as JSON lines (proto field names; one message per line).
//
//   query_plugin SERVER TOKEN list                      each PluginInfo
//   query_plugin SERVER TOKEN scores CHAPTER [WINDOW]   the window, then each MemberScore
//   query_plugin SERVER TOKEN load NAME PATH [CONFIG]   the PluginInfo
//   query_plugin SERVER TOKEN unload NAME               the PluginInfo
//
// Exits 0 on success, 3 with the gRPC status on stderr when the call failed, 2 on bad usage.

#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <string>
#include <vector>

#include "client/lib/client.h"

namespace {

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    json = "{}";
  }
  std::cout << json << "\n";
}

int Failed(const grpc::Status& status) {
  std::cerr << "error: " << status.error_code() << ": " << status.error_message() << "\n";
  return 3;
}

int Usage() {
  std::cerr << "usage: query_plugin SERVER TOKEN list | scores CHAPTER [WINDOW] | "
               "load NAME PATH [CONFIG_JSON] | unload NAME\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3) {
    return Usage();
  }
  reciproca::client::Options options;
  options.target = args[0];
  options.token = args[1];
  reciproca::client::Client client(options);
  const std::string& command = args[2];
  auto context = client.NewContext();

  if (command == "list" && args.size() == 3) {
    reciproca::v1::ListPluginsResponse response;
    const auto status = client.plugins().ListPlugins(context.get(), {}, &response);
    if (!status.ok()) {
      return Failed(status);
    }
    for (const auto& plugin : response.plugins()) {
      PrintJson(plugin);
    }
  } else if (command == "scores" && (args.size() == 4 || args.size() == 5)) {
    reciproca::v1::GetScoresRequest request;
    request.set_chapter(args[3]);
    if (args.size() == 5) {
      request.set_window(args[4]);
    }
    reciproca::plugin::v1::Scores response;
    const auto status = client.insights().GetScores(context.get(), request, &response);
    if (!status.ok()) {
      return Failed(status);
    }
    std::cout << "{\"window\":\"" << response.window() << "\"}\n";
    for (const auto& score : response.scores()) {
      PrintJson(score);
    }
  } else if (command == "load" && (args.size() == 5 || args.size() == 6)) {
    reciproca::v1::LoadPluginRequest request;
    request.set_name(args[3]);
    request.set_path(args[4]);
    request.set_scope(reciproca::v1::PLUGIN_SCOPE_ALL_CHAPTERS);
    if (args.size() == 6) {
      request.set_config_json(args[5]);
    }
    reciproca::v1::PluginInfo response;
    const auto status = client.plugins().LoadPlugin(context.get(), request, &response);
    if (!status.ok()) {
      return Failed(status);
    }
    PrintJson(response);
  } else if (command == "unload" && args.size() == 4) {
    reciproca::v1::UnloadPluginRequest request;
    request.set_name(args[3]);
    reciproca::v1::PluginInfo response;
    const auto status = client.plugins().UnloadPlugin(context.get(), request, &response);
    if (!status.ok()) {
      return Failed(status);
    }
    PrintJson(response);
  } else {
    return Usage();
  }
  return 0;
}
