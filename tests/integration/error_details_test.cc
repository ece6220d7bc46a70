// Every error of the README's error table, through the real server, carries the rich details of
// docs/errors.md: an ErrorInfo with its stable reason, the field as a BadRequest violation when
// there is one, and a LocalizedMessage in the language asked for (accept-language), else the
// chapter's; the JSON gateway returns the same details in its error body.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "integration/http_client.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

struct Rich {
  google::rpc::ErrorInfo info;
  google::rpc::LocalizedMessage localized;
  google::rpc::BadRequest bad;
};

Rich Unpack(const grpc::Status& status) {
  Rich rich;
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details())) << status.error_message();
  EXPECT_EQ(static_cast<int>(status.error_code()), details.code());
  EXPECT_EQ(status.error_message(), details.message());
  for (const auto& any : details.details()) {
    any.UnpackTo(&rich.info) || any.UnpackTo(&rich.localized) || any.UnpackTo(&rich.bad);
  }
  return rich;
}

class ErrorDetailsTest : public ServerTest {
 protected:
  void SetUp() override {
    http_.listen = "127.0.0.1:0";
    ServerTest::SetUp();
    CreateChapter("rome");
    CreateChapter("milan");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
    gone_ = AddMember("rome", "Giulia Neri", "Baker");
    RemoveMember(gone_.member.name());
    v1::Referral referral;
    ASSERT_TRUE(GiveReferral(As(ana_.token), "rome", marco_.member.name(), 3, &referral).ok());
    referral_ = referral.name();
  }

  // A context for `token` ("" for none) asking for `language` ("" for none).
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token,
                                                      const std::string& language) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    if (!language.empty()) {
      context->AddMetadata("accept-language", language);
    }
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  grpc::Status Give(const std::string& language,
                    const std::function<void(v1::GiveReferralRequest&)>& edit,
                    const std::string& request_id = client::Client::NewRequestId()) {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/rome");
    request.mutable_referral()->set_receiver(marco_.member.name());
    request.mutable_referral()->set_temperature(3);
    request.mutable_referral()->set_kind(v1::REFERRAL_KIND_INSIDE);
    request.set_request_id(request_id);
    edit(request);
    v1::Referral out;
    return admin().referrals().GiveReferral(Context(ana_.token, language).get(), request, &out);
  }

  grpc::Status Thank(const std::string& language, const std::string& amount,
                     const std::string& currency) {
    v1::RecordThankYouRequest request;
    request.set_parent("chapters/rome");
    request.mutable_thank_you()->set_to_member(marco_.member.name());
    request.mutable_thank_you()->mutable_amount()->set_currency(currency);
    request.mutable_thank_you()->mutable_amount()->set_amount(amount);
    request.set_request_id(client::Client::NewRequestId());
    v1::ThankYou out;
    return admin().referrals().RecordThankYou(Context(ana_.token, language).get(), request, &out);
  }

  grpc::Status ListReferrals(const std::string& language, int page_size,
                             const std::string& page_token) {
    v1::ListReferralsRequest request;
    request.set_parent("chapters/rome");
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListReferralsResponse out;
    return admin().referrals().ListReferrals(Context(ana_.token, language).get(), request, &out);
  }

  grpc::Status Move(const std::string& language, const std::string& token,
                    v1::ReferralStatus status) {
    v1::UpdateReferralStatusRequest request;
    request.set_name(referral_);
    request.set_status(status);
    request.set_request_id(client::Client::NewRequestId());
    v1::Referral out;
    return admin().referrals().UpdateReferralStatus(Context(token, language).get(), request, &out);
  }

  std::string ScheduleMeeting() {
    v1::ScheduleMeetingRequest request;
    request.set_parent("chapters/rome");
    *request.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::hours(1));
    request.set_request_id(client::Client::NewRequestId());
    v1::Meeting meeting;
    auto status =
        admin().meetings().ScheduleMeeting(Context(admin_token(), "").get(), request, &meeting);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return meeting.name();
  }

  std::string admin_token() const { return server_->admin_token(); }

  NewMember ana_, marco_, gone_;
  std::string referral_;
};

struct Case {
  const char* reason;
  StatusCode code;
  const char* field;  // "" when the error names none
  std::function<grpc::Status(const std::string& language)> call;
};

TEST_F(ErrorDetailsTest, EveryErrorOfTheReadmeTable_HasItsReasonAndAMessageInEachLanguage) {
  const std::string closed_meeting = ScheduleMeeting();
  {
    v1::OpenMeetingRequest open;
    open.set_name(closed_meeting);
    open.set_request_id("open-once");
    v1::Meeting opened;
    ASSERT_TRUE(
        admin().meetings().OpenMeeting(Context(admin_token(), "").get(), open, &opened).ok());
    v1::CloseMeetingRequest close;
    close.set_name(closed_meeting);
    close.set_request_id("close-once");
    v1::Meeting out;
    ASSERT_TRUE(
        admin().meetings().CloseMeeting(Context(admin_token(), "").get(), close, &out).ok());
  }
  const std::string scheduled = ScheduleMeeting();
  ASSERT_TRUE(Move("", marco_.token, v1::REFERRAL_STATUS_CLOSED_LOST).ok());

  const std::vector<Case> cases = {
      {"TOKEN_MISSING", StatusCode::UNAUTHENTICATED, "",
       [this](const std::string& l) {
         v1::WhoAmIResponse out;
         return admin().chapters().WhoAmI(Context("", l).get(), {}, &out);
       }},
      {"TOKEN_UNKNOWN", StatusCode::UNAUTHENTICATED, "",
       [this](const std::string& l) {
         v1::WhoAmIResponse out;
         return admin().chapters().WhoAmI(Context("no-such-token", l).get(), {}, &out);
       }},
      {"ORGANIZERS_ONLY", StatusCode::PERMISSION_DENIED, "",
       [this](const std::string& l) {
         v1::ScheduleMeetingRequest request;
         request.set_parent("chapters/rome");
         *request.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::hours(1));
         request.set_request_id(client::Client::NewRequestId());
         v1::Meeting out;
         return admin().meetings().ScheduleMeeting(Context(ana_.token, l).get(), request, &out);
       }},
      {"OTHER_CHAPTER", StatusCode::PERMISSION_DENIED, "",
       [this](const std::string& l) {
         v1::GetChapterRequest request;
         request.set_name("chapters/milan");
         v1::Chapter out;
         return admin().chapters().GetChapter(Context(ana_.token, l).get(), request, &out);
       }},
      {"RECEIVER_ONLY", StatusCode::PERMISSION_DENIED, "name",
       [this](const std::string& l) { return Move(l, ana_.token, v1::REFERRAL_STATUS_CONTACTED); }},
      {"RESOURCE_NOT_FOUND", StatusCode::NOT_FOUND, "",
       [this](const std::string& l) {
         v1::GetMemberRequest request;
         request.set_name("chapters/rome/members/999");
         v1::Member out;
         return admin().members().GetMember(Context(ana_.token, l).get(), request, &out);
       }},
      {"FIELD_REQUIRED", StatusCode::INVALID_ARGUMENT, "referral.receiver",
       [this](const std::string& l) {
         return Give(l, [](auto& r) { r.mutable_referral()->clear_receiver(); });
       }},
      {"NUMBER_NOT_BETWEEN", StatusCode::INVALID_ARGUMENT, "education.credits",
       [this](const std::string& l) {
         v1::RecordEducationRequest request;
         request.set_parent("chapters/rome");
         request.mutable_education()->set_credits(101);
         request.set_request_id(client::Client::NewRequestId());
         v1::Education out;
         return admin().referrals().RecordEducation(Context(ana_.token, l).get(), request, &out);
       }},
      {"SELF_REFERRAL", StatusCode::INVALID_ARGUMENT, "referral.receiver",
       [this](const std::string& l) {
         return Give(l, [&](auto& r) { r.mutable_referral()->set_receiver(ana_.member.name()); });
       }},
      {"TEMPERATURE_OUT_OF_RANGE", StatusCode::INVALID_ARGUMENT, "referral.temperature",
       [this](const std::string& l) {
         return Give(l, [](auto& r) { r.mutable_referral()->set_temperature(6); });
       }},
      {"CONTACT_REQUIRED", StatusCode::INVALID_ARGUMENT, "referral.contact_phone",
       [this](const std::string& l) {
         return Give(l, [](auto& r) {
           r.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
           r.mutable_referral()->set_contact_name("Luca Gialli");
         });
       }},
      {"INVALID_EMAIL", StatusCode::INVALID_ARGUMENT, "referral.contact_email",
       [this](const std::string& l) {
         return Give(l, [](auto& r) {
           r.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
           r.mutable_referral()->set_contact_name("Luca Gialli");
           r.mutable_referral()->set_contact_email("bad@");
         });
       }},
      {"TEXT_LENGTH", StatusCode::INVALID_ARGUMENT, "referral.note",
       [this](const std::string& l) {
         return Give(l, [](auto& r) { r.mutable_referral()->set_note(std::string(1001, 'n')); });
       }},
      {"AMOUNT_NOT_POSITIVE", StatusCode::INVALID_ARGUMENT, "thank_you.amount.amount",
       [this](const std::string& l) { return Thank(l, "0", "EUR"); }},
      {"UNKNOWN_CURRENCY", StatusCode::INVALID_ARGUMENT, "thank_you.amount.currency",
       [this](const std::string& l) { return Thank(l, "10.00", "XYZ"); }},
      {"PAGE_SIZE_NEGATIVE", StatusCode::INVALID_ARGUMENT, "page_size",
       [this](const std::string& l) { return ListReferrals(l, -1, ""); }},
      {"PAGE_TOKEN_INVALID", StatusCode::INVALID_ARGUMENT, "page_token",
       [this](const std::string& l) { return ListReferrals(l, 10, "not-a-page-token"); }},
      {"REQUEST_ID_REUSED", StatusCode::INVALID_ARGUMENT, "",
       [this](const std::string& l) {
         const std::string id = "same-" + l;
         EXPECT_TRUE(Give(
                         l, [](auto&) {}, id)
                         .ok());
         return Give(
             l, [](auto& r) { r.mutable_referral()->set_temperature(5); }, id);
       }},
      {"CATEGORY_TAKEN", StatusCode::ALREADY_EXISTS, "member.category",
       [this](const std::string& l) {
         v1::CreateMemberRequest request;
         request.set_parent("chapters/rome");
         request.mutable_member()->set_display_name("Anna Maria De Santis");
         request.mutable_member()->set_business("Fiori De Santis");
         request.mutable_member()->set_category("Florist");
         request.set_request_id(client::Client::NewRequestId());
         v1::CreateMemberResponse out;
         return admin().members().CreateMember(Context(admin_token(), l).get(), request, &out);
       }},
      {"CHAPTER_ID_TAKEN", StatusCode::ALREADY_EXISTS, "chapter_id",
       [this](const std::string& l) {
         v1::CreateChapterRequest request;
         request.set_chapter_id("rome");
         request.mutable_chapter()->set_display_name("Roma");
         request.set_request_id(client::Client::NewRequestId());
         v1::CreateChapterResponse out;
         return admin().chapters().CreateChapter(Context(admin_token(), l).get(), request, &out);
       }},
      {"MEMBER_LEFT", StatusCode::FAILED_PRECONDITION, "referral.receiver",
       [this](const std::string& l) {
         return Give(l, [&](auto& r) { r.mutable_referral()->set_receiver(gone_.member.name()); });
       }},
      {"MEETING_NOT_OPEN", StatusCode::FAILED_PRECONDITION, "meeting",
       [this, scheduled](const std::string& l) {
         v1::CheckInRequest request;
         request.set_meeting(scheduled);
         request.set_request_id(client::Client::NewRequestId());
         v1::Attendance out;
         return admin().meetings().CheckIn(Context(ana_.token, l).get(), request, &out);
       }},
      {"MEETING_ALREADY_CLOSED", StatusCode::FAILED_PRECONDITION, "name",
       [this, closed_meeting](const std::string& l) {
         v1::CloseMeetingRequest request;
         request.set_name(closed_meeting);
         request.set_request_id(client::Client::NewRequestId());
         v1::Meeting out;
         return admin().meetings().CloseMeeting(Context(admin_token(), l).get(), request, &out);
       }},
      {"REFERRAL_STATUS_MOVE", StatusCode::FAILED_PRECONDITION, "status",
       [this](const std::string& l) {
         return Move(l, marco_.token, v1::REFERRAL_STATUS_CONTACTED);
       }},
      {"AFTER_SEQ_BEYOND_END", StatusCode::OUT_OF_RANGE, "after_seq",
       [this](const std::string& l) {
         v1::SubscribeRequest request;
         request.set_chapter("chapters/rome");
         request.set_after_seq(100000);
         auto context = Context(ana_.token, l);
         auto reader = admin().events().Subscribe(context.get(), request);
         v1::Event event;
         while (reader->Read(&event)) {
         }
         return reader->Finish();
       }},
  };
  for (const Case& c : cases) {
    std::map<std::string, std::string> messages;
    for (const std::string language : {"en", "it-IT,it;q=0.9", "es"}) {
      SCOPED_TRACE(std::string(c.reason) + " in " + language);
      const grpc::Status status = c.call(language);
      ASSERT_EQ(c.code, status.error_code()) << status.error_message();
      const Rich rich = Unpack(status);
      EXPECT_EQ(c.reason, rich.info.reason());
      EXPECT_EQ("reciproca", rich.info.domain());
      const std::string expected_locale = language.substr(0, 2);
      EXPECT_EQ(expected_locale, rich.localized.locale());
      EXPECT_FALSE(rich.localized.message().empty());
      EXPECT_EQ(std::string::npos, rich.localized.message().find('{')) << rich.localized.message();
      messages[expected_locale] = rich.localized.message();
      if (std::string(c.field).empty()) {
        EXPECT_EQ(0, rich.bad.field_violations_size());
      } else {
        ASSERT_EQ(1, rich.bad.field_violations_size());
        EXPECT_EQ(c.field, rich.bad.field_violations(0).field());
        EXPECT_EQ(c.reason, rich.bad.field_violations(0).reason());
        EXPECT_EQ(rich.localized.message(),
                  rich.bad.field_violations(0).localized_message().message());
      }
    }
    EXPECT_NE(messages["en"], messages["it"]) << c.reason;
    EXPECT_NE(messages["en"], messages["es"]) << c.reason;
    EXPECT_NE(messages["it"], messages["es"]) << c.reason;
  }
}

TEST_F(ErrorDetailsTest, WithoutAcceptLanguage_TheChaptersLanguageIsUsed) {
  auto english = Unpack(Give("", [](auto& r) { r.mutable_referral()->set_temperature(9); }));
  EXPECT_EQ("en", english.localized.locale());
  v1::UpdateChapterRequest update;
  update.mutable_chapter()->set_name("chapters/rome");
  update.mutable_chapter()->set_language("es");
  update.mutable_update_mask()->add_paths("language");
  update.set_request_id("spanish");
  v1::Chapter chapter;
  ASSERT_TRUE(
      admin().chapters().UpdateChapter(Context(admin_token(), "").get(), update, &chapter).ok());
  auto spanish = Unpack(Give("", [](auto& r) { r.mutable_referral()->set_temperature(9); }));
  EXPECT_EQ("es", spanish.localized.locale());
  EXPECT_EQ("La temperatura va de 1 a 5; 9 está fuera de ese rango.", spanish.localized.message());
  // Asked for a language there is no catalog for: still the chapter's.
  auto german = Unpack(Give("de-DE", [](auto& r) { r.mutable_referral()->set_temperature(9); }));
  EXPECT_EQ("es", german.localized.locale());
  // Asked for one there is: that one.
  auto italian = Unpack(Give("it", [](auto& r) { r.mutable_referral()->set_temperature(9); }));
  EXPECT_EQ("it", italian.localized.locale());
}

TEST_F(ErrorDetailsTest, TheJsonGatewayReturnsTheDetailsInItsErrorBody) {
  const std::string body = "{\"parent\":\"chapters/rome\",\"referral\":{\"receiver\":\"" +
                           ana_.member.name() +
                           "\",\"temperature\":3},\"requestId\":\"gateway-self\"}";
  HttpReply reply = HttpFetch(server_->http_port(), boost::beast::http::verb::post,
                              "/api/reciproca.v1.ReferralService/GiveReferral", body,
                              {{"Authorization", "Bearer " + ana_.token},
                               {"Content-Type", "application/json"},
                               {"Accept-Language", "es-ES,es;q=0.9"}});
  ASSERT_EQ(400, reply.status) << reply.body;
  const auto json = nlohmann::json::parse(reply.body);
  EXPECT_EQ("INVALID_ARGUMENT", json["code"]);
  EXPECT_EQ("referral.receiver: a member cannot refer to themself", json["message"]);
  std::map<std::string, nlohmann::json> by_type;
  for (const auto& detail : json["details"]) {
    by_type[detail["@type"].get<std::string>()] = detail;
  }
  EXPECT_EQ("SELF_REFERRAL", by_type["type.googleapis.com/google.rpc.ErrorInfo"]["reason"]);
  EXPECT_EQ("es", by_type["type.googleapis.com/google.rpc.LocalizedMessage"]["locale"]);
  EXPECT_EQ("No puedes pasarte una referencia a ti mismo.",
            by_type["type.googleapis.com/google.rpc.LocalizedMessage"]["message"]);
  EXPECT_EQ("referral.receiver",
            by_type["type.googleapis.com/google.rpc.BadRequest"]["fieldViolations"][0]["field"]);

  // An error of the gateway's own (the body is not JSON) is localized too.
  reply = HttpFetch(server_->http_port(), boost::beast::http::verb::post,
                    "/api/reciproca.v1.ReferralService/GiveReferral", "{not json",
                    {{"Authorization", "Bearer " + ana_.token},
                     {"Content-Type", "application/json"},
                     {"Accept-Language", "it"}});
  ASSERT_EQ(400, reply.status) << reply.body;
  const auto own = nlohmann::json::parse(reply.body);
  bool localized = false;
  for (const auto& detail : own["details"]) {
    if (detail["@type"] == "type.googleapis.com/google.rpc.LocalizedMessage") {
      EXPECT_EQ("it", detail["locale"]);
      EXPECT_EQ("Qualcosa nella richiesta non è valido. Controlla il campo evidenziato.",
                detail["message"]);
      localized = true;
    }
  }
  EXPECT_TRUE(localized) << reply.body;
}

}  // namespace
}  // namespace reciproca::testing
