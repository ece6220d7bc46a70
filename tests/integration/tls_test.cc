// TLS end to end: certificates made by deploy/make-certs.sh, the real reciprocad binary serving
// gRPC over TLS and the HTTP gateway over HTTPS with them, and the real CLI.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "client/lib/client.h"
#include "tests/integration/http_client.h"
#include "tests/integration/server_fixture.h"

namespace reciproca::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;

constexpr char kAdminToken[] = "rcp_admin_tls_test_token";

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs a shell command; its exit code, and its stdout and stderr together in `output`.
int RunShell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return -1;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output->append(buffer, n);
  }
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int WaitForPortFile(const std::filesystem::path& path) {
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) {
      return port;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// A TLS client connection to the gateway, verifying the server with `ca_pem` (and that the
// certificate names 127.0.0.1).
class TlsClient {
 public:
  TlsClient(int port, const std::string& ca_pem) : context_(ssl::context::tls_client) {
    context_.add_certificate_authority(asio::buffer(ca_pem));
    context_.set_verify_mode(ssl::verify_peer);
    context_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    stream_.emplace(io_, context_);
    beast::get_lowest_layer(*stream_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(*stream_).connect(asio::ip::tcp::endpoint(
        asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }

  beast::error_code Handshake() {
    beast::error_code ec;
    stream_->handshake(ssl::stream_base::client, ec);
    return ec;
  }

  HttpReply Fetch(bhttp::verb method, const std::string& target, const std::string& body,
                  const std::string& token) {
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    if (!token.empty()) {
      request.set(bhttp::field::authorization, "Bearer " + token);
    }
    if (!body.empty()) {
      request.set(bhttp::field::content_type, "application/json");
    }
    request.body() = body;
    request.prepare_payload();
    bhttp::write(*stream_, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(*stream_, buffer, response);
    HttpReply reply;
    reply.status = response.result_int();
    for (const auto& field : response) {
      reply.headers[field.name_string().to_string()] = field.value().to_string();
    }
    reply.body = response.body();
    return reply;
  }

  // Reads what comes until `needle` appears (or 10 s pass); what was read.
  std::string ReadUntil(const std::string& needle) {
    std::string data;
    char chunk[1024];
    while (data.find(needle) == std::string::npos) {
      beast::error_code ec;
      const size_t n = stream_->read_some(asio::buffer(chunk), ec);
      if (ec) {
        break;
      }
      data.append(chunk, n);
    }
    return data;
  }

  void WriteRaw(const std::string& text) { asio::write(*stream_, asio::buffer(text)); }

 private:
  asio::io_context io_;
  ssl::context context_;
  std::optional<ssl::stream<beast::tcp_stream>> stream_;
};

// Sends `bytes` on a plain TCP connection and reads until the server closes it (10 s at most);
// what the server answered.
std::string SendRaw(int port, const std::string& bytes) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port)));
  asio::write(stream, asio::buffer(bytes));
  std::string answer;
  char chunk[1024];
  while (true) {
    beast::error_code ec;
    const size_t n = stream.read_some(asio::buffer(chunk), ec);
    if (ec) {
      EXPECT_NE(ec, beast::error::timeout) << "the server kept the connection open";
      break;
    }
    answer.append(chunk, n);
  }
  return answer;
}

// A port where something answers that is not TLS (a web server of another kind): it answers
// every connection with an HTTP 400 and closes it.
class NotTlsListener {
 public:
  NotTlsListener()
      : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        port_(acceptor_.local_endpoint().port()) {
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~NotTlsListener() {
    io_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  void Accept() {
    acceptor_.async_accept([this](beast::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) {
        return;
      }
      static const std::string kAnswer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
      beast::error_code ignored;
      asio::write(socket, asio::buffer(kAnswer), ignored);
      socket.close(ignored);
      Accept();
    });
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  const int port_;
  std::thread thread_;
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_dir_ = dir_.path() / "tls";
    std::string output;
    ASSERT_EQ(0, RunShell(std::string("bash ") + RECIPROCA_MAKE_CERTS + " --dir " +
                              tls_dir_.string() + " 127.0.0.1",
                          &output))
        << output;
    EXPECT_EQ(std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
              std::filesystem::status(tls_dir_ / "server.key").permissions());
    EXPECT_EQ(std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
              std::filesystem::status(tls_dir_ / "ca.key").permissions());
    ca_pem_ = ReadAll(tls_dir_ / "ca.crt");
    ASSERT_NE(std::string::npos, ca_pem_.find("BEGIN CERTIFICATE"));

    const std::filesystem::path port_file = dir_.path() / "port";
    const std::filesystem::path http_port_file = dir_.path() / "http-port";
    const std::string cert = (tls_dir_ / "server.crt").string();
    const std::string key = (tls_dir_ / "server.key").string();
    const std::string data_dir = (dir_.path() / "data").string();
    std::vector<std::string> args = {RECIPROCAD_PATH,   "--listen", "127.0.0.1:0",
                                     "--data-dir",      data_dir,   "--port-file",
                                     port_file.string()};
    args.insert(args.end(), {"--http-listen", "127.0.0.1:0", "--http-port-file",
                             http_port_file.string(), "--log-level", "warn"});
    args.insert(args.end(), {"--tls-cert", cert, "--tls-key", key});
    args.insert(args.end(), {"--http-tls-cert", cert, "--http-tls-key", key});
    for (const std::string& arg : ExtraArgs()) {
      args.push_back(arg);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    server_log_ = dir_.path() / "server.log";
    pid_ = fork();
    if (pid_ == 0) {
      setenv("RECIPROCA_ADMIN_TOKEN", kAdminToken, 1);
      unsetenv("GRPC_VERBOSITY");
      const int log = open(server_log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
      execv(RECIPROCAD_PATH, argv.data());
      _exit(127);
    }
    port_ = WaitForPortFile(port_file);
    http_port_ = WaitForPortFile(http_port_file);
    ASSERT_GT(port_, 0);
    ASSERT_GT(http_port_, 0);
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "reciprocad did not stop cleanly: " << status;
    }
  }

  // More flags for reciprocad.
  virtual std::vector<std::string> ExtraArgs() const { return {}; }

  bool ServerAlive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

  HttpReply WhoAmI() {
    TlsClient client(http_port_, ca_pem_);
    EXPECT_FALSE(client.Handshake());
    return client.Fetch(bhttp::verb::post, "/api/reciproca.v1.ChapterService/WhoAmI", "{}",
                        kAdminToken);
  }

  // The CLI against the gRPC port (or `port`): its exit code; its output in `output`.
  int Cli(const std::string& flags, std::string* output, int port = 0) {
    return RunShell(std::string("RECIPROCA_TLS= RECIPROCA_CA_CERT= ") + RECIPROCA_CLI_PATH +
                        " --server 127.0.0.1:" + std::to_string(port > 0 ? port : port_) +
                        " --token " + kAdminToken + " " + flags + " whoami",
                    output);
  }

  TempDir dir_;
  std::filesystem::path tls_dir_;
  std::filesystem::path server_log_;  // reciprocad's stdout and stderr
  std::string ca_pem_;
  pid_t pid_ = -1;
  int port_ = 0;
  int http_port_ = 0;
};

TEST_F(TlsTest, HttpsJsonCallWorksWithTheCa) {
  const HttpReply reply = WhoAmI();
  EXPECT_EQ(200, reply.status) << reply.body;
  EXPECT_NE(std::string::npos, reply.body.find("PRINCIPAL_KIND_ADMIN")) << reply.body;
  EXPECT_EQ("max-age=15552000", reply.header("Strict-Transport-Security"));
  // The page is served too, with the same headers.
  TlsClient page(http_port_, ca_pem_);
  ASSERT_FALSE(page.Handshake());
  const HttpReply app = page.Fetch(bhttp::verb::get, "/app/", "", "");
  EXPECT_EQ(200, app.status);
  EXPECT_EQ("max-age=15552000", app.header("Strict-Transport-Security"));
}

TEST_F(TlsTest, EventStreamRunsOverHttps) {
  TlsClient events(http_port_, ca_pem_);
  ASSERT_FALSE(events.Handshake());
  const std::string create =
      R"({"chapter_id":"rome","request_id":"create-rome","chapter":{"display_name":"Rome",)"
      R"("meeting_weekday":"WEEKDAY_TUESDAY","meeting_time":"07:00","time_zone":"Europe/Rome",)"
      R"("currency":"EUR"}})";
  TlsClient creator(http_port_, ca_pem_);
  ASSERT_FALSE(creator.Handshake());
  ASSERT_EQ(200, creator
                     .Fetch(bhttp::verb::post, "/api/reciproca.v1.ChapterService/CreateChapter",
                            create, kAdminToken)
                     .status);
  events.WriteRaw(
      "GET /api/events?chapter=chapters/rome&after_seq=0 HTTP/1.1\r\nHost: "
      "127.0.0.1\r\nAuthorization: Bearer " +
      std::string(kAdminToken) + "\r\n\r\n");
  const std::string head = events.ReadUntil("event: event\n");
  EXPECT_NE(std::string::npos, head.find("HTTP/1.1 200")) << head;
  EXPECT_NE(std::string::npos, head.find("text/event-stream")) << head;
  EXPECT_NE(std::string::npos, head.find("Strict-Transport-Security")) << head;
  EXPECT_NE(std::string::npos, head.find("event: event\n")) << head;
}

TEST_F(TlsTest, GrpcServesTlsWithTheCa) {
  client::Options options;
  options.target = "127.0.0.1:" + std::to_string(port_);
  options.token = kAdminToken;
  options.tls_root_certs = ca_pem_;
  client::Client client(options);
  v1::WhoAmIRequest request;
  v1::WhoAmIResponse response;
  auto context = client.NewContext();
  const grpc::Status status = client.chapters().WhoAmI(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, AClientThatDoesNotTrustTheCaIsRefused) {
  TlsClient stranger(http_port_, ReadAll(tls_dir_ / "server.crt"));  // not the CA
  EXPECT_TRUE(stranger.Handshake());
  EXPECT_EQ(200, WhoAmI().status);
}

TEST_F(TlsTest, PlainHttpToTheHttpsPortIsToldToUseHttps) {
  const std::string answer = SendRaw(http_port_,
                                     "POST /api/reciproca.v1.ChapterService/WhoAmI HTTP/1.1\r\n"
                                     "Host: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(0u, answer.rfind("HTTP/1.1 400", 0)) << answer;
  EXPECT_NE(std::string::npos, answer.find("use https://")) << answer;
  EXPECT_TRUE(ServerAlive());
  EXPECT_EQ(200, WhoAmI().status);
}

TEST_F(TlsTest, AClientThatLeavesWithoutCloseNotifyIsNoBadRequest) {
  {
    TlsClient idle(http_port_, ca_pem_);  // closes its socket with no TLS close_notify
    ASSERT_FALSE(idle.Handshake());
  }
  {
    TlsClient done(http_port_, ca_pem_);
    ASSERT_FALSE(done.Handshake());
    ASSERT_EQ(200, done.Fetch(bhttp::verb::get, "/healthz", "", "").status);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  TlsClient scraper(http_port_, ca_pem_);
  ASSERT_FALSE(scraper.Handshake());
  const HttpReply metrics = scraper.Fetch(bhttp::verb::get, "/metrics", "", "");
  ASSERT_EQ(200, metrics.status);
  EXPECT_NE(std::string::npos, metrics.body.find("route=\"/healthz\",status=\"200\""))
      << metrics.body;
  EXPECT_EQ(std::string::npos, metrics.body.find("status=\"400\"")) << metrics.body;
}

TEST_F(TlsTest, GarbageHandshakesDoNotHurtTheServer) {
  // Not TLS at all, a TLS record header with junk behind it, and a ClientHello cut short.
  const std::string garbage[] = {
      std::string(300, '\xff'),
      std::string("\x16\x03\x01\x00\x30", 5) + std::string(48, '\x41'),
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(40, '\0'),
  };
  for (const std::string& bytes : garbage) {
    const std::string answer = SendRaw(http_port_, bytes);
    EXPECT_EQ(std::string::npos, answer.find("HTTP/1.1 200"));
    EXPECT_TRUE(ServerAlive());
  }
  // A connection that completes TLS and then sends garbage gets a 400, as on plain HTTP.
  TlsClient junk(http_port_, ca_pem_);
  ASSERT_FALSE(junk.Handshake());
  junk.WriteRaw("\x01\x02\x03 nonsense\r\n\r\n");
  EXPECT_NE(std::string::npos, junk.ReadUntil("\r\n\r\n").find("400")) << "expected a 400";
  EXPECT_TRUE(ServerAlive());
  EXPECT_EQ(200, WhoAmI().status);
}

TEST_F(TlsTest, CliWithTheCaCertWorks) {
  std::string output;
  EXPECT_EQ(0, Cli("--ca-cert " + (tls_dir_ / "ca.crt").string(), &output)) << output;
  EXPECT_NE(std::string::npos, output.find("admin")) << output;
  // The environment does the same.
  output.clear();
  EXPECT_EQ(0, RunShell("RECIPROCA_CA_CERT=" + (tls_dir_ / "ca.crt").string() + " " +
                            RECIPROCA_CLI_PATH + " --server 127.0.0.1:" + std::to_string(port_) +
                            " --token " + kAdminToken + " whoami",
                        &output))
      << output;
  // --tls ($RECIPROCA_TLS=1) trusts the system's authorities: OpenSSL's bundle, which
  // $SSL_CERT_FILE names (here: the local CA, as if it were installed on the machine).
  output.clear();
  EXPECT_EQ(0, RunShell("RECIPROCA_CA_CERT= RECIPROCA_TLS=1 SSL_CERT_FILE=" +
                            (tls_dir_ / "ca.crt").string() + " " + RECIPROCA_CLI_PATH +
                            " --server 127.0.0.1:" + std::to_string(port_) + " --token " +
                            kAdminToken + " whoami",
                        &output))
      << output;
}

TEST_F(TlsTest, CliWithoutTheCaSaysWhatToDo) {
  const std::string server = "cannot reach reciprocad at 127.0.0.1:" + std::to_string(port_);
  // TLS with the system's authorities: the local CA is not one of them.
  std::string output;
  EXPECT_EQ(4, Cli("--tls", &output)) << output;
  EXPECT_NE(std::string::npos, output.find(server + " over TLS: its certificate is not trusted"))
      << output;
  EXPECT_NE(std::string::npos, output.find("hint: pass --ca-cert FILE")) << output;
  EXPECT_EQ(std::string::npos, output.find("Handshake failed")) << "gRPC's own log line shows";
  // Another local authority (another machine's make-certs.sh), not the one that signed the
  // server's certificate.
  const std::filesystem::path other = dir_.path() / "other-tls";
  ASSERT_EQ(0, RunShell(std::string("bash ") + RECIPROCA_MAKE_CERTS + " --dir " + other.string() +
                            " 127.0.0.1",
                        &output))
      << output;
  output.clear();
  EXPECT_EQ(4, Cli("--ca-cert " + (other / "ca.crt").string(), &output)) << output;
  EXPECT_NE(std::string::npos, output.find(server + " over TLS: its certificate is not trusted"))
      << output;
  EXPECT_NE(std::string::npos, output.find("is not the authority that signed")) << output;
  // Plain text to a TLS server.
  output.clear();
  EXPECT_EQ(4, Cli("", &output)) << output;
  EXPECT_NE(std::string::npos, output.find(server + ": the server speaks TLS")) << output;
  EXPECT_NE(std::string::npos, output.find("hint: pass --ca-cert FILE")) << output;
  // A file that is not a certificate is a usage error.
  output.clear();
  EXPECT_EQ(2, Cli("--ca-cert " + (tls_dir_ / "server.key").string(), &output)) << output;
  EXPECT_NE(std::string::npos, output.find("holds no PEM certificate")) << output;
  EXPECT_TRUE(ServerAlive());
  // gRPC's line about each failed handshake stays out of the server's log (any client could
  // fill it); --log-level debug shows it.
  EXPECT_EQ(std::string::npos, ReadAll(server_log_).find("Handshake failed"))
      << ReadAll(server_log_);
}

TEST_F(TlsTest, CliWithTlsToAPortWithoutTlsSaysSo) {
  NotTlsListener plain;
  std::string output;
  EXPECT_EQ(4, Cli("--ca-cert " + (tls_dir_ / "ca.crt").string(), &output, plain.port())) << output;
  EXPECT_NE(std::string::npos,
            output.find("cannot reach reciprocad at 127.0.0.1:" + std::to_string(plain.port()) +
                        " over TLS: the server does not speak TLS there"))
      << output;
  EXPECT_NE(std::string::npos, output.find("hint: leave out --tls and --ca-cert")) << output;
  // gRPC's own log line about the failed handshake is not shown.
  EXPECT_EQ(std::string::npos, output.find("ssl_transport_security")) << output;
}

TEST_F(TlsTest, AKeyThatIsNotTheCertificatesStopsTheServerAtStart) {
  const std::string data_dir = (dir_.path() / "other-data").string();
  std::string output;
  const int code = RunShell(
      std::string("timeout 30 ") + RECIPROCAD_PATH + " --listen 127.0.0.1:0 --data-dir " +
          data_dir + " --http-listen 127.0.0.1:0 --http-tls-cert " +
          (tls_dir_ / "server.crt").string() + " --http-tls-key " + (tls_dir_ / "ca.key").string(),
      &output);
  EXPECT_NE(0, code) << output;
  EXPECT_NE(124, code) << "reciprocad served with a key that is not its certificate's";
  EXPECT_NE(std::string::npos, output.find("not the key of --http-tls-cert")) << output;
}

// A server that takes one HTTPS connection per client address.
class TlsLimitTest : public TlsTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--http-max-connections-per-address", "1"};
  }
};

TEST_F(TlsLimitTest, AConnectionOverTheLimitIsAnsweredOverTls) {
  TlsClient first(http_port_, ca_pem_);
  ASSERT_FALSE(first.Handshake());
  // The answer comes after the handshake, so a browser shows it rather than a TLS error.
  TlsClient second(http_port_, ca_pem_);
  ASSERT_FALSE(second.Handshake());
  const std::string answer = second.ReadUntil("}");
  EXPECT_EQ(0u, answer.rfind("HTTP/1.1 503", 0)) << answer;
  EXPECT_NE(std::string::npos, answer.find("Retry-After: 5")) << answer;
  EXPECT_NE(std::string::npos, answer.find("RESOURCE_EXHAUSTED")) << answer;
  EXPECT_NE(std::string::npos, answer.find("--http-max-connections-per-address")) << answer;
  // The connection that holds the slot is served as usual.
  const HttpReply reply =
      first.Fetch(bhttp::verb::post, "/api/reciproca.v1.ChapterService/WhoAmI", "{}", kAdminToken);
  EXPECT_EQ(200, reply.status) << reply.body;
}

}  // namespace
}  // namespace reciproca::testing
