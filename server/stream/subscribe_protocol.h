#pragma once

// What a Subscribe call tells its client besides the events: shared by the gRPC service that
// sends it (server/api) and the HTTP gateway that reads it as an in-process client (server/http).

namespace reciproca::stream {

// Sent in a subscription's initial metadata once it is accepted (authenticated, within the
// stream limit, the chapter readable): the HTTP gateway opens its event stream only then.
inline constexpr char kStreamAcceptedKey[] = "reciproca-stream";

}  // namespace reciproca::stream
