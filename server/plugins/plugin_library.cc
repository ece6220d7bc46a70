#include "server/plugins/plugin_library.h"

#include <dlfcn.h>

#include <cstddef>

namespace reciproca::plugins {
namespace {

std::string Version(uint16_t major, uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// The table must reach past `last_error`, the last entry every 1.x plugin has.
constexpr size_t kRequiredSize =
    offsetof(reciproca_plugin_v1, last_error) + sizeof(reciproca_plugin_v1::last_error);
constexpr size_t kOnTickEnd =
    offsetof(reciproca_plugin_v1, on_tick) + sizeof(reciproca_plugin_v1::on_tick);
constexpr size_t kRestoreEnd =
    offsetof(reciproca_plugin_v1, restore) + sizeof(reciproca_plugin_v1::restore);

}  // namespace

Result<PluginLibrary> OpenPluginLibrary(const std::filesystem::path& path,
                                        const std::filesystem::path& cache_dir,
                                        const std::string& copy_name) {
  auto copy = CopyPluginLibrary(path, cache_dir, copy_name);
  if (!copy.ok()) {
    return copy.error();
  }
  return OpenCopiedPluginLibrary(*copy, path.string());
}

Result<std::filesystem::path> CopyPluginLibrary(const std::filesystem::path& path,
                                                const std::filesystem::path& cache_dir,
                                                const std::string& copy_name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound("path: no plugin library at " + path.string());
  }
  std::filesystem::create_directories(cache_dir, ec);
  const auto copy = cache_dir / copy_name;
  // Never overwrite: a file of that name may still be mapped; a fresh name each time.
  std::filesystem::copy_file(path, copy, std::filesystem::copy_options::none, ec);
  if (ec) {
    return Internal("cannot copy " + path.string() + " to " + copy.string() + ": " + ec.message());
  }
  return copy;
}

Result<PluginLibrary> OpenCopiedPluginLibrary(const std::filesystem::path& copy,
                                              const std::string& path) {
  void* handle = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return FailedPrecondition("cannot load " + path + ": " + (why ? why : "dlopen failed"));
  }
  auto entry =
      reinterpret_cast<reciproca_plugin_entry_v1_fn>(dlsym(handle, RECIPROCA_PLUGIN_ENTRY_SYMBOL));
  if (!entry) {
    return FailedPrecondition(path + " is not a Reciproca plugin: it does not export " +
                              RECIPROCA_PLUGIN_ENTRY_SYMBOL);
  }
  const reciproca_plugin_v1* table = entry();
  const std::string host_abi = Version(RECIPROCA_PLUGIN_ABI_MAJOR, RECIPROCA_PLUGIN_ABI_MINOR);
  if (!table) {
    return FailedPrecondition(path + ": " + RECIPROCA_PLUGIN_ENTRY_SYMBOL + " returned no table");
  }
  const std::string plugin_abi = Version(table->abi_major, table->abi_minor);
  const std::string name = table->name ? table->name : "?";
  if (table->abi_major != RECIPROCA_PLUGIN_ABI_MAJOR) {
    return FailedPrecondition("plugin " + name + " (" + path + ") was built for plugin ABI " +
                              plugin_abi + "; this server speaks ABI " + host_abi +
                              ": rebuild it against this server's plugin.h");
  }
  if (table->abi_minor > RECIPROCA_PLUGIN_ABI_MINOR) {
    return FailedPrecondition("plugin " + name + " (" + path + ") was built for plugin ABI " +
                              plugin_abi + ", newer than this server's ABI " + host_abi +
                              ": upgrade the server or build the plugin against ABI " + host_abi);
  }
  if (table->struct_size < kRequiredSize || !table->name || !table->version || !table->create ||
      !table->destroy || !table->on_event || !table->query || !table->last_error) {
    return FailedPrecondition("plugin " + name + " (" + path +
                              "): its table is incomplete (struct_size " +
                              std::to_string(table->struct_size) + ", ABI " + plugin_abi + ")");
  }
  PluginLibrary library;
  library.table = table;
  library.loaded_path = copy;
  library.abi_version = plugin_abi;
  library.has_on_tick = table->struct_size >= kOnTickEnd && table->on_tick != nullptr;
  library.has_snapshots = table->abi_minor >= 1 && table->struct_size >= kRestoreEnd &&
                          table->snapshot != nullptr && table->restore != nullptr;
  return library;
}

std::vector<std::string> CapabilityNames(uint64_t capabilities) {
  std::vector<std::string> names;
  const std::pair<uint64_t, const char*> kNames[] = {
      {RECIPROCA_CAP_SCORES, "scores"},       {RECIPROCA_CAP_LEADERBOARD, "leaderboard"},
      {RECIPROCA_CAP_REMINDERS, "reminders"}, {RECIPROCA_CAP_RELATIONSHIPS, "relationships"},
      {RECIPROCA_CAP_TICKS, "ticks"},         {RECIPROCA_CAP_CONTACTS, "contacts"},
  };
  for (const auto& [bit, name] : kNames) {
    if (capabilities & bit) {
      names.emplace_back(name);
    }
  }
  return names;
}

}  // namespace reciproca::plugins
