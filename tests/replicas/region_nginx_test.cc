// deploy/region/nginx.conf in front of two reciprocad replicas on one PostgreSQL: a meeting run
// through nginx's single address goes on while one replica is stopped, then while the other is.

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "integration/server_fixture.h"
#include "support/postgres_cluster.h"
#include "support/reciprocad_process.h"

namespace reciproca::testing {
namespace {

// nginx with the region example, its ports replaced by the replicas' and a free one.
class Nginx {
 public:
  Nginx(const std::filesystem::path& dir, int port, int replica_1, int replica_2) {
    std::ifstream in(std::string(RECIPROCA_SOURCE_DIR) + "/deploy/region/nginx.conf");
    std::stringstream text;
    text << in.rdbuf();
    std::string conf = text.str();
    conf = std::regex_replace(conf, std::regex("127\\.0\\.0\\.1:50050"),
                              "127.0.0.1:" + std::to_string(port));
    conf = std::regex_replace(conf, std::regex("127\\.0\\.0\\.1:50051"),
                              "127.0.0.1:" + std::to_string(replica_1));
    conf = std::regex_replace(conf, std::regex("127\\.0\\.0\\.1:50052"),
                              "127.0.0.1:" + std::to_string(replica_2));
    std::ofstream(dir / "nginx.conf") << conf;
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string prefix = dir.string() + "/";
      const std::string globals =
          "daemon off; pid " + prefix + "nginx.pid; error_log " + prefix + "error.log warn;";
      ::execlp("nginx", "nginx", "-p", prefix.c_str(), "-e", (prefix + "error.log").c_str(), "-c",
               (prefix + "nginx.conf").c_str(), "-g", globals.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Nginx() {
    if (pid_ > 0) {
      ::kill(pid_, SIGQUIT);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

 private:
  pid_t pid_ = -1;
};

TEST(RegionNginxTest, AMeetingThroughNginxGoesOnWhileAReplicaIsStopped) {
  std::string why;
  PostgresCluster* cluster = PostgresCluster::Shared(&why);
  ASSERT_NE(nullptr, cluster) << why;
  const std::string store = cluster->CreateDatabase(&why);
  ASSERT_FALSE(store.empty()) << why;
  ASSERT_EQ(0, std::system("command -v nginx >/dev/null"))
      << "nginx is not installed: run deploy/setup.sh (it installs nginx-light)";

  TempDir dir_1, dir_2, nginx_dir;
  const std::string admin_token = "rcp_admin_region_test_0123456789";
  auto replica_1 = std::make_unique<ReciprocadProcess>(store, dir_1.path(), admin_token);
  auto replica_2 = std::make_unique<ReciprocadProcess>(store, dir_2.path(), admin_token);
  const int port_1 = replica_1->WaitPort();
  const int port_2 = replica_2->WaitPort();
  ASSERT_GT(port_1, 0);
  ASSERT_GT(port_2, 0);
  const int port = PostgresCluster::FreePort();
  Nginx nginx(nginx_dir.path(), port, port_1, port_2);

  // nginx is listening (before the client's first attempt, so no reconnect backoff).
  ASSERT_TRUE(Eventually(
      [&] {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<uint16_t>(port));
        const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
        ::close(fd);
        return up;
      },
      std::chrono::seconds(30)))
      << "nginx did not start; see " << nginx_dir.path() << "/error.log";
  client::Options options;
  options.target = "127.0.0.1:" + std::to_string(port);
  options.token = admin_token;
  client::Client admin(options);
  // nginx is up once a call goes through it.
  ASSERT_TRUE(Eventually([&] {
    v1::ListChaptersResponse list;
    return Invoke(
               admin,
               [&](grpc::ClientContext* c) { return admin.chapters().ListChapters(c, {}, &list); })
        .ok();
  }));

  auto ok = [](const grpc::Status& status) {
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok();
  };
  v1::CreateChapterRequest create;
  create.set_chapter_id("region");
  create.mutable_chapter()->set_display_name("Region Breakfast");
  create.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
  create.mutable_chapter()->set_meeting_time("07:00");
  create.mutable_chapter()->set_time_zone("Europe/Rome");
  create.mutable_chapter()->set_currency("EUR");
  create.set_request_id("create-region");
  v1::CreateChapterResponse created;
  ASSERT_TRUE(ok(Invoke(admin, [&](grpc::ClientContext* c) {
    return admin.chapters().CreateChapter(c, create, &created);
  })));
  auto add_member = [&](const std::string& name, v1::Role role) {
    v1::CreateMemberRequest request;
    request.set_parent("chapters/region");
    request.mutable_member()->set_display_name(name);
    request.mutable_member()->set_business(name + " Ltd");
    request.mutable_member()->set_category(name + " things");
    request.mutable_member()->set_role(role);
    request.set_request_id("member-" + name);
    v1::CreateMemberResponse response;
    EXPECT_TRUE(ok(Invoke(admin, [&](grpc::ClientContext* c) {
      return admin.members().CreateMember(c, request, &response);
    })));
    return NewMember{response.member(), response.access_token()};
  };
  NewMember vp = add_member("Vera", v1::ROLE_VICE_PRESIDENT);
  NewMember ana = add_member("Ana", v1::ROLE_MEMBER);
  NewMember marco = add_member("Marco", v1::ROLE_MEMBER);
  client::Client as_vp = admin.WithToken(vp.token);

  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent("chapters/region");
  *schedule.mutable_start_time() =
      ToTimestamp(std::chrono::system_clock::now() + std::chrono::minutes(5));
  schedule.set_request_id("schedule");
  v1::Meeting meeting;
  ASSERT_TRUE(ok(Invoke(as_vp, [&](grpc::ClientContext* c) {
    return as_vp.meetings().ScheduleMeeting(c, schedule, &meeting);
  })));

  // Replica 1 stops; nginx sends everything to replica 2.
  replica_1->Stop(SIGTERM);
  v1::OpenMeetingRequest open;
  open.set_name(meeting.name());
  open.set_request_id("open");
  ASSERT_TRUE(ok(Invoke(as_vp, [&](grpc::ClientContext* c) {
    return as_vp.meetings().OpenMeeting(c, open, &meeting);
  })));
  int call = 0;
  for (const NewMember* who : {&ana, &marco}) {
    client::Client as = admin.WithToken(who->token);
    v1::CheckInRequest check_in;
    check_in.set_meeting(meeting.name());
    check_in.set_request_id("check-in-" + std::to_string(++call));
    v1::Attendance attendance;
    EXPECT_TRUE(ok(Invoke(as, [&](grpc::ClientContext* c) {
      return as.meetings().CheckIn(c, check_in, &attendance);
    })));
  }
  auto give = [&](const NewMember& from, const NewMember& to) {
    client::Client as = admin.WithToken(from.token);
    v1::GiveReferralRequest request;
    request.set_parent("chapters/region");
    request.mutable_referral()->set_receiver(to.member.name());
    request.mutable_referral()->set_temperature(4);
    request.mutable_referral()->set_kind(v1::REFERRAL_KIND_INSIDE);
    request.set_request_id("referral-" + std::to_string(++call));
    v1::Referral referral;
    return ok(Invoke(as, [&](grpc::ClientContext* c) {
      return as.referrals().GiveReferral(c, request, &referral);
    }));
  };
  EXPECT_TRUE(give(ana, marco));
  EXPECT_TRUE(give(marco, ana));

  // Replica 1 comes back (on its old port) and replica 2 stops: the meeting closes on 1.
  replica_1 = std::make_unique<ReciprocadProcess>(store, dir_1.path(), admin_token,
                                                  "127.0.0.1:" + std::to_string(port_1));
  ASSERT_EQ(port_1, replica_1->WaitPort());
  replica_2->Stop(SIGTERM);
  // nginx skips replica 1 for fail_timeout (5 s) after it refused a connection; until then a
  // call may get 502, and a client retries (same request_id), as phones do.
  v1::GetChapterRequest get;
  get.set_name("chapters/region");
  v1::Chapter chapter;
  ASSERT_TRUE(Eventually(
      [&] {
        return Invoke(admin,
                      [&](grpc::ClientContext* c) {
                        return admin.chapters().GetChapter(c, get, &chapter);
                      })
            .ok();
      },
      std::chrono::seconds(20)));
  EXPECT_TRUE(give(ana, marco));
  v1::CloseMeetingRequest close;
  close.set_name(meeting.name());
  close.set_request_id("close");
  ASSERT_TRUE(ok(Invoke(as_vp, [&](grpc::ClientContext* c) {
    return as_vp.meetings().CloseMeeting(c, close, &meeting);
  })));
  EXPECT_EQ(v1::MEETING_STATE_CLOSED, meeting.state());

  // The whole log, through nginx: contiguous, three referrals, one meeting closed.
  ASSERT_TRUE(ok(Invoke(admin, [&](grpc::ClientContext* c) {
    return admin.chapters().GetChapter(c, get, &chapter);
  })));
  auto context = admin.NewContext(/*streaming=*/true);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::SubscribeRequest subscribe;
  subscribe.set_chapter("chapters/region");
  auto reader = admin.events().Subscribe(context.get(), subscribe);
  v1::Event event;
  int64_t seq = 0;
  int referrals = 0;
  while (seq < chapter.last_seq() && reader->Read(&event)) {
    EXPECT_EQ(++seq, event.seq());
    referrals += event.has_referral_given() ? 1 : 0;
  }
  context->TryCancel();
  reader->Finish();
  EXPECT_EQ(chapter.last_seq(), seq);
  EXPECT_EQ(3, referrals);
}

}  // namespace
}  // namespace reciproca::testing
