// The HTTP gateway against a real server on loopback: every JSON route gives exactly what the
// same gRPC call gives (status mapped to HTTP, same message, same answer), for every kind of
// caller; the event stream's replay, resume and errors; the pages, /healthz, /metrics; and the
// gateway's own hygiene (limits, timeouts, traversal, headers).

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>

#include <future>
#include <nlohmann/json.hpp>

#include "server/http/gateway.h"
#include "tests/integration/http_client.h"
#include "tests/integration/server_fixture.h"

namespace reciproca::testing {
namespace {

namespace pb = google::protobuf;
using boost::beast::http::verb;
using nlohmann::json;

class HttpGatewayTest : public ServerTest {
 protected:
  void SetUp() override {
    http_.listen = "127.0.0.1:0";
    http_.read_timeout = std::chrono::milliseconds(1500);
    http_.max_body_bytes = 4096;
    ServerTest::SetUp();
    port_ = server_->http_port();
    ASSERT_GT(port_, 0);
  }

  HttpReply Post(const std::string& method, const json& body, const std::string& token) {
    return HttpPost(port_, "/api/" + method, body.dump(), token);
  }

  // The same call over gRPC with raw bytes: its status and, when OK, its answer as JSON.
  std::pair<grpc::Status, std::string> Grpc(const pb::MethodDescriptor* method,
                                            const std::string& request_json,
                                            const std::string& token) {
    std::unique_ptr<pb::Message> request(
        pb::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
    EXPECT_TRUE(pb::util::JsonStringToMessage(request_json, request.get()).ok());
    std::string bytes = request->SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    if (!channel_) {
      channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                     grpc::InsecureChannelCredentials());
    }
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    if (!token.empty()) {
      context.AddMetadata("authorization", "Bearer " + token);
    }
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/" + method->service()->full_name() + "/" + method->name(),
                   grpc::StubOptions(), &in, &out,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    grpc::Status status = done.get_future().get();
    std::string answer;
    if (status.ok()) {
      std::vector<grpc::Slice> slices;
      EXPECT_TRUE(out.Dump(&slices).ok());
      std::string raw;
      for (const auto& s : slices) raw.append(reinterpret_cast<const char*>(s.begin()), s.size());
      std::unique_ptr<pb::Message> response(
          pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
      EXPECT_TRUE(response->ParseFromString(raw));
      pb::util::JsonPrintOptions print;
      print.always_print_primitive_fields = true;
      EXPECT_TRUE(pb::util::MessageToJsonString(*response, &answer, print).ok());
    }
    return {status, answer};
  }

  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

std::vector<const pb::MethodDescriptor*> UnaryApiMethods() {
  std::vector<const pb::MethodDescriptor*> methods;
  for (const char* name :
       {"ChapterService", "MemberService", "MeetingService", "ReferralService", "EventService",
        "ReportService", "PluginService", "InsightService", "ImportService"}) {
    const auto* service = pb::DescriptorPool::generated_pool()->FindServiceByName(
        std::string("reciproca.v1.") + name);
    EXPECT_NE(service, nullptr) << name;
    for (int i = 0; service && i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      if (!method->server_streaming() && !method->client_streaming()) {
        methods.push_back(method);
      }
    }
  }
  return methods;
}

// A request that points at chapters/aaa: every string field that names a resource by the usual
// AIP names gets one of chapter aaa, so the call reaches its authorization and validation.
std::string RequestInto(const pb::MethodDescriptor* method, const std::string& member) {
  json body = json::object();
  const auto* type = method->input_type();
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    if (field->type() != pb::FieldDescriptor::TYPE_STRING || field->is_repeated()) continue;
    const std::string& name = field->name();
    if (name == "parent" || name == "chapter") {
      body[field->json_name()] = "chapters/aaa";
    } else if (name == "name" || name == "member") {
      body[field->json_name()] =
          method->service()->name() == "ChapterService" ? "chapters/aaa" : member;
    }
  }
  return body.dump();
}

TEST_F(HttpGatewayTest, EveryRouteAnswersAsItsGrpcMethodForEveryCaller) {
  const std::string display = CreateChapter("aaa");
  CreateChapter("bbb");
  const auto organizer = AddMember("aaa", "Olga Organizer", "Accountant", v1::ROLE_PRESIDENT);
  const auto member = AddMember("aaa", "Marco Member", "Plumber");
  const auto outsider = AddMember("bbb", "Bianca Other", "Baker");
  const std::vector<std::pair<std::string, std::string>> callers = {
      {"nobody", ""},
      {"a wrong token", "rcp_not_a_token"},
      {"the admin", server_->admin_token()},
      {"chapter aaa's display", display},
      {"an organizer of a", organizer.token},
      {"a member of a", member.token},
      {"a member of b", outsider.token}};

  const auto methods = UnaryApiMethods();
  ASSERT_GT(methods.size(), 30u);
  for (const auto* method : methods) {
    const std::string route = method->service()->full_name() + "/" + method->name();
    for (const std::string& body : {std::string("{}"), RequestInto(method, member.member.name())}) {
      for (const auto& [who, token] : callers) {
        SCOPED_TRACE(route + " as " + who + " with " + body);
        const auto [status, answer] = Grpc(method, body, token);
        const HttpReply reply = HttpPost(port_, "/api/" + route, body, token);
        ASSERT_EQ(reply.status, http::HttpStatusFor(status.error_code())) << reply.body;
        if (status.ok()) {
          EXPECT_EQ(json::parse(reply.body), json::parse(answer));
        } else {
          const json error = json::parse(reply.body);
          EXPECT_EQ(error["code"], http::StatusCodeName(status.error_code()));
          EXPECT_EQ(error["message"], status.error_message());
          EXPECT_FALSE(status.error_message().empty());
        }
        if (token.empty() || token == "rcp_not_a_token") {
          EXPECT_EQ(reply.status, 401) << "every route needs a token";
          EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer realm=\"reciproca\"");
        }
      }
    }
  }
}

TEST_F(HttpGatewayTest, ErrorsMapToHttpStatusesWithTheServersMessages) {
  const std::string display = CreateChapter("aaa");
  const auto giver = AddMember("aaa", "Ana Giver", "Lawyer");
  const auto receiver = AddMember("aaa", "Rui Receiver", "Dentist");
  const json referral = {
      {"parent", "chapters/aaa"},
      {"referral",
       {{"receiver", giver.member.name()}, {"kind", "REFERRAL_KIND_INSIDE"}, {"temperature", 3}}},
      {"requestId", "self-1"}};
  auto self = Post("reciproca.v1.ReferralService/GiveReferral", referral, giver.token);
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(json::parse(self.body)["code"], "INVALID_ARGUMENT");
  EXPECT_NE(json::parse(self.body)["message"].get<std::string>().find("receiver"),
            std::string::npos)
      << self.body;

  auto by_display = Post("reciproca.v1.ReferralService/GiveReferral", referral, display);
  EXPECT_EQ(by_display.status, 403);
  EXPECT_EQ(json::parse(by_display.body)["code"], "PERMISSION_DENIED");

  auto missing = Post("reciproca.v1.ChapterService/GetChapter", {{"name", "chapters/zz"}},
                      server_->admin_token());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["code"], "NOT_FOUND");

  const json create = {{"chapterId", "aaa"},
                       {"chapter",
                        {{"displayName", "Again"},
                         {"meetingWeekday", "WEEKDAY_MONDAY"},
                         {"meetingTime", "07:00"},
                         {"timeZone", "Europe/Rome"}}},
                       {"requestId", "another"}};
  auto taken = Post("reciproca.v1.ChapterService/CreateChapter", create, server_->admin_token());
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(json::parse(taken.body)["code"], "ALREADY_EXISTS");

  // Closing a meeting that was never opened... is a precondition failure, 400 with its code.
  const json schedule = {{"parent", "chapters/aaa"},
                         {"startTime", "2026-12-01T06:00:00Z"},
                         {"requestId", "schedule-1"}};
  auto meeting =
      Post("reciproca.v1.MeetingService/ScheduleMeeting", schedule, server_->admin_token());
  ASSERT_EQ(meeting.status, 200) << meeting.body;
  const std::string meeting_name = json::parse(meeting.body)["name"];
  auto check_in = Post("reciproca.v1.MeetingService/CheckIn",
                       {{"meeting", meeting_name}, {"requestId", "in-1"}}, receiver.token);
  EXPECT_EQ(check_in.status, 400);
  EXPECT_EQ(json::parse(check_in.body)["code"], "FAILED_PRECONDITION") << check_in.body;
}

TEST_F(HttpGatewayTest, ARetryWithTheSameRequestIdRecordsOneReferral) {
  CreateChapter("aaa");
  const auto giver = AddMember("aaa", "Ana Giver", "Lawyer");
  const auto receiver = AddMember("aaa", "Rui Receiver", "Dentist");
  const json referral = {{"parent", "chapters/aaa"},
                         {"referral",
                          {{"receiver", receiver.member.name()},
                           {"kind", "REFERRAL_KIND_INSIDE"},
                           {"temperature", 4}}},
                         {"requestId", "phone-7f3a"}};
  auto first = Post("reciproca.v1.ReferralService/GiveReferral", referral, giver.token);
  auto again = Post("reciproca.v1.ReferralService/GiveReferral", referral, giver.token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(first.body), json::parse(again.body));

  auto list =
      Post("reciproca.v1.ReferralService/ListReferrals", {{"parent", "chapters/aaa"}}, giver.token);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["referrals"].size(), 1u);

  json changed = referral;
  changed["referral"]["temperature"] = 5;
  auto conflict = Post("reciproca.v1.ReferralService/GiveReferral", changed, giver.token);
  EXPECT_EQ(conflict.status, 400);
  EXPECT_NE(conflict.body.find("request_id"), std::string::npos) << conflict.body;
}

TEST_F(HttpGatewayTest, MalformedRequestsAreRefusedPrecisely) {
  const std::string token = server_->admin_token();
  const std::string who = "/api/reciproca.v1.ChapterService/WhoAmI";

  auto not_json = HttpPost(port_, who, "{not json", token);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(json::parse(not_json.body)["code"], "INVALID_ARGUMENT");
  EXPECT_NE(not_json.body.find("reciproca.v1.WhoAmIRequest"), std::string::npos);

  auto unknown_field =
      HttpPost(port_, "/api/reciproca.v1.ChapterService/GetChapter", "{\"nmae\":\"x\"}", token);
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.body.find("nmae"), std::string::npos) << unknown_field.body;

  auto form = HttpFetch(port_, verb::post, who, "a=b",
                        {{"Authorization", "Bearer " + token},
                         {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(json::parse(form.body)["code"], "INVALID_ARGUMENT");

  auto get = HttpFetch(port_, verb::get, who);
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("Allow"), "POST");

  auto no_service = HttpPost(port_, "/api/reciproca.v1.NoService/X", "{}", token);
  EXPECT_EQ(no_service.status, 404);
  EXPECT_EQ(json::parse(no_service.body)["code"], "NOT_FOUND");
  auto no_method = HttpPost(port_, "/api/reciproca.v1.ChapterService/Nope", "{}", token);
  EXPECT_EQ(no_method.status, 404);
  auto other_package = HttpPost(port_, "/api/grpc.health.v1.Health/Check", "{}", token);
  EXPECT_EQ(other_package.status, 404);
  auto stream = HttpPost(port_, "/api/reciproca.v1.EventService/Subscribe", "{}", token);
  EXPECT_EQ(stream.status, 400);
  EXPECT_NE(stream.body.find("/api/events"), std::string::npos);

  auto too_big = HttpPost(port_, who, "{\"x\":\"" + std::string(10000, 'a') + "\"}", token);
  EXPECT_EQ(too_big.status, 413);

  auto huge_head = HttpFetch(port_, verb::get, "/healthz", "", {{"X-Big", std::string(9000, 'b')}});
  EXPECT_EQ(huge_head.status, 431);
}

TEST_F(HttpGatewayTest, PagesAreServedWithSecurityHeadersAndNothingElse) {
  for (const char* page : {"/display/", "/display", "/app/", "/app"}) {
    auto reply = HttpFetch(port_, verb::get, page);
    EXPECT_EQ(reply.status, 200) << page;
    EXPECT_EQ(reply.header("Content-Type"), "text/html; charset=utf-8") << page;
    EXPECT_NE(reply.body.find("<html"), std::string::npos) << page;
    EXPECT_NE(reply.header("Content-Security-Policy").find("default-src 'self'"),
              std::string::npos);
    EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(reply.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(reply.header("Referrer-Policy"), "no-referrer");
  }
  auto root = HttpFetch(port_, verb::get, "/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.header("Location"), "/app/");
  for (const char* escape :
       {"/app/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/display/..%2f..%2fCMakeLists.txt",
        "//etc/passwd", "/app/index.html/..", "/server/main.cpp"}) {
    auto reply = HttpFetch(port_, verb::get, escape);
    EXPECT_EQ(reply.status, 404) << escape;
    EXPECT_EQ(reply.body.find("root:"), std::string::npos);
  }
  EXPECT_EQ(HttpFetch(port_, verb::post, "/app/").status, 405);
}

TEST_F(HttpGatewayTest, HealthAndMetrics) {
  auto health = HttpFetch(port_, verb::get, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "SERVING\n");

  CreateChapter("aaa");
  const auto member = AddMember("aaa", "Ana Giver", "Lawyer");
  Post("reciproca.v1.ChapterService/WhoAmI", json::object(), member.token);
  Post("reciproca.v1.ChapterService/WhoAmI", json::object(), "");
  SseReader stream(port_, "/api/events?chapter=chapters/aaa&after_seq=0", member.token);
  ASSERT_TRUE(stream.NextEvent());

  auto metrics = HttpFetch(port_, verb::get, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  for (const char* line :
       {"reciproca_rpcs_total{code=\"OK\",method=\"/reciproca.v1.ChapterService/WhoAmI\"} 1",
        "reciproca_rpcs_total{code=\"UNAUTHENTICATED\",method=\"/reciproca.v1.ChapterService/"
        "WhoAmI\"} 1",
        "reciproca_http_requests_total{route=\"/api/reciproca.v1.ChapterService/WhoAmI\","
        "status=\"401\"} 1",
        "reciproca_events_appended_total 2", "reciproca_subscribers 1",
        "reciproca_http_event_streams 1",
        "reciproca_rpc_duration_seconds_count{method=\"/reciproca.v1.MemberService/"
        "CreateMember\"} 1"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST_F(HttpGatewayTest, MetricsShowPluginStates) {
  plugins_ = {{"counting", kCounting, ""}};
  RestartServer();
  port_ = server_->http_port();
  auto metrics = HttpFetch(port_, verb::get, "/metrics");
  EXPECT_NE(metrics.body.find("reciproca_plugin_state{plugin=\"counting\",state=\"PLUGIN_STATE_"),
            std::string::npos)
      << metrics.body;
}

TEST_F(HttpGatewayTest, EventsReplayThenStreamAndResumeWithoutGapOrDuplicate) {
  CreateChapter("aaa");
  const auto giver = AddMember("aaa", "Ana Giver", "Lawyer");
  const auto receiver = AddMember("aaa", "Rui Receiver", "Dentist");
  const std::string target = "/api/events?chapter=chapters%2Faaa&after_seq=0";
  std::vector<std::string> seen;
  {
    SseReader stream(port_, target, receiver.token);
    EXPECT_NE(stream.head().find("200 OK"), std::string::npos);
    EXPECT_NE(stream.head().find("text/event-stream"), std::string::npos);
    for (int i = 0; i < 3; ++i) {
      auto frame = stream.NextEvent();
      ASSERT_TRUE(frame);
      EXPECT_EQ(frame->event, "event");
      EXPECT_EQ(frame->id, std::to_string(i + 1));
      EXPECT_EQ(json::parse(frame->data)["seq"], std::to_string(i + 1));
      seen.push_back(frame->id);
    }
    ASSERT_TRUE(GiveReferral(As(giver.token), "aaa", receiver.member.name(), 5).ok());
    auto live = stream.NextEvent();
    ASSERT_TRUE(live);
    EXPECT_EQ(live->id, "4");
    EXPECT_EQ(json::parse(live->data)["referralGiven"]["referral"]["temperature"], 5) << live->data;
  }
  // Missed while away, then resumed both ways a browser can.
  ASSERT_TRUE(GiveReferral(As(giver.token), "aaa", receiver.member.name(), 2).ok());
  SseReader by_query(port_, "/api/events?chapter=chapters/aaa&after_seq=4", receiver.token);
  auto next = by_query.NextEvent();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, "5");
  SseReader by_header(port_, "/api/events?chapter=chapters/aaa&after_seq=0", receiver.token,
                      {{"Last-Event-ID", "4"}});
  next = by_header.NextEvent();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, "5");
  EXPECT_FALSE(by_header.NextEvent(std::chrono::milliseconds(300)));
}

TEST_F(HttpGatewayTest, EventsCarryTheServersClock) {
  CreateChapter("aaa");
  clock_.Advance(std::chrono::seconds(90));
  SseReader stream(port_, "/api/events?chapter=chapters/aaa&after_seq=1", server_->admin_token());
  auto frame = stream.Next(std::chrono::milliseconds(500));  // at once, then every second
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->event, "time");
  EXPECT_EQ(json::parse(frame->data)["now"], "2026-12-01T06:31:30Z");
  clock_.Advance(std::chrono::seconds(1));
  frame = stream.Next(std::chrono::seconds(3));
  ASSERT_TRUE(frame);
  EXPECT_EQ(json::parse(frame->data)["now"], "2026-12-01T06:31:31Z");
}

TEST_F(HttpGatewayTest, EventStreamErrors) {
  const std::string display = CreateChapter("aaa");
  CreateChapter("bbb");
  const auto outsider = AddMember("bbb", "Bianca Other", "Baker");
  auto no_token = HttpFetch(port_, verb::get, "/api/events?chapter=chapters/aaa");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(json::parse(no_token.body)["code"], "UNAUTHENTICATED");
  auto other = HttpFetch(port_, verb::get, "/api/events?chapter=chapters/aaa", "",
                         {{"Authorization", "Bearer " + outsider.token}});
  EXPECT_EQ(other.status, 403);
  auto missing = HttpFetch(port_, verb::get, "/api/events?chapter=chapters/zz", "",
                           {{"Authorization", "Bearer " + server_->admin_token()}});
  EXPECT_EQ(missing.status, 404);
  // A display token says nothing of other chapters, not even whether they exist.
  auto elsewhere = HttpFetch(port_, verb::get, "/api/events?chapter=chapters/zz", "",
                             {{"Authorization", "Bearer " + display}});
  EXPECT_EQ(elsewhere.status, 403);
  auto no_chapter =
      HttpFetch(port_, verb::get, "/api/events", "", {{"Authorization", "Bearer " + display}});
  EXPECT_EQ(no_chapter.status, 400);
  for (const char* bad : {"-1", "x", "1.5", "99999999999999999999"}) {
    auto reply = HttpFetch(port_, verb::get,
                           std::string("/api/events?chapter=chapters/aaa&after_seq=") + bad, "",
                           {{"Authorization", "Bearer " + display}});
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_NE(reply.body.find("after_seq"), std::string::npos);
  }
  // Beyond the log: the stream says why (the same OUT_OF_RANGE Subscribe gives) and ends.
  SseReader beyond(port_, "/api/events?chapter=chapters/aaa&after_seq=50", display);
  auto frame = beyond.NextEvent();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->event, "error");
  EXPECT_EQ(json::parse(frame->data)["code"], "OUT_OF_RANGE");
  EXPECT_FALSE(beyond.NextEvent(std::chrono::milliseconds(500)));
}

TEST_F(HttpGatewayTest, AClientThatSendsNothingIsDisconnected) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)});
  boost::asio::write(socket, boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHo")));
  char byte;
  boost::system::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  socket.read_some(boost::asio::buffer(&byte, 1), ec);  // blocks until the server hangs up
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
      << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(HttpGatewayTest, ShutdownEndsOpenStreams) {
  CreateChapter("aaa");
  SseReader stream(port_, "/api/events?chapter=chapters/aaa&after_seq=0", server_->admin_token());
  ASSERT_TRUE(stream.NextEvent());
  const auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  while (auto frame = stream.Next(std::chrono::seconds(2))) {
    EXPECT_EQ(frame->event, "time");  // whatever was on its way; then the end
  }
}

}  // namespace
}  // namespace reciproca::testing
