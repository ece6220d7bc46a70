#pragma once

// A plugin run in a reciproca-plugin-host process of its own (the default isolation).
//
// Start spawns the host (fork + exec) with nothing but its socket (fd 3), /dev/null as stdin
// and stdout, and stderr a file in a fresh, empty working directory outside the data directory;
// the child asks the kernel to SIGKILL it when the server's thread that spawned it dies
// (PR_SET_PDEATHSIG), so a killed server leaves no plugin host behind. The host sandboxes itself
// (server/plugin_host_process/sandbox.h) and then opens the library.
//
// Every call has a deadline: a host that does not answer in time is SIGKILLed, and the call
// fails as kCrashed, like a host that died (its signal or exit status and the last lines of its
// stderr are in the reason). A crashed PluginProcess is dead: the plugin host starts a new one.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "reciproca/plugin/v1/host.pb.h"
#include "server/plugins/host_frames.h"
#include "server/plugins/plugin_runtime.h"

namespace reciproca::plugins {

// Limits of one plugin host process; the defaults are documented in docs/plugins.md.
struct ProcessLimits {
  // Each on_event, on_tick and query call; a batch of events gets it per event.
  std::chrono::milliseconds call_deadline{5000};
  // Spawning the host, opening the library and create(): twice the call deadline.
  std::chrono::milliseconds start_deadline{10000};
  // RLIMIT_AS of the host; 0: none.
  uint64_t memory_mib = 1024;
  // Bounds on what one call may emit; past them the call fails (the plugin is failed).
  size_t max_outputs_per_call = 256;
  size_t max_output_bytes = 64 << 10;
};

class PluginProcess : public PluginRuntime {
 public:
  // `host_executable` is reciproca-plugin-host; `library` the server's copy of the plugin's
  // file (the host opens it, the server never does); `work_root` the folder under which each
  // host gets its own working directory.
  PluginProcess(std::string name, std::string host_executable, std::filesystem::path library,
                std::string shown_path, std::filesystem::path work_root, ProcessLimits limits,
                PluginLogSink log);
  ~PluginProcess() override;

  Result<PluginDescription> Start(const std::string& config) override;
  void OnEvents(const std::vector<std::string_view>& events,
                const std::function<void(PluginCall&)>& each) override;
  PluginCall OnTick(const std::string& tick) override;
  PluginCall Query(const std::string& query) override;
  PluginCall Snapshot() override;
  PluginCall Restore(const std::string& state) override;
  void Destroy() override;
  void Abort() override;
  int pid() const override;
  int64_t MemoryBytes() const override;

 private:
  bool Spawn(std::string* why);
  // One request, within the call deadline. False: the host is dead (crash_ says why).
  bool Send(const plugin::v1::HostRequest& request, std::chrono::milliseconds deadline,
            const std::string& what);
  // The next reply that is not a log line. False: the host is dead (crash_ says why).
  bool Receive(plugin::v1::HostReply* reply, std::chrono::milliseconds deadline,
               const std::string& what);
  PluginCall Call(const plugin::v1::HostRequest& request, const std::string& what);
  PluginCall Crashed() const;
  // Ends the process (SIGKILL unless it already exited), reaps it, and sets crash_ to `why`
  // with its exit status and the tail of its stderr. Removes its working directory.
  void KillAndReap(const std::string& why, bool already_exiting);

  std::string name_;
  std::string host_executable_;
  std::filesystem::path library_;
  std::string shown_path_;
  std::filesystem::path work_root_;
  ProcessLimits limits_;
  PluginLogSink log_;

  std::filesystem::path working_dir_;
  int fd_ = -1;
  FrameBuffer frames_;
  // Set once the process is dead: why.
  std::string crash_;
  std::atomic<bool> aborted_{false};

  mutable std::mutex pid_mu_;
  pid_t pid_ = -1;
};

}  // namespace reciproca::plugins
