#include "server/plugins/plugin_spec.h"

#include <nlohmann/json.hpp>

namespace reciproca::plugins {
namespace {

// 0 keeps the default.
void ApplyLimits(const v1::PluginLimits& limits, ProcessLimits* out) {
  if (limits.call_deadline_ms() > 0) {
    out->call_deadline = std::chrono::milliseconds(limits.call_deadline_ms());
    out->start_deadline = 2 * out->call_deadline;
  }
  if (limits.memory_mib() > 0) {
    out->memory_mib = limits.memory_mib();
  }
  if (limits.max_outputs_per_call() > 0) {
    out->max_outputs_per_call = limits.max_outputs_per_call();
  }
  if (limits.max_output_bytes() > 0) {
    out->max_output_bytes = limits.max_output_bytes();
  }
}

// entry[key], a string: `preset` when absent, else `preset` or `other` (which means
// `other_means`); true when it is `other`. INVALID_ARGUMENT naming both otherwise.
Result<bool> Either(const nlohmann::json& entry, const std::string& plugin, const char* key,
                    const std::string& preset, const std::string& other, const char* other_means) {
  const auto value = entry.value(key, preset);
  if (value != preset && value != other) {
    return InvalidArgument("plugin " + plugin + ": \"" + key + "\" is \"" + preset +
                           "\" (the default) or \"" + other + "\" (" + other_means + "), got \"" +
                           value + "\"");
  }
  return value == other;
}

}  // namespace

PluginSpec PluginSpecFromRequest(const v1::LoadPluginRequest& request) {
  PluginSpec spec{request.name(), request.path(), request.config_json()};
  spec.in_process = request.isolation() == v1::PLUGIN_ISOLATION_IN_PROCESS;
  spec.all_chapters = request.scope() == v1::PLUGIN_SCOPE_ALL_CHAPTERS;
  ApplyLimits(request.limits(), &spec.limits);
  return spec;
}

Result<PluginSpec> PluginSpecFromJson(const nlohmann::json& entry) {
  if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string()) {
    return InvalidArgument("each plugin needs a \"path\"");
  }
  PluginSpec spec{entry.value("name", ""), entry["path"].get<std::string>(),
                  entry.contains("config") ? entry["config"].dump() : ""};
  auto isolation =
      Either(entry, spec.path, "isolation", "out-of-process", "in-process", "trusted plugins only");
  if (!isolation.ok()) {
    return isolation.error();
  }
  spec.in_process = *isolation;
  auto enabled_only = Either(entry, spec.path, "chapters", "all", "enabled",
                             "only the chapters where it is enabled");
  if (!enabled_only.ok()) {
    return enabled_only.error();
  }
  spec.all_chapters = !*enabled_only;
  if (entry.contains("limits")) {
    const auto& limits = entry["limits"];
    v1::PluginLimits parsed;
    for (const auto& [key, value] : limits.items()) {
      if (!value.is_number_unsigned()) {
        return InvalidArgument("plugin " + spec.path + ": limits." + key +
                               " must be a whole number");
      }
      const auto n = value.get<uint32_t>();
      if (key == "call_deadline_ms") {
        parsed.set_call_deadline_ms(n);
      } else if (key == "memory_mib") {
        parsed.set_memory_mib(n);
      } else if (key == "max_outputs_per_call") {
        parsed.set_max_outputs_per_call(n);
      } else if (key == "max_output_bytes") {
        parsed.set_max_output_bytes(n);
      } else {
        return InvalidArgument("plugin " + spec.path + ": unknown limit \"" + key +
                               "\" (call_deadline_ms, memory_mib, max_outputs_per_call, "
                               "max_output_bytes)");
      }
    }
    ApplyLimits(parsed, &spec.limits);
  }
  return spec;
}

nlohmann::json PluginSpecToJson(const PluginSpec& spec) {
  nlohmann::json entry = {{"name", spec.name},
                          {"path", spec.path},
                          {"isolation", spec.in_process ? "in-process" : "out-of-process"},
                          {"chapters", spec.all_chapters ? "all" : "enabled"}};
  if (!spec.config_json.empty()) {
    entry["config"] = nlohmann::json::parse(spec.config_json, nullptr, false);
  }
  if (!spec.in_process) {
    // Unsigned, as PluginSpecFromJson wants them.
    const auto u = [](auto n) { return static_cast<uint32_t>(n); };
    entry["limits"] = {{"call_deadline_ms", u(spec.limits.call_deadline.count())},
                       {"memory_mib", u(spec.limits.memory_mib)},
                       {"max_outputs_per_call", u(spec.limits.max_outputs_per_call)},
                       {"max_output_bytes", u(spec.limits.max_output_bytes)}};
  }
  return entry;
}

}  // namespace reciproca::plugins
