// Who may get access tokens again: the display token and members' tokens.

#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;

class TokensTest : public testing::RosterChapterTest {};

TEST_F(TokensTest, DisplayToken_ForTheAdminAndOrganizers) {
  EXPECT_TRUE(chapter_.CheckCanGetDisplayToken(Admin().principal).ok());
  EXPECT_TRUE(chapter_.CheckCanGetDisplayToken(As(president_).principal).ok());
}

TEST_F(TokensTest, DisplayToken_DeniedToMembersDisplaysAndStrangers) {
  EXPECT_TRUE(IsError(chapter_.CheckCanGetDisplayToken(As(ana_).principal),
                      ErrorCode::kPermissionDenied,
                      {"only organizers of chapters/rome and the server admin", "display token",
                       ana_ + " is not an active organizer"}));
  EXPECT_TRUE(IsError(chapter_.CheckCanGetDisplayToken(Display().principal),
                      ErrorCode::kPermissionDenied, {"room display"}));
  Principal stranger{Principal::Kind::kMember, "chapters/milan", "chapters/milan/members/2"};
  EXPECT_TRUE(IsError(chapter_.CheckCanGetDisplayToken(stranger), ErrorCode::kPermissionDenied,
                      {"not a member of chapters/rome"}));
}

TEST_F(TokensTest, DisplayToken_DeniedToAnOrganizerWhoLeft) {
  RemoveMember(president_);
  EXPECT_TRUE(IsError(chapter_.CheckCanGetDisplayToken(As(president_).principal),
                      ErrorCode::kPermissionDenied));
}

TEST_F(TokensTest, RotateDisplayToken_CountsGenerationsForOrganizersAndTheAdmin) {
  EXPECT_EQ(chapter_.display_token_generation(), 0);
  v1::RotateDisplayTokenRequest request;
  request.set_name("chapters/rome");
  Events events = ApplyAll(chapter_.DecideRotateDisplayToken(As(president_), request));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].display_token_rotated().generation(), 1);
  EXPECT_EQ(events[0].actor(), president_);
  ApplyAll(chapter_.DecideRotateDisplayToken(Admin(), request));
  EXPECT_EQ(chapter_.display_token_generation(), 2);
}

TEST_F(TokensTest, RotateDisplayToken_DeniedToMembersAndDisplaysAndNamesTheChapter) {
  v1::RotateDisplayTokenRequest request;
  request.set_name("chapters/rome");
  EXPECT_TRUE(IsError(chapter_.DecideRotateDisplayToken(As(ana_), request),
                      ErrorCode::kPermissionDenied, {"display token", "organizers"}));
  EXPECT_TRUE(IsError(chapter_.DecideRotateDisplayToken(Display(), request),
                      ErrorCode::kPermissionDenied, {"room display"}));
  request.set_name("chapters/rome/members/2");
  EXPECT_TRUE(IsError(chapter_.DecideRotateDisplayToken(Admin(), request),
                      ErrorCode::kInvalidArgument, {"name", "chapters/rome"}));
  EXPECT_EQ(chapter_.display_token_generation(), 0);
}

TEST_F(TokensTest, MemberToken_ReturnsTheActiveMember) {
  auto member = chapter_.GetMemberForToken(As(president_).principal, ana_);
  ASSERT_TRUE(member.ok()) << member.error().message;
  EXPECT_EQ(member->name(), ana_);
  EXPECT_TRUE(chapter_.GetMemberForToken(Admin().principal, bruno_).ok());
}

TEST_F(TokensTest, MemberToken_DeniedToOrdinaryMembersEvenForThemselves) {
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(As(ana_).principal, ana_),
                      ErrorCode::kPermissionDenied, {"access token", "organizers"}));
  // Permission comes first: a member cannot probe which names exist.
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(As(ana_).principal, "chapters/rome/members/99"),
                      ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      IsError(chapter_.GetMemberForToken(Display().principal, ana_), ErrorCode::kPermissionDenied));
}

TEST_F(TokensTest, MemberToken_RejectsUnknownMalformedAndLeftMembers) {
  const Principal admin = Admin().principal;
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(admin, "chapters/rome/members/99"),
                      ErrorCode::kNotFound, {"name", "chapters/rome/members/99"}));
  EXPECT_TRUE(
      IsError(chapter_.GetMemberForToken(admin, "ana"), ErrorCode::kInvalidArgument, {"name"}));
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(admin, ""), ErrorCode::kInvalidArgument,
                      {"name", "required"}));
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(admin, "chapters/milan/members/3"),
                      ErrorCode::kInvalidArgument, {"not in chapters/rome"}));
  RemoveMember(carla_);
  EXPECT_TRUE(IsError(chapter_.GetMemberForToken(admin, carla_), ErrorCode::kFailedPrecondition,
                      {carla_, "left", "revoked"}));
}

}  // namespace
}  // namespace reciproca::domain
