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

  // The test's clock stands still: Ana's bucket holds the burst (100) and refills nothing.
  for (int i = 0; i < 100; ++i) {
    v1::Referral out;
    auto context = As(ana_.token).NewContext();
    ASSERT_TRUE(
        Give(ana_.token, marco_.member.name(), "a" + std::to_string(i), context.get(), &out).ok())
        << "mutation " << i;
  }
  v1::Referral out;
  auto refused = As(ana_.token).NewContext();
  grpc::Status status = Give(ana_.token, marco_.member.name(), "a100", refused.get(), &out);
  EXPECT_EQ(StatusCode::RESOURCE_EXHAUSTED, status.error_code());
  EXPECT_EQ("too many changes from " + ana_.member.name() +
                ": at most 100 at once and 20 a second; retry in 1 s",
            status.error_message());
  EXPECT_EQ("1", Trailer(*refused, "retry-after"));

  // Marco is not Ana: his writes go through.
  auto marco_context = As(marco_.token).NewContext();
  ASSERT_TRUE(Give(marco_.token, ana_.member.name(), "m0", marco_context.get(), &out).ok());

  // Over HTTP the refusal is 429.
  const auto reply =
      HttpPost(server_->http_port(), "/api/reciproca.v1.ReferralService/GiveReferral",
               R"({"parent":"chapters/rome","requestId":"a101","referral":{)"
               R"("receiver":")" +
                   marco_.member.name() + R"(","temperature":3}})",
               ana_.token);
  EXPECT_EQ(429, reply.status) << reply.body;
  EXPECT_NE(reply.body.find("\"RESOURCE_EXHAUSTED\""), std::string::npos) << reply.body;
  EXPECT_EQ(2, Metric("reciproca_limit_refusals_total{limit=\"mutation_rate\"}"));

  // The display lost nothing: the log so far (3), Ana's 100 and Marco's one, in order.
  v1::Event event;
  for (int64_t seq = 1; seq <= 104; ++seq) {
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
  // Never read while the chapter moves on: gRPC's flow control fills, then writes stop.
  auto stalled_context = admin().NewContext(/*streaming=*/true);
  stalled_context->set_deadline(Clock::now() + std::chrono::seconds(120));
  auto stalled = admin().events().Subscribe(stalled_context.get(), request);

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

}  // namespace
}  // namespace reciproca::testing
