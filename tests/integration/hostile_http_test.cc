// Hostile and careless clients against the real server on loopback: header bytes gRPC cannot
// carry, invented method names, unparseable bodies, connection and stream floods. Each time the
// server stays up, answers precisely, and serves everyone else as before.

#include <grpcpp/generic/generic_stub.h>

#include <boost/asio/read.hpp>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/http_client.h"
#include "tests/integration/server_fixture.h"

namespace reciproca::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::beast::http::verb;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

// A socket to the gateway from `from` (any 127.x.y.z is this machine: other "client addresses").
asio::ip::tcp::socket Connect(asio::io_context& io, int port, const std::string& from) {
  asio::ip::tcp::socket socket(io);
  socket.open(asio::ip::tcp::v4());
  socket.bind({asio::ip::make_address(from), 0});
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  return socket;
}

// Sends `request` as raw bytes from `from`, reads one response.
HttpReply RawHttp(int port, const std::string& request, const std::string& from = "127.0.0.1") {
  asio::io_context io;
  beast::tcp_stream stream(Connect(io, port, from));
  stream.expires_after(std::chrono::seconds(10));
  asio::write(stream, asio::buffer(request));
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  beast::error_code ec;
  beast::http::read(stream, buffer, parser, ec);
  HttpReply reply;
  if (ec) {
    reply.body = "read failed: " + ec.message();
    return reply;
  }
  auto response = parser.release();
  reply.status = response.result_int();
  for (const auto& field : response) {
    reply.headers[field.name_string().to_string()] = field.value().to_string();
  }
  reply.body = response.body();
  return reply;
}

std::string Post(const std::string& target, const std::string& extra_headers,
                 const std::string& body = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

std::string Get(const std::string& target, const std::string& extra_headers) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

// The value of a counter or gauge line of /metrics ("name{labels} value"); -1 when absent.
double MetricValue(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) {
    return -1;
  }
  return std::stod(text.substr(at + series.size() + 2));
}

class HostileHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    http_.listen = "127.0.0.1:0";
    http_.scrape_cache = std::chrono::milliseconds(0);
    ConfigureLimits();
    ServerTest::SetUp();
    port_ = server_->http_port();
    ASSERT_GT(port_, 0);
  }
  virtual void ConfigureLimits() {}

  std::string Metrics() { return HttpFetch(port_, verb::get, "/metrics").body; }

  // A unary call of any method path with raw bytes over gRPC.
  grpc::Status RawGrpc(const std::string& method, const std::string& bytes,
                       const std::string& token) {
    if (!channel_) {
      channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                     grpc::InsecureChannelCredentials());
    }
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &in, &out,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(HostileHttpTest, HeaderBytesGrpcCannotCarryAre401Or400AndTheServerStaysUp) {
  const std::string display = CreateChapter("aaa");
  const std::string who = "/api/reciproca.v1.ChapterService/WhoAmI";
  for (const std::string& authorization : std::vector<std::string>{
           "Authorization: Bearer \xc3\xa9\r\n", "Authorization: Bearer a\tb\r\n",
           "Authorization: Bearer " + server_->admin_token() + "\xc2\xa0\r\n"}) {
    auto reply = RawHttp(port_, Post(who, authorization));
    EXPECT_EQ(reply.status, 401) << reply.body;
    EXPECT_EQ(json::parse(reply.body)["code"], "UNAUTHENTICATED");
    EXPECT_NE(reply.body.find("visible ASCII"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer realm=\"reciproca\"");

    auto events = RawHttp(port_, Get("/api/events?chapter=chapters/aaa", authorization));
    EXPECT_EQ(events.status, 401) << events.body;
    EXPECT_EQ(json::parse(events.body)["code"], "UNAUTHENTICATED");
  }
  auto language = RawHttp(
      port_, Post(who, "Authorization: Bearer " + display + "\r\nAccept-Language: fr\xc3\xa9\r\n"));
  EXPECT_EQ(language.status, 400) << language.body;
  EXPECT_EQ(json::parse(language.body)["code"], "INVALID_ARGUMENT");
  EXPECT_NE(language.body.find("Accept-Language"), std::string::npos);

  // Still serving, to everyone.
  EXPECT_EQ(HttpFetch(port_, verb::get, "/healthz").status, 200);
  auto fine = HttpPost(port_, who, "{}", display);
  EXPECT_EQ(fine.status, 200) << fine.body;
  EXPECT_EQ(json::parse(fine.body)["kind"], "PRINCIPAL_KIND_DISPLAY");
}

TEST_F(HostileHttpTest, UnknownBytesInAGrpcTokenAreUnauthenticated) {
  // A gRPC client cannot send a non-ASCII metadata value (its library refuses); what it can
  // send, an unknown token of odd but legal bytes, is refused as any unknown token.
  const auto status = RawGrpc("/reciproca.v1.ChapterService/WhoAmI", "", "\x7e  ~ !");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(HostileHttpTest, InventedMethodNamesLeaveMetricsSmall) {
  const std::string padding(200, 'x');
  for (int i = 0; i < 2000; ++i) {
    const std::string method =
        i % 2 ? "/reciproca.v1.ChapterService/Invented" + padding + std::to_string(i)
              : "/evil" + std::to_string(i) + ".Service/" + padding;
    ASSERT_EQ(RawGrpc(method, "", server_->admin_token()).error_code(),
              grpc::StatusCode::UNIMPLEMENTED)
        << method;
  }
  for (int i = 0; i < 200; ++i) {
    HttpPost(port_, "/api/reciproca.v1.Invented" + std::to_string(i) + "/X", "{}", "");
  }
  const std::string text = Metrics();
  EXPECT_LT(text.size(), 64u * 1024) << "a scrape grew with invented names";
  EXPECT_EQ(text.find("Invented"), std::string::npos);
  EXPECT_EQ(text.find("evil"), std::string::npos);
  EXPECT_EQ(MetricValue(text, "reciproca_rpcs_total{code=\"UNIMPLEMENTED\",method=\"unknown\"}"),
            2000);
  EXPECT_EQ(
      MetricValue(text, "reciproca_http_requests_total{route=\"/api/unknown\",status=\"404\"}"),
      200);
}

TEST_F(HostileHttpTest, AScrapeIsServedOffTheCommandThreadsAndCached) {
  http_.scrape_cache = std::chrono::milliseconds(60000);
  RestartServer();
  port_ = server_->http_port();
  const std::string first = Metrics();
  CreateChapter("aaa");
  // Within the cache's age the snapshot is the same; commands are not waiting for it.
  EXPECT_EQ(Metrics(), first);
  EXPECT_EQ(first.find("CreateChapter"), std::string::npos);
}

TEST_F(HostileHttpTest, AnUnparseableGrpcBodyIsInvalidArgumentNamingTheType) {
  CreateChapter("aaa");
  for (const auto& [method, type] : std::vector<std::pair<std::string, std::string>>{
           {"/reciproca.v1.ChapterService/WhoAmI", "reciproca.v1.WhoAmIRequest"},
           {"/reciproca.v1.ReferralService/GiveReferral", "reciproca.v1.GiveReferralRequest"},
           {"/reciproca.v1.ChapterService/GetChapter", "reciproca.v1.GetChapterRequest"}}) {
    // A field 1 length-delimited claiming more bytes than follow.
    const auto status = RawGrpc(method, std::string("\x0a\x7f\x01", 3), server_->admin_token());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
    EXPECT_NE(status.error_message().find(type), std::string::npos) << status.error_message();
  }
  // And a well-formed call still works.
  EXPECT_TRUE(RawGrpc("/reciproca.v1.ChapterService/WhoAmI", "", server_->admin_token()).ok());
}

TEST_F(HostileHttpTest, ALongTimeZoneIsInvalidArgumentAfterAuthentication) {
  CreateChapter("aaa");
  const std::string zone = "Europe/" + std::string(300, 'R');
  const json create = {{"chapter_id", "bbb"},
                       {"request_id", "create-long-zone"},
                       {"chapter",
                        {{"display_name", "B"},
                         {"meeting_weekday", "WEEKDAY_TUESDAY"},
                         {"meeting_time", "07:00"},
                         {"time_zone", zone},
                         {"currency", "EUR"}}}};
  const json update = {{"chapter", {{"name", "chapters/aaa"}, {"time_zone", zone}}},
                       {"update_mask", "timeZone"},
                       {"request_id", "update-long-zone"}};
  for (const auto& [method, body] : std::vector<std::pair<std::string, json>>{
           {"CreateChapter", create}, {"UpdateChapter", update}}) {
    const std::string target = "/api/reciproca.v1.ChapterService/" + method;
    auto anonymous = HttpPost(port_, target, body.dump(), "");
    EXPECT_EQ(anonymous.status, 401) << method << " " << anonymous.body;
    auto admin = HttpPost(port_, target, body.dump(), server_->admin_token());
    EXPECT_EQ(admin.status, 400) << method << " " << admin.body;
    EXPECT_EQ(json::parse(admin.body)["code"], "INVALID_ARGUMENT");
    EXPECT_NE(admin.body.find("time_zone"), std::string::npos) << admin.body;
  }
}

class ConnectionLimitTest : public HostileHttpTest {
 protected:
  void ConfigureLimits() override {
    http_.max_connections_per_address = 8;
    http_.header_timeout = std::chrono::milliseconds(3000);
  }
};

TEST_F(ConnectionLimitTest, OneAddressCannotLockOthersOutAndItsHalfOpenOnesTimeOut) {
  const std::string display = CreateChapter("aaa");
  const auto member = AddMember("aaa", "Ana Giver", "Lawyer");
  const auto receiver = AddMember("aaa", "Bruno Taker", "Baker");
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> half_open;
  for (int i = 0; i < 8; ++i) {
    half_open.push_back(Connect(io, port_, "127.0.0.1"));
    asio::write(half_open.back(), asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHo")));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all eight accepted
  auto refused = RawHttp(port_, Get("/healthz", ""));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.header("Retry-After"), "5");
  EXPECT_EQ(json::parse(refused.body)["code"], "RESOURCE_EXHAUSTED");
  EXPECT_NE(refused.body.find("--http-max-connections-per-address"), std::string::npos);

  // Another address: a member's write and the display's stream, promptly.
  const auto start = SteadyClock::now();
  const json give = {{"parent", "chapters/aaa"},
                     {"request_id", "r-1"},
                     {"referral",
                      {{"receiver", receiver.member.name()},
                       {"temperature", 3},
                       {"kind", "REFERRAL_KIND_INSIDE"}}}};
  auto written = RawHttp(port_,
                         Post("/api/reciproca.v1.ReferralService/GiveReferral",
                              "Authorization: Bearer " + member.token + "\r\n", give.dump()),
                         "127.0.0.2");
  EXPECT_EQ(written.status, 200) << written.body;
  EXPECT_LT(SteadyClock::now() - start, std::chrono::seconds(2));
  {
    asio::ip::tcp::socket socket = Connect(io, port_, "127.0.0.3");
    asio::write(socket, asio::buffer(Get("/api/events?chapter=chapters/aaa",
                                         "Authorization: Bearer " + display + "\r\n")));
    std::string head(12, '\0');
    asio::read(socket, asio::buffer(head));
    EXPECT_EQ(head, "HTTP/1.1 200");
  }

  // The half-open ones are closed after the header timeout, and the address is served again.
  for (auto& socket : half_open) {
    char byte;
    boost::system::error_code ec;
    socket.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  }
  EXPECT_LT(SteadyClock::now() - start, std::chrono::seconds(8));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(HttpFetch(port_, verb::get, "/healthz").status, 200);
  EXPECT_EQ(MetricValue(Metrics(),
                        "reciproca_limit_refusals_total{limit=\"http_connections_per_address\"}"),
            1);
}

class StreamLimitTest : public HostileHttpTest {
 protected:
  void ConfigureLimits() override { max_streams_per_principal_ = 3; }
};

TEST_F(StreamLimitTest, ADisplayTokenCannotHoldMoreStreamsThanTheLimit) {
  const std::string display = CreateChapter("aaa");
  const auto member = AddMember("aaa", "Ana Giver", "Lawyer");
  const auto receiver = AddMember("aaa", "Bruno Taker", "Baker");
  const std::string events = "/api/events?chapter=chapters/aaa&after_seq=0";
  std::vector<std::unique_ptr<SseReader>> displays;
  for (int i = 0; i < 3; ++i) {
    displays.push_back(std::make_unique<SseReader>(port_, events, display));
    ASSERT_EQ(displays.back()->head().substr(0, 12), "HTTP/1.1 200") << displays.back()->head();
  }
  auto refused = HttpFetch(port_, verb::get, events, "", {{"Authorization", "Bearer " + display}});
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.header("Retry-After"), "5");
  EXPECT_EQ(json::parse(refused.body)["code"], "RESOURCE_EXHAUSTED");
  EXPECT_NE(refused.body.find("--max-streams-per-principal"), std::string::npos);

  // The same limit over gRPC.
  const auto as_display = As(display);
  auto context = as_display.NewContext(/*streaming=*/true);
  v1::SubscribeRequest request;
  request.set_chapter("chapters/aaa");
  auto reader = as_display.events().Subscribe(context.get(), request);
  v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Another principal streams, writes, and the open displays see the write at once.
  SseReader phone(port_, events, member.token);
  ASSERT_EQ(phone.head().substr(0, 12), "HTTP/1.1 200") << phone.head();
  const int64_t last = GetChapter("chapters/aaa").last_seq();
  for (auto& reader_ : displays) {
    for (int64_t seq = 1; seq <= last; ++seq) {
      ASSERT_TRUE(reader_->NextEvent());
    }
  }
  ASSERT_TRUE(GiveReferral(As(member.token), "aaa", receiver.member.name(), 3).ok());
  for (auto& reader_ : displays) {
    auto frame = reader_->NextEvent(std::chrono::seconds(2));
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->id, std::to_string(last + 1));
  }

  // A display that goes away gives its slot back.
  displays.pop_back();
  bool reopened = false;
  for (int attempt = 0; attempt < 50 && !reopened; ++attempt) {
    SseReader again(port_, events, display);
    reopened = again.head().substr(0, 12) == "HTTP/1.1 200";
    if (!reopened) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(reopened);
  EXPECT_GE(MetricValue(Metrics(),
                        "reciproca_limit_refusals_total{limit=\"event_streams_per_principal\"}"),
            2);
}

}  // namespace
}  // namespace reciproca::testing
