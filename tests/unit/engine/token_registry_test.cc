// The token registry's revocation hook: a revoked token tells what watches it.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "server/engine/tokens.h"

namespace reciproca::engine {
namespace {

class RecordingWatcher : public TokenWatcher {
 public:
  void OnRevoked(const std::string& reason) override { reasons.push_back(reason); }
  std::vector<std::string> reasons;
};

TEST(TokenRegistryTest, RevokeHash_TellsTheDisplaysWatchersOnceThatTheLinkWasReplaced) {
  TokenRegistry registry;
  const TokenMinter minter("secret");
  const std::string old_token = minter.ForDisplay("chapters/rome");
  const std::string new_token = minter.ForDisplay("chapters/rome", 1);
  EXPECT_NE(old_token, new_token);
  registry.Add(TokenRegistry::DisplayRecord(old_token, "chapters/rome"));
  registry.Add(TokenRegistry::DisplayRecord(new_token, "chapters/rome"));
  auto on_old = std::make_shared<RecordingWatcher>();
  auto on_new = std::make_shared<RecordingWatcher>();
  ASSERT_TRUE(registry.Watch(old_token, on_old));
  ASSERT_TRUE(registry.Watch(new_token, on_new));

  registry.RevokeHash(Sha256Hex(old_token));
  EXPECT_FALSE(registry.Find(old_token));
  EXPECT_TRUE(registry.Find(new_token));
  ASSERT_EQ(on_old->reasons.size(), 1u);
  EXPECT_NE(on_old->reasons[0].find("display link was replaced"), std::string::npos);
  EXPECT_TRUE(on_new->reasons.empty());

  registry.RevokeHash(Sha256Hex(old_token));  // again: nothing more to tell
  EXPECT_EQ(on_old->reasons.size(), 1u);
  EXPECT_FALSE(registry.Watch(old_token, on_old));
}

TEST(TokenRegistryTest, RevokeMember_TellsEveryWatcherOfTheMembersTokens) {
  TokenRegistry registry;
  registry.Add(TokenRegistry::MemberRecord("tok-ana", "chapters/rome", "chapters/rome/members/2"));
  registry.Add(TokenRegistry::MemberRecord("tok-bob", "chapters/rome", "chapters/rome/members/3"));
  auto ana = std::make_shared<RecordingWatcher>();
  auto bob = std::make_shared<RecordingWatcher>();
  ASSERT_TRUE(registry.Watch("tok-ana", ana));
  ASSERT_TRUE(registry.Watch("tok-bob", bob));
  {
    // A watcher that went away is forgotten, not called.
    auto gone = std::make_shared<RecordingWatcher>();
    ASSERT_TRUE(registry.Watch("tok-ana", gone));
  }
  registry.RevokeMember("chapters/rome/members/2");
  ASSERT_EQ(ana->reasons.size(), 1u);
  EXPECT_NE(ana->reasons[0].find("revoked"), std::string::npos);
  EXPECT_TRUE(bob->reasons.empty());
}

TEST(TokenRegistryTest, Watch_RefusesAnUnknownToken) {
  TokenRegistry registry;
  auto watcher = std::make_shared<RecordingWatcher>();
  EXPECT_FALSE(registry.Watch("never-issued", watcher));
}

}  // namespace
}  // namespace reciproca::engine
