// GetDisplayToken and GetMemberToken through the real server: the tokens CreateChapter and
// CreateMember handed out, issued again to organizers and the admin only, and accepted.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class AccessTokensTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    display_ = CreateChapter("rome");
    CreateChapter("milan");
    president_ = AddMember("rome", "Paola Presidente", "Lawyer", v1::ROLE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    milan_president_ = AddMember("milan", "Mila Verdi", "Lawyer", v1::ROLE_PRESIDENT);
  }

  grpc::Status DisplayToken(const client::Client& as, const std::string& chapter,
                            std::string* token = nullptr) {
    v1::GetDisplayTokenRequest request;
    request.set_name(chapter);
    v1::GetDisplayTokenResponse response;
    auto status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.chapters().GetDisplayToken(c, request, &response);
    });
    if (token != nullptr) {
      *token = response.display_token();
    }
    return status;
  }

  grpc::Status MemberToken(const client::Client& as, const std::string& member,
                           std::string* token = nullptr) {
    v1::GetMemberTokenRequest request;
    request.set_name(member);
    v1::GetMemberTokenResponse response;
    auto status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.members().GetMemberToken(c, request, &response);
    });
    if (token != nullptr) {
      *token = response.access_token();
    }
    return status;
  }

  v1::WhoAmIResponse WhoAmI(const std::string& token) {
    auto as = As(token);
    v1::WhoAmIResponse response;
    auto status =
        Invoke(as, [&](grpc::ClientContext* c) { return as.chapters().WhoAmI(c, {}, &response); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string display_;
  NewMember president_, ana_, marco_, milan_president_;
};

TEST_F(AccessTokensTest, DisplayToken_IsTheOneCreateChapterReturnedAndWorks) {
  std::string by_organizer, by_admin;
  ASSERT_TRUE(DisplayToken(As(president_.token), "chapters/rome", &by_organizer).ok());
  ASSERT_TRUE(DisplayToken(admin(), "chapters/rome", &by_admin).ok());
  EXPECT_FALSE(display_.empty());
  EXPECT_EQ(display_, by_organizer);
  EXPECT_EQ(display_, by_admin);
  v1::WhoAmIResponse me = WhoAmI(by_organizer);
  EXPECT_EQ(v1::PRINCIPAL_KIND_DISPLAY, me.kind());
  EXPECT_EQ("chapters/rome", me.chapter());
}

TEST_F(AccessTokensTest, MemberToken_IsTheOneCreateMemberReturnedAndWorks) {
  std::string token;
  ASSERT_TRUE(MemberToken(As(president_.token), ana_.member.name(), &token).ok());
  EXPECT_EQ(ana_.token, token);
  v1::WhoAmIResponse me = WhoAmI(token);
  EXPECT_EQ(v1::PRINCIPAL_KIND_MEMBER, me.kind());
  EXPECT_EQ(ana_.member.name(), me.member());
  ASSERT_TRUE(MemberToken(admin(), marco_.member.name(), &token).ok());
  EXPECT_EQ(marco_.token, token);
}

TEST_F(AccessTokensTest, TokensAreTheSameAfterARestart) {
  RestartServer();
  std::string display, member;
  ASSERT_TRUE(DisplayToken(admin(), "chapters/rome", &display).ok());
  ASSERT_TRUE(MemberToken(admin(), ana_.member.name(), &member).ok());
  EXPECT_EQ(display_, display);
  EXPECT_EQ(ana_.token, member);
  EXPECT_EQ(ana_.member.name(), WhoAmI(member).member());
}

TEST_F(AccessTokensTest, OrdinaryMembersAndDisplaysAreDenied) {
  auto status = DisplayToken(As(ana_.token), "chapters/rome");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos,
            status.error_message().find(
                "only organizers of chapters/rome and the server admin may get the display token"))
      << status.error_message();
  status = MemberToken(As(ana_.token), ana_.member.name());
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("a member's access token"))
      << status.error_message();
  status = DisplayToken(As(display_), "chapters/rome");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("room display"))
      << status.error_message();
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            MemberToken(As(display_), marco_.member.name()).error_code());
}

TEST_F(AccessTokensTest, OrganizersOfAnotherChapterAreDenied) {
  auto status = DisplayToken(As(milan_president_.token), "chapters/rome");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("chapters/milan"))
      << status.error_message();
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            MemberToken(As(milan_president_.token), ana_.member.name()).error_code());
  EXPECT_EQ(StatusCode::UNAUTHENTICATED, DisplayToken(As(""), "chapters/rome").error_code());
}

TEST_F(AccessTokensTest, UnknownAndMalformedNames) {
  auto status = DisplayToken(admin(), "chapters/nowhere");
  EXPECT_EQ(StatusCode::NOT_FOUND, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("chapters/nowhere"));
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, DisplayToken(admin(), "").error_code());
  status = DisplayToken(admin(), "chapters/rome/members/3");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("expected chapters/{chapter}"))
      << status.error_message();

  status = MemberToken(As(president_.token), "chapters/rome/members/999");
  EXPECT_EQ(StatusCode::NOT_FOUND, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("chapters/rome/members/999"));
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT,
            MemberToken(As(president_.token), "chapters/rome").error_code());
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, MemberToken(admin(), "").error_code());
}

TEST_F(AccessTokensTest, MemberWhoLeftHasNoToken) {
  ASSERT_EQ(v1::MEMBER_STATE_LEFT, RemoveMember(marco_.member.name()).state());
  auto status = MemberToken(As(president_.token), marco_.member.name());
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("has left the chapter"))
      << status.error_message();
}

}  // namespace
}  // namespace reciproca::testing
