#pragma once

// The C++ client library: one channel to reciprocad, the bearer token on every call, one stub
// per service, and calls that retry safely.
//
// Retries: a mutation carries a request_id, so resending it after UNAVAILABLE or
// DEADLINE_EXCEEDED is safe (the server answers a repeat with the first answer and records
// nothing twice). CallWithRetry does exactly that, with the same request each time.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "reciproca/v1/chapter_service.grpc.pb.h"
#include "reciproca/v1/event_service.grpc.pb.h"
#include "reciproca/v1/import_service.grpc.pb.h"
#include "reciproca/v1/insight_service.grpc.pb.h"
#include "reciproca/v1/meeting_service.grpc.pb.h"
#include "reciproca/v1/member_service.grpc.pb.h"
#include "reciproca/v1/plugin_service.grpc.pb.h"
#include "reciproca/v1/referral_service.grpc.pb.h"
#include "reciproca/v1/report_service.grpc.pb.h"

namespace reciproca::client {

struct Options {
  // "host:port".
  std::string target = "127.0.0.1:50051";
  // The bearer token; empty sends no authorization header.
  std::string token;
  // TLS: on when `tls` or when tls_root_certs (PEM root certificates) is set; with `tls` alone,
  // gRPC's default roots.
  bool tls = false;
  std::string tls_root_certs;
  // Deadline of each unary call.
  std::chrono::milliseconds call_timeout{10000};
};

class Client {
 public:
  explicit Client(const Options& options);
  // A client sharing this one's channel but calling with another token.
  Client WithToken(std::string token) const;

  const Options& options() const { return options_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // A context with the authorization header and the unary deadline (none when `streaming`).
  std::unique_ptr<grpc::ClientContext> NewContext(bool streaming = false) const;

  // Waits until the channel is connected; false after `timeout`.
  bool WaitForConnected(std::chrono::milliseconds timeout) const;

  v1::ChapterService::Stub& chapters() const { return *chapters_; }
  v1::MemberService::Stub& members() const { return *members_; }
  v1::MeetingService::Stub& meetings() const { return *meetings_; }
  v1::ReferralService::Stub& referrals() const { return *referrals_; }
  v1::EventService::Stub& events() const { return *events_; }
  v1::ReportService::Stub& reports() const { return *reports_; }
  v1::PluginService::Stub& plugins() const { return *plugins_; }
  v1::InsightService::Stub& insights() const { return *insights_; }
  v1::ImportService::Stub& imports() const { return *imports_; }

  // Calls `call(context)` and, while it fails with UNAVAILABLE or DEADLINE_EXCEEDED, calls again
  // with a fresh context, up to `attempts` times with a growing pause. Use only for idempotent
  // calls: reads, and mutations that carry a request_id.
  grpc::Status CallWithRetry(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                             int attempts = 5) const;

  // A fresh random request id (128 bits, hex).
  static std::string NewRequestId();

 private:
  Client(Options options, std::shared_ptr<grpc::Channel> channel);

  Options options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<v1::ChapterService::Stub> chapters_;
  std::shared_ptr<v1::MemberService::Stub> members_;
  std::shared_ptr<v1::MeetingService::Stub> meetings_;
  std::shared_ptr<v1::ReferralService::Stub> referrals_;
  std::shared_ptr<v1::EventService::Stub> events_;
  std::shared_ptr<v1::ReportService::Stub> reports_;
  std::shared_ptr<v1::PluginService::Stub> plugins_;
  std::shared_ptr<v1::InsightService::Stub> insights_;
  std::shared_ptr<v1::ImportService::Stub> imports_;
};

}  // namespace reciproca::client
