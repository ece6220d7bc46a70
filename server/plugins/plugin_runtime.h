#pragma once

// Where a plugin instance runs: in the server's process (InProcessRuntime, trusted plugins) or in
// a reciproca-plugin-host process of its own (PluginProcess, the default). The plugin host
// (plugin_host.h) drives either through this one interface, on the instance's strand: calls on
// one runtime never overlap (only Abort, MemoryBytes and pid may come from other threads).
//
// A runtime passes the plugin's bytes through unchecked: parsing and bounding outputs and
// answers is the plugin host's job, in one place for both.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::plugins {

// What a plugin's table says of itself, and the sandbox it runs in.
struct PluginDescription {
  std::string name;
  std::string version;
  std::string abi_version;
  uint64_t capabilities = 0;
  bool has_on_tick = false;
  // ABI 1.1: it has snapshot() and restore().
  bool has_snapshots = false;
  // "in the server's process", or what the plugin host process reported.
  std::string sandbox;
};

// The outcome of one call into the plugin.
struct PluginCall {
  enum class Outcome {
    kOk,
    // The plugin returned RECIPROCA_ERROR (or broke a bound the runtime enforces): `error`.
    kError,
    // The plugin's process died, hung past its deadline, or spoke garbage; `error` says which
    // (signal or exit status, the last lines of its stderr). The runtime is dead.
    kCrashed,
  };
  Outcome outcome = Outcome::kOk;
  std::string error;
  // Serialized reciproca.plugin.v1.Output, as emitted, in order.
  std::vector<std::string> outputs;
  // For a query or a snapshot: the bytes written through the sink, and whether there were any.
  std::string answer;
  bool answered = false;

  bool ok() const { return outcome == Outcome::kOk; }
};

// A line the plugin logged: level is RECIPROCA_LOG_*.
using PluginLogSink = std::function<void(int level, const std::string& message)>;

class PluginRuntime {
 public:
  virtual ~PluginRuntime() = default;

  // Opens the library and calls create() with a serialized PluginConfig. FAILED_PRECONDITION
  // when the library is refused or create() returns NULL; UNAVAILABLE when the process died or
  // hung doing it.
  virtual Result<PluginDescription> Start(const std::string& config) = 0;
  // on_event for each event, in order; `each` receives each call's outcome. Stops after the
  // first call that is not ok.
  virtual void OnEvents(const std::vector<std::string_view>& events,
                        const std::function<void(PluginCall&)>& each) = 0;
  virtual PluginCall OnTick(const std::string& tick) = 0;
  virtual PluginCall Query(const std::string& query) = 0;
  // ABI 1.1 (only when the description has_snapshots): snapshot(), its bytes in `answer`; and
  // restore() right after Start. A refused restore leaves the instance unusable: the plugin
  // host destroys it and starts a fresh one.
  virtual PluginCall Snapshot() = 0;
  virtual PluginCall Restore(const std::string& state) = 0;
  // destroy(); the runtime is done.
  virtual void Destroy() = 0;

  // Any thread: a call in progress fails at once and no call will run again (shutdown).
  virtual void Abort() {}
  // Any thread: the process id, 0 in process.
  virtual int pid() const { return 0; }
  // Any thread: resident memory of the plugin's process, 0 when unknown or in process.
  virtual int64_t MemoryBytes() const { return 0; }
};

}  // namespace reciproca::plugins
