// TokenRegistry's revocation watches: what is open on a token hears once when it stops working.

#include <gtest/gtest.h>

#include "server/engine/tokens.h"

namespace reciproca::testing {
namespace {

using engine::TokenRegistry;

constexpr const char* kChapter = "chapters/rome";
constexpr const char* kAna = "chapters/rome/members/1";
constexpr const char* kBruno = "chapters/rome/members/2";

class TokenRevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tokens_.Add(TokenRegistry::MemberRecord("ana-token", kChapter, kAna));
    tokens_.Add(TokenRegistry::MemberRecord("bruno-token", kChapter, kBruno));
    tokens_.Add(TokenRegistry::DisplayRecord("display-token", kChapter));
  }

  TokenRegistry tokens_;
};

TEST_F(TokenRevocationTest, RevokeMember_TellsEachWatchOfThatMembersTokensOnce) {
  int ana_told = 0, ana_again_told = 0, bruno_told = 0;
  auto ana = tokens_.WatchRevocation("ana-token", [&] { ++ana_told; });
  auto ana_again = tokens_.WatchRevocation("ana-token", [&] { ++ana_again_told; });
  auto bruno = tokens_.WatchRevocation("bruno-token", [&] { ++bruno_told; });
  ASSERT_TRUE(ana && ana_again && bruno);

  tokens_.RevokeMember(kAna);
  EXPECT_EQ(1, ana_told);
  EXPECT_EQ(1, ana_again_told);
  EXPECT_EQ(0, bruno_told);
  EXPECT_FALSE(tokens_.Find("ana-token"));
  EXPECT_TRUE(tokens_.Find("bruno-token"));

  tokens_.RevokeMember(kAna);  // nothing left to tell
  EXPECT_EQ(1, ana_told);
}

TEST_F(TokenRevocationTest, RevokeHash_EndsOneTokenAndItsWatches) {
  int display_told = 0, ana_told = 0;
  auto display = tokens_.WatchRevocation("display-token", [&] { ++display_told; });
  auto ana = tokens_.WatchRevocation("ana-token", [&] { ++ana_told; });
  tokens_.RevokeHash(engine::Sha256Hex("display-token"));
  EXPECT_EQ(1, display_told);
  EXPECT_EQ(0, ana_told);
  EXPECT_FALSE(tokens_.Find("display-token"));
  tokens_.RevokeHash(engine::Sha256Hex("no-such-token"));  // a no-op
  EXPECT_TRUE(tokens_.Find("ana-token"));
}

TEST_F(TokenRevocationTest, WatchRevocation_OfAnUnknownOrRevokedTokenIsRefused) {
  EXPECT_EQ(nullptr, tokens_.WatchRevocation("never-issued", [] {}));
  tokens_.RevokeMember(kBruno);
  EXPECT_EQ(nullptr, tokens_.WatchRevocation("bruno-token", [] {}));
}

TEST_F(TokenRevocationTest, Watch_DestroyedBeforeTheRevocationIsNotCalled) {
  int told = 0;
  {
    auto watch = tokens_.WatchRevocation("ana-token", [&] { ++told; });
  }
  tokens_.RevokeMember(kAna);
  EXPECT_EQ(0, told);
}

TEST_F(TokenRevocationTest, Callback_RunsWithoutTheRegistryLockHeld) {
  // A callback may use the registry (look a token up) without deadlocking.
  bool bruno_still_valid = false;
  auto watch = tokens_.WatchRevocation(
      "ana-token", [&] { bruno_still_valid = tokens_.Find("bruno-token").has_value(); });
  tokens_.RevokeMember(kAna);
  EXPECT_TRUE(bruno_still_valid);
}

}  // namespace
}  // namespace reciproca::testing
