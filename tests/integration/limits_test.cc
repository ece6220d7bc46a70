// The limits of docs/limits.md through the real server: the mutation rate per principal, the
// bytes a subscriber that takes nothing may leave waiting, and the idempotency retention. Each
// refusal has its exact status and message, and nobody else's writes or streams are touched.

#include <sqlite3.h>

#include <thread>

#include "integration/http_client.h"
#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;
using std::chrono::hours;

std::string Trailer(const grpc::ClientContext& context, const std::string& key) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(key);
  return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
}

class LimitsTest : public ServerTest {
 protected:
  void SetUp() override {
    limits_ = engine::Limits{};  // the defaults, as reciprocad runs
    http_.listen = "127.0.0.1:0";
    ServerTest::SetUp();
    display_token_ = CreateChapter("rome");
    ana_ = AddMember("rome", "Ana Rossi", "Florist");
    marco_ = AddMember("rome", "Marco Bianchi", "Plumber");
  }

  grpc::Status Give(const std::string& token, const std::string& receiver,
                    const std::string& request_id, grpc::ClientContext* context, v1::Referral* out,
                    const std::string& note = "") {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/rome");
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(3);
    request.mutable_referral()->set_note(note);
    request.set_request_id(request_id);
    return As(token).referrals().GiveReferral(context, request, out);
  }

  // The value of a /metrics line ("name{labels}"); -1 when absent.
  double Metric(const std::string& series) {
    const auto reply = HttpFetch(server_->http_port(), boost::beast::http::verb::get, "/metrics");
    const auto at = reply.body.find("\n" + series + " ");
    if (at == std::string::npos) {
      return -1;
    }
    return std::stod(reply.body.substr(at + series.size() + 2));
  }

  int IdempotencyRows(const std::string& request_id) {
    sqlite3* db = nullptr;
    const std::string path = (dir_.path() / "reciproca.db").string();
    EXPECT_EQ(SQLITE_OK, sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr));
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM idempotency WHERE request_id = ?1", -1, &stmt,
                       nullptr);
    sqlite3_bind_text(stmt, 1, request_id.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(SQLITE_ROW, sqlite3_step(stmt));
    const int rows = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  }

  std::string display_token_;
  NewMember ana_, marco_;
};

TEST_F(LimitsTest, MutationRate_PastTheBurstIsResourceExhaustedWithRetryAfter_OthersUnaffected) {
  // The display watches the whole time.
  auto display = As(display_token_);
  auto display_context = display.NewContext(/*streaming=*/true);
  display_context->set_deadline(Clock::now() + std::chrono::seconds(60));
  v1::SubscribeRequest subscribe;
  subscribe.set_chapter("chapters/rome");
  auto display_stream = display.events().Subscribe(display_context.get(), subscribe);

  // The test's clock stands still: Ana's bucket holds the burst (300) and refills nothing.
  for (int i = 0; i < 300; ++i) {
    v1::Referral out;
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(
        Give(ana_.token, marco_.member.name(), "a" + std::to_string(i), context.get(), &out).ok())
        << "mutation " << i;
  }
  v1::Referral out;
  auto refused = As(ana_.token).NewContext();
  grpc::Status status = Give(ana_.token, marco_.member.name(), "a300", refused.get(), &out);
  EXPECT_EQ(StatusCode::RESOURCE_EXHAUSTED, status.error_code());
  EXPECT_EQ("too many changes from " + ana_.member.name() +
                ": at most 300 at once and 20 a second; retry in 1 s",
            status.error_message());
  EXPECT_EQ("1", Trailer(*refused, "retry-after"));

  // Marco is not Ana: his writes go through.
  auto marco_context = As(marco_.token).NewContext();
  ASSERT_TRUE(Give(marco_.token, ana_.member.name(), "m0", marco_context.get(), &out).ok());

  // Over HTTP the refusal is 429.
  const auto reply =
      HttpPost(server_->http_port(), "/api/reciproca.v1.ReferralService/GiveReferral",
               R"({"parent":"chapters/rome","requestId":"a301","referral":{)"
               R"("receiver":")" +
                   marco_.member.name() + R"(","temperature":3}})",
               ana_.token);
  EXPECT_EQ(429, reply.status) << reply.body;
  EXPECT_NE(reply.body.find("\"RESOURCE_EXHAUSTED\""), std::string::npos) << reply.body;
  EXPECT_NE(reply.body.find("too many changes from " + ana_.member.name()), std::string::npos)
      << reply.body;
  EXPECT_EQ("1", reply.header("Retry-After"));
  EXPECT_EQ(2, Metric("reciproca_limit_refusals_total{limit=\"mutation_rate\"}"));

  // The display lost nothing: the log so far (3), Ana's 300 and Marco's one, in order.
  v1::Event event;
  for (int64_t seq = 1; seq <= 304; ++seq) {
    ASSERT_TRUE(display_stream->Read(&event)) << "seq " << seq;
    ASSERT_EQ(seq, event.seq());
  }
  EXPECT_EQ(marco_.member.name(), event.actor());

  // A second later Ana has 20 more.
  clock_.Advance(std::chrono::seconds(1));
  for (int i = 0; i < 20; ++i) {
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(
        Give(ana_.token, marco_.member.name(), "b" + std::to_string(i), context.get(), &out).ok());
  }
  auto again = As(ana_.token).NewContext();
  EXPECT_EQ(StatusCode::RESOURCE_EXHAUSTED,
            Give(ana_.token, marco_.member.name(), "b20", again.get(), &out).error_code());
  display_context->TryCancel();
  display_stream->Finish();
}

class SubscriberQueueTest : public LimitsTest {
 protected:
  void SetUp() override {
    LimitsTest::SetUp();
    // Small, so that a stalled stream passes it quickly; no mutation rate (Ana writes fast).
    StopServer();
    limits_.subscriber_queue_bytes = 256 * 1024;
    limits_.mutations_per_second = 0;
    StartServer();
  }
};

TEST_F(SubscriberQueueTest, StalledSubscriberIsEndedPastTheBoundWithWhereToResume) {
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  // Never read while the chapter moves on: gRPC's flow control fills, then writes stop. The
  // channel keeps a small window (no BDP probing, which would let it grow to megabytes).
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
  auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->port()),
                                           grpc::InsecureChannelCredentials(), args);
  auto stub = v1::EventService::NewStub(channel);
  auto stalled_context = std::make_unique<grpc::ClientContext>();
  stalled_context->AddMetadata("authorization", "Bearer " + server_->admin_token());
  stalled_context->set_deadline(Clock::now() + std::chrono::seconds(120));
  auto stalled = stub->Subscribe(stalled_context.get(), request);

  constexpr int kReferrals = 2000;  // ~1.1 kB each: about 2 MB in all
  std::thread writer([&] {
    for (int i = 0; i < kReferrals; ++i) {
      v1::Referral out;
      auto context = As(ana_.token).NewContext();
      ASSERT_TRUE(Give(ana_.token, marco_.member.name(), "q" + std::to_string(i), context.get(),
                       &out, std::string(1000, 'x'))
                      .ok());
    }
  });
  // Meanwhile a subscriber that reads gets every event.
  auto events =
      ReadEvents(As(marco_.token), "chapters/rome", 0, 3 + kReferrals, std::chrono::seconds(90));
  writer.join();
  ASSERT_EQ(size_t{3 + kReferrals}, events.size());

  // The stalled stream was ended: what it was sent, then the status.
  size_t received = 0;
  v1::Event event;
  int64_t last_seq = 0;
  while (stalled->Read(&event)) {
    ++received;
    ASSERT_EQ(last_seq + 1, event.seq());
    last_seq = event.seq();
  }
  grpc::Status status = stalled->Finish();
  ASSERT_EQ(StatusCode::RESOURCE_EXHAUSTED, status.error_code()) << status.error_message();
  const std::string resume = Trailer(*stalled_context, "resume-after-seq");
  ASSERT_FALSE(resume.empty());
  const int64_t resume_seq = std::stoll(resume);
  EXPECT_EQ(
      "this stream left more than 262144 bytes of events waiting (its client is not "
      "reading); resubscribe with after_seq=" +
          resume + " (or the last seq you received, if later)",
      status.error_message());
  // What gRPC's flow control took before the writes stopped (measured, not promised: the
  // server holds one write per subscriber, the transport its window).
  std::cout << "stalled subscriber: sent " << received << " events (about " << received * 1.1
            << " kB) before its stream ended at seq " << resume_seq << "\n";
  EXPECT_LT(received, size_t{3 + kReferrals});
  EXPECT_TRUE(last_seq == resume_seq || last_seq == resume_seq + 1) << last_seq;
  EXPECT_EQ(1, Metric("reciproca_limit_refusals_total{limit=\"subscriber_queue_bytes\"}"));

  // Resuming from there gets the rest, no gap.
  auto rest = ReadEvents(admin(), "chapters/rome", last_seq, 3 + kReferrals - last_seq);
  ASSERT_EQ(size_t(3 + kReferrals - last_seq), rest.size());
  EXPECT_EQ(last_seq + 1, rest.front().seq());
}

TEST_F(LimitsTest, Idempotency_ExpiredIdsArePrunedAndNew_UnexpiredSurviveARestart) {
  v1::Referral first, retried;
  {
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(Give(ana_.token, marco_.member.name(), "old", context.get(), &first).ok());
  }
  ASSERT_EQ(1, IdempotencyRows("old"));
  clock_.Advance(hours(24 * 6));
  v1::Referral recent;
  {
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(Give(ana_.token, marco_.member.name(), "recent", context.get(), &recent).ok());
  }
  // A week and a day after "old", two days after "recent"; a restart in between.
  clock_.Advance(hours(24 * 2));
  RestartServer();
  {
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(Give(ana_.token, marco_.member.name(), "recent", context.get(), &retried).ok());
    EXPECT_EQ(recent.name(), retried.name());  // remembered across the restart
  }
  EXPECT_EQ(0, IdempotencyRows("old"));  // pruned from disk
  {
    // Expired: the same request under the same id is a new referral.
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(Give(ana_.token, marco_.member.name(), "old", context.get(), &retried).ok());
    EXPECT_NE(first.name(), retried.name());
  }
  EXPECT_EQ(1, IdempotencyRows("old"));
}

TEST_F(LimitsTest, MutationRate_AnOrganizerRunningAWholeMeetingAtMachineSpeedIsNeverRefused) {
  const NewMember vp = AddMember("rome", "Vera Vice", "Accountant", v1::ROLE_VICE_PRESIDENT);
  std::vector<NewMember> members;
  for (int i = 0; i < 150; ++i) {
    members.push_back(
        AddMember("rome", "Member " + std::to_string(i), "Trade " + std::to_string(i)));
  }
  auto as = As(vp.token);
  // The clock stands still: everything below is one burst.
  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent("chapters/rome");
  *schedule.mutable_start_time() = ToTimestamp(clock_.Now() + std::chrono::minutes(30));
  schedule.set_request_id("schedule");
  v1::Meeting meeting;
  ASSERT_TRUE(Invoke(as, [&](grpc::ClientContext* c) {
                return as.meetings().ScheduleMeeting(c, schedule, &meeting);
              }).ok());
  v1::OpenMeetingRequest open;
  open.set_name(meeting.name());
  open.set_request_id("open");
  ASSERT_TRUE(Invoke(as, [&](grpc::ClientContext* c) {
                return as.meetings().OpenMeeting(c, open, &meeting);
              }).ok());
  for (int i = 0; i < 10; ++i) {
    v1::StartSegmentRequest segment;
    segment.set_name(meeting.name());
    segment.set_title("Segment " + std::to_string(i));
    segment.set_countdown_seconds(60);
    segment.set_request_id("segment-" + std::to_string(i));
    const grpc::Status status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.meetings().StartSegment(c, segment, &meeting);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (const NewMember& member : members) {
    v1::RecordAttendanceRequest record;
    record.set_meeting(meeting.name());
    record.set_member(member.member.name());
    record.set_status(v1::ATTENDANCE_STATUS_PRESENT);
    record.set_request_id("attendance-" + member.member.name());
    v1::Attendance attendance;
    const grpc::Status status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.meetings().RecordAttendance(c, record, &attendance);
    });
    ASSERT_TRUE(status.ok()) << member.member.name() << ": " << status.error_message();
  }
  for (int i = 0; i < 20; ++i) {
    v1::RegisterVisitorRequest visitor;
    visitor.set_meeting(meeting.name());
    visitor.mutable_visitor()->set_display_name("Visitor " + std::to_string(i));
    visitor.mutable_visitor()->set_business("Visit " + std::to_string(i));
    visitor.set_request_id("visitor-" + std::to_string(i));
    v1::Visitor registered;
    const grpc::Status status = Invoke(as, [&](grpc::ClientContext* c) {
      return as.meetings().RegisterVisitor(c, visitor, &registered);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  v1::CloseMeetingRequest close;
  close.set_name(meeting.name());
  close.set_request_id("close");
  ASSERT_TRUE(Invoke(as, [&](grpc::ClientContext* c) {
                return as.meetings().CloseMeeting(c, close, &meeting);
              }).ok());
  EXPECT_EQ(v1::MEETING_STATE_CLOSED, meeting.state());
  EXPECT_EQ(-1, Metric("reciproca_limit_refusals_total{limit=\"mutation_rate\"}"));
}

class PeerCallLimitTest : public LimitsTest {
 protected:
  void SetUp() override {
    listen_ = "[::]:0";  // IPv4 and IPv6 loopback: two client addresses
    max_calls_per_address_ = 4;
    LimitsTest::SetUp();
  }

  client::Client From(const std::string& host, const std::string& token) const {
    client::Options options;
    options.target = host + ":" + std::to_string(server_->port());
    options.token = token;
    return client::Client(options);
  }
};

TEST_F(PeerCallLimitTest, CallsPastTheBoundFromOneAddressAreRefused_OtherAddressesAndHttpAreNot) {
  // Four streams from 127.0.0.1 (the admin's, clear of the per-principal stream limit).
  const client::Client hog = From("127.0.0.1", server_->admin_token());
  v1::SubscribeRequest subscribe;
  subscribe.set_chapter("chapters/rome");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::Event>>> streams;
  for (int i = 0; i < 4; ++i) {
    contexts.push_back(hog.NewContext(/*streaming=*/true));
    contexts.back()->set_deadline(Clock::now() + std::chrono::seconds(60));
    streams.push_back(hog.events().Subscribe(contexts.back().get(), subscribe));
    v1::Event event;
    ASSERT_TRUE(streams.back()->Read(&event)) << "stream " << i;
  }
  SseReader display(server_->http_port(), "/api/events?chapter=chapters/rome&after_seq=3",
                    display_token_);

  // A fifth call from that address, of any kind, is refused, with when to retry.
  const client::Client ana_v4 = From("127.0.0.1", ana_.token);
  v1::GiveReferralRequest give;
  give.set_parent("chapters/rome");
  give.mutable_referral()->set_receiver(marco_.member.name());
  give.mutable_referral()->set_temperature(3);
  give.set_request_id("from-v4");
  v1::Referral out;
  auto refused = ana_v4.NewContext();
  const grpc::Status status = ana_v4.referrals().GiveReferral(refused.get(), give, &out);
  EXPECT_EQ(grpc::StatusCode::RESOURCE_EXHAUSTED, status.error_code());
  EXPECT_NE(status.error_message().find("too many calls in progress from ipv"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find(": at most 4 at once (--max-calls-per-address); close some "
                                        "streams or retry in 1 s"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ("1", Trailer(*refused, "retry-after"));
  auto refused_stream_context = ana_v4.NewContext(/*streaming=*/true);
  auto refused_stream = ana_v4.events().Subscribe(refused_stream_context.get(), subscribe);
  v1::Event event;
  EXPECT_FALSE(refused_stream->Read(&event));
  EXPECT_EQ(grpc::StatusCode::RESOURCE_EXHAUSTED, refused_stream->Finish().error_code());

  // Marco on ::1 is another address: his write goes through, and the display (over HTTP: the
  // gateway's own calls are not counted) and the hog's streams see it.
  const client::Client marco_v6 = From("[::1]", marco_.token);
  give.mutable_referral()->set_receiver(ana_.member.name());
  give.set_request_id("from-v6");
  auto v6 = marco_v6.NewContext();
  const grpc::Status accepted = marco_v6.referrals().GiveReferral(v6.get(), give, &out);
  ASSERT_TRUE(accepted.ok()) << accepted.error_message();
  auto frame = display.NextEvent();
  ASSERT_TRUE(frame);
  EXPECT_EQ("4", frame->id);
  for (auto& stream : streams) {
    v1::Event seen;
    for (int64_t seq = 2; seq <= 4; ++seq) {
      ASSERT_TRUE(stream->Read(&seen));
    }
    EXPECT_EQ(4, seen.seq());
  }
  // Ana over HTTP is not refused either.
  const auto reply =
      HttpPost(server_->http_port(), "/api/reciproca.v1.ReferralService/GiveReferral",
               R"({"parent":"chapters/rome","requestId":"over-http","referral":{"receiver":")" +
                   marco_.member.name() + R"(","temperature":3}})",
               ana_.token);
  EXPECT_EQ(200, reply.status) << reply.body;
  EXPECT_EQ(2, Metric("reciproca_limit_refusals_total{limit=\"grpc_calls_per_address\"}"));

  // Once one of the hog's streams ends, 127.0.0.1 may call again.
  give.mutable_referral()->set_receiver(marco_.member.name());
  contexts.front()->TryCancel();
  streams.front()->Finish();
  grpc::Status again;
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto context = ana_v4.NewContext();
    give.set_request_id("from-v4-later");
    again = ana_v4.referrals().GiveReferral(context.get(), give, &out);
    if (again.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(again.ok()) << again.error_message();
  for (size_t i = 1; i < contexts.size(); ++i) {
    contexts[i]->TryCancel();
    streams[i]->Finish();
  }
}

}  // namespace
}  // namespace reciproca::testing
