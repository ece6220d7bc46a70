// The error table of the README, through the real server: the status code and a message that
// names the field. (The domain unit tests cover every rule; this checks the wiring end to end.)

#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <limits>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class ErrorsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  grpc::Status Give(const std::function<void(v1::GiveReferralRequest&)>& edit) {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/rome");
    request.mutable_referral()->set_receiver(marco_.member.name());
    request.mutable_referral()->set_temperature(3);
    request.set_request_id(client::Client::NewRequestId());
    edit(request);
    v1::Referral out;
    auto ana = As(ana_.token);
    auto context = ana.NewContext();
    return ana.referrals().GiveReferral(context.get(), request, &out);
  }

  grpc::Status Thank(const std::function<void(v1::RecordThankYouRequest&)>& edit) {
    v1::RecordThankYouRequest request;
    request.set_parent("chapters/rome");
    request.mutable_thank_you()->set_to_member(marco_.member.name());
    request.mutable_thank_you()->mutable_amount()->set_currency("EUR");
    request.mutable_thank_you()->mutable_amount()->set_amount("100.00");
    request.set_request_id(client::Client::NewRequestId());
    edit(request);
    v1::ThankYou out;
    auto ana = As(ana_.token);
    auto context = ana.NewContext();
    return ana.referrals().RecordThankYou(context.get(), request, &out);
  }

  static void ExpectError(const grpc::Status& status, StatusCode code, const std::string& names) {
    EXPECT_EQ(code, status.error_code()) << status.error_message();
    EXPECT_NE(std::string::npos, status.error_message().find(names))
        << "\"" << status.error_message() << "\" should name " << names;
  }

  NewMember ana_, marco_;
};

TEST_F(ErrorsTest, ReferralRulesAreInvalidArgument) {
  ExpectError(Give([&](auto& r) { r.mutable_referral()->set_receiver(ana_.member.name()); }),
              StatusCode::INVALID_ARGUMENT, "themself");
  ExpectError(Give([](auto& r) { r.mutable_referral()->set_temperature(0); }),
              StatusCode::INVALID_ARGUMENT, "temperature");
  ExpectError(Give([](auto& r) { r.mutable_referral()->set_temperature(6); }),
              StatusCode::INVALID_ARGUMENT, "temperature");
  ExpectError(Give([](auto& r) { r.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE); }),
              StatusCode::INVALID_ARGUMENT, "contact_name");
  ExpectError(Give([](auto& r) {
                r.mutable_referral()->set_kind(v1::REFERRAL_KIND_OUTSIDE);
                r.mutable_referral()->set_contact_name("Luca");
                r.mutable_referral()->set_contact_email("not-an-email");
              }),
              StatusCode::INVALID_ARGUMENT, "contact_email");
  ExpectError(Give([](auto& r) { r.mutable_referral()->set_note(std::string(1001, 'n')); }),
              StatusCode::INVALID_ARGUMENT, "note");
  ExpectError(Give([](auto& r) { r.mutable_referral()->set_receiver("marco"); }),
              StatusCode::INVALID_ARGUMENT, "receiver");
}

TEST_F(ErrorsTest, UnknownThingsAreNotFound) {
  ExpectError(
      Give([](auto& r) { r.mutable_referral()->set_receiver("chapters/rome/members/999"); }),
      StatusCode::NOT_FOUND, "members/999");
  v1::GetChapterRequest get_chapter;
  get_chapter.set_name("chapters/nowhere");
  v1::Chapter chapter;
  auto context = admin().NewContext();
  ExpectError(admin().chapters().GetChapter(context.get(), get_chapter, &chapter),
              StatusCode::NOT_FOUND, "chapters/nowhere");
  v1::GetReferralRequest get_referral;
  get_referral.set_name("chapters/rome/referrals/77");
  v1::Referral referral;
  context = admin().NewContext();
  ExpectError(admin().referrals().GetReferral(context.get(), get_referral, &referral),
              StatusCode::NOT_FOUND, "referrals/77");
  v1::CheckInRequest check_in;
  check_in.set_meeting("chapters/rome/meetings/55");
  check_in.set_request_id("c");
  v1::Attendance attendance;
  auto ana = As(ana_.token);
  context = ana.NewContext();
  ExpectError(ana.meetings().CheckIn(context.get(), check_in, &attendance), StatusCode::NOT_FOUND,
              "meetings/55");
}

TEST_F(ErrorsTest, MoneyRulesAreInvalidArgument) {
  for (const char* amount : {"0", "-5", "abc", "", "1.234"}) {
    ExpectError(
        Thank([&](auto& r) { r.mutable_thank_you()->mutable_amount()->set_amount(amount); }),
        StatusCode::INVALID_ARGUMENT, "amount");
  }
  ExpectError(Thank([](auto& r) { r.mutable_thank_you()->mutable_amount()->set_currency("ZZZ"); }),
              StatusCode::INVALID_ARGUMENT, "currency");
  ExpectError(Thank([&](auto& r) { r.mutable_thank_you()->set_to_member(ana_.member.name()); }),
              StatusCode::INVALID_ARGUMENT, "to_member");
}

TEST_F(ErrorsTest, RosterRules) {
  v1::CreateMemberRequest request;
  request.set_parent("chapters/rome");
  request.mutable_member()->set_display_name("Flora Bis");
  request.mutable_member()->set_business("Flowers Two");
  request.mutable_member()->set_category("florist");
  request.set_request_id("dup-category");
  v1::CreateMemberResponse response;
  auto context = admin().NewContext();
  ExpectError(admin().members().CreateMember(context.get(), request, &response),
              StatusCode::ALREADY_EXISTS, "category");
  request.mutable_member()->set_category("Gardener");
  request.mutable_member()->set_display_name("");
  request.set_request_id("empty-name");
  context = admin().NewContext();
  ExpectError(admin().members().CreateMember(context.get(), request, &response),
              StatusCode::INVALID_ARGUMENT, "display_name");
  request.mutable_member()->set_display_name(std::string(101, 'x'));
  request.set_request_id("long-name");
  context = admin().NewContext();
  ExpectError(admin().members().CreateMember(context.get(), request, &response),
              StatusCode::INVALID_ARGUMENT, "display_name");

  v1::CreateChapterRequest chapter;
  chapter.set_chapter_id("rome");
  chapter.mutable_chapter()->set_display_name("Rome again");
  chapter.set_request_id("rome-again");
  v1::CreateChapterResponse created;
  context = admin().NewContext();
  ExpectError(admin().chapters().CreateChapter(context.get(), chapter, &created),
              StatusCode::ALREADY_EXISTS, "chapters/rome");
  chapter.set_chapter_id("milan");
  chapter.mutable_chapter()->set_time_zone("Europe/Atlantis");
  chapter.set_request_id("atlantis");
  context = admin().NewContext();
  ExpectError(admin().chapters().CreateChapter(context.get(), chapter, &created),
              StatusCode::INVALID_ARGUMENT, "time_zone");
}

// Found by the requests fuzzer (tests/fuzz): a time past 2262 overflowed the server's clock.
TEST_F(ErrorsTest, TimesOutsideTheCalendarAreInvalidArgument) {
  v1::GetPalmsReportRequest report;
  report.set_chapter("chapters/rome");
  report.mutable_start_time()->set_seconds(1700000000);
  report.mutable_end_time()->set_seconds(21764223744);  // the year 2659
  v1::PalmsReport palms;
  auto ana = As(ana_.token);
  auto context = ana.NewContext();
  ExpectError(ana.reports().GetPalmsReport(context.get(), report, &palms),
              StatusCode::INVALID_ARGUMENT, "end_time: must be from 1900-01-01 to 2199-12-31");
  report.mutable_end_time()->set_seconds(1800000000);
  report.mutable_start_time()->set_nanos(-1);
  context = ana.NewContext();
  ExpectError(ana.reports().GetPalmsReport(context.get(), report, &palms),
              StatusCode::INVALID_ARGUMENT, "start_time: nanos must be 0..999999999");

  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent("chapters/rome");
  schedule.mutable_start_time()->set_seconds(std::numeric_limits<int64_t>::max());
  schedule.set_request_id(client::Client::NewRequestId());
  v1::Meeting meeting;
  context = admin().NewContext();
  ExpectError(admin().meetings().ScheduleMeeting(context.get(), schedule, &meeting),
              StatusCode::INVALID_ARGUMENT, "start_time: must be from 1900-01-01");
}

TEST_F(ErrorsTest, NothingIsRecordedByARejectedRequest) {
  ASSERT_EQ(StatusCode::INVALID_ARGUMENT,
            Give([](auto& r) { r.mutable_referral()->set_temperature(9); }).error_code());
  EXPECT_EQ(3, GetChapter("chapters/rome").last_seq());
}

// Standard gRPC tools work: health checking and reflection, spoken with raw bytes.
TEST_F(ErrorsTest, HealthCheckingAndReflectionAreOn) {
  grpc::GenericStub stub(admin().channel());
  // grpc.health.v1.HealthCheckRequest{} is empty; the answer SERVING is field 1 = 1: 08 01.
  grpc::ByteBuffer request, response;
  grpc::Slice empty("", 0);
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ClientContext context;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(s); });
  ASSERT_TRUE(done.get_future().get().ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  EXPECT_EQ(std::string("\x08\x01", 2), bytes);

  // grpc.reflection.v1alpha: ServerReflectionRequest{list_services: ""} is 3a 00; the answer
  // lists the service names.
  grpc::CompletionQueue cq;
  grpc::ClientContext reflection_context;
  reflection_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto call = stub.PrepareCall(
      &reflection_context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](intptr_t expected) {
    return cq.Next(&tag, &ok) && ok && reinterpret_cast<intptr_t>(tag) == expected;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(step(1));
  grpc::Slice list("\x3a\x00", 2);
  grpc::ByteBuffer list_request(&list, 1);
  call->Write(list_request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(step(2));
  grpc::ByteBuffer reply;
  call->Read(&reply, reinterpret_cast<void*>(3));
  ASSERT_TRUE(step(3));
  slices.clear();
  ASSERT_TRUE(reply.Dump(&slices).ok());
  bytes.clear();
  for (auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  for (const char* service : {"reciproca.v1.ChapterService", "reciproca.v1.ReferralService",
                              "reciproca.v1.EventService", "grpc.health.v1.Health"}) {
    EXPECT_NE(std::string::npos, bytes.find(service)) << service;
  }
  call->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_TRUE(step(4));
  grpc::Status finished;
  call->Finish(&finished, reinterpret_cast<void*>(5));
  ASSERT_TRUE(step(5));
  EXPECT_TRUE(finished.ok()) << finished.error_message();
}

}  // namespace
}  // namespace reciproca::testing
