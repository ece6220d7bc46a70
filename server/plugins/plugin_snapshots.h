#pragma once

// Where the server keeps plugins' snapshots (ABI 1.1, plugin.h's snapshot() and restore()):
// one file per plugin, `{dir}/{name}.snapshot`, replaced atomically (written beside, fsynced,
// renamed, the folder fsynced), so a crash at any moment leaves the previous snapshot or the new
// one, never half of one. A file holds the bytes the plugin wrote and what they cover: per
// chapter, the last seq delivered before snapshot() (PluginSnapshotFile in host.proto), behind
// a magic and a SHA-256 of the rest, so a damaged file is refused, not handed to the plugin.

#include <filesystem>
#include <optional>
#include <string>

#include "reciproca/plugin/v1/host.pb.h"
#include "server/domain/result.h"

namespace reciproca::plugins {

class PluginSnapshots {
 public:
  explicit PluginSnapshots(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Replaces the snapshot of `snapshot.name()`. INTERNAL when it could not be written.
  Result<void> Save(const plugin::v1::PluginSnapshotFile& snapshot) const;
  // The plugin's snapshot; nullopt when it has none; FAILED_PRECONDITION saying why when the
  // file is not one this server wrote whole (damaged, truncated, another format).
  Result<std::optional<plugin::v1::PluginSnapshotFile>> Load(const std::string& name) const;
  // Forgets the plugin's snapshot (a reload: the new build starts from the log).
  void Remove(const std::string& name) const;

  std::filesystem::path PathOf(const std::string& name) const;

 private:
  std::filesystem::path dir_;
};

// The fingerprint of a plugin's configuration, as PluginSnapshotFile.config_sha256 holds it.
std::string ConfigFingerprint(const plugin::v1::PluginConfig& config);

}  // namespace reciproca::plugins
