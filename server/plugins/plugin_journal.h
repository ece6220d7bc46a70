#pragma once

// What the admin chose for the server's plugins (LoadPlugin, ReloadPlugin, UnloadPlugin), kept
// as events in `plugins.jsonl` in the data directory, one JSON object a line, appended and
// fsynced before the call is answered. At start the server applies them, in order, to the
// plugins of its configuration: so a restart loads what the admin last chose (a reload's fixed
// config, not the bad one of the file). Where each plugin is enabled lives in the chapters'
// logs (PluginEnabled, PluginDisabled).
//
//   {"event": "loaded", "spec": {PluginSpecToJson}}
//   {"event": "reloaded", "name": N, "config": {...}}      config absent: the same one
//   {"event": "unloaded", "name": N}

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/domain/result.h"
#include "server/plugins/plugin_spec.h"

namespace reciproca::plugins {

class PluginJournal {
 public:
  explicit PluginJournal(std::filesystem::path file) : file_(std::move(file)) {}

  // Each appends one line and fsyncs it; INTERNAL when it could not be written.
  Status Loaded(const PluginSpec& spec);
  Status Reloaded(const std::string& name, const std::string& config_json);
  Status Unloaded(const std::string& name);

  // `configured` with the journal's events applied in order (a line that does not parse, the
  // tail of a write cut short, is skipped with a warning).
  std::vector<PluginSpec> Apply(std::vector<PluginSpec> configured) const;

 private:
  Status Append(const std::string& line);

  std::filesystem::path file_;
  std::mutex mu_;
};

}  // namespace reciproca::plugins
