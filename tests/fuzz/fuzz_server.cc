#include "tests/fuzz/fuzz_server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "reciproca/v1/chapter_service.grpc.pb.h"
#include "reciproca/v1/meeting_service.grpc.pb.h"
#include "reciproca/v1/member_service.grpc.pb.h"

namespace reciproca::fuzz {
namespace {

std::filesystem::path g_data_dir;

void RemoveDataDir() {
  std::error_code ignored;
  std::filesystem::remove_all(g_data_dir, ignored);
}

std::filesystem::path FreshDataDir() {
  const std::filesystem::path shm = "/dev/shm";
  std::error_code ec;
  const auto root = std::filesystem::is_directory(shm, ec) && access(shm.c_str(), W_OK) == 0
                        ? shm
                        : std::filesystem::temp_directory_path();
  auto dir = root / ("reciproca-fuzz-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir);
  return dir;
}

template <class Call>
void Setup(const std::string& token, const char* what, Call call) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  Authorize(&context, token);
  const grpc::Status status = call(&context);
  Require(status.ok(),
          std::string("setting up the fuzz chapter: ") + what + ": " + status.error_message());
}

}  // namespace

void Require(bool condition, const std::string& what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz: broken promise: %s\n", what.c_str());
    std::abort();
  }
}

void Authorize(grpc::ClientContext* context, const std::string& token) {
  if (!token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  }
}

const std::string& World::TokenFor(uint8_t selector) const {
  switch (selector % 6) {
    case 0:
      return admin_token;
    case 1:
      return organizer_token;
    case 2:
      return member_token;
    case 3:
      return display_token;
    case 4:
      return made_up_token_;
    default:
      return no_token_;
  }
}

World& StartWorld(api::ServerOptions options) {
  static World* world = nullptr;
  if (world != nullptr) {
    return *world;
  }
  // Quiet: refusals are what a fuzzer provokes all day.
  spdlog::set_level(spdlog::level::off);
  g_data_dir = FreshDataDir();
  std::atexit(RemoveDataDir);
  options.listen = "127.0.0.1:0";
  options.data_dir = g_data_dir.string();
  options.plugin_tick_interval = std::chrono::milliseconds(0);
  auto started = api::Server::Start(options);
  Require(started.ok(), started.ok() ? "" : "the server did not start: " + started.error().message);
  world = new World;  // never freed: libFuzzer ends the process
  world->server = std::move(started).value().release();
  world->admin_token = world->server->admin_token();
  world->channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(world->server->port()),
                                       grpc::InsecureChannelCredentials());

  auto chapters = v1::ChapterService::NewStub(world->channel);
  auto members = v1::MemberService::NewStub(world->channel);
  auto meetings = v1::MeetingService::NewStub(world->channel);
  const std::string& admin = world->admin_token;

  v1::CreateChapterRequest create;
  create.set_chapter_id("fuzz");
  create.mutable_chapter()->set_display_name("Fuzz");
  create.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
  create.mutable_chapter()->set_meeting_time("07:00");
  create.mutable_chapter()->set_time_zone("Europe/Rome");
  create.mutable_chapter()->set_currency("EUR");
  create.set_request_id("fuzz-create");
  v1::CreateChapterResponse created;
  Setup(admin, "CreateChapter",
        [&](grpc::ClientContext* c) { return chapters->CreateChapter(c, create, &created); });
  world->display_token = created.display_token();

  for (const auto& [name, role] :
       {std::pair{"Olga Organizer", v1::ROLE_ORGANIZER}, std::pair{"Mario Member", v1::ROLE_MEMBER},
        std::pair{"Ada Member", v1::ROLE_MEMBER}}) {
    v1::CreateMemberRequest request;
    request.set_parent(world->chapter);
    request.mutable_member()->set_display_name(name);
    request.mutable_member()->set_business(std::string(name) + " Ltd");
    request.mutable_member()->set_category(std::string(name) + " things");
    request.mutable_member()->set_role(role);
    // Request ids are visible ASCII without spaces: number the members.
    request.set_request_id("fuzz-member-" + std::to_string(world->members.size()));
    v1::CreateMemberResponse response;
    Setup(admin, "CreateMember",
          [&](grpc::ClientContext* c) { return members->CreateMember(c, request, &response); });
    world->members.push_back(response.member().name());
    (role == v1::ROLE_ORGANIZER ? world->organizer_token : world->member_token) =
        response.access_token();
  }

  v1::ScheduleMeetingRequest schedule;
  schedule.set_parent(world->chapter);
  schedule.set_request_id("fuzz-meeting");
  const auto start = std::chrono::system_clock::now() + std::chrono::hours(24);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()).count();
  schedule.mutable_start_time()->set_seconds(seconds);
  v1::Meeting meeting;
  Setup(admin, "ScheduleMeeting",
        [&](grpc::ClientContext* c) { return meetings->ScheduleMeeting(c, schedule, &meeting); });
  world->meeting = meeting.name();
  std::string names;
  for (const auto& m : world->members) {
    names += " " + m;
  }
  // For whoever writes seeds: the names that exist.
  std::fprintf(stderr, "fuzz world: %s, members%s, meeting %s\n", world->chapter.c_str(),
               names.c_str(), world->meeting.c_str());
  return *world;
}

}  // namespace reciproca::fuzz
