#pragma once

// What reciproca-plugin-host does to itself before it opens a plugin's library, so the plugin's
// code runs with least privilege (docs/plugins.md, "Sandbox"):
// - its own empty working directory (outside the server's data directory);
// - only the descriptors the server left it (stdin/stdout /dev/null, stderr a log file in the
//   working directory, the socket as fd 3: the server closed every other one before exec);
// - resource limits: address space (RLIMIT_AS, the plugin's memory limit), no core files, files
//   it writes at most 16 MiB;
// - no new privileges, and a Landlock ruleset when the kernel has Landlock: read and execute
//   the system's libraries and zone data, read the plugin's own library copy, read and write the
//   working directory; nothing else of the file system (not the data directory, the database
//   or admin.token, even as root).

#include <cstdint>
#include <string>

namespace reciproca::plugin_host {

struct SandboxOptions {
  std::string working_dir;
  std::string library_path;
  // 0: no address-space limit.
  uint64_t memory_bytes = 0;
  // Off only for the in-tree tests of the sandbox itself.
  bool landlock = true;
};

// Applies everything above; returns a one-line description of what is in force. Fails (with a
// message) only when the working directory cannot be entered or a limit cannot be set: a
// missing Landlock is reported in the description, not an error.
bool EnterSandbox(const SandboxOptions& options, std::string* description);

}  // namespace reciproca::plugin_host
