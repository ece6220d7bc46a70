#pragma once

// A plugin run inside reciprocad ("isolation": "in-process"): fast, and trusted. Its crash is
// the server's crash and a hang stalls its strand for ever; the limits of a plugin host process
// (deadlines, memory) do not apply. For plugins the operator wrote or audited.

#include <filesystem>
#include <memory>

#include "server/plugins/plugin_library.h"
#include "server/plugins/plugin_runtime.h"

namespace reciproca::plugins {

class InProcessRuntime : public PluginRuntime {
 public:
  // `name` is the name the plugin is loaded under, for messages. The library is copied into
  // `cache_dir` as `copy_name` and opened in Start (never dlclosed); with `copied`, that copy
  // exists already (another runtime of the same instance opened it) and is opened as it is.
  InProcessRuntime(std::string name, std::filesystem::path path, std::filesystem::path cache_dir,
                   std::string copy_name, PluginLogSink log, bool copied = false);
  ~InProcessRuntime() override;

  Result<PluginDescription> Start(const std::string& config) override;
  void OnEvents(const std::vector<std::string_view>& events,
                const std::function<void(PluginCall&)>& each) override;
  PluginCall OnTick(const std::string& tick) override;
  PluginCall Query(const std::string& query) override;
  PluginCall Snapshot() override;
  PluginCall Restore(const std::string& state) override;
  void Destroy() override;

 private:
  PluginCall Finish(reciproca_status status);
  // The answer of a call after Destroy(): an error, without calling into the plugin.
  PluginCall Stopped() const;

  std::string name_;
  std::filesystem::path path_;
  std::filesystem::path cache_dir_;
  std::string copy_name_;
  PluginLogSink log_;
  bool copied_ = false;
  PluginLibrary library_;
  reciproca_host host_{};
  void* plugin_ = nullptr;
  // What the plugin emitted during the current call.
  std::vector<std::string> emitted_;
  std::string last_error_log_;
};

}  // namespace reciproca::plugins
