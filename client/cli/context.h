#pragma once

// What every command gets: the connected client, the output mode, the id expander, and calls
// that turn a failed RPC into an RpcError (exit code 3, or 4 when the server is unreachable).

#include <grpcpp/grpcpp.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "client/cli/args.h"
#include "client/cli/names.h"
#include "client/lib/client.h"

namespace reciproca::cli {

struct GlobalOptions {
  // "host:port": --server, else $RECIPROCA_SERVER, else 127.0.0.1:50051.
  std::string server;
  // --token, else $RECIPROCA_TOKEN. Never printed.
  std::string token;
  // TLS: --tls ($RECIPROCA_TLS=1) trusts the system's certificate authorities; --ca-cert FILE
  // ($RECIPROCA_CA_CERT) trusts FILE's instead (deploy/make-certs.sh's ca.crt) and implies --tls.
  bool tls = false;
  std::string ca_cert;
  bool json = false;
};

// An RPC that failed. `unreachable` when the server could not be reached at all.
class RpcError : public std::runtime_error {
 public:
  RpcError(grpc::Status status, bool unreachable);

  const grpc::Status& status() const { return status_; }
  bool unreachable() const { return unreachable_; }

 private:
  grpc::Status status_;
  bool unreachable_;
};

// "INVALID_ARGUMENT" for grpc::StatusCode::INVALID_ARGUMENT.
std::string StatusCodeName(grpc::StatusCode code);

class Context {
 public:
  Context(const GlobalOptions& options, const ParsedArgs& args);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const client::Client& client() const { return client_; }
  const GlobalOptions& options() const { return options_; }
  bool json() const { return options_.json; }
  Names& names() { return names_; }

  // The request id of a mutation: --request-id, else a fresh one. Compute it once per command
  // and put it in the request, so every retry carries the same id.
  std::string RequestId() const;

  // Calls `call` with CallWithRetry (safe: reads, and mutations with a request_id); throws
  // RpcError unless it succeeds.
  void Call(const std::function<grpc::Status(grpc::ClientContext*)>& call) const;

  // Throws RpcError unless `status` is OK.
  void Check(const grpc::Status& status) const;

  // The IANA time zone of `chapter` (GetChapter), in which dates and times typed without an
  // offset are read. Empty (UTC) with a warning naming `reading` ("--start") when this
  // machine's TZ database does not know the chapter's zone.
  std::string ChapterTimeZone(const std::string& chapter, std::string_view reading);

 private:
  GlobalOptions options_;
  std::string request_id_;
  client::Client client_;
  Names names_;
};

}  // namespace reciproca::cli
