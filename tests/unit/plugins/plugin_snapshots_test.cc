// PluginSnapshots: a snapshot comes back as it was saved, replaced whole; a damaged, truncated
// or foreign file is refused with a reason; the config fingerprint ignores the map's order.

#include "server/plugins/plugin_snapshots.h"

#include <gtest/gtest.h>

#include <fstream>

#include "reciproca/plugin/v1/plugin.pb.h"
#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

using plugins::ConfigFingerprint;
using plugins::PluginSnapshots;

plugin::v1::PluginSnapshotFile Snapshot(const std::string& state) {
  plugin::v1::PluginSnapshotFile file;
  file.set_name("traffic_light");
  file.set_plugin_name("traffic_light");
  file.set_plugin_version("1.0.0");
  file.set_config_sha256("abc");
  (*file.mutable_seqs())["chapters/rome"] = 42;
  file.set_state(state);
  return file;
}

TEST(PluginSnapshotStoreTest, SavedComesBackAndASecondSaveReplacesIt) {
  ScratchDir dir;
  PluginSnapshots snapshots(dir.path() / "plugin-snapshots");
  auto none = snapshots.Load("traffic_light");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(snapshots.Save(Snapshot(std::string("first\0bytes", 11))).ok());
  ASSERT_TRUE(snapshots.Save(Snapshot("second")).ok());
  auto loaded = snapshots.Load("traffic_light");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ("second", (*loaded)->state());
  EXPECT_EQ(42, (*loaded)->seqs().at("chapters/rome"));
  EXPECT_FALSE(
      std::filesystem::exists(dir.path() / "plugin-snapshots" / "traffic_light.snapshot.new"));
  snapshots.Remove("traffic_light");
  EXPECT_FALSE(snapshots.Load("traffic_light")->has_value());
}

TEST(PluginSnapshotStoreTest, DamagedTruncatedOrForeignFilesAreRefused) {
  ScratchDir dir;
  PluginSnapshots snapshots(dir.path());
  ASSERT_TRUE(snapshots.Save(Snapshot(std::string(1000, 's'))).ok());
  const auto path = snapshots.PathOf("traffic_light");
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto write = [&](const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  };
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 1;
  write(flipped);
  auto damaged = snapshots.Load("traffic_light");
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(ErrorCode::kFailedPrecondition, damaged.error().code);
  EXPECT_NE(std::string::npos, damaged.error().message.find("damaged"));
  write(bytes.substr(0, bytes.size() - 10));
  EXPECT_FALSE(snapshots.Load("traffic_light").ok());
  write("not a snapshot at all");
  EXPECT_FALSE(snapshots.Load("traffic_light").ok());
  // Another plugin's file under this name (renamed by hand) is not this plugin's.
  write(bytes);
  std::filesystem::rename(path, snapshots.PathOf("leaderboard"));
  EXPECT_FALSE(snapshots.Load("leaderboard").ok());
}

TEST(PluginSnapshotStoreTest, TheConfigFingerprintSeesEveryChapterConfigInAnyOrder) {
  plugin::v1::PluginConfig a;
  a.set_json("{}");
  (*a.mutable_chapter_json())["chapters/rome"] = R"({"green_at": 4})";
  (*a.mutable_chapter_json())["chapters/rio"] = R"({"green_at": 5})";
  plugin::v1::PluginConfig b;
  b.set_json("{}");
  (*b.mutable_chapter_json())["chapters/rio"] = R"({"green_at": 5})";
  (*b.mutable_chapter_json())["chapters/rome"] = R"({"green_at": 4})";
  EXPECT_EQ(ConfigFingerprint(a), ConfigFingerprint(b));
  (*b.mutable_chapter_json())["chapters/rio"] = R"({"green_at": 6})";
  EXPECT_NE(ConfigFingerprint(a), ConfigFingerprint(b));
  plugin::v1::PluginConfig c = a;
  c.set_json(R"({"x": 1})");
  EXPECT_NE(ConfigFingerprint(a), ConfigFingerprint(c));
}

}  // namespace
}  // namespace reciproca::testing
