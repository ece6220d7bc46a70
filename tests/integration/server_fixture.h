#pragma once

// A real reciprocad (the library the binary is made of) on 127.0.0.1:0 with a fresh data
// directory per test, and clients that talk to it over loopback with the real client library.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "client/lib/client.h"
#include "server/app/server.h"
#include "server/engine/clock.h"

namespace reciproca::testing {

// Where the build puts the test plugins (tests/plugins/: counting, hostile, ...).
inline const std::string kPluginDir = RECIPROCA_TEST_PLUGIN_DIR;
// The test plugins the integration tests load most (tests/plugins/).
inline const std::string kCounting = kPluginDir + "/counting_v1.so";
inline const std::string kContacts = kPluginDir + "/counting_contacts.so";
inline const std::string kHostile = kPluginDir + "/hostile.so";

using Clock = std::chrono::system_clock;

inline google::protobuf::Timestamp ToTimestamp(Clock::time_point t) {
  google::protobuf::Timestamp ts;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  ts.set_seconds(micros.count() / 1000000);
  ts.set_nanos(static_cast<int>(micros.count() % 1000000) * 1000);
  return ts;
}

// One unary call as `as`, with a fresh context: Invoke(client, [&](auto* c) { return ...; }).
template <class Call>
grpc::Status Invoke(const client::Client& as, Call call) {
  auto context = as.NewContext();
  return call(context.get());
}

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("reciproca-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct NewMember {
  v1::Member member;
  std::string token;
};

class ServerTest : public ::testing::Test {
 protected:
  // 2026-12-01T06:30:00Z, a Tuesday before a 07:00 meeting.
  static constexpr int64_t kStartSeconds = 1796106600;

  void SetUp() override { StartServer(); }
  void TearDown() override { StopServer(); }

  void StartServer() {
    api::ServerOptions options;
    options.listen = listen_;
    options.data_dir = dir_.path().string();
    options.store = store_;
    options.clock = &clock_;
    options.feed_ring_capacity = feed_ring_capacity_;
    options.plugins = plugins_;
    options.plugin_dirs = plugin_dirs_;
    options.http = http_;
    options.max_streams_per_principal = max_streams_per_principal_;
    options.max_calls_per_address = max_calls_per_address_;
    options.limits = limits_;
    options.plugin_tick_interval = std::chrono::milliseconds(0);  // tests tick by hand
    options.plugin_snapshot_every_events = plugin_snapshot_every_events_;
    options.push = push_;
    auto started = api::Server::Start(options);
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(started).value();
    client::Options client_options;
    client_options.target = "127.0.0.1:" + std::to_string(server_->port());
    client_options.token = server_->admin_token();
    admin_ = std::make_unique<client::Client>(client_options);
  }

  void StopServer() {
    admin_.reset();
    server_.reset();
  }

  void RestartServer() {
    StopServer();
    StartServer();
  }

  client::Client& admin() { return *admin_; }
  client::Client As(const std::string& token) const { return admin_->WithToken(token); }

  // Creates chapters/{id}; returns the display token.
  std::string CreateChapter(const std::string& id) {
    v1::CreateChapterRequest request;
    request.set_chapter_id(id);
    request.mutable_chapter()->set_display_name("Chapter " + id);
    request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
    request.mutable_chapter()->set_meeting_time("07:00");
    request.mutable_chapter()->set_time_zone("Europe/Rome");
    request.mutable_chapter()->set_currency("EUR");
    request.set_request_id("create-" + id);
    v1::CreateChapterResponse response;
    auto context = admin().NewContext();
    auto status = admin().chapters().CreateChapter(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.display_token();
  }

  NewMember AddMember(const std::string& chapter_id, const std::string& name,
                      const std::string& category, v1::Role role = v1::ROLE_MEMBER) {
    v1::CreateMemberRequest request;
    request.set_parent("chapters/" + chapter_id);
    request.mutable_member()->set_display_name(name);
    request.mutable_member()->set_business(name + " Ltd");
    request.mutable_member()->set_category(category);
    request.mutable_member()->set_role(role);
    request.set_request_id(client::Client::NewRequestId());
    v1::CreateMemberResponse response;
    auto context = admin().NewContext();
    auto status = admin().members().CreateMember(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.member(), response.access_token()};
  }

  grpc::Status GiveReferral(const client::Client& as, const std::string& chapter_id,
                            const std::string& receiver, int temperature,
                            v1::Referral* out = nullptr,
                            std::string request_id = client::Client::NewRequestId()) {
    v1::GiveReferralRequest request;
    request.set_parent("chapters/" + chapter_id);
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(temperature);
    request.mutable_referral()->set_kind(v1::REFERRAL_KIND_INSIDE);
    request.set_request_id(std::move(request_id));
    v1::Referral response;
    auto context = as.NewContext();
    auto status = as.referrals().GiveReferral(context.get(), request, &response);
    if (out) {
      *out = response;
    }
    return status;
  }

  // The member leaves the chapter (as the admin); returns the member as it is now.
  v1::Member RemoveMember(const std::string& name) {
    v1::RemoveMemberRequest request;
    request.set_name(name);
    request.set_request_id("remove-" + name);
    v1::Member removed;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().members().RemoveMember(c, request, &removed);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return removed;
  }

  // The chapter, read as the admin.
  v1::Chapter GetChapter(const std::string& name) {
    v1::GetChapterRequest request;
    request.set_name(name);
    v1::Chapter chapter;
    auto status = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().chapters().GetChapter(c, request, &chapter);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return chapter;
  }

  // The plugin outputs recorded in the chapter's log, in order.
  std::vector<v1::Event> RecordedOutputs(const std::string& chapter) {
    std::vector<v1::Event> outputs;
    for (auto& e : ReadEvents(admin(), chapter, 0, GetChapter(chapter).last_seq())) {
      if (e.has_plugin_output()) {
        outputs.push_back(std::move(e));
      }
    }
    return outputs;
  }

  // Reads events of a chapter after `after_seq` until `count` arrived (or the deadline).
  std::vector<v1::Event> ReadEvents(const client::Client& as, const std::string& chapter,
                                    int64_t after_seq, size_t count,
                                    std::chrono::seconds deadline = std::chrono::seconds(10)) {
    auto context = as.NewContext(/*streaming=*/true);
    context->set_deadline(Clock::now() + deadline);
    v1::SubscribeRequest request;
    request.set_chapter(chapter);
    request.set_after_seq(after_seq);
    auto reader = as.events().Subscribe(context.get(), request);
    std::vector<v1::Event> events;
    v1::Event event;
    while (events.size() < count && reader->Read(&event)) {
      events.push_back(event);
    }
    context->TryCancel();
    reader->Finish();
    return events;
  }

  TempDir dir_;
  // --store: "" for SQLite in dir_, or a PostgreSQL URI.
  std::string store_;
  size_t feed_ring_capacity_ = 4096;
  std::vector<plugins::PluginSpec> plugins_;
  // Where LoadPlugin may load from: the test plugins, and a folder tests put builds into.
  std::vector<std::string> plugin_dirs_ = {
#ifdef RECIPROCA_TEST_PLUGIN_DIR
      RECIPROCA_TEST_PLUGIN_DIR,
#endif
      (dir_.path() / "plugins").string()};
  int64_t plugin_snapshot_every_events_ = api::ServerOptions().plugin_snapshot_every_events;
  size_t max_streams_per_principal_ = api::ServerOptions().max_streams_per_principal;
  size_t max_calls_per_address_ = api::ServerOptions().max_calls_per_address;
  // "[::]:0" serves IPv6 and IPv4 loopback: two client addresses on one machine.
  std::string listen_ = "127.0.0.1:0";
  // Set http_.listen to serve the HTTP gateway too.
  http::GatewayOptions http_;
  // The defaults, but no mutation rate limit: tests write far faster than people, on a clock that
  // stands still. limits_test.cc tests the limits themselves.
  engine::Limits limits_ = [] {
    engine::Limits limits;
    limits.mutations_per_second = 0;
    return limits;
  }();
  // Web Push (push_test.cc sets a CA, a fast poll and retries).
  push::PushOptions push_;
  engine::ManualClock clock_{Clock::time_point(std::chrono::seconds(kStartSeconds))};
  std::unique_ptr<api::Server> server_;
  std::unique_ptr<client::Client> admin_;
};

}  // namespace reciproca::testing
