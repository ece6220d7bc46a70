// Need-to-know through the real server: an outside referral's contact and note reach its giver,
// its receiver, the chapter's organizers and the admin only, on every read path (GetReferral,
// ListReferrals, the Subscribe replay and live stream, the SSE stream, the JSON gateway); a
// visitor's contact reaches their host, organizers and the admin; the room display sees no
// member e-mail or phone. And the display token's rotation: the old one stops at once, open
// display streams are told within a second.

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/http_client.h"
#include "tests/integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr char kChapter[] = "chapters/ntk";
constexpr char kContactName[] = "Giulia Verdi";
constexpr char kContactPhone[] = "+39 06 5550 1234";
constexpr char kContactEmail[] = "giulia@verdi.example";
constexpr char kNote[] = "Wants a quote before Friday; call after 18:00";

// Who reads, and whether they may see the referral's contact and the members' contact.
struct Reader {
  std::string who;
  std::string token;
  bool sees_referral_contact = false;
  bool sees_member_contact = false;
};

class NeedToKnowTest : public ServerTest {
 protected:
  void SetUp() override {
    http_.listen = "127.0.0.1:0";
    ServerTest::SetUp();
    http_port_ = server_->http_port();
    ASSERT_GT(http_port_, 0);
    display_token_ = CreateChapter("ntk");
    giver_ = AddMemberWithContact("Ana Giver", "Lawyer", v1::ROLE_MEMBER);
    receiver_ = AddMemberWithContact("Bruno Receiver", "Plumber", v1::ROLE_MEMBER);
    other_ = AddMemberWithContact("Carla Other", "Baker", v1::ROLE_MEMBER);
    organizer_ = AddMemberWithContact("Dora President", "Dentist", v1::ROLE_PRESIDENT);
    referral_ = GiveOutsideReferral("first");
  }

  NewMember AddMemberWithContact(const std::string& name, const std::string& category,
                                 v1::Role role) {
    v1::CreateMemberRequest request;
    request.set_parent(kChapter);
    request.mutable_member()->set_display_name(name);
    request.mutable_member()->set_business(name + " Ltd");
    request.mutable_member()->set_category(category);
    request.mutable_member()->set_role(role);
    request.mutable_member()->set_email(category + "@members.example");
    request.mutable_member()->set_phone("+39 333 000 " + std::to_string(1000 + ++members_));
    request.set_request_id(client::Client::NewRequestId());
    v1::CreateMemberResponse response;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().members().CreateMember(c, request, &response);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.member(), response.access_token()};
  }

  // Ana gives Bruno an outside referral with a contact and a note; returns it as Ana sees it.
  v1::Referral GiveOutsideReferral(const std::string& request_id) {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    v1::Referral* referral = request.mutable_referral();
    referral->set_receiver(receiver_.member.name());
    referral->set_kind(v1::REFERRAL_KIND_OUTSIDE);
    referral->set_contact_name(kContactName);
    referral->set_contact_phone(kContactPhone);
    referral->set_contact_email(kContactEmail);
    referral->set_note(kNote);
    referral->set_temperature(4);
    request.set_request_id(request_id);
    v1::Referral given;
    const client::Client giver = As(giver_.token);
    auto status = Invoke(giver, [&](grpc::ClientContext* c) {
      return giver.referrals().GiveReferral(c, request, &given);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(given.contact_name(), kContactName);
    return given;
  }

  // Every principal of the chapter, with what it may see.
  std::vector<Reader> Readers() const {
    return {
        {"giver", giver_.token, true, true},         {"receiver", receiver_.token, true, true},
        {"other member", other_.token, false, true}, {"organizer", organizer_.token, true, true},
        {"display", display_token_, false, false},   {"admin", server_->admin_token(), true, true},
    };
  }

  // What every reader sees of the referral besides the contact: that it was passed.
  void ExpectReferral(const Reader& reader, const v1::Referral& seen,
                      const v1::Referral& given) const {
    SCOPED_TRACE(reader.who);
    EXPECT_EQ(seen.name(), given.name());
    EXPECT_EQ(seen.status(), given.status());
    ExpectReferralContact(reader, seen);
  }

  // Any of Ana's referrals to Bruno, as `reader` sees it.
  void ExpectReferralContact(const Reader& reader, const v1::Referral& seen) const {
    SCOPED_TRACE(reader.who + " reading " + seen.name());
    EXPECT_EQ(seen.giver(), giver_.member.name());
    EXPECT_EQ(seen.receiver(), receiver_.member.name());
    EXPECT_EQ(seen.temperature(), 4);
    EXPECT_EQ(seen.kind(), v1::REFERRAL_KIND_OUTSIDE);
    if (reader.sees_referral_contact) {
      EXPECT_EQ(seen.contact_name(), kContactName);
      EXPECT_EQ(seen.contact_phone(), kContactPhone);
      EXPECT_EQ(seen.contact_email(), kContactEmail);
      EXPECT_EQ(seen.note(), kNote);
    } else {
      EXPECT_EQ(seen.contact_name(), "");
      EXPECT_EQ(seen.contact_phone(), "");
      EXPECT_EQ(seen.contact_email(), "");
      EXPECT_EQ(seen.note(), "");
    }
  }

  static void ExpectMember(const Reader& reader, const v1::Member& seen) {
    SCOPED_TRACE(reader.who + " reading " + seen.name());
    EXPECT_FALSE(seen.display_name().empty());
    if (reader.sees_member_contact) {
      EXPECT_NE(seen.email(), "");
      EXPECT_NE(seen.phone(), "");
    } else {
      EXPECT_EQ(seen.email(), "");
      EXPECT_EQ(seen.phone(), "");
    }
  }

  // The whole log as `token` sees it on the Subscribe replay.
  std::vector<v1::Event> Replay(const std::string& token) {
    return ReadEvents(As(token), kChapter, 0, static_cast<size_t>(GetChapter(kChapter).last_seq()));
  }

  // Checks every referral and member event of `events` as `reader` may see them; returns how
  // many referral events there were.
  int ExpectEvents(const Reader& reader, const std::vector<v1::Event>& events) {
    int referrals = 0;
    for (const v1::Event& event : events) {
      if (event.has_referral_given()) {
        ++referrals;
        ExpectReferralContact(reader, event.referral_given().referral());
      }
      if (event.has_member_added()) {
        ExpectMember(reader, event.member_added().member());
      }
    }
    return referrals;
  }

  v1::RotateDisplayTokenResponse Rotate(const client::Client& as, const std::string& request_id,
                                        grpc::Status* status_out = nullptr) {
    v1::RotateDisplayTokenRequest request;
    request.set_name(kChapter);
    request.set_request_id(request_id);
    v1::RotateDisplayTokenResponse response;
    auto status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.chapters().RotateDisplayToken(c, request, &response);
    });
    if (status_out) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  static grpc::Status WhoAmI(const client::Client& as) {
    v1::WhoAmIResponse me;
    return Invoke(as, [&](grpc::ClientContext* c) {
      return as.chapters().WhoAmI(c, v1::WhoAmIRequest(), &me);
    });
  }

  int http_port_ = 0;
  int members_ = 0;
  std::string display_token_;
  NewMember giver_, receiver_, other_, organizer_;
  v1::Referral referral_;
};

TEST_F(NeedToKnowTest, GetReferral_ShowsTheContactToPartiesOrganizersAndAdminOnly) {
  for (const Reader& reader : Readers()) {
    const client::Client as = As(reader.token);
    v1::GetReferralRequest request;
    request.set_name(referral_.name());
    v1::Referral seen;
    auto status = Invoke(
        as, [&](grpc::ClientContext* c) { return as.referrals().GetReferral(c, request, &seen); });
    ASSERT_TRUE(status.ok()) << reader.who << ": " << status.error_message();
    ExpectReferral(reader, seen, referral_);
  }
}

TEST_F(NeedToKnowTest, ListReferrals_ShowsTheContactToPartiesOrganizersAndAdminOnly) {
  for (const Reader& reader : Readers()) {
    const client::Client as = As(reader.token);
    v1::ListReferralsRequest request;
    request.set_parent(kChapter);
    v1::ListReferralsResponse seen;
    auto status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.referrals().ListReferrals(c, request, &seen);
    });
    ASSERT_TRUE(status.ok()) << reader.who << ": " << status.error_message();
    ASSERT_EQ(seen.referrals_size(), 1) << reader.who;
    ExpectReferral(reader, seen.referrals(0), referral_);
  }
}

TEST_F(NeedToKnowTest, ListAndGetMember_ShowContactToMembersButNeverToTheDisplay) {
  for (const Reader& reader : Readers()) {
    const client::Client as = As(reader.token);
    v1::ListMembersRequest list;
    list.set_parent(kChapter);
    v1::ListMembersResponse members;
    auto status = Invoke(
        as, [&](grpc::ClientContext* c) { return as.members().ListMembers(c, list, &members); });
    ASSERT_TRUE(status.ok()) << reader.who << ": " << status.error_message();
    ASSERT_EQ(members.members_size(), 4) << reader.who;
    for (const v1::Member& member : members.members()) {
      ExpectMember(reader, member);
    }
    v1::GetMemberRequest get;
    get.set_name(giver_.member.name());
    v1::Member member;
    status =
        Invoke(as, [&](grpc::ClientContext* c) { return as.members().GetMember(c, get, &member); });
    ASSERT_TRUE(status.ok()) << reader.who << ": " << status.error_message();
    ExpectMember(reader, member);
  }
}

TEST_F(NeedToKnowTest, SubscribeReplay_RedactsPerPrincipal) {
  for (const Reader& reader : Readers()) {
    EXPECT_EQ(ExpectEvents(reader, Replay(reader.token)), 1) << reader.who;
  }
}

TEST_F(NeedToKnowTest, SubscribeReplayFromTheStore_RedactsPerPrincipal) {
  // A ring of 2 events: the replay of the first ones comes from the store, not the live feed.
  feed_ring_capacity_ = 2;
  RestartServer();
  for (const Reader& reader : Readers()) {
    EXPECT_EQ(ExpectEvents(reader, Replay(reader.token)), 1) << reader.who;
  }
}

TEST_F(NeedToKnowTest, SubscribeLive_RedactsPerPrincipal) {
  const int64_t last = GetChapter(kChapter).last_seq();
  struct Open {
    Reader reader;
    client::Client client;
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<v1::Event>> stream;
  };
  std::vector<Open> open;
  for (const Reader& reader : Readers()) {
    Open o{reader, As(reader.token), nullptr, nullptr};
    o.context = o.client.NewContext(/*streaming=*/true);
    o.context->set_deadline(Clock::now() + std::chrono::seconds(10));
    v1::SubscribeRequest request;
    request.set_chapter(kChapter);
    request.set_after_seq(last);
    o.stream = o.client.events().Subscribe(o.context.get(), request);
    open.push_back(std::move(o));
  }
  const v1::Referral second = GiveOutsideReferral("second");
  for (Open& o : open) {
    v1::Event event;
    ASSERT_TRUE(o.stream->Read(&event)) << o.reader.who;
    ASSERT_TRUE(event.has_referral_given()) << o.reader.who;
    ExpectReferral(o.reader, event.referral_given().referral(), second);
    o.context->TryCancel();
    o.stream->Finish();
  }
}

TEST_F(NeedToKnowTest, SubscribeLive_FollowsAPromotionToOrganizer) {
  const int64_t last = GetChapter(kChapter).last_seq();
  const client::Client carla = As(other_.token);
  auto context = carla.NewContext(/*streaming=*/true);
  context->set_deadline(Clock::now() + std::chrono::seconds(10));
  v1::SubscribeRequest request;
  request.set_chapter(kChapter);
  request.set_after_seq(last);
  auto stream = carla.events().Subscribe(context.get(), request);

  v1::UpdateMemberRequest promote;
  promote.mutable_member()->set_name(other_.member.name());
  promote.mutable_member()->set_role(v1::ROLE_VICE_PRESIDENT);
  promote.mutable_update_mask()->add_paths("role");
  promote.set_request_id("promote-carla");
  v1::Member promoted;
  auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().members().UpdateMember(c, promote, &promoted);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::Referral second = GiveOutsideReferral("after-promotion");

  v1::Event event;
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_TRUE(event.has_member_updated());
  ASSERT_TRUE(stream->Read(&event));
  ASSERT_TRUE(event.has_referral_given());
  ExpectReferral({"promoted organizer", other_.token, true, true},
                 event.referral_given().referral(), second);
  context->TryCancel();
  stream->Finish();
}

TEST_F(NeedToKnowTest, ServerSentEvents_RedactReplayAndLivePerPrincipal) {
  for (const Reader& reader : Readers()) {
    SCOPED_TRACE(reader.who);
    SseReader sse(http_port_, std::string("/api/events?chapter=") + kChapter + "&after_seq=0",
                  reader.token);
    ASSERT_NE(sse.head().find("200"), std::string::npos) << sse.head();
    const int64_t last = GetChapter(kChapter).last_seq();
    std::vector<v1::Event> events;
    while (static_cast<int64_t>(events.size()) < last) {
      auto frame = sse.NextEvent();
      ASSERT_TRUE(frame) << "replay stopped after " << events.size() << " events";
      ASSERT_EQ(frame->event, "event") << frame->data;
      v1::Event event;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(frame->data, &event).ok());
      events.push_back(event);
    }
    EXPECT_GE(ExpectEvents(reader, events), 1);
    // Live: a referral given now reaches the open stream in the reader's version.
    const v1::Referral live = GiveOutsideReferral("live-" + std::to_string(last));
    auto frame = sse.NextEvent();
    ASSERT_TRUE(frame);
    v1::Event event;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(frame->data, &event).ok());
    ASSERT_TRUE(event.has_referral_given()) << frame->data;
    ExpectReferral(reader, event.referral_given().referral(), live);
  }
}

TEST_F(NeedToKnowTest, JsonGateway_RedactsAsGrpcDoes) {
  for (const Reader& reader : Readers()) {
    SCOPED_TRACE(reader.who);
    auto reply = HttpPost(http_port_, "/api/reciproca.v1.ReferralService/GetReferral",
                          json{{"name", referral_.name()}}.dump(), reader.token);
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json referral = json::parse(reply.body);
    EXPECT_EQ(referral.value("temperature", 0), 4);
    EXPECT_EQ(referral.value("contactName", ""), reader.sees_referral_contact ? kContactName : "");
    EXPECT_EQ(referral.value("note", ""), reader.sees_referral_contact ? kNote : "");
    // No other spelling of the contact anywhere in the answer.
    if (!reader.sees_referral_contact) {
      EXPECT_EQ(reply.body.find(kContactPhone), std::string::npos);
      EXPECT_EQ(reply.body.find(kContactEmail), std::string::npos);
    }
    auto members = HttpPost(http_port_, "/api/reciproca.v1.MemberService/ListMembers",
                            json{{"parent", kChapter}}.dump(), reader.token);
    ASSERT_EQ(members.status, 200) << members.body;
    EXPECT_EQ(members.body.find("@members.example") != std::string::npos,
              reader.sees_member_contact);
  }
}

TEST_F(NeedToKnowTest, Visitor_ContactGoesToTheHostOrganizersAndAdminOnly) {
  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent(kChapter);
  *schedule.mutable_start_time() =
      ToTimestamp(Clock::time_point(std::chrono::seconds(kStartSeconds + 1800)));
  schedule.set_request_id("schedule");
  v1::Meeting meeting;
  auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().meetings().ScheduleMeeting(c, schedule, &meeting);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::RegisterVisitorRequest visit;
  visit.set_meeting(meeting.name());
  visit.mutable_visitor()->set_display_name("Vera Visitor");
  visit.mutable_visitor()->set_business("Vera Srl");
  visit.mutable_visitor()->set_email("vera@visitor.example");
  visit.mutable_visitor()->set_phone("+39 347 123 4567");
  visit.set_request_id("visit");
  v1::Visitor visitor;
  const client::Client host = As(giver_.token);
  status = Invoke(host, [&](grpc::ClientContext* c) {
    return host.meetings().RegisterVisitor(c, visit, &visitor);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();

  for (const Reader& reader : Readers()) {
    SCOPED_TRACE(reader.who);
    // The host is the giver; the receiver is an ordinary member here.
    const bool sees = reader.who != "receiver" && reader.sees_referral_contact;
    const client::Client as = As(reader.token);
    v1::GetMeetingRequest get;
    get.set_name(meeting.name());
    v1::Meeting seen;
    status =
        Invoke(as, [&](grpc::ClientContext* c) { return as.meetings().GetMeeting(c, get, &seen); });
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(seen.visitors_size(), 1);
    EXPECT_EQ(seen.visitors(0).display_name(), "Vera Visitor");
    EXPECT_EQ(seen.visitors(0).invited_by(), giver_.member.name());
    EXPECT_EQ(seen.visitors(0).email(), sees ? "vera@visitor.example" : "");
    EXPECT_EQ(seen.visitors(0).phone(), sees ? "+39 347 123 4567" : "");
    bool streamed = false;
    for (const v1::Event& event : Replay(reader.token)) {
      if (event.has_visitor_registered()) {
        streamed = true;
        EXPECT_EQ(event.visitor_registered().visitor().email(), sees ? "vera@visitor.example" : "");
      }
    }
    EXPECT_TRUE(streamed);
  }
}

TEST_F(NeedToKnowTest, RotateDisplayToken_OldTokenStopsNewOneWorksRetryIsIdempotent) {
  const client::Client organizer = As(organizer_.token);
  ASSERT_TRUE(WhoAmI(As(display_token_)).ok());
  const auto rotated = Rotate(organizer, "rotate-1");
  EXPECT_EQ(rotated.generation(), 1);
  ASSERT_FALSE(rotated.display_token().empty());
  EXPECT_NE(rotated.display_token(), display_token_);

  auto old = WhoAmI(As(display_token_));
  EXPECT_EQ(old.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(WhoAmI(As(rotated.display_token())).ok());

  // A retry answers the same token and rotates nothing more.
  const auto retried = Rotate(organizer, "rotate-1");
  EXPECT_EQ(retried.display_token(), rotated.display_token());
  EXPECT_EQ(retried.generation(), 1);
  EXPECT_TRUE(WhoAmI(As(rotated.display_token())).ok());

  // GetDisplayToken hands out the current one.
  v1::GetDisplayTokenRequest get;
  get.set_name(kChapter);
  v1::GetDisplayTokenResponse current;
  auto status = Invoke(organizer, [&](grpc::ClientContext* c) {
    return organizer.chapters().GetDisplayToken(c, get, &current);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(current.display_token(), rotated.display_token());

  // And all of it holds after a restart.
  RestartServer();
  EXPECT_EQ(WhoAmI(As(display_token_)).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(WhoAmI(As(rotated.display_token())).ok());
  const auto again = Rotate(As(organizer_.token), "rotate-2");
  EXPECT_EQ(again.generation(), 2);
  EXPECT_EQ(WhoAmI(As(rotated.display_token())).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(WhoAmI(As(again.display_token())).ok());
}

TEST_F(NeedToKnowTest, RotateDisplayToken_OnlyOrganizersAndTheAdmin) {
  grpc::Status status;
  Rotate(As(other_.token), "member-tries", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("organizers"), std::string::npos) << status.error_message();
  Rotate(As(display_token_), "display-tries", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(WhoAmI(As(display_token_)).ok());
  const auto by_admin = Rotate(admin(), "admin-rotates");
  EXPECT_EQ(by_admin.generation(), 1);
  Rotate(admin(), "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(NeedToKnowTest, RotateDisplayToken_EndsOpenDisplayStreamsWithinASecond) {
  const client::Client display = As(display_token_);
  auto context = display.NewContext(/*streaming=*/true);
  context->set_deadline(Clock::now() + std::chrono::seconds(10));
  v1::SubscribeRequest request;
  request.set_chapter(kChapter);
  request.set_after_seq(0);
  auto stream = display.events().Subscribe(context.get(), request);
  const int64_t last = GetChapter(kChapter).last_seq();
  v1::Event event;
  for (int64_t i = 0; i < last; ++i) {
    ASSERT_TRUE(stream->Read(&event));
  }
  SseReader sse(http_port_, std::string("/api/events?chapter=") + kChapter + "&after_seq=0",
                display_token_);
  for (int64_t i = 0; i < last; ++i) {
    auto frame = sse.NextEvent();
    ASSERT_TRUE(frame && frame->event == "event");
  }
  // A member's stream is not touched by the rotation.
  const client::Client member = As(other_.token);
  auto member_context = member.NewContext(/*streaming=*/true);
  member_context->set_deadline(Clock::now() + std::chrono::seconds(10));
  auto member_stream = member.events().Subscribe(member_context.get(), request);
  for (int64_t i = 0; i < last; ++i) {
    ASSERT_TRUE(member_stream->Read(&event));
  }

  const auto rotated = Rotate(As(organizer_.token), "rotate-while-open");
  const auto rotated_at = steady_clock::now();

  while (stream->Read(&event)) {
    EXPECT_TRUE(event.has_display_token_rotated());
  }
  const grpc::Status ended = stream->Finish();
  EXPECT_LT(steady_clock::now() - rotated_at, milliseconds(1000));
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(ended.error_message().find("display link was replaced"), std::string::npos)
      << ended.error_message();

  std::optional<SseFrame> frame;
  do {
    frame = sse.NextEvent(milliseconds(1000));
  } while (frame && frame->event == "event");
  EXPECT_LT(steady_clock::now() - rotated_at, milliseconds(1500));
  ASSERT_TRUE(frame) << "the SSE stream was not told";
  EXPECT_EQ(frame->event, "error");
  EXPECT_NE(frame->data.find("UNAUTHENTICATED"), std::string::npos) << frame->data;
  EXPECT_NE(frame->data.find("display link was replaced"), std::string::npos) << frame->data;

  ASSERT_TRUE(member_stream->Read(&event));
  EXPECT_TRUE(event.has_display_token_rotated());
  EXPECT_EQ(event.display_token_rotated().generation(), 1);
  member_context->TryCancel();
  member_stream->Finish();

  // The new link streams; the old one is refused at once.
  EXPECT_EQ(
      ReadEvents(As(rotated.display_token()), kChapter, 0, static_cast<size_t>(last + 1)).size(),
      static_cast<size_t>(last + 1));
  auto refused_context = display.NewContext(/*streaming=*/true);
  refused_context->set_deadline(Clock::now() + std::chrono::seconds(5));
  auto refused = display.events().Subscribe(refused_context.get(), request);
  EXPECT_FALSE(refused->Read(&event));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace reciproca::testing
