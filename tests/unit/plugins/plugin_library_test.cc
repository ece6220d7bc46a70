// OpenPluginLibrary: the copy that is opened, the ABI checks and their messages.

#include "server/plugins/plugin_library.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "unit/plugins/plugin_host_test_support.h"

namespace reciproca::testing {
namespace {

using plugins::OpenPluginLibrary;

// Success when `r` is a FAILED_PRECONDITION whose message contains every one of `needles`.
template <class R>
::testing::AssertionResult IsRefusal(const R& r, const std::vector<std::string>& needles) {
  if (r.ok()) {
    return ::testing::AssertionFailure() << "expected a refusal, got OK";
  }
  if (r.error().code != ErrorCode::kFailedPrecondition) {
    return ::testing::AssertionFailure() << "not FAILED_PRECONDITION: " << r.error().message;
  }
  for (const std::string& needle : needles) {
    if (r.error().message.find(needle) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "\"" << r.error().message << "\" does not contain \"" << needle << "\"";
    }
  }
  return ::testing::AssertionSuccess();
}

class PluginLibraryTest : public ::testing::Test {
 protected:
  std::filesystem::path Cache() const { return scratch_.path() / "cache"; }
  ScratchDir scratch_;
};

TEST_F(PluginLibraryTest, Open_LoadsACopyInTheCacheAndReadsItsTable) {
  const auto path = kPluginDir / "counting_v1.so";
  auto library = OpenPluginLibrary(path, Cache(), "counting-1.so");
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_EQ(Cache() / "counting-1.so", library->loaded_path);
  EXPECT_TRUE(std::filesystem::is_regular_file(library->loaded_path));
  EXPECT_EQ(std::filesystem::file_size(path), std::filesystem::file_size(library->loaded_path));
  EXPECT_EQ("1.0", library->abi_version);
  EXPECT_STREQ("counting", library->table->name);
  EXPECT_STREQ("1.0.0", library->table->version);
  EXPECT_EQ((std::vector<std::string>{"scores", "reminders"}),
            plugins::CapabilityNames(library->table->capabilities));
}

TEST_F(PluginLibraryTest, Open_TwoCopiesOfTheSameFileAreTwoLibraries) {
  // dlopen of a path already open would return the old handle; the host relies on copies.
  auto first = OpenPluginLibrary(kPluginDir / "counting_v1.so", Cache(), "a.so");
  auto second = OpenPluginLibrary(kPluginDir / "counting_v1.so", Cache(), "b.so");
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_NE(first->loaded_path, second->loaded_path);
  EXPECT_NE(first->table, second->table);
}

TEST_F(PluginLibraryTest, Open_RefusesAnotherMajorAbiNamingBothVersions) {
  const auto path = kPluginDir / "abi_major_2.so";
  EXPECT_TRUE(IsRefusal(OpenPluginLibrary(path, Cache(), "major.so"),
                        {path.string(), "ABI 2.0", "ABI 1.1", "rebuild"}));
}

TEST_F(PluginLibraryTest, Open_RefusesANewerMinorAbiNamingBothVersions) {
  const auto path = kPluginDir / "abi_minor_9.so";
  EXPECT_TRUE(IsRefusal(OpenPluginLibrary(path, Cache(), "minor.so"),
                        {path.string(), "ABI 1.9", "newer", "ABI 1.1"}));
}

TEST_F(PluginLibraryTest, Open_MissingFileIsNotFound) {
  auto library = OpenPluginLibrary(scratch_.path() / "absent.so", Cache(), "absent.so");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(ErrorCode::kNotFound, library.error().code);
  EXPECT_NE(std::string::npos, library.error().message.find("absent.so"));
}

TEST_F(PluginLibraryTest, Open_AFileThatIsNoSharedLibraryIsRefused) {
  const auto path = scratch_.path() / "text.so";
  std::ofstream(path) << "not an ELF file\n";
  EXPECT_TRUE(IsRefusal(OpenPluginLibrary(path, Cache(), "text.so"), {"cannot load"}));
}

TEST(CapabilityNamesTest, CapabilityNames_NamesEachBitInATableOrder) {
  EXPECT_EQ(
      (std::vector<std::string>{"scores", "leaderboard", "reminders", "relationships", "ticks"}),
      plugins::CapabilityNames(RECIPROCA_CAP_TICKS | RECIPROCA_CAP_RELATIONSHIPS |
                               RECIPROCA_CAP_REMINDERS | RECIPROCA_CAP_LEADERBOARD |
                               RECIPROCA_CAP_SCORES));
  EXPECT_EQ(std::vector<std::string>{"contacts"}, plugins::CapabilityNames(RECIPROCA_CAP_CONTACTS));
  EXPECT_TRUE(plugins::CapabilityNames(0).empty());
}

}  // namespace
}  // namespace reciproca::testing
