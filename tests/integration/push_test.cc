// Web Push end to end (docs/push.md): a push service started by the test on 127.0.0.1 over HTTPS
// (tests/push/push_endpoint.mjs, certificates from deploy/make-certs.sh, trusted through
// --push-ca-file) decrypts every message with npm's http_ece and verifies its VAPID JWT with
// jose: implementations independent of the server's OpenSSL code. The payloads of "a referral
// for you", "you were thanked" and "the meeting is about to start" are asserted; a 410 drops the
// subscription and a 500 is retried.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "reciproca/v1/push_service.grpc.pb.h"
#include "tests/integration/error_reason.h"
#include "tests/integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using nlohmann::json;

const std::string kPushSourceDir = std::string(RECIPROCA_SOURCE_DIR) + "/tests/push";

class PushTest : public ServerTest {
 protected:
  void SetUp() override {
    // The endpoint's tools must be there: deploy/setup.sh installs node and runs npm ci in
    // tests/push. Missing, the test fails (it never skips).
    ASSERT_EQ(0, std::system("node --version >/dev/null 2>&1"))
        << "node is missing: run deploy/setup.sh (it installs nodejs)";
    ASSERT_TRUE(std::filesystem::exists(kPushSourceDir + "/node_modules/http_ece") &&
                std::filesystem::exists(kPushSourceDir + "/node_modules/jose"))
        << "http_ece and jose are missing: run deploy/setup.sh (npm ci in tests/push)";
    const std::filesystem::path tls = dir_.path() / "push-tls";
    const std::string make = std::string("bash ") + RECIPROCA_MAKE_CERTS + " --dir " +
                             tls.string() + " 127.0.0.1 >/dev/null 2>&1";
    ASSERT_EQ(0, std::system(make.c_str()));
    received_ = dir_.path() / "received.jsonl";
    StartEndpoint(tls / "server.crt", tls / "server.key", {"ok", "gone", "flaky"});

    push_.extra_ca_file = (tls / "ca.crt").string();
    push_.poll_interval = std::chrono::milliseconds(50);
    push_.first_retry = std::chrono::milliseconds(100);
    push_.rules.meeting_lead = std::chrono::minutes(15);
    StartServer();
    CreateChapter("push");
  }

  void TearDown() override {
    StopServer();
    if (endpoint_pid_ > 0) {
      kill(endpoint_pid_, SIGTERM);
      waitpid(endpoint_pid_, nullptr, 0);
    }
  }

  void StartEndpoint(const std::filesystem::path& cert, const std::filesystem::path& key,
                     const std::vector<std::string>& modes) {
    int out[2];
    ASSERT_EQ(0, pipe(out));
    endpoint_pid_ = fork();
    ASSERT_GE(endpoint_pid_, 0);
    if (endpoint_pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> args = {"node", kPushSourceDir + "/push_endpoint.mjs", cert.string(),
                                       key.string(), received_.string()};
      args.insert(args.end(), modes.begin(), modes.end());
      std::vector<char*> argv;
      for (std::string& a : args) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      execvp("node", argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') {
      line.push_back(c);
    }
    close(out[0]);
    ASSERT_FALSE(line.empty()) << "the push endpoint did not start";
    const json started = json::parse(line);
    origin_ = "https://127.0.0.1:" + std::to_string(started["port"].get<int>());
    for (const json& s : started["subscriptions"]) {
      subscriptions_[s["mode"].get<std::string>()] = s;
    }
  }

  std::unique_ptr<v1::PushService::Stub> Push() {
    return v1::PushService::NewStub(admin().channel());
  }

  grpc::Status Subscribe(const std::string& token, const json& subscription,
                         std::vector<v1::PushKind> kinds, v1::PushSettings* settings) {
    v1::SubscribePushRequest request;
    request.set_chapter("chapters/push");
    request.set_endpoint(subscription["endpoint"].get<std::string>());
    request.set_p256dh(subscription["p256dh"].get<std::string>());
    request.set_auth(subscription["auth"].get<std::string>());
    for (v1::PushKind kind : kinds) {
      request.add_kinds(kind);
    }
    auto as = As(token);
    auto context = as.NewContext();
    return Push()->SubscribePush(context.get(), request, settings);
  }

  v1::PushSettings Settings(const std::string& token) {
    v1::GetPushSettingsRequest request;
    request.set_chapter("chapters/push");
    v1::PushSettings settings;
    auto as = As(token);
    auto context = as.NewContext();
    grpc::Status status = Push()->GetPushSettings(context.get(), request, &settings);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return settings;
  }

  // The pushes the endpoint received, waiting until `count` arrived (or 10 s passed).
  std::vector<json> Received(size_t count) {
    std::vector<json> lines;
    for (int i = 0; i < 200; ++i) {
      lines.clear();
      std::ifstream in(received_);
      for (std::string line; std::getline(in, line);) {
        lines.push_back(json::parse(line));
      }
      if (lines.size() >= count) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return lines;
  }

  pid_t endpoint_pid_ = -1;
  std::filesystem::path received_;
  std::string origin_;
  std::map<std::string, json> subscriptions_;
};

TEST_F(PushTest, Referral_ReachesTheReceiversPhoneEncryptedAndSignedWithVapid) {
  NewMember ana = AddMember("push", "Ana Rossi", "Lawyer");
  NewMember bea = AddMember("push", "Bea Verdi", "Plumber");
  v1::PushSettings settings;
  grpc::Status status = Subscribe(bea.token, subscriptions_["ok"], {}, &settings);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(settings.enabled());
  EXPECT_EQ(1, settings.subscriptions());
  EXPECT_EQ(5, settings.kinds_size());                       // none chosen: every kind
  EXPECT_EQ(87u, settings.application_server_key().size());  // 65 bytes, base64url

  ASSERT_TRUE(GiveReferral(As(ana.token), "push", bea.member.name(), 4).ok());

  std::vector<json> pushes = Received(1);
  ASSERT_EQ(1u, pushes.size());
  const json& push = pushes[0];
  ASSERT_FALSE(push.contains("error")) << push.dump();
  EXPECT_EQ(201, push["status"]);
  EXPECT_EQ("referral", push["payload"]["kind"]);
  EXPECT_EQ("A referral for you", push["payload"]["title"]);
  EXPECT_EQ("Ana Rossi passed you a referral (temperature 4 of 5). Open Reciproca to call.",
            push["payload"]["body"]);
  EXPECT_EQ("/app/", push["payload"]["url"]);
  // The JWT verified with the server's own public key, for this endpoint's origin.
  EXPECT_EQ(settings.application_server_key(), push["vapidKey"]);
  EXPECT_EQ(origin_, push["aud"]);
  EXPECT_EQ("high", push["urgency"]);
  EXPECT_GT(push["ttl"].get<int>(), 0);
  // The subscription is a secret: no event the phones and the display read carries it.
  for (const v1::Event& e :
       ReadEvents(admin(), "chapters/push", 0, GetChapter("chapters/push").last_seq())) {
    EXPECT_EQ(std::string::npos,
              e.SerializeAsString().find(subscriptions_["ok"]["auth"].get<std::string>()));
    EXPECT_EQ(std::string::npos, e.DebugString().find(origin_));
  }
}

TEST_F(PushTest, ThankYou_CarriesTheAmountAndA500IsRetried) {
  NewMember ana = AddMember("push", "Ana Rossi", "Lawyer");
  NewMember dan = AddMember("push", "Dan Neri", "Baker");
  v1::PushSettings settings;
  ASSERT_TRUE(
      Subscribe(dan.token, subscriptions_["flaky"], {v1::PUSH_KIND_THANKED}, &settings).ok());
  ASSERT_EQ(1, settings.kinds_size());
  // Not chosen: Dan hears nothing of a referral.
  ASSERT_TRUE(GiveReferral(As(ana.token), "push", dan.member.name(), 3).ok());

  v1::RecordThankYouRequest request;
  request.set_parent("chapters/push");
  request.mutable_thank_you()->set_to_member(dan.member.name());
  request.mutable_thank_you()->mutable_amount()->set_currency("EUR");
  request.mutable_thank_you()->mutable_amount()->set_amount("1250.00");
  request.set_request_id("thanks-1");
  v1::ThankYou thank_you;
  auto as_ana = As(ana.token);
  auto context = as_ana.NewContext();
  grpc::Status status = as_ana.referrals().RecordThankYou(context.get(), request, &thank_you);
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::vector<json> first = Received(1);
  ASSERT_EQ(1u, first.size());
  EXPECT_EQ(500, first[0]["status"]) << first[0].dump();
  // The retry is due 100 ms later on the server's clock.
  clock_.Advance(std::chrono::seconds(1));
  std::vector<json> pushes = Received(2);
  ASSERT_EQ(2u, pushes.size());
  for (const json& push : pushes) {
    ASSERT_FALSE(push.contains("error")) << push.dump();
    EXPECT_EQ("thanked", push["payload"]["kind"]);
    EXPECT_EQ("Ana Rossi thanked you for 1250.00 EUR of closed business.", push["payload"]["body"]);
  }
  EXPECT_EQ(201, pushes[1]["status"]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(2u, Received(2).size());  // delivered once: no third send
}

TEST_F(PushTest, MeetingAboutToStart_ReachesEveryoneAndA410DropsTheSubscription) {
  NewMember bea = AddMember("push", "Bea Verdi", "Plumber");
  NewMember carla = AddMember("push", "Carla Blu", "Florist");
  v1::PushSettings settings;
  ASSERT_TRUE(Subscribe(bea.token, subscriptions_["ok"], {}, &settings).ok());
  ASSERT_TRUE(Subscribe(carla.token, subscriptions_["gone"], {}, &settings).ok());
  EXPECT_EQ(1, Settings(carla.token).subscriptions());

  v1::ScheduleMeetingRequest request;
  request.set_parent("chapters/push");
  *request.mutable_start_time() = ToTimestamp(
      Clock::time_point(std::chrono::seconds(kStartSeconds)) + std::chrono::minutes(10));
  request.set_request_id("meeting-1");
  v1::Meeting meeting;
  auto context = admin().NewContext();
  grpc::Status status = admin().meetings().ScheduleMeeting(context.get(), request, &meeting);
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::vector<json> pushes = Received(2);
  ASSERT_EQ(2u, pushes.size());
  for (const json& push : pushes) {
    ASSERT_FALSE(push.contains("error")) << push.dump();
    EXPECT_EQ("meeting_soon", push["payload"]["kind"]);
    EXPECT_EQ("The meeting is about to start", push["payload"]["title"]);
    EXPECT_EQ("Chapter push starts in 10 minutes.", push["payload"]["body"]);
    EXPECT_LE(push["ttl"].get<int>(), 600);
  }
  // 410: Carla's subscription is gone; Bea's stays.
  for (int i = 0; i < 100 && Settings(carla.token).subscriptions() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(0, Settings(carla.token).subscriptions());
  EXPECT_EQ(1, Settings(bea.token).subscriptions());
}

TEST_F(PushTest, Subscribe_RefusesWhatNoBrowserSendsWithAReason) {
  NewMember bea = AddMember("push", "Bea Verdi", "Plumber");
  json bad = subscriptions_["ok"];
  bad["endpoint"] = "http://127.0.0.1/push/x";
  v1::PushSettings settings;
  grpc::Status status = Subscribe(bea.token, bad, {}, &settings);
  EXPECT_EQ(grpc::StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ("PUSH_ENDPOINT_INVALID", ReasonOf(status));

  bad = subscriptions_["ok"];
  bad["p256dh"] = "BAAA";
  status = Subscribe(bea.token, bad, {}, &settings);
  EXPECT_EQ(grpc::StatusCode::INVALID_ARGUMENT, status.error_code());
  EXPECT_EQ("PUSH_KEY_INVALID", ReasonOf(status));
  EXPECT_NE(std::string::npos, status.error_message().find("p256dh"));

  bad = subscriptions_["ok"];
  bad["auth"] = "c2hvcnQ";
  status = Subscribe(bea.token, bad, {}, &settings);
  EXPECT_EQ("PUSH_KEY_INVALID", ReasonOf(status));

  status = Subscribe(admin().options().token, subscriptions_["ok"], {}, &settings);
  EXPECT_EQ(grpc::StatusCode::PERMISSION_DENIED, status.error_code());
  EXPECT_EQ("PUSH_MEMBERS_ONLY", ReasonOf(status));
  // Anyone of the chapter reads the key (the page asks before the member subscribes).
  EXPECT_EQ(87u, Settings(admin().options().token).application_server_key().size());
}

TEST_F(PushTest, VapidKey_IsKeptAcrossRestarts) {
  const std::string before = Settings(admin().options().token).application_server_key();
  RestartServer();
  EXPECT_EQ(before, Settings(admin().options().token).application_server_key());
  EXPECT_EQ(std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
            std::filesystem::status(dir_.path() / "vapid.key").permissions());
}

}  // namespace
}  // namespace reciproca::testing
