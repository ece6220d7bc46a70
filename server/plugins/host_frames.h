#pragma once

// The framing of the server <-> plugin-host wire (proto/reciproca/plugin/v1/host.proto): each
// message is a 4-byte little-endian length followed by that many bytes. Both sides use this one
// codec; it knows nothing of sockets, so each side does its own (blocking or deadline-bound) I/O.

#include <google/protobuf/message_lite.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace reciproca::plugins {

// The largest frame either side accepts; a longer length prefix means a broken peer.
constexpr uint32_t kMaxHostFrameBytes = 16u << 20;

// Appends `message` as one frame to `out` (so several frames can go out in one write).
void AppendFrame(const google::protobuf::MessageLite& message, std::string* out);

// Bytes read from the peer, cut into frames.
class FrameBuffer {
 public:
  enum class Next { kFrame, kIncomplete, kTooLarge };

  void Append(const char* data, size_t size) { buffer_.append(data, size); }
  // kFrame: `frame` holds the next frame's payload (removed from the buffer). kIncomplete: read
  // more first. kTooLarge: the peer announced a frame over kMaxHostFrameBytes.
  Next Take(std::string* frame);

 private:
  std::string buffer_;
  size_t start_ = 0;
};

}  // namespace reciproca::plugins
