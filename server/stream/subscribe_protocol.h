#pragma once

// What a Subscribe call tells its client besides the events: shared by the gRPC service that
// sends it (server/api) and the HTTP gateway that reads it as an in-process client (server/http).

#include <cstddef>
#include <cstdint>
#include <string>

namespace reciproca::stream {

// Sent in a subscription's initial metadata once it is accepted (authenticated, within the
// stream limit, the chapter readable): the HTTP gateway opens its event stream only then.
inline constexpr char kStreamAcceptedKey[] = "reciproca-stream";

// Sent in the trailing metadata of a subscription ended by the subscriber queue bound
// (docs/limits.md): the after_seq to resubscribe with. The gateway's SSE error frame carries it
// as `resumeAfterSeq`.
inline constexpr char kResumeAfterSeqKey[] = "resume-after-seq";

// The RESOURCE_EXHAUSTED message of a stream ended by the subscriber queue bound of `bound`
// bytes (Limits::subscriber_queue_bytes), gRPC's and the SSE error frame's alike.
inline std::string QueueBoundMessage(size_t bound, int64_t resume_after_seq) {
  return "this stream left more than " + std::to_string(bound) +
         " bytes of events waiting (its client is not reading); resubscribe with after_seq=" +
         std::to_string(resume_after_seq) + " (or the last seq you received, if later)";
}

}  // namespace reciproca::stream
