#include "server/plugins/plugin_snapshots.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "server/engine/tokens.h"

namespace reciproca::plugins {
namespace {

constexpr std::string_view kMagic = "RPSNAP01";
constexpr size_t kDigestHex = 64;

Result<void> SyncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!synced) {
    return Internal("cannot fsync " + path.string() + ": " + std::strerror(error));
  }
  return {};
}

}  // namespace

std::filesystem::path PluginSnapshots::PathOf(const std::string& name) const {
  return dir_ / (name + ".snapshot");
}

Result<void> PluginSnapshots::Save(const plugin::v1::PluginSnapshotFile& snapshot) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  const auto path = PathOf(snapshot.name());
  const auto temporary = dir_ / (snapshot.name() + ".snapshot.new");
  const std::string body = snapshot.SerializeAsString();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << kMagic << engine::Sha256Hex(body) << body;
    out.close();
    if (!out) {
      return Internal("cannot write " + temporary.string());
    }
  }
  if (auto s = SyncPath(temporary, O_RDONLY); !s.ok()) {
    return s;
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    return Internal("cannot rename " + temporary.string() + ": " + ec.message());
  }
  return SyncPath(dir_, O_RDONLY | O_DIRECTORY);
}

Result<std::optional<plugin::v1::PluginSnapshotFile>> PluginSnapshots::Load(
    const std::string& name) const {
  const auto path = PathOf(name);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::optional<plugin::v1::PluginSnapshotFile>();
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string file = bytes.str();
  if (file.size() < kMagic.size() + kDigestHex || file.compare(0, kMagic.size(), kMagic) != 0) {
    return FailedPrecondition(path.string() + " is not a plugin snapshot of this server");
  }
  const std::string body = file.substr(kMagic.size() + kDigestHex);
  if (file.compare(kMagic.size(), kDigestHex, engine::Sha256Hex(body)) != 0) {
    return FailedPrecondition(path.string() + " is damaged (its checksum does not match)");
  }
  plugin::v1::PluginSnapshotFile snapshot;
  if (!snapshot.ParseFromString(body) || snapshot.name() != name) {
    return FailedPrecondition(path.string() + " is not a snapshot of plugin " + name);
  }
  return std::optional<plugin::v1::PluginSnapshotFile>(std::move(snapshot));
}

void PluginSnapshots::Remove(const std::string& name) const {
  std::error_code ec;
  std::filesystem::remove(PathOf(name), ec);
}

std::string ConfigFingerprint(const plugin::v1::PluginConfig& config) {
  // Protobuf's map order is not stable: the chapters' configs are hashed in name order.
  std::string text = config.json();
  const std::map<std::string, std::string> chapters(config.chapter_json().begin(),
                                                    config.chapter_json().end());
  for (const auto& [chapter, json] : chapters) {
    text += '\0' + chapter + '\0' + json;
  }
  return engine::Sha256Hex(text);
}

}  // namespace reciproca::plugins
