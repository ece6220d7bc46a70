// Restarting loses nothing; kill -9 of the real reciprocad during a stream of writes loses no
// acknowledged write.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "integration/server_fixture.h"

namespace reciproca::testing {
namespace {

using grpc::StatusCode;

class DurabilityTest : public ServerTest {};

TEST_F(DurabilityTest, RestartKeepsEverything) {
  CreateChapter("rome");
  auto ana = AddMember("rome", "Ana Rossi", "Florist");
  auto marco = AddMember("rome", "Marco Bianchi", "Plumber");
  v1::Referral referral;
  ASSERT_TRUE(GiveReferral(As(ana.token), "rome", marco.member.name(), 5, &referral).ok());

  v1::GetChapterRequest get_chapter;
  get_chapter.set_name("chapters/rome");
  v1::Chapter before;
  auto c1 = admin().NewContext();
  ASSERT_TRUE(admin().chapters().GetChapter(c1.get(), get_chapter, &before).ok());

  RestartServer();

  v1::Chapter after;
  auto c2 = admin().NewContext();
  ASSERT_TRUE(admin().chapters().GetChapter(c2.get(), get_chapter, &after).ok());
  EXPECT_EQ(before.SerializeAsString(), after.SerializeAsString());
  v1::GetReferralRequest get_referral;
  get_referral.set_name(referral.name());
  v1::Referral reread;
  auto c3 = As(marco.token).NewContext();
  ASSERT_TRUE(As(marco.token).referrals().GetReferral(c3.get(), get_referral, &reread).ok());
  EXPECT_EQ(referral.SerializeAsString(), reread.SerializeAsString());
  // New events continue the sequence.
  ASSERT_TRUE(GiveReferral(As(marco.token), "rome", ana.member.name(), 2).ok());
  auto events = ReadEvents(admin(), "chapters/rome", 4, 1);
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(5, events[0].seq());
}

// A client of the server on `port`, with calls that give up after 5 s.
client::Options ClientOptions(int port, const std::string& token) {
  client::Options options;
  options.target = "127.0.0.1:" + std::to_string(port);
  options.token = token;
  options.call_timeout = std::chrono::milliseconds(5000);
  return options;
}

// The real binary, in its own process, so that it can be killed -9.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& data_dir, const std::string& admin_token)
      : port_file_(data_dir / "port") {
    std::filesystem::remove(port_file_);
    pid_ = fork();
    if (pid_ == 0) {
      setenv("RECIPROCA_ADMIN_TOKEN", admin_token.c_str(), 1);
      const std::string dir = data_dir.string();
      const std::string port_file = port_file_.string();
      execl(RECIPROCAD_PATH, RECIPROCAD_PATH, "--listen", "127.0.0.1:0", "--data-dir", dir.c_str(),
            "--port-file", port_file.c_str(), "--log-level", "warn", nullptr);
      _exit(127);
    }
  }
  ~ServerProcess() { Kill(SIGKILL); }

  // The port, once the server listens (0 after 10 s).
  int WaitForPort() const {
    for (int i = 0; i < 200; ++i) {
      std::ifstream in(port_file_);
      int port = 0;
      if (in >> port && port > 0) {
        return port;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  int Kill(int signal) {
    if (pid_ <= 0) {
      return -1;
    }
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  std::filesystem::path port_file_;
  pid_t pid_ = -1;
};

TEST(KillDuringWrites, NoAcknowledgedWriteIsLost) {
  TempDir dir;
  const std::string admin_token = "rcp_admin_kill_test_token";
  std::vector<std::string> acknowledged;
  std::string chapter_member_a, chapter_member_b, token_a;
  {
    ServerProcess server(dir.path(), admin_token);
    const int port = server.WaitForPort();
    ASSERT_GT(port, 0);
    client::Client admin(ClientOptions(port, admin_token));
    v1::CreateChapterRequest create;
    create.set_chapter_id("rome");
    create.mutable_chapter()->set_display_name("Rome");
    create.set_request_id("c");
    v1::CreateChapterResponse created;
    auto c = admin.NewContext();
    ASSERT_TRUE(admin.chapters().CreateChapter(c.get(), create, &created).ok());
    std::string tokens[2];
    std::string names[2];
    for (int i = 0; i < 2; ++i) {
      v1::CreateMemberRequest add;
      add.set_parent("chapters/rome");
      add.mutable_member()->set_display_name(i ? "Marco" : "Ana");
      add.mutable_member()->set_business("Biz");
      add.mutable_member()->set_category(i ? "Plumber" : "Florist");
      add.set_request_id("m" + std::to_string(i));
      v1::CreateMemberResponse added;
      auto cm = admin.NewContext();
      ASSERT_TRUE(admin.members().CreateMember(cm.get(), add, &added).ok());
      tokens[i] = added.access_token();
      names[i] = added.member().name();
    }
    auto ana = admin.WithToken(tokens[0]);

    // Two writers give referrals as fast as they can; the server is killed under them.
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) {
      writers.emplace_back([&] {
        while (!stop) {
          v1::GiveReferralRequest r;
          r.set_parent("chapters/rome");
          r.mutable_referral()->set_receiver(names[1]);
          r.mutable_referral()->set_temperature(3);
          r.set_request_id(client::Client::NewRequestId());
          v1::Referral out;
          auto context = ana.NewContext();
          if (ana.referrals().GiveReferral(context.get(), r, &out).ok()) {
            std::lock_guard lock(mu);
            acknowledged.push_back(out.name());
          }
        }
      });
    }
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mu);
        if (acknowledged.size() >= 300) {
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    server.Kill(SIGKILL);
    stop = true;
    for (auto& t : writers) {
      t.join();
    }
    chapter_member_b = names[1];
  }
  ASSERT_GT(acknowledged.size(), 10u)
      << "the writers should have been acknowledged before the kill";

  ServerProcess server(dir.path(), admin_token);
  const int port = server.WaitForPort();
  ASSERT_GT(port, 0);
  client::Client admin(ClientOptions(port, admin_token));
  for (const auto& name : acknowledged) {
    v1::GetReferralRequest get;
    get.set_name(name);
    v1::Referral referral;
    auto context = admin.NewContext();
    auto status = admin.referrals().GetReferral(context.get(), get, &referral);
    ASSERT_TRUE(status.ok()) << "acknowledged " << name << " was lost: " << status.error_message();
    EXPECT_EQ(chapter_member_b, referral.receiver());
  }
  // And the log is still contiguous.
  v1::GetChapterRequest get_chapter;
  get_chapter.set_name("chapters/rome");
  v1::Chapter chapter;
  auto context = admin.NewContext();
  ASSERT_TRUE(admin.chapters().GetChapter(context.get(), get_chapter, &chapter).ok());
  auto stream_context = admin.NewContext(true);
  stream_context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::SubscribeRequest subscribe;
  subscribe.set_chapter("chapters/rome");
  auto reader = admin.events().Subscribe(stream_context.get(), subscribe);
  v1::Event event;
  int64_t expected = 1;
  while (expected <= chapter.last_seq() && reader->Read(&event)) {
    ASSERT_EQ(expected, event.seq());
    ++expected;
  }
  EXPECT_EQ(chapter.last_seq() + 1, expected);
  stream_context->TryCancel();
  reader->Finish();
  EXPECT_EQ(0, WEXITSTATUS(server.Kill(SIGTERM))) << "SIGTERM ends reciprocad with exit 0";
}

}  // namespace
}  // namespace reciproca::testing
