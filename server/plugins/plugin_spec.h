#pragma once

// What to load as a plugin, and how to run it: from a LoadPlugin request or from an entry of
// the server's configuration file's "plugins" list:
//
//   {"name": "scores", "path": "/usr/lib/reciproca/plugins/traffic_light.so",
//    "config": {...}, "isolation": "out-of-process" | "in-process",
//    "chapters": "all" (the default here) | "enabled" (only where EnablePlugin turned it on),
//    "limits": {"call_deadline_ms": 5000, "memory_mib": 1024, "max_outputs_per_call": 256,
//               "max_output_bytes": 65536}}

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "reciproca/v1/plugin_service.pb.h"
#include "server/domain/result.h"
#include "server/plugins/plugin_process.h"

namespace reciproca::plugins {

struct PluginSpec {
  // Unique name it is loaded under; empty: the file name without ".so".
  std::string name;
  std::string path;
  // JSON; empty means "{}".
  std::string config_json;
  // Trusted plugins only: see in_process_runtime.h.
  bool in_process = false;
  // Out of process only.
  ProcessLimits limits{};
  // Every chapter (the default of the server's configuration), or only those where it is
  // enabled (PluginEnabled events; the default of LoadPlugin).
  bool all_chapters = true;
};

PluginSpec PluginSpecFromRequest(const v1::LoadPluginRequest& request);
// INVALID_ARGUMENT naming the field when the entry is malformed.
Result<PluginSpec> PluginSpecFromJson(const nlohmann::json& entry);
// The entry PluginSpecFromJson reads back as `spec` (the plugin journal keeps them so).
nlohmann::json PluginSpecToJson(const PluginSpec& spec);

}  // namespace reciproca::plugins
