#include "client/cli/context.h"

#include <openssl/x509.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "client/cli/local_time.h"

namespace reciproca::cli {
namespace {

std::string ReadPem(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) {
    throw UsageError("cannot read " + what + " " + path);
  }
  std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    throw UsageError(what + " " + path + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  return pem;
}

// The system's certificate authorities: OpenSSL's default bundle ($SSL_CERT_FILE, else the one
// OpenSSL was built with); empty (gRPC's own roots) when there is none.
std::string SystemRoots() {
  const char* env = std::getenv(X509_get_default_cert_file_env());
  const std::string path = env != nullptr && *env != '\0' ? env : X509_get_default_cert_file();
  std::ifstream in(path);
  return in ? std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}
            : std::string();
}

client::Options ClientOptions(const GlobalOptions& options) {
  client::Options client_options;
  client_options.target = options.server;
  client_options.token = options.token;
  client_options.tls = options.tls || !options.ca_cert.empty();
  if (!options.ca_cert.empty()) {
    client_options.tls_root_certs = ReadPem(options.ca_cert, "--ca-cert");
  } else if (client_options.tls) {
    client_options.tls_root_certs = SystemRoots();
  }
  return client_options;
}

}  // namespace

RpcError::RpcError(grpc::Status status, bool unreachable)
    : std::runtime_error(status.error_message()),
      status_(std::move(status)),
      unreachable_(unreachable) {}

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

Context::Context(const GlobalOptions& options, const ParsedArgs& args)
    : options_(options),
      request_id_(args.Get("request-id")),
      client_(ClientOptions(options)),
      names_(*this, args.Get("chapter")) {}

std::string Context::RequestId() const {
  return request_id_.empty() ? client::Client::NewRequestId() : request_id_;
}

void Context::Call(const std::function<grpc::Status(grpc::ClientContext*)>& call) const {
  Check(client_.CallWithRetry(call));
}

void Context::Check(const grpc::Status& status) const {
  if (status.ok()) {
    return;
  }
  bool unreachable = status.error_code() == grpc::StatusCode::UNAVAILABLE;
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    // A deadline on a channel that never connected means nobody answered at that address.
    unreachable = client_.channel()->GetState(false) != GRPC_CHANNEL_READY;
  }
  throw RpcError(status, unreachable);
}

std::string Context::ChapterTimeZone(const std::string& chapter, std::string_view reading) {
  v1::GetChapterRequest get;
  get.set_name(chapter);
  v1::Chapter answer;
  Call([&](grpc::ClientContext* rpc) { return client().chapters().GetChapter(rpc, get, &answer); });
  std::string time_zone = answer.time_zone();
  if (!KnownTimeZone(time_zone)) {
    std::cerr << "warning: time zone \"" << time_zone
              << "\" is not in this machine's TZ database; reading " << reading << " as UTC\n";
    time_zone.clear();
  }
  return time_zone;
}

}  // namespace reciproca::cli
