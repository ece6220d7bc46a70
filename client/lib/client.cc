#include "client/lib/client.h"

#include <random>
#include <thread>

namespace reciproca::client {
namespace {

std::shared_ptr<grpc::Channel> MakeChannel(const Options& options) {
  grpc::ChannelArguments args;
  // Phones and laptops on flaky networks: notice a dead connection within a minute.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (!options.tls && options.tls_root_certs.empty()) {
    creds = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_root_certs;
    creds = grpc::SslCredentials(ssl);
  }
  return grpc::CreateCustomChannel(options.target, creds, args);
}

}  // namespace

Client::Client(const Options& options) : Client(options, MakeChannel(options)) {}

Client::Client(Options options, std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      chapters_(v1::ChapterService::NewStub(channel_)),
      members_(v1::MemberService::NewStub(channel_)),
      meetings_(v1::MeetingService::NewStub(channel_)),
      referrals_(v1::ReferralService::NewStub(channel_)),
      events_(v1::EventService::NewStub(channel_)),
      reports_(v1::ReportService::NewStub(channel_)),
      plugins_(v1::PluginService::NewStub(channel_)),
      insights_(v1::InsightService::NewStub(channel_)),
      imports_(v1::ImportService::NewStub(channel_)) {}

Client Client::WithToken(std::string token) const {
  Options options = options_;
  options.token = std::move(token);
  return Client(std::move(options), channel_);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext(bool streaming) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options_.token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options_.token);
  }
  if (!streaming) {
    context->set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
  }
  return context;
}

bool Client::WaitForConnected(std::chrono::milliseconds timeout) const {
  return channel_->WaitForConnected(std::chrono::system_clock::now() + timeout);
}

grpc::Status Client::CallWithRetry(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                                   int attempts) const {
  grpc::Status status;
  std::chrono::milliseconds pause{100};
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    auto context = NewContext();
    status = call(context.get());
    const bool transient = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    if (!transient || attempt == attempts) {
      break;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{2000});
  }
  return status;
}

std::string Client::NewRequestId() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 2; ++i) {
    uint64_t bits = generator();
    for (int j = 0; j < 16; ++j) {
      id.push_back(kHex[bits & 0xF]);
      bits >>= 4;
    }
  }
  return id;
}

}  // namespace reciproca::client
