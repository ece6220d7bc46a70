#pragma once

// What a Subscribe call tells its client besides the events: shared by the gRPC service that
// sends it (server/api) and the HTTP gateway that reads it as an in-process client (server/http).

namespace reciproca::stream {

// Sent in a subscription's initial metadata once it is accepted (authenticated, within the
// stream limit, the chapter readable): the HTTP gateway opens its event stream only then.
inline constexpr char kStreamAcceptedKey[] = "reciproca-stream";

// Sent in the trailing metadata of a subscription ended by the subscriber queue bound
// (docs/limits.md): the after_seq to resubscribe with. The gateway's SSE error frame carries it
// as `resumeAfterSeq`.
inline constexpr char kResumeAfterSeqKey[] = "resume-after-seq";

}  // namespace reciproca::stream
