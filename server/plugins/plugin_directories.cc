#include "server/plugins/plugin_directories.h"

namespace reciproca::plugins {
namespace {

std::string Listed(const std::vector<std::filesystem::path>& dirs) {
  std::string out;
  for (const auto& dir : dirs) {
    out += (out.empty() ? "" : ", ") + dir.string();
  }
  return out;
}

// Whether `path` is `dir` itself or below it (both resolved).
bool Inside(const std::filesystem::path& path, const std::filesystem::path& dir) {
  auto p = path.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
    if (d->empty()) {
      continue;  // a trailing separator
    }
    if (p == path.end() || *p != *d) {
      return false;
    }
  }
  return p != path.end();
}

}  // namespace

Result<std::filesystem::path> AllowedPluginPath(const std::string& path,
                                                const std::vector<std::filesystem::path>& allowed) {
  if (allowed.empty()) {
    return PermissionDenied(
        "path: this server loads no plugin through LoadPlugin: it has no plugin directory; "
        "start it with --plugin-dir DIR (or \"plugin-dirs\" in its --config file) and put the "
        "library there");
  }
  std::error_code ec;
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : allowed) {
    auto resolved = std::filesystem::weakly_canonical(dir, ec);
    dirs.push_back(ec ? dir : resolved);
  }
  const auto denied = [&](const std::string& why) {
    return PermissionDenied(
        "path: " + path + " " + why +
        "; plugins are loaded only from the server's plugin directories: " + Listed(dirs));
  };
  if (path.empty() || path.find('\0') != std::string::npos) {
    return InvalidArgument("path: required, the plugin's shared library (.so) in one of " +
                           Listed(dirs));
  }
  if (!std::filesystem::path(path).is_absolute()) {
    return denied("is not an absolute path");
  }
  // Resolved first, so a symlink or ".." inside an allowed directory cannot lead outside it.
  const auto resolved = std::filesystem::weakly_canonical(path, ec);
  if (ec) {
    return denied("cannot be resolved (" + ec.message() + ")");
  }
  for (const auto& dir : dirs) {
    if (!Inside(resolved, dir)) {
      continue;
    }
    if (!std::filesystem::exists(resolved, ec)) {
      return NotFound("path: " + path + " does not exist");
    }
    if (!std::filesystem::is_regular_file(resolved, ec)) {
      return InvalidArgument("path: " + path + " is not a file");
    }
    return resolved;
  }
  return denied(resolved.string() == path ? "is outside them"
                                          : "(" + resolved.string() + ") is outside them");
}

}  // namespace reciproca::plugins
