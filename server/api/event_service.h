#pragma once

// Subscribe: replay after `after_seq`, then live. Implemented on the raw (ByteBuffer) callback
// API so that an event is serialized once, at commit, and the same bytes go to every subscriber.

#include <functional>
#include <memory>
#include <string>

#include "reciproca/v1/event_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/api/call_limits.h"
#include "server/stream/event_feed.h"
#include "server/stream/subscribe_protocol.h"

namespace reciproca::api {

// How many event streams one principal (a member, a chapter's display, the admin) may have open
// at once; `refused` is told each refusal (for /metrics and a rate-limited log line).
struct StreamLimit {
  size_t per_principal = 16;
  std::function<void(const std::string& why)> refused;
};

class EventService final
    : public v1::EventService::WithRawCallbackMethod_Subscribe<v1::EventService::Service>,
      private ServiceBase {
 public:
  EventService(engine::Engine& engine, const engine::TokenRegistry& tokens, stream::EventHub& hub,
               StreamLimit limit = {});

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request) override;

 private:
  stream::EventHub& hub_;
  const StreamLimit limit_;
  // Open streams per principal (engine::LimitKey).
  ConcurrencyLimit streams_;
};

}  // namespace reciproca::api
