#include "client/cli/member_match.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/cli/args.h"

namespace reciproca::cli {
namespace {

const std::vector<RosterEntry> kRoster = {
    {"chapters/demo/members/1", "Ana Rossi"},
    {"chapters/demo/members/2", "Marco Bianchi"},
    {"chapters/demo/members/3", "Luca Verdi"},
    {"chapters/demo/members/4", "luca verdi"},
};

std::string ErrorOf(const std::string& wanted) {
  try {
    MatchMemberByName(kRoster, wanted, "chapters/demo");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MemberMatchTest, IdsAndFullNamesAreUsedAsTheyAre) {
  EXPECT_TRUE(IsMemberIdOrName("7"));
  EXPECT_TRUE(IsMemberIdOrName("chapters/demo/members/7"));
  EXPECT_FALSE(IsMemberIdOrName("Ana Rossi"));
  EXPECT_FALSE(IsMemberIdOrName("Ana"));
  EXPECT_FALSE(IsMemberIdOrName("7b"));
  EXPECT_FALSE(IsMemberIdOrName(""));
}

TEST(MemberMatchTest, OneMatchIgnoringCaseAndOuterSpaces) {
  EXPECT_EQ(MatchMemberByName(kRoster, "Ana Rossi", "chapters/demo"), "chapters/demo/members/1");
  EXPECT_EQ(MatchMemberByName(kRoster, "  marco BIANCHI ", "chapters/demo"),
            "chapters/demo/members/2");
}

TEST(MemberMatchTest, NoMatchNamesTheChapterAndTheListCommand) {
  EXPECT_EQ(ErrorOf("Ana"),
            "no member of chapters/demo is named \"Ana\"; `reciproca member list` shows the names "
            "and ids");
  EXPECT_EQ(ErrorOf("   "),
            "--member is empty: pass a member's name (\"Ana Rossi\") or id (\"7\")");
}

TEST(MemberMatchTest, SeveralMatchesListTheIds) {
  EXPECT_EQ(ErrorOf("Luca Verdi"),
            "2 members of chapters/demo are named \"Luca Verdi\": pass the id instead, one of "
            "3 (Luca Verdi), 4 (luca verdi)");
}

}  // namespace
}  // namespace reciproca::cli
