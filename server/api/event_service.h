#pragma once

// Subscribe: replay after `after_seq`, then live. Implemented on the raw (ByteBuffer) callback
// API so that an event is serialized once, at commit, and the same bytes go to every subscriber.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "reciproca/v1/event_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/stream/event_feed.h"

namespace reciproca::api {

// Sent in a subscription's initial metadata once it is accepted (authenticated, within the
// stream limit, the chapter readable): the HTTP gateway opens its event stream only then.
inline constexpr char kStreamAcceptedKey[] = "reciproca-stream";

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
  // A slot of the principal's stream count, given back when the stream ends; nullptr when the
  // principal has `limit_.per_principal` open.
  std::shared_ptr<void> TakeSlot(const domain::Principal& principal);

  stream::EventHub& hub_;
  const StreamLimit limit_;
  // Open streams per principal; shared with the slots, which may outlive the service.
  struct Slots {
    std::mutex mu;
    std::map<std::string, size_t> open;
  };
  std::shared_ptr<Slots> slots_ = std::make_shared<Slots>();
};

}  // namespace reciproca::api
