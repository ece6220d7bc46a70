#pragma once

// An immutable, reference-counted byte string: one serialized event, written to every subscriber
// without a copy. Copying a SharedBytes shares the bytes; nothing can change them once made.
// The transports (api, http) wrap the bytes in their own buffer type and keep a reference until
// the write is done.

#include <memory>
#include <string>
#include <string_view>

namespace reciproca::stream {

class SharedBytes {
 public:
  SharedBytes() = default;
  explicit SharedBytes(std::string bytes)
      : bytes_(std::make_shared<const std::string>(std::move(bytes))) {}

  std::string_view view() const { return bytes_ ? std::string_view(*bytes_) : std::string_view(); }
  size_t size() const { return bytes_ ? bytes_->size() : 0; }
  bool empty() const { return size() == 0; }
  // The shared owner, for a transport buffer that must hold the bytes alive (never null once
  // the bytes are set; null for a default-constructed SharedBytes).
  const std::shared_ptr<const std::string>& owner() const { return bytes_; }

 private:
  std::shared_ptr<const std::string> bytes_;
};

}  // namespace reciproca::stream
