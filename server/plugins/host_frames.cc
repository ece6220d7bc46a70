#include "server/plugins/host_frames.h"

namespace reciproca::plugins {

void AppendFrame(const google::protobuf::MessageLite& message, std::string* out) {
  const size_t size = message.ByteSizeLong();
  const auto length = static_cast<uint32_t>(size);
  for (int shift = 0; shift < 32; shift += 8) {
    out->push_back(static_cast<char>((length >> shift) & 0xFF));
  }
  const size_t at = out->size();
  out->resize(at + size);
  message.SerializeToArray(out->data() + at, static_cast<int>(size));
}

FrameBuffer::Next FrameBuffer::Take(std::string* frame) {
  const size_t available = buffer_.size() - start_;
  if (available < 4) {
    return Next::kIncomplete;
  }
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) {
    length |= static_cast<uint32_t>(static_cast<unsigned char>(buffer_[start_ + i])) << (8 * i);
  }
  if (length > kMaxHostFrameBytes) {
    return Next::kTooLarge;
  }
  if (available < 4 + static_cast<size_t>(length)) {
    return Next::kIncomplete;
  }
  frame->assign(buffer_, start_ + 4, length);
  start_ += 4 + length;
  // Compact once the consumed prefix dominates, so the buffer never grows without bound.
  if (start_ > 4096 && start_ * 2 > buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  return Next::kFrame;
}

}  // namespace reciproca::plugins
