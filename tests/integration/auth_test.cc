// Authentication and per-object authorization through the real server.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class AuthTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    display_ = CreateChapter("rome");
    CreateChapter("milan");
    organizer_ = AddMember("rome", "Olga Organizer", "Accountant", v1::ROLE_PRESIDENT);
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    milan_ = AddMember("milan", "Mila Verdi", "Lawyer");
  }

  grpc::Status GetChapter(const client::Client& as, const std::string& name) {
    v1::GetChapterRequest request;
    request.set_name(name);
    v1::Chapter chapter;
    auto context = as.NewContext();
    return as.chapters().GetChapter(context.get(), request, &chapter);
  }

  grpc::Status Schedule(const client::Client& as) {
    v1::ScheduleMeetingRequest request;
    request.set_parent("chapters/rome");
    *request.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::hours(1));
    request.set_request_id(client::Client::NewRequestId());
    v1::Meeting meeting;
    auto context = as.NewContext();
    return as.meetings().ScheduleMeeting(context.get(), request, &meeting);
  }

  std::string display_;
  NewMember organizer_, ana_, marco_, milan_;
};

TEST_F(AuthTest, NoTokenIsUnauthenticated) {
  auto status = GetChapter(As(""), "chapters/rome");
  EXPECT_EQ(StatusCode::UNAUTHENTICATED, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("authorization"));
}

TEST_F(AuthTest, UnknownTokenIsUnauthenticated) {
  EXPECT_EQ(StatusCode::UNAUTHENTICATED,
            GetChapter(As("rcp_not_a_real_token"), "chapters/rome").error_code());
}

TEST_F(AuthTest, MemberReadsOwnChapterOnly) {
  EXPECT_TRUE(GetChapter(As(ana_.token), "chapters/rome").ok());
  auto status = GetChapter(As(ana_.token), "chapters/milan");
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            GetChapter(As(milan_.token), "chapters/rome").error_code());
}

TEST_F(AuthTest, MemberCannotDoOrganizersWork) {
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, Schedule(As(ana_.token)).error_code());
  EXPECT_TRUE(Schedule(As(organizer_.token)).ok());
  EXPECT_TRUE(Schedule(admin()).ok());
}

TEST_F(AuthTest, MemberOfAnotherChapterCannotWriteHere) {
  auto status = GiveReferral(As(milan_.token), "rome", ana_.member.name(), 3);
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
}

TEST_F(AuthTest, OnlyTheAdminCreatesChapters) {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("Sneaky");
  request.set_request_id("x1");
  v1::CreateChapterResponse response;
  auto context = As(organizer_.token).NewContext();
  auto status = As(organizer_.token).chapters().CreateChapter(context.get(), request, &response);
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, status.error_code());
}

TEST_F(AuthTest, DisplayTokenReadsAndSubscribesButCannotWrite) {
  EXPECT_TRUE(GetChapter(As(display_), "chapters/rome").ok());
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, GetChapter(As(display_), "chapters/milan").error_code());
  EXPECT_EQ(StatusCode::PERMISSION_DENIED,
            GiveReferral(As(display_), "rome", ana_.member.name(), 3).error_code());
  auto events = ReadEvents(As(display_), "chapters/rome", 0, 4);
  EXPECT_EQ(4u, events.size());
}

TEST_F(AuthTest, WhoAmITellsRoles) {
  auto who = [&](const std::string& token) {
    v1::WhoAmIResponse response;
    auto as = As(token);
    auto context = as.NewContext();
    EXPECT_TRUE(as.chapters().WhoAmI(context.get(), {}, &response).ok());
    return response;
  };
  EXPECT_EQ(v1::PRINCIPAL_KIND_ADMIN, who(server_->admin_token()).kind());
  EXPECT_EQ(v1::PRINCIPAL_KIND_ORGANIZER, who(organizer_.token).kind());
  auto ana = who(ana_.token);
  EXPECT_EQ(v1::PRINCIPAL_KIND_MEMBER, ana.kind());
  EXPECT_EQ(ana_.member.name(), ana.member());
  EXPECT_EQ("chapters/rome", ana.chapter());
  EXPECT_EQ(v1::PRINCIPAL_KIND_DISPLAY, who(display_).kind());
}

TEST_F(AuthTest, RemovedMembersTokenStopsWorking) {
  EXPECT_EQ(v1::MEMBER_STATE_LEFT, RemoveMember(marco_.member.name()).state());
  EXPECT_EQ(StatusCode::UNAUTHENTICATED,
            GetChapter(As(marco_.token), "chapters/rome").error_code());
  // And a referral to them is refused: they left.
  EXPECT_EQ(StatusCode::FAILED_PRECONDITION,
            GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3).error_code());
}

TEST_F(AuthTest, OnlyTheReceiverMovesAReferral) {
  v1::Referral referral;
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, &referral).ok());
  auto move = [&](const std::string& token) {
    v1::UpdateReferralStatusRequest request;
    request.set_name(referral.name());
    request.set_status(v1::REFERRAL_STATUS_CONTACTED);
    request.set_request_id(client::Client::NewRequestId());
    v1::Referral updated;
    auto as = As(token);
    auto context = as.NewContext();
    return as.referrals().UpdateReferralStatus(context.get(), request, &updated);
  };
  EXPECT_EQ(StatusCode::PERMISSION_DENIED, move(ana_.token).error_code());
  EXPECT_TRUE(move(marco_.token).ok());
}

TEST_F(AuthTest, TokensSurviveARestart) {
  RestartServer();
  EXPECT_TRUE(GetChapter(As(ana_.token), "chapters/rome").ok());
  EXPECT_TRUE(GetChapter(As(display_), "chapters/rome").ok());
  EXPECT_TRUE(Schedule(As(organizer_.token)).ok());
}

}  // namespace
}  // namespace reciproca::testing
