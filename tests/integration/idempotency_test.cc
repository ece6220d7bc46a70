// A mutation retried with the same request_id is answered with the first answer and recorded
// once; the same request_id with a different request is refused.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class IdempotencyTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }
  NewMember ana_, marco_;
};

TEST_F(IdempotencyTest, RetryReturnsTheFirstAnswerAndRecordsOnce) {
  v1::Referral first, second;
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, &first, "slip-1").ok());
  ASSERT_TRUE(
      GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, &second, "slip-1").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());

  v1::ListReferralsRequest request;
  request.set_parent("chapters/rome");
  v1::ListReferralsResponse list;
  auto context = admin().NewContext();
  ASSERT_TRUE(admin().referrals().ListReferrals(context.get(), request, &list).ok());
  EXPECT_EQ(1, list.referrals_size());
}

TEST_F(IdempotencyTest, SameIdDifferentContentIsInvalidArgument) {
  ASSERT_TRUE(
      GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, nullptr, "slip-2").ok());
  auto status = GiveReferral(As(ana_.token), "rome", marco_.member.name(), 5, nullptr, "slip-2");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("request_id"));
}

TEST_F(IdempotencyTest, MissingRequestIdIsInvalidArgument) {
  auto status = GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, nullptr, "");
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos, status.error_message().find("request_id"));
}

TEST_F(IdempotencyTest, RequestIdsAreScopedPerCaller) {
  EXPECT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 4, nullptr, "same").ok());
  EXPECT_TRUE(GiveReferral(As(marco_.token), "rome", ana_.member.name(), 4, nullptr, "same").ok());
}

TEST_F(IdempotencyTest, RetriedCreateMemberGivesTheSameWorkingToken) {
  v1::CreateMemberRequest request;
  request.set_parent("chapters/rome");
  request.mutable_member()->set_display_name("Lia Neri");
  request.mutable_member()->set_business("Neri Design");
  request.mutable_member()->set_category("Designer");
  request.set_request_id("add-lia");
  v1::CreateMemberResponse first, second;
  auto c1 = admin().NewContext();
  ASSERT_TRUE(admin().members().CreateMember(c1.get(), request, &first).ok());
  auto c2 = admin().NewContext();
  ASSERT_TRUE(admin().members().CreateMember(c2.get(), request, &second).ok());
  EXPECT_EQ(first.member().name(), second.member().name());
  EXPECT_FALSE(first.access_token().empty());
  EXPECT_EQ(first.access_token(), second.access_token());
  EXPECT_TRUE(GiveReferral(As(second.access_token()), "rome", ana_.member.name(), 2).ok());
}

TEST_F(IdempotencyTest, RetryAfterRestartStillRecordsOnce) {
  v1::Referral first, second;
  ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3, &first, "slip-r").ok());
  RestartServer();
  ASSERT_TRUE(
      GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3, &second, "slip-r").ok());
  EXPECT_EQ(first.name(), second.name());
  auto events = ReadEvents(admin(), "chapters/rome", 0, 100, std::chrono::seconds(2));
  int referrals = 0;
  for (const auto& e : events) {
    referrals += e.has_referral_given() ? 1 : 0;
  }
  EXPECT_EQ(1, referrals);
}

TEST_F(IdempotencyTest, RetriedCreateChapterReturnsTheSameChapterAndDisplayToken) {
  v1::CreateChapterRequest request;
  request.mutable_chapter()->set_display_name("Turin");
  request.set_request_id("create-turin");
  v1::CreateChapterResponse first, second;
  auto c1 = admin().NewContext();
  ASSERT_TRUE(admin().chapters().CreateChapter(c1.get(), request, &first).ok());
  auto c2 = admin().NewContext();
  ASSERT_TRUE(admin().chapters().CreateChapter(c2.get(), request, &second).ok());
  EXPECT_EQ(first.chapter().name(), second.chapter().name());
  EXPECT_EQ(first.display_token(), second.display_token());
  v1::ListChaptersResponse list;
  auto c3 = admin().NewContext();
  ASSERT_TRUE(admin().chapters().ListChapters(c3.get(), {}, &list).ok());
  EXPECT_EQ(2, list.chapters_size());
}

}  // namespace
}  // namespace reciproca::testing
