// The plugin output path: what a plugin hands the server, through the real plugin host of a whole
// in-process reciprocad (fuzz_server.h). fuzz_plugin.c, loaded in process, emits the outputs and
// answers the queries this harness gives it. Input: one byte picks when the plugin speaks (a
// clock tick, a committed event, or a query through the InsightService API), one byte which
// query; the rest is cut into frames with the plugin-host wire's own codec (host_frames.h: a
// 4-byte little-endian length, then the bytes): a query's answer is the first frame, otherwise
// each frame is one emitted Output (a mutated reciproca.plugin.v1.Output: see corpus/README.md).
//
// Asserted besides "no crash, no UB, no leak": the host finishes with the plugin within the
// deadline (outputs checked and recorded or refused); the API call answers, never INTERNAL,
// UNKNOWN or UNIMPLEMENTED; a plugin the host failed for its outputs can be reloaded.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "reciproca/v1/insight_service.grpc.pb.h"
#include "reciproca/v1/referral_service.grpc.pb.h"
#include "server/plugins/host_frames.h"
#include "tests/fuzz/fuzz_server.h"

namespace {

using reciproca::fuzz::Require;
namespace v1 = reciproca::v1;

std::mutex g_mu;
std::vector<std::string> g_frames;

constexpr char kPlugin[] = "fuzz";

void CheckStatus(const grpc::Status& status, const std::string& what) {
  const auto code = status.error_code();
  Require(code != grpc::StatusCode::INTERNAL && code != grpc::StatusCode::UNKNOWN &&
              code != grpc::StatusCode::UNIMPLEMENTED &&
              code != grpc::StatusCode::DEADLINE_EXCEEDED,
          what + " answered " + std::to_string(code) + " \"" + status.error_message() + "\"");
}

grpc::Status Ask(const reciproca::fuzz::World& world, uint8_t which) {
  static auto insights = v1::InsightService::NewStub(world.channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  reciproca::fuzz::Authorize(&context, world.TokenFor(which >> 2));
  switch (which % 4) {
    case 0: {
      v1::GetScoresRequest request;
      request.set_chapter(world.chapter);
      reciproca::plugin::v1::Scores response;
      return insights->GetScores(&context, request, &response);
    }
    case 1: {
      v1::GetLeaderboardRequest request;
      request.set_chapter(world.chapter);
      reciproca::plugin::v1::Leaderboard response;
      return insights->GetLeaderboard(&context, request, &response);
    }
    case 2: {
      v1::ListRemindersRequest request;
      request.set_chapter(world.chapter);
      request.set_member(world.members[which & 0x10 ? 1 : 2]);
      reciproca::plugin::v1::Reminders response;
      return insights->ListReminders(&context, request, &response);
    }
    default: {
      v1::ListRelationshipsRequest request;
      request.set_chapter(world.chapter);
      reciproca::plugin::v1::Relationships response;
      return insights->ListRelationships(&context, request, &response);
    }
  }
}

// A committed event the plugin then handles: a referral between the two members.
void Commit(const reciproca::fuzz::World& world) {
  static auto referrals = v1::ReferralService::NewStub(world.channel);
  static uint64_t count = 0;
  v1::GiveReferralRequest request;
  request.set_parent(world.chapter);
  request.mutable_referral()->set_receiver(world.members[2]);
  request.mutable_referral()->set_temperature(3);
  request.mutable_referral()->set_kind(v1::REFERRAL_KIND_INSIDE);
  request.set_request_id("fuzz-referral-" + std::to_string(++count));
  v1::Referral response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  reciproca::fuzz::Authorize(&context, world.member_token);
  CheckStatus(referrals->GiveReferral(&context, request, &response), "GiveReferral");
}

}  // namespace

// What fuzz_plugin.c calls (exported from this executable).
extern "C" __attribute__((visibility("default"))) int reciproca_fuzz_plugin_output(
    size_t index, const uint8_t** data, size_t* size) {
  std::lock_guard lock(g_mu);
  if (index >= g_frames.size()) {
    return 0;
  }
  *data = reinterpret_cast<const uint8_t*>(g_frames[index].data());
  *size = g_frames[index].size();
  return 1;
}

extern "C" __attribute__((visibility("default"))) int reciproca_fuzz_plugin_answer(
    const uint8_t** data, size_t* size) {
  return reciproca_fuzz_plugin_output(0, data, size);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static reciproca::fuzz::World& world = []() -> reciproca::fuzz::World& {
    reciproca::api::ServerOptions options;
    reciproca::plugins::PluginSpec spec;
    spec.name = kPlugin;
    spec.path = RECIPROCA_FUZZ_PLUGIN;
    spec.in_process = true;
    options.plugins.push_back(spec);
    return reciproca::fuzz::StartWorld(options);
  }();
  auto& host = world.server->plugin_host();
  if (size < 2) {
    return 0;
  }
  {
    std::lock_guard lock(g_mu);
    g_frames.clear();
    reciproca::plugins::FrameBuffer frames;
    frames.Append(reinterpret_cast<const char*>(data + 2), size - 2);
    std::string frame;
    while (frames.Take(&frame) == reciproca::plugins::FrameBuffer::Next::kFrame) {
      g_frames.push_back(frame);
    }
  }
  switch (data[0] % 3) {
    case 0:
      host.TickNow();
      break;
    case 1:
      Commit(world);
      break;
    default:
      CheckStatus(Ask(world, data[1]), "an InsightService call");
      break;
  }
  Require(host.WaitIdle(std::chrono::seconds(20)), "the plugin host did not finish within 20 s");
  for (const auto& info : host.List()) {
    if (info.name() == kPlugin && info.state() != v1::PLUGIN_STATE_ACTIVE) {
      {
        std::lock_guard lock(g_mu);
        g_frames.clear();  // the replay of the log emits nothing: a reload stays cheap
      }
      auto reloaded = host.Reload(kPlugin, "{}");
      Require(reloaded.ok(), reloaded.ok() ? "" : "reloading: " + reloaded.error().message);
      Require(host.WaitIdle(std::chrono::seconds(20)), "the reloaded plugin did not catch up");
    }
  }
  return 0;
}
