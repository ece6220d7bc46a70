#pragma once

// Drives a plugin class the way reciprocad does, without a server: a host whose emit() records
// the outputs, events built with the plugin SDK's (lite) protobuf classes, and queries.

#include <google/protobuf/util/time_util.h>
#include <reciproca/plugin.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace reciproca::plugin_testing {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

// 2026-12-01T07:00:00Z.
inline constexpr int64_t kDay0 = 1796108400;
inline constexpr int64_t kDay = 86400;

inline google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

// The value of the text parameter `name` of a repeated plugin.v1.TextParam, "(none)" without it.
template <class TextParams>
std::string Param(const TextParams& params, const std::string& name) {
  for (const auto& param : params) {
    if (param.name() == name) {
      return param.value();
    }
  }
  return "(none)";
}

class RecordingHost {
 public:
  RecordingHost() {
    host_.struct_size = sizeof(reciproca_host);
    host_.abi_major = RECIPROCA_PLUGIN_ABI_MAJOR;
    host_.abi_minor = RECIPROCA_PLUGIN_ABI_MINOR;
    host_.context = this;
    host_.emit = [](void* context, const uint8_t* data, size_t size) {
      pv1::Output output;
      output.ParseFromArray(data, static_cast<int>(size));
      static_cast<RecordingHost*>(context)->outputs.push_back(output);
    };
    host_.log = [](void* context, int, const char* message) {
      static_cast<RecordingHost*>(context)->logs.emplace_back(message);
    };
  }
  sdk::Host host() const { return sdk::Host(&host_); }

  std::vector<pv1::Output> outputs;
  std::vector<std::string> logs;

 private:
  reciproca_host host_{};
};

// Builds a chapter's events with contiguous seqs, as the server would commit them.
class EventLog {
 public:
  explicit EventLog(std::string chapter = "chapters/rome") : chapter_(std::move(chapter)) {}

  std::string Member(int id) const { return chapter_ + "/members/" + std::to_string(id); }
  const std::string& chapter() const { return chapter_; }

  // A new event at `seconds` with the payload set by `fill`.
  template <class Fill>
  v1::Event Next(int64_t seconds, const std::string& actor, Fill fill) {
    v1::Event event;
    event.set_chapter(chapter_);
    event.set_seq(++seq_);
    *event.mutable_time() = At(seconds);
    event.set_actor(actor);
    fill(event);
    return event;
  }

 private:
  std::string chapter_;
  int64_t seq_ = 0;
};

}  // namespace reciproca::plugin_testing
