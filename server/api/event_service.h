#pragma once

// Subscribe: replay after `after_seq`, then live. Implemented on the raw (ByteBuffer) callback
// API so that an event is serialized once, at commit, and the same bytes go to every subscriber.

#include "reciproca/v1/event_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/stream/event_feed.h"

namespace reciproca::api {

class EventService final
    : public v1::EventService::WithRawCallbackMethod_Subscribe<v1::EventService::Service>,
      private ServiceBase {
 public:
  EventService(engine::Engine& engine, const engine::TokenRegistry& tokens, stream::EventHub& hub)
      : ServiceBase(engine, tokens), hub_(hub) {}

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request) override;

 private:
  stream::EventHub& hub_;
};

}  // namespace reciproca::api
