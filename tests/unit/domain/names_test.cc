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
