#pragma once

// Opening a plugin's shared library and checking its ABI table.
//
// The file is copied first (to the plugin cache, under a fresh name) and the copy is dlopened:
// dlopen of a path already open returns the old handle, so a rebuilt plugin would never be seen;
// and a build tool overwriting a mapped library in place would crash the server. Libraries are
// never dlclosed: code of theirs may still be on a stack, or referenced by a static destructor.

#include <reciproca/plugin.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::plugins {

struct PluginLibrary {
  const reciproca_plugin_v1* table = nullptr;
  // The copy that was opened.
  std::filesystem::path loaded_path;
  // "1.0".
  std::string abi_version;
  // Whether the optional on_tick entry is present (the table's size covers it and it is set).
  bool has_on_tick = false;
  // Whether the ABI 1.1 entries snapshot() and restore() are both present.
  bool has_snapshots = false;
};

// Copies `path` into `cache_dir` as `copy_name` and opens it. FAILED_PRECONDITION naming the
// plugin and both versions on an ABI mismatch; NOT_FOUND when the file does not exist.
Result<PluginLibrary> OpenPluginLibrary(const std::filesystem::path& path,
                                        const std::filesystem::path& cache_dir,
                                        const std::string& copy_name);

// The two halves of OpenPluginLibrary, for a plugin run out of process: the server copies (runs
// no plugin code), the plugin host opens the copy. `shown_path` is the path messages name.
Result<std::filesystem::path> CopyPluginLibrary(const std::filesystem::path& path,
                                                const std::filesystem::path& cache_dir,
                                                const std::string& copy_name);
Result<PluginLibrary> OpenCopiedPluginLibrary(const std::filesystem::path& copy,
                                              const std::string& shown_path);

// The capability bits as names ("scores", "ticks", ...).
std::vector<std::string> CapabilityNames(uint64_t capabilities);

}  // namespace reciproca::plugins
