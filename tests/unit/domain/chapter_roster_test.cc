#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/domain/chapter.h"
#include "unit/domain/chapter_test_support.h"

namespace reciproca::domain {
namespace {

using testing::IsError;
using testing::kNow;

class RosterTest : public testing::RosterChapterTest {
 protected:
  v1::CreateMemberRequest NewMember(const std::string& display_name, const std::string& category) {
    v1::CreateMemberRequest request;
    request.set_parent(kChapter);
    request.mutable_member()->set_display_name(display_name);
    request.mutable_member()->set_business("Studio " + display_name);
    request.mutable_member()->set_category(category);
    return request;
  }

  v1::UpdateMemberRequest Update(const std::string& name, std::vector<std::string> paths) {
    v1::UpdateMemberRequest request;
    request.mutable_member()->set_name(name);
    for (const std::string& p : paths) {
      request.mutable_update_mask()->add_paths(p);
    }
    return request;
  }
};

TEST_F(RosterTest, CreateMember_EmitsCompleteMemberNamedBySeq) {
  auto r = chapter_.DecideCreateMember(Admin(), NewMember(" Dario Neri ", "Architect"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const v1::Event& e = (*r)[0];
  EXPECT_EQ(e.seq(), chapter_.last_seq() + 1);
  EXPECT_EQ(e.chapter(), kChapter);
  EXPECT_EQ(e.actor(), "admin");
  const v1::Member& m = e.member_added().member();
  EXPECT_EQ(m.name(), "chapters/rome/members/" + std::to_string(e.seq()));
  EXPECT_EQ(m.display_name(), "Dario Neri");
  EXPECT_EQ(m.role(), v1::ROLE_MEMBER);
  EXPECT_EQ(m.state(), v1::MEMBER_STATE_ACTIVE);
  EXPECT_EQ(m.join_time().seconds(), kNow);
}

TEST_F(RosterTest, CreateMember_DoesNotMutateUntilApplied) {
  int64_t before = chapter_.last_seq();
  auto r = chapter_.DecideCreateMember(Admin(), NewMember("Dario", "Architect"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(chapter_.last_seq(), before);
  EXPECT_EQ(chapter_.ListMembers(false).size(), 4u);
  chapter_.Apply((*r)[0]);
  EXPECT_EQ(chapter_.ListMembers(false).size(), 5u);
  EXPECT_EQ(chapter_.Info().active_member_count(), 5);
}

TEST_F(RosterTest, CreateMember_OrganizerMemberMayAdd) {
  EXPECT_TRUE(chapter_.DecideCreateMember(As(president_), NewMember("Dario", "Architect")).ok());
}

TEST_F(RosterTest, CreateMember_RejectsOrdinaryMember) {
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(As(ana_), NewMember("Dario", "Architect")),
                      ErrorCode::kPermissionDenied));
}

TEST_F(RosterTest, CreateMember_RejectsTakenCategoryCaseInsensitivelyNamingHolder) {
  EXPECT_TRUE(
      IsError(chapter_.DecideCreateMember(Admin(), NewMember("Dario", "  accountant ")),
              ErrorCode::kAlreadyExists,
              {"member.category", "category \"Accountant\" is held by " + ana_ + " (Ana Rossi)"}));
}

TEST_F(RosterTest, CreateMember_CategoryIsFreedWhenHolderLeaves) {
  RemoveMember(ana_);
  EXPECT_TRUE(chapter_.DecideCreateMember(Admin(), NewMember("Dario", "ACCOUNTANT")).ok());
}

TEST_F(RosterTest, CreateMember_RejectsMissingDisplayName) {
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), NewMember("  ", "Architect")),
                      ErrorCode::kInvalidArgument, {"member.display_name"}));
}

TEST_F(RosterTest, CreateMember_RejectsMissingBusiness) {
  auto request = NewMember("Dario", "Architect");
  request.mutable_member()->set_business("");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.business"}));
}

TEST_F(RosterTest, CreateMember_RejectsTooLongCategory) {
  EXPECT_TRUE(
      IsError(chapter_.DecideCreateMember(Admin(), NewMember("Dario", std::string(61, 'c'))),
              ErrorCode::kInvalidArgument, {"member.category"}));
  EXPECT_TRUE(chapter_.DecideCreateMember(Admin(), NewMember("Dario", std::string(60, 'c'))).ok());
}

TEST_F(RosterTest, CreateMember_RejectsBadEmailAndPhone) {
  auto request = NewMember("Dario", "Architect");
  request.mutable_member()->set_email("dario at example.com");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.email"}));
  request.mutable_member()->set_email("dario@example.com");
  request.mutable_member()->set_phone("call me");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.phone"}));
  request.mutable_member()->set_phone("+39 06 1234567");
  EXPECT_TRUE(chapter_.DecideCreateMember(Admin(), request).ok());
}

TEST_F(RosterTest, CreateMember_RejectsUnknownRole) {
  auto request = NewMember("Dario", "Architect");
  request.mutable_member()->set_role(static_cast<v1::Role>(42));
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.role"}));
}

TEST_F(RosterTest, CreateMember_RejectsParentOfAnotherChapter) {
  auto request = NewMember("Dario", "Architect");
  request.set_parent("chapters/milan");
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"parent"}));
}

TEST_F(RosterTest, UpdateMember_MemberUpdatesOwnContact) {
  auto request = Update(ana_, {"contact"});
  request.mutable_member()->set_email("ana@example.com");
  request.mutable_member()->set_phone("+39 333 1234567");
  auto r = chapter_.DecideUpdateMember(As(ana_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const v1::MemberUpdated& u = (*r)[0].member_updated();
  EXPECT_EQ(u.member().email(), "ana@example.com");
  EXPECT_EQ(u.member().phone(), "+39 333 1234567");
  EXPECT_EQ(u.member().display_name(), "Ana Rossi");  // untouched
  EXPECT_EQ(u.member().category(), "Accountant");
  EXPECT_EQ(u.member().state(), v1::MEMBER_STATE_ACTIVE);
  EXPECT_THAT(std::vector<std::string>(u.changed_fields().begin(), u.changed_fields().end()),
              ::testing::ElementsAre("email", "phone"));
  EXPECT_EQ((*r)[0].actor(), ana_);
  chapter_.Apply((*r)[0]);
  EXPECT_EQ(chapter_.GetMember(ana_)->email(), "ana@example.com");
}

TEST_F(RosterTest, UpdateMember_RejectsEmptyMask) {
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), Update(ana_, {})),
                      ErrorCode::kInvalidArgument, {"update_mask"}));
}

TEST_F(RosterTest, UpdateMember_RejectsUnknownPathNamingIt) {
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), Update(ana_, {"state"})),
                      ErrorCode::kInvalidArgument, {"update_mask", "\"state\""}));
}

TEST_F(RosterTest, UpdateMember_MemberCannotChangeOwnCategoryOrRole) {
  auto request = Update(ana_, {"category"});
  request.mutable_member()->set_category("Tax advisor");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(As(ana_), request), ErrorCode::kPermissionDenied,
                      {"category"}));
  request = Update(ana_, {"role"});
  request.mutable_member()->set_role(v1::ROLE_PRESIDENT);
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(As(ana_), request), ErrorCode::kPermissionDenied,
                      {"role"}));
}

TEST_F(RosterTest, UpdateMember_MemberCannotUpdateAnotherMember) {
  auto request = Update(bruno_, {"business"});
  request.mutable_member()->set_business("Hacked");
  EXPECT_TRUE(
      IsError(chapter_.DecideUpdateMember(As(ana_), request), ErrorCode::kPermissionDenied));
}

TEST_F(RosterTest, UpdateMember_OrganizerChangesRoleAndCategory) {
  auto request = Update(ana_, {"role", "category"});
  request.mutable_member()->set_role(v1::ROLE_VICE_PRESIDENT);
  request.mutable_member()->set_category("Tax advisor");
  auto r = chapter_.DecideUpdateMember(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  chapter_.Apply((*r)[0]);
  EXPECT_TRUE(chapter_.IsOrganizer(ana_));
  // The old category is free again, the new one is held.
  EXPECT_TRUE(chapter_.DecideCreateMember(Admin(), NewMember("Dario", "accountant")).ok());
  EXPECT_TRUE(IsError(chapter_.DecideCreateMember(Admin(), NewMember("Dario", "tax ADVISOR")),
                      ErrorCode::kAlreadyExists, {ana_}));
}

TEST_F(RosterTest, UpdateMember_RejectsCategoryHeldByAnother) {
  auto request = Update(ana_, {"category"});
  request.mutable_member()->set_category("plumber");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), request), ErrorCode::kAlreadyExists,
                      {"member.category", bruno_, "Bruno Bianchi"}));
}

TEST_F(RosterTest, UpdateMember_KeepingOwnCategoryInOtherCaseIsAllowed) {
  auto request = Update(ana_, {"category"});
  request.mutable_member()->set_category("ACCOUNTANT");
  EXPECT_TRUE(chapter_.DecideUpdateMember(Admin(), request).ok());
}

TEST_F(RosterTest, UpdateMember_RejectsLeftMember) {
  RemoveMember(bruno_);
  auto request = Update(bruno_, {"business"});
  request.mutable_member()->set_business("New");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), request), ErrorCode::kFailedPrecondition,
                      {bruno_}));
}

TEST_F(RosterTest, UpdateMember_RejectsUnknownAndMalformedNames) {
  auto request = Update("chapters/rome/members/999", {"business"});
  request.mutable_member()->set_business("New");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), request), ErrorCode::kNotFound,
                      {"member.name"}));
  request.mutable_member()->set_name("ana");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.name"}));
  request.mutable_member()->set_name("chapters/milan/members/3");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(Admin(), request), ErrorCode::kInvalidArgument,
                      {"member.name", "not in chapters/rome"}));
}

TEST_F(RosterTest, UpdateMember_ValidatesNewValues) {
  auto request = Update(ana_, {"display_name"});
  request.mutable_member()->set_display_name("");
  EXPECT_TRUE(IsError(chapter_.DecideUpdateMember(As(ana_), request), ErrorCode::kInvalidArgument,
                      {"member.display_name"}));
}

TEST_F(RosterTest, RemoveMember_EmitsMemberLeftAndApplySetsLeft) {
  v1::RemoveMemberRequest request;
  request.set_name(bruno_);
  auto r = chapter_.DecideRemoveMember(As(president_), request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].member_left().member(), bruno_);
  now_ += std::chrono::hours(1);
  chapter_.Apply((*r)[0]);
  auto member = chapter_.GetMember(bruno_);
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->state(), v1::MEMBER_STATE_LEFT);
  EXPECT_EQ(member->leave_time().seconds(), kNow);
  EXPECT_EQ(chapter_.ListMembers(false).size(), 3u);
  EXPECT_EQ(chapter_.ListMembers(true).size(), 4u);
}

TEST_F(RosterTest, RemoveMember_RejectsAlreadyLeft) {
  RemoveMember(bruno_);
  v1::RemoveMemberRequest request;
  request.set_name(bruno_);
  EXPECT_TRUE(IsError(chapter_.DecideRemoveMember(Admin(), request), ErrorCode::kFailedPrecondition,
                      {"name", "already left"}));
}

TEST_F(RosterTest, RemoveMember_RejectsOrdinaryMember) {
  v1::RemoveMemberRequest request;
  request.set_name(bruno_);
  EXPECT_TRUE(
      IsError(chapter_.DecideRemoveMember(As(ana_), request), ErrorCode::kPermissionDenied));
}

TEST_F(RosterTest, RemoveMember_RejectsUnknownMember) {
  v1::RemoveMemberRequest request;
  request.set_name("chapters/rome/members/999");
  EXPECT_TRUE(
      IsError(chapter_.DecideRemoveMember(Admin(), request), ErrorCode::kNotFound, {"name"}));
}

TEST_F(RosterTest, ListMembers_OrdersByDisplayNameCaseInsensitively) {
  AddMember("alberto", "Baker");
  std::vector<std::string> names;
  for (const v1::Member& m : chapter_.ListMembers(false)) {
    names.push_back(m.display_name());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("alberto", "Ana Rossi", "Bruno Bianchi", "Carla Verdi",
                                            "Paola Presidente"));
}

TEST_F(RosterTest, IsOrganizer_OnlyActiveLeadership) {
  EXPECT_TRUE(chapter_.IsOrganizer(president_));
  EXPECT_FALSE(chapter_.IsOrganizer(ana_));
  EXPECT_FALSE(chapter_.IsOrganizer("chapters/rome/members/999"));
  RemoveMember(president_);
  EXPECT_FALSE(chapter_.IsOrganizer(president_));
}

}  // namespace
}  // namespace reciproca::domain
