// Several replicas on one PostgreSQL (docs/storage.md): two servers writing one chapter at the
// same time keep its seq contiguous and lose nothing; a subscriber of one sees what the other
// committed, in order, and resumes; a request retried on the other replica gets the first
// answer; plugin outputs are recorded once whichever replica computes them; a replica killed
// with SIGKILL under load loses no acknowledged write and the other keeps serving.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "integration/server_fixture.h"
#include "support/postgres_cluster.h"
#include "support/reciprocad_process.h"

namespace reciproca::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Replica A is the fixture's server; replica B a second Server on the same database.
class PostgresReplicasTest : public ServerTest {
 protected:
  void SetUp() override {
    std::string why;
    PostgresCluster* cluster = PostgresCluster::Shared(&why);
    ASSERT_NE(nullptr, cluster) << why;
    store_ = cluster->CreateDatabase(&why);
    ASSERT_FALSE(store_.empty()) << why;
    ServerTest::SetUp();
    StartReplicaB();
  }

  void TearDown() override {
    admin_b_.reset();
    replica_b_.reset();
    ServerTest::TearDown();
  }

  void StartReplicaB() {
    api::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_b_.path().string();
    options.store = store_;
    options.clock = &clock_;
    options.plugins = plugins_;
    options.plugin_tick_interval = milliseconds(0);
    auto started = api::Server::Start(options);
    ASSERT_TRUE(started.ok()) << started.error().message;
    replica_b_ = std::move(started).value();
    client::Options client_options;
    client_options.target = "127.0.0.1:" + std::to_string(replica_b_->port());
    client_options.token = replica_b_->admin_token();
    admin_b_ = std::make_unique<client::Client>(client_options);
  }

  client::Client& admin_b() { return *admin_b_; }
  client::Client OnB(const std::string& token) const { return admin_b_->WithToken(token); }

  // The chapter as replica B sees it, once it has caught up to `seq`.
  bool BKnows(const std::string& chapter, int64_t seq) {
    return Eventually([&] {
      v1::GetChapterRequest request;
      request.set_name(chapter);
      v1::Chapter seen;
      auto status = Invoke(admin_b(), [&](grpc::ClientContext* c) {
        return admin_b().chapters().GetChapter(c, request, &seen);
      });
      return status.ok() && seen.last_seq() >= seq;
    });
  }

  // Every event of the chapter, read through `as`'s replica; checks seqs are 1, 2, 3, ...
  std::vector<v1::Event> WholeLog(const client::Client& as, const std::string& chapter,
                                  int64_t last_seq) {
    std::vector<v1::Event> events = ReadEvents(as, chapter, 0, static_cast<size_t>(last_seq));
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(static_cast<int64_t>(i) + 1, events[i].seq()) << "gap or duplicate at " << i;
    }
    return events;
  }

  TempDir dir_b_;
  std::unique_ptr<api::Server> replica_b_;
  std::unique_ptr<client::Client> admin_b_;
};

TEST_F(PostgresReplicasTest, BothReplicasShareTheAdminTokenAndSeeChaptersTheOtherCreated) {
  EXPECT_EQ(server_->admin_token(), replica_b_->admin_token());
  CreateChapter("rome");
  EXPECT_TRUE(BKnows("chapters/rome", 1));
  v1::ListChaptersResponse list;
  auto status = Invoke(admin_b(), [&](grpc::ClientContext* c) {
    return admin_b().chapters().ListChapters(c, {}, &list);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(1, list.chapters_size());
  EXPECT_EQ("chapters/rome", list.chapters(0).name());

  // A member made on A can use its token on B (the token reached B with the catch-up).
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  EXPECT_TRUE(Eventually([&] {
    v1::WhoAmIResponse who;
    auto client = OnB(ana.token);
    return Invoke(client,
                  [&](grpc::ClientContext* c) { return client.chapters().WhoAmI(c, {}, &who); })
        .ok();
  }));
}

TEST_F(PostgresReplicasTest, TwoReplicasWritingOneChapter_KeepSeqContiguousAndLoseNothing) {
  CreateChapter("rome");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  ASSERT_TRUE(BKnows("chapters/rome", GetChapter("chapters/rome").last_seq()));

  constexpr int kPerWriter = 40;
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> failures{0};
  auto writer = [&](client::Client as, const std::string& receiver, const std::string& prefix) {
    for (int i = 0; i < kPerWriter; ++i) {
      v1::Referral referral;
      grpc::Status status =
          GiveReferral(as, "rome", receiver, 3, &referral, prefix + std::to_string(i));
      if (!status.ok()) {
        ADD_FAILURE() << prefix << i << ": " << status.error_message();
        ++failures;
        continue;
      }
      std::lock_guard lock(mu);
      EXPECT_TRUE(acknowledged.insert(referral.name()).second) << "duplicate " << referral.name();
    }
  };
  // Ana gives on A, Marco on B, at the same time, each a few in flight.
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back(writer, As(ana.token), marco.member.name(), "a" + std::to_string(t) + "-");
    threads.emplace_back(writer, OnB(marco.token), ana.member.name(),
                         "b" + std::to_string(t) + "-");
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(0, failures.load());
  ASSERT_EQ(static_cast<size_t>(4 * kPerWriter), acknowledged.size());

  const int64_t last_seq = GetChapter("chapters/rome").last_seq();
  ASSERT_TRUE(BKnows("chapters/rome", last_seq));
  for (client::Client* as : {&admin(), &admin_b()}) {
    std::vector<v1::Event> log = WholeLog(*as, "chapters/rome", last_seq);
    ASSERT_EQ(static_cast<size_t>(last_seq), log.size());
    std::set<std::string> given;
    for (const auto& event : log) {
      if (event.has_referral_given()) {
        EXPECT_TRUE(given.insert(event.referral_given().referral().name()).second);
      }
    }
    EXPECT_EQ(acknowledged, given);
  }
}

TEST_F(PostgresReplicasTest, SubscriberOnB_SeesWhatACommitted_InOrderQuickly_AndResumes) {
  CreateChapter("rome");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  const int64_t start_seq = GetChapter("chapters/rome").last_seq();
  ASSERT_TRUE(BKnows("chapters/rome", start_seq));

  auto context = admin_b().NewContext(/*streaming=*/true);
  context->set_deadline(Clock::now() + std::chrono::seconds(30));
  v1::SubscribeRequest request;
  request.set_chapter("chapters/rome");
  request.set_after_seq(start_seq);
  auto reader = admin_b().events().Subscribe(context.get(), request);

  // Each referral is acknowledged by A, then must arrive on B's stream.
  constexpr int kFirst = 10;
  std::vector<milliseconds> delays;
  int64_t last_seen = start_seq;
  for (int i = 0; i < kFirst; ++i) {
    v1::Referral referral;
    ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 4, &referral).ok());
    const auto acknowledged = steady_clock::now();
    v1::Event event;
    ASSERT_TRUE(reader->Read(&event));
    delays.push_back(std::chrono::duration_cast<milliseconds>(steady_clock::now() - acknowledged));
    EXPECT_EQ(last_seen + 1, event.seq());
    last_seen = event.seq();
    ASSERT_TRUE(event.has_referral_given());
    EXPECT_EQ(referral.name(), event.referral_given().referral().name());
  }
  context->TryCancel();
  reader->Finish();
  std::sort(delays.begin(), delays.end());
  EXPECT_LE(delays[delays.size() / 2], milliseconds(100)) << "median delay from A to B";
  EXPECT_LE(delays.back(), milliseconds(1000)) << "slowest delay from A to B";

  // Disconnected, A goes on; resuming on B from the last seq seen gets exactly the rest.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 2).ok());
  }
  std::vector<v1::Event> rest = ReadEvents(admin_b(), "chapters/rome", last_seen, 5);
  ASSERT_EQ(5u, rest.size());
  for (const auto& event : rest) {
    EXPECT_EQ(++last_seen, event.seq());
  }
}

TEST_F(PostgresReplicasTest, RequestRetriedOnTheOtherReplica_GetsTheFirstAnswer) {
  CreateChapter("rome");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  ASSERT_TRUE(BKnows("chapters/rome", GetChapter("chapters/rome").last_seq()));

  // Given on A; the answer was lost; the phone retries on B right away.
  v1::Referral first;
  ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 5, &first, "ref-1").ok());
  v1::Referral retried;
  grpc::Status status =
      GiveReferral(OnB(ana.token), "rome", marco.member.name(), 5, &retried, "ref-1");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.name(), retried.name());
  EXPECT_EQ(first.SerializeAsString(), retried.SerializeAsString());

  // A member created on B, retried on A: the same member and the same token.
  v1::CreateMemberRequest create;
  create.set_parent("chapters/rome");
  create.mutable_member()->set_display_name("Lia Verdi");
  create.mutable_member()->set_business("Verdi Srl");
  create.mutable_member()->set_category("Lawyer");
  create.mutable_member()->set_role(v1::ROLE_MEMBER);
  create.set_request_id("member-lia");
  v1::CreateMemberResponse on_b;
  v1::CreateMemberResponse on_a;
  ASSERT_TRUE(Invoke(admin_b(), [&](grpc::ClientContext* c) {
                return admin_b().members().CreateMember(c, create, &on_b);
              }).ok());
  status = Invoke(admin(), [&](grpc::ClientContext* c) {
    return admin().members().CreateMember(c, create, &on_a);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(on_b.member().name(), on_a.member().name());
  EXPECT_EQ(on_b.access_token(), on_a.access_token());

  // The same request_id for something else is refused on either replica.
  status = GiveReferral(OnB(ana.token), "rome", marco.member.name(), 1, nullptr, "ref-1");
  EXPECT_EQ(grpc::StatusCode::INVALID_ARGUMENT, status.error_code()) << status.error_message();

  // Recorded once: one referral, one member Lia.
  const int64_t last_seq = GetChapter("chapters/rome").last_seq();
  ASSERT_TRUE(BKnows("chapters/rome", last_seq));
  int referrals = 0;
  int members = 0;
  for (const auto& event : WholeLog(admin_b(), "chapters/rome", last_seq)) {
    referrals += event.has_referral_given() ? 1 : 0;
    members += event.has_member_added() ? 1 : 0;
  }
  EXPECT_EQ(1, referrals);
  EXPECT_EQ(3, members);
}

TEST_F(PostgresReplicasTest, OneChapterIdCreatedOnBothReplicasAtOnce_ExistsOnce) {
  v1::CreateChapterRequest request;
  request.set_chapter_id("oslo");
  request.mutable_chapter()->set_display_name("Oslo");
  request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
  request.mutable_chapter()->set_meeting_time("07:00");
  request.mutable_chapter()->set_time_zone("Europe/Oslo");
  request.mutable_chapter()->set_currency("NOK");
  v1::CreateChapterRequest on_b_request = request;
  request.set_request_id("create-oslo-a");
  on_b_request.set_request_id("create-oslo-b");
  grpc::Status on_a;
  grpc::Status on_b;
  std::thread a([&] {
    v1::CreateChapterResponse response;
    on_a = Invoke(admin(), [&](grpc::ClientContext* c) {
      return admin().chapters().CreateChapter(c, request, &response);
    });
  });
  std::thread b([&] {
    v1::CreateChapterResponse response;
    on_b = Invoke(admin_b(), [&](grpc::ClientContext* c) {
      return admin_b().chapters().CreateChapter(c, on_b_request, &response);
    });
  });
  a.join();
  b.join();
  // One of them created it; the other was told it exists (or, if it came second, the same).
  EXPECT_TRUE(on_a.ok() || on_b.ok());
  for (const grpc::Status& status : {on_a, on_b}) {
    if (!status.ok()) {
      EXPECT_EQ(grpc::StatusCode::ALREADY_EXISTS, status.error_code()) << status.error_message();
    }
  }
  ASSERT_TRUE(BKnows("chapters/oslo", 1));
  EXPECT_EQ(1, GetChapter("chapters/oslo").last_seq());
}

class PostgresReplicasPluginTest : public PostgresReplicasTest {
 protected:
  void SetUp() override {
    plugins_ = {{"counting", std::string(RECIPROCA_TEST_PLUGIN_DIR) + "/counting_v1.so", ""}};
    PostgresReplicasTest::SetUp();
  }
};

TEST_F(PostgresReplicasPluginTest, PluginOutputsAreRecordedOnceWhicheverReplicaComputesThem) {
  CreateChapter("rome");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  ASSERT_TRUE(BKnows("chapters/rome", GetChapter("chapters/rome").last_seq()));
  // Both replicas' counting plugins see every referral and each emits a reminder for it.
  constexpr int kReferrals = 6;
  for (int i = 0; i < kReferrals; ++i) {
    client::Client as = i % 2 == 0 ? As(ana.token) : OnB(ana.token);
    ASSERT_TRUE(GiveReferral(as, "rome", marco.member.name(), 3).ok());
  }
  auto outputs = [&] {
    std::map<std::string, int> by_key;
    const int64_t last_seq = GetChapter("chapters/rome").last_seq();
    for (const auto& event :
         ReadEvents(admin(), "chapters/rome", 0, static_cast<size_t>(last_seq))) {
      if (event.has_plugin_output()) {
        ++by_key[event.plugin_output().output().key()];
      }
    }
    return by_key;
  };
  ASSERT_TRUE(Eventually([&] { return outputs().size() == kReferrals; }));
  EXPECT_TRUE(server_->plugin_host().WaitIdle(std::chrono::seconds(20)));
  EXPECT_TRUE(replica_b_->plugin_host().WaitIdle(std::chrono::seconds(20)));
  for (const auto& [key, count] : outputs()) {
    EXPECT_EQ(1, count) << key;
  }
  EXPECT_EQ(static_cast<size_t>(kReferrals), outputs().size());
}

// Under load, a replica killed with SIGKILL loses nothing it acknowledged, and the other one
// serves on, the dead one's chapter too. Before the kill each replica writes a chapter of its
// own: two replicas writing one chapter as fast as they can is the test above, and there the
// replica whose commit went in first keeps winning while its callers keep writing (the loser
// reloads the chapter before deciding again; docs/storage.md, "Fairness"), so a writer on C
// could not be counted on to get its answers while B is busy with the same chapter.
TEST_F(PostgresReplicasTest, ReplicaKilledUnderLoad_TheOtherServesAndNoAcknowledgedWriteIsLost) {
  CreateChapter("rome");
  NewMember ana = AddMember("rome", "Ana Rossi", "Florist");
  NewMember marco = AddMember("rome", "Marco Bianchi", "Plumber");
  CreateChapter("oslo");
  NewMember ola = AddMember("oslo", "Ola Nordmann", "Baker");
  NewMember kari = AddMember("oslo", "Kari Nordmann", "Dentist");
  ASSERT_TRUE(BKnows("chapters/rome", GetChapter("chapters/rome").last_seq()));
  ASSERT_TRUE(BKnows("chapters/oslo", GetChapter("chapters/oslo").last_seq()));
  TempDir dir_c;
  ReciprocadProcess c(store_, dir_c.path(), server_->admin_token());
  const int port_c = c.WaitPort();
  ASSERT_GT(port_c, 0);
  client::Options options;
  options.target = "127.0.0.1:" + std::to_string(port_c);
  options.token = ana.token;
  client::Client ana_on_c(options);

  // C gives referrals in rome, B in oslo; once C is dead, B also takes rome, as C's clients
  // would. Each writer stops by itself after 2000 calls.
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  auto writer = [&](client::Client as, std::string chapter, std::string receiver,
                    std::atomic<int>* count) {
    for (int i = 0; i < 2000 && !stop; ++i) {
      v1::Referral referral;
      auto context = as.NewContext();
      context->set_deadline(Clock::now() + std::chrono::seconds(5));
      v1::GiveReferralRequest request;
      request.set_parent(chapter);
      request.mutable_referral()->set_receiver(receiver);
      request.mutable_referral()->set_temperature(3);
      request.mutable_referral()->set_kind(v1::REFERRAL_KIND_INSIDE);
      request.set_request_id(client::Client::NewRequestId());
      if (as.referrals().GiveReferral(context.get(), request, &referral).ok()) {
        std::lock_guard lock(mu);
        acknowledged.insert(referral.name());
        ++*count;
      }
    }
  };
  std::atomic<int> by_c{0};
  std::atomic<int> by_b_in_oslo{0};
  std::atomic<int> by_b_in_rome{0};
  std::thread on_c(writer, ana_on_c, "chapters/rome", marco.member.name(), &by_c);
  std::thread on_b(writer, OnB(ola.token), "chapters/oslo", kari.member.name(), &by_b_in_oslo);
  ASSERT_TRUE(Eventually([&] { return by_c.load() >= 20; }, std::chrono::seconds(30)))
      << "C acknowledged " << by_c.load();
  c.Stop(SIGKILL);
  const int oslo_at_kill = by_b_in_oslo;
  std::thread on_b_rome(writer, OnB(ana.token), "chapters/rome", marco.member.name(),
                        &by_b_in_rome);
  EXPECT_TRUE(Eventually([&] { return by_b_in_rome >= 20 && by_b_in_oslo >= oslo_at_kill + 20; },
                         std::chrono::seconds(30)))
      << "after the kill B acknowledged " << by_b_in_rome.load() << " writes in rome and "
      << by_b_in_oslo.load() - oslo_at_kill << " in oslo";
  stop = true;
  on_c.join();
  on_b.join();
  on_b_rome.join();

  // Every acknowledged referral is in its chapter's log, whichever replica took it; and A, which
  // saw none of it directly, has caught up to the same logs.
  std::set<std::string> stored;
  for (const std::string chapter : {"chapters/rome", "chapters/oslo"}) {
    const int64_t last_seq = [&] {
      v1::GetChapterRequest request;
      request.set_name(chapter);
      v1::Chapter seen;
      auto status = Invoke(admin_b(), [&](grpc::ClientContext* ctx) {
        return admin_b().chapters().GetChapter(ctx, request, &seen);
      });
      EXPECT_TRUE(status.ok()) << status.error_message();
      return seen.last_seq();
    }();
    for (const auto& event : WholeLog(admin_b(), chapter, last_seq)) {
      if (event.has_referral_given()) {
        EXPECT_TRUE(stored.insert(event.referral_given().referral().name()).second);
      }
    }
    EXPECT_TRUE(Eventually([&] { return GetChapter(chapter).last_seq() == last_seq; })) << chapter;
  }
  for (const auto& name : acknowledged) {
    EXPECT_EQ(1u, stored.count(name)) << name << " was acknowledged but is not stored";
  }
}

}  // namespace
}  // namespace reciproca::testing
