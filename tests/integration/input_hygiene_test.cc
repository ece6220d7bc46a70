// Person-facing text through the real server (validation.h: CheckText): control characters and
// escape sequences are refused naming the field and the character, blank values in any script
// are refused, notes keep their lines, and what is stored is NFC.

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class InputHygieneTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  grpc::Status CreateMember(const std::string& display_name, const std::string& business,
                            v1::CreateMemberResponse* response) {
    v1::CreateMemberRequest request;
    request.set_parent("chapters/rome");
    request.mutable_member()->set_display_name(display_name);
    request.mutable_member()->set_business(business);
    request.mutable_member()->set_category("Notary");
    request.set_request_id(client::Client::NewRequestId());
    return Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().members().CreateMember(c, request, response);
    });
  }

  NewMember ana_, marco_;
};

TEST_F(InputHygieneTest, CreateMember_RefusesAnEscapeSequenceNamingFieldAndCharacter) {
  v1::CreateMemberResponse response;
  auto status = CreateMember("Eve\x1b[2J\x1b[H", "Eve Srl", &response);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ(
      "member.display_name: contains a control character (U+001B) at character 4: only visible "
      "characters and spaces are allowed",
      status.error_message());
}

TEST_F(InputHygieneTest, CreateMember_RefusesABusinessOfOnlyNoBreakSpaces) {
  v1::CreateMemberResponse response;
  auto status = CreateMember("Eve Verdi", "\xC2\xA0\xE3\x80\x80", &response);
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos,
            status.error_message().find("member.business: has only white space or invisible "
                                        "characters (such as U+00A0)"))
      << status.error_message();
}

TEST_F(InputHygieneTest, CreateMember_StoresTheNameNfc) {
  v1::CreateMemberResponse response;
  ASSERT_TRUE(CreateMember("Rene\xCC\x81 Dupont", "Cafe\xCC\x81 Rene\xCC\x81", &response).ok());
  EXPECT_EQ("Ren\xC3\xA9 Dupont", response.member().display_name());
  v1::GetMemberRequest get;
  get.set_name(response.member().name());
  v1::Member member;
  ASSERT_TRUE(Invoke(admin(), [&](grpc::ClientContext* c) {
                return admin().members().GetMember(c, get, &member);
              }).ok());
  EXPECT_EQ("Ren\xC3\xA9 Dupont", member.display_name());
  EXPECT_EQ("Caf\xC3\xA9 Ren\xC3\xA9", member.business());
}

TEST_F(InputHygieneTest, GiveReferral_KeepsTheNoteLinesRefusesALineBreakInTheContactName) {
  v1::GiveReferralRequest request;
  request.set_parent("chapters/rome");
  request.mutable_referral()->set_receiver(marco_.member.name());
  request.mutable_referral()->set_temperature(4);
  request.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
  request.mutable_referral()->set_contact_name("Luca\nVerdi");
  request.mutable_referral()->set_contact_phone("+39 06 1234567");
  request.mutable_referral()->set_note("Kitchen tap leaks.\r\nCall after 18:00.");
  request.set_request_id(client::Client::NewRequestId());
  auto ana = As(ana_.token);
  v1::Referral referral;
  auto status = Invoke(ana, [&](grpc::ClientContext* c) {
    return ana.referrals().GiveReferral(c, request, &referral);
  });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_NE(std::string::npos,
            status.error_message().find(
                "referral.contact_name: contains a line break (U+000A) at character 5"))
      << status.error_message();

  request.mutable_referral()->set_contact_name("Luca Verdi");
  request.set_request_id(client::Client::NewRequestId());
  status = Invoke(ana, [&](grpc::ClientContext* c) {
    return ana.referrals().GiveReferral(c, request, &referral);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ("Kitchen tap leaks.\nCall after 18:00.", referral.note());
}

TEST_F(InputHygieneTest, UpdateChapter_RefusesA256ByteTimeZonePrecisely) {
  v1::UpdateChapterRequest request;
  request.mutable_chapter()->set_name("chapters/rome");
  request.mutable_chapter()->set_time_zone("Europe/" + std::string(256, 'x'));
  request.mutable_update_mask()->add_paths("time_zone");
  request.set_request_id(client::Client::NewRequestId());
  v1::Chapter chapter;
  auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().chapters().UpdateChapter(c, request, &chapter);
  });
  EXPECT_EQ(StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ(
      "chapter.time_zone: must be at most 64 characters, got 263; use an IANA name such as "
      "\"Europe/Rome\" or \"UTC\"",
      status.error_message());
}

}  // namespace
}  // namespace reciproca::testing
