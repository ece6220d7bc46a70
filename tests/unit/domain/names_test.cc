#include "server/domain/names.h"

#include <gtest/gtest.h>

#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

TEST(Names, WellFormedNamesOfEachKind) {
  EXPECT_TRUE(IsWellFormed(NameKind::kMember, "chapters/rome/members/7"));
  EXPECT_TRUE(IsWellFormed(NameKind::kMeeting, "chapters/rome-centro/meetings/12"));
  EXPECT_TRUE(IsWellFormed(NameKind::kThankYou, "chapters/rome/thank-yous/3"));
  EXPECT_TRUE(IsWellFormed(NameKind::kOneToOne, "chapters/rome/one-to-ones/3"));
  EXPECT_TRUE(IsWellFormed(NameKind::kEducation, "chapters/rome/education/3"));
  EXPECT_TRUE(IsWellFormed(NameKind::kVisitor, "chapters/rome/meetings/2/visitors/9"));
}

TEST(Names, MalformedNamesAreRejected) {
  for (const char* bad :
       {"", "members/7", "chapters/rome/members", "chapters/rome/members/", "chapters//members/7",
        "chapters/rome/meetings/7", "chapters/rome/members/7/x", "chapters/Rome/members/7",
        "chapters/rome/members/7 "}) {
    EXPECT_FALSE(IsWellFormed(NameKind::kMember, bad)) << bad;
  }
}

TEST(Names, CheckNameRejectsOtherChapterNamingTheField) {
  EXPECT_TRUE(
      CheckName("referral.receiver", "chapters/rome/members/7", NameKind::kMember, "chapters/rome")
          .ok());
  EXPECT_TRUE(IsError(CheckName("referral.receiver", "chapters/milan/members/7", NameKind::kMember,
                                "chapters/rome"),
                      ErrorCode::kInvalidArgument, {"referral.receiver", "not in chapters/rome"}));
  EXPECT_TRUE(IsError(CheckName("referral.receiver", "bob", NameKind::kMember, "chapters/rome"),
                      ErrorCode::kInvalidArgument,
                      {"referral.receiver", "chapters/{chapter}/members/{member}"}));
}

TEST(Names, ChapterIdsAreThreeToFortyOfLowerCaseDigitsAndDashStartingWithALetter) {
  for (const char* good : {"rom", "rome", "rome-centro", "c0a1b2c3d", "a--", "r2d2",
                           "abcdefghijklmnopqrstuvwxyz0123456789-abc"}) {
    EXPECT_TRUE(IsValidChapterId(good)) << good;
    EXPECT_TRUE(CheckChapterId("chapter_id", good).ok()) << good;
  }
  for (const char* bad : {"", "ro", "1rome", "-rome", "Rome", "rome_centro", "rome.x", "rome/x",
                          " rome", "rome ", "abcdefghijklmnopqrstuvwxyz0123456789-abcd"}) {
    EXPECT_FALSE(IsValidChapterId(bad)) << bad;
    EXPECT_TRUE(
        IsError(CheckChapterId("chapter_id", bad), ErrorCode::kInvalidArgument,
                {"chapter_id: 3..40 of lower-case letters", std::string("\"") + bad + "\""}))
        << bad;
  }
  EXPECT_EQ(ChapterName("rome"), "chapters/rome");
}

TEST(Names, ResourceNamesUseTheChapterIdSyntax) {
  EXPECT_TRUE(IsWellFormed(NameKind::kMember, "chapters/c0a1b2c3d/members/7"));
  EXPECT_FALSE(IsWellFormed(NameKind::kMember, "chapters/ro/members/7"));
  EXPECT_FALSE(IsWellFormed(NameKind::kMember, "chapters/rome_centro/members/7"));
  EXPECT_FALSE(IsWellFormed(NameKind::kVisitor, "chapters/9rome/meetings/2/visitors/9"));
  // The other ids keep their own syntax: underscores and digits first.
  EXPECT_TRUE(IsWellFormed(NameKind::kMember, "chapters/rome/members/a_1"));
}

TEST(Names, ChildNamesUseTheSequenceNumber) {
  EXPECT_EQ(ChildName("chapters/rome", NameKind::kReferral, 42), "chapters/rome/referrals/42");
  EXPECT_EQ(VisitorName("chapters/rome/meetings/3", 9), "chapters/rome/meetings/3/visitors/9");
  EXPECT_EQ(MeetingOfVisitor("chapters/rome/meetings/3/visitors/9"), "chapters/rome/meetings/3");
  EXPECT_EQ(NumericId("chapters/rome/members/17"), 17);
  EXPECT_EQ(NumericId("chapters/rome/members/ana"), -1);
}

TEST(Names, IdOrderLessOrdersByNumericIdThenText) {
  EXPECT_TRUE(IdOrderLess("chapters/rome/members/9", "chapters/rome/members/10"));
  EXPECT_FALSE(IdOrderLess("chapters/rome/members/10", "chapters/rome/members/9"));
  EXPECT_FALSE(IdOrderLess("chapters/rome/members/7", "chapters/rome/members/7"));
  EXPECT_TRUE(IdOrderLess("chapters/a/members/7", "chapters/b/members/7"));
}

}  // namespace
}  // namespace reciproca::domain
