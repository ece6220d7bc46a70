#pragma once

// Where LoadPlugin may load a plugin from: only a shared library inside one of the server's
// plugin directories (`--plugin-dir`, `"plugin-dirs"` of its configuration). An admin token
// must not be enough to make the server run any file of the machine.

#include <filesystem>
#include <string>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::plugins {

// `path` with every symlink and ".." resolved, when that is a regular file inside one of
// `allowed` (themselves resolved). PERMISSION_DENIED naming the allowed directories otherwise
// (also when none is configured); NOT_FOUND when it is inside one but does not exist. Reads
// nothing but the file system's names: nothing is copied or opened.
Result<std::filesystem::path> AllowedPluginPath(const std::string& path,
                                                const std::vector<std::filesystem::path>& allowed);

}  // namespace reciproca::plugins
