// gRPC figures of Reciproca next to bare-gRPC baselines measured in the same run, so that the
// ratios (not the absolute times) can be compared across runs on a noisy, shared machine.
//
//   1. Unary: a bare callback echo service (~200-byte message) against GiveReferral (a durable
//      write) and GetReferral (a read) on the real server, 32 and 64 calls in flight from callback
//      clients over one channel: QPS and p50/p99 latency.
//   2. Fan-out: S subscribers (callback clients on a few channels) of one chapter while referrals
//      are given at a steady rate; per event and subscriber, the delay from the event's own `time`
//      to its receipt, and a check that every subscriber got every event in seq order, no gap.
//      Baseline: a naive bare-gRPC fan-out server (one loop writes each event to every stream
//      under one lock, serializing it per write) with the same S and rate.
//   3. Memory: the process's VmRSS before and after connecting the subscribers.
//
// Everything runs in this one process over loopback. Usage: grpc_bench [--quick]
// (--quick: shorter phases and S=100 only, for a smoke run of a few seconds).

#include <grpcpp/grpcpp.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif

#include "alloc_count.h"
#include "client/lib/client.h"
#include "reciproca_bench/bench.grpc.pb.h"
#include "server/app/server.h"

namespace {

namespace fs = std::filesystem;
namespace v1 = reciproca::v1;
using reciproca_bench::EchoMessage;
using reciproca_bench::FanoutRequest;
using Steady = std::chrono::steady_clock;
using SysClock = std::chrono::system_clock;
using std::chrono::milliseconds;

constexpr int kMembers = 20;
constexpr size_t kEchoPayloadBytes = 200;
constexpr int kFanoutChannels = 4;
constexpr auto kCallTimeout = std::chrono::seconds(10);

struct Config {
  bool quick = false;
  Steady::duration unary_phase = std::chrono::seconds(3);
  Steady::duration warmup = milliseconds(300);
  Steady::duration fanout_phase = std::chrono::seconds(3);
  int fanout_rate = 50;  // events per second
  std::vector<int> in_flight = {32, 64};
  std::vector<int> subscribers = {100, 1000};
  // --plugins N: the plugin comparison only, N rounds; --setups: which of its setups
  // ("none", "out", "in" by default; also "out-nosnap": out of process without snapshots).
  int plugin_rounds = 0;
  std::string plugin_setups = "none,out,in";
};

int64_t MicrosOf(SysClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

int64_t MicrosOf(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

google::protobuf::Timestamp TimestampOf(SysClock::time_point t) {
  const int64_t micros = MicrosOf(t);
  google::protobuf::Timestamp ts;
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int>(micros % 1000000) * 1000);
  return ts;
}

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time (user + system) this process has used, in microseconds. Unlike wall-clock latency it
// barely moves with other people's load on the machine, so CPU per call is the steadiest figure.
int64_t CpuMicros() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto micros = [](const timeval& t) { return int64_t{t.tv_sec} * 1000000 + t.tv_usec; };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

// The process's resident set in KiB, from /proc/self/status; -1 when unreadable.
long RssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return -1;
}

// The p-th quantile (0..1) of sorted values.
int64_t Quantile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size()));
  return sorted[std::min(index, sorted.size() - 1)];
}

double Ms(int64_t micros) { return static_cast<double>(micros) / 1000.0; }

// A context with the bearer token and, for unary calls, a deadline.
std::unique_ptr<grpc::ClientContext> NewContext(const std::string& token, bool streaming) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  }
  if (!streaming) {
    context->set_deadline(SysClock::now() + kCallTimeout);
  }
  return context;
}

// A channel with its own TCP connection (channels with equal arguments share subchannels).
std::shared_ptr<grpc::Channel> NewChannel(int port, int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("grpc_bench.channel_index", index);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

// Waits until `pred()` holds or `timeout` passes, polling; returns pred().
bool WaitFor(const std::function<bool()>& pred, Steady::duration timeout) {
  const auto end = Steady::now() + timeout;
  while (!pred()) {
    if (Steady::now() >= end) {
      return pred();
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

// The server's data directory, removed by Abort() too.
std::mutex g_data_dir_mu;
fs::path g_data_dir;

// Ends the process at once with `code` after a hang (a finding to report, not to wait out).
[[noreturn]] void Abort(int code) {
  std::fflush(nullptr);
  {
    std::lock_guard lock(g_data_dir_mu);
    std::error_code ec;
    if (!g_data_dir.empty()) {
      fs::remove_all(g_data_dir, ec);
    }
  }
  std::_Exit(code);
}

// ---------------------------------------------------------------------------------------------
// Unary load: `in_flight` slots, each issuing its next call from the previous call's callback.

class CallSlot {
 public:
  virtual ~CallSlot() = default;
  // Starts one call; `done` runs on a gRPC thread when it completes.
  virtual void Start(std::function<void(grpc::Status)> done) = 0;

 protected:
  // Two contexts used in turn, so a context is never destroyed inside its own callback.
  grpc::ClientContext* FreshContext(const std::string& token) {
    turn_ ^= 1;
    contexts_[turn_] = NewContext(token, /*streaming=*/false);
    return contexts_[turn_].get();
  }

 private:
  std::unique_ptr<grpc::ClientContext> contexts_[2];
  int turn_ = 0;
};

struct UnaryResult {
  double qps = 0;
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t ok = 0;
  int64_t errors = 0;
  std::string first_error;
  double cpu_us_per_call = 0;   // the whole process: server and client side
  double allocs_per_call = -1;  // heap allocations, the whole process; -1 when not counted
};

UnaryResult RunUnary(std::vector<std::unique_ptr<CallSlot>>& slots, Steady::duration duration) {
  const size_t n = slots.size();
  std::vector<std::vector<int64_t>> latencies(n);
  std::vector<Steady::time_point> started(n);
  std::vector<std::function<void()>> issue(n);
  std::atomic<int64_t> errors{0};
  std::mutex mu;
  std::condition_variable cv;
  size_t active = n;
  std::string first_error;
  const auto start = Steady::now();
  const int64_t cpu_start = CpuMicros();
  const int64_t allocs_start = reciproca::bench::Allocations();
  const auto end = start + duration;
  for (size_t i = 0; i < n; ++i) {
    latencies[i].reserve(8192);
    issue[i] = [&, i] {
      started[i] = Steady::now();
      slots[i]->Start([&, i](grpc::Status status) {
        const auto now = Steady::now();
        if (status.ok()) {
          latencies[i].push_back(
              std::chrono::duration_cast<std::chrono::microseconds>(now - started[i]).count());
        } else if (errors.fetch_add(1) == 0) {
          std::lock_guard lock(mu);
          first_error = std::to_string(status.error_code()) + " " + status.error_message();
        }
        // Stop early when everything fails rather than spinning on errors.
        if (now < end && errors.load() < 1000) {
          issue[i]();
          return;
        }
        std::lock_guard lock(mu);
        if (--active == 0) {
          cv.notify_all();
        }
      });
    };
  }
  for (size_t i = 0; i < n; ++i) {
    issue[i]();
  }
  {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, duration + kCallTimeout + std::chrono::seconds(5),
                     [&] { return active == 0; })) {
      std::fprintf(stderr, "unary load: %zu calls never completed; giving up\n", active);
      Abort(3);
    }
  }
  const double elapsed = Seconds(Steady::now() - start);
  const int64_t cpu = CpuMicros() - cpu_start;
  const int64_t allocs = reciproca::bench::Allocations() - allocs_start;
  std::vector<int64_t> all;
  for (auto& v : latencies) {
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  UnaryResult result;
  result.ok = static_cast<int64_t>(all.size());
  result.errors = errors.load();
  result.first_error = first_error;
  result.qps = static_cast<double>(all.size()) / elapsed;
  result.p50_us = Quantile(all, 0.50);
  result.p99_us = Quantile(all, 0.99);
  result.cpu_us_per_call =
      all.empty() ? 0.0 : static_cast<double>(cpu) / static_cast<double>(all.size());
  if (allocs_start >= 0 && !all.empty()) {
    result.allocs_per_call = static_cast<double>(allocs) / static_cast<double>(all.size());
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The bare echo baseline.

class EchoService final : public reciproca_bench::Echo::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoMessage* request,
                                 EchoMessage* response) override {
    *response = *request;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class EchoSlot final : public CallSlot {
 public:
  explicit EchoSlot(reciproca_bench::Echo::Stub& stub) : stub_(stub) {
    request_.set_payload(std::string(kEchoPayloadBytes, 'e'));
  }
  void Start(std::function<void(grpc::Status)> done) override {
    stub_.async()->Echo(FreshContext(""), &request_, &response_, std::move(done));
  }

 private:
  reciproca_bench::Echo::Stub& stub_;
  EchoMessage request_;
  EchoMessage response_;
};

// ---------------------------------------------------------------------------------------------
// The real server's unary calls.

struct Member {
  std::string name;   // "chapters/bench/members/…"
  std::string token;  // the member's access token
};

struct Chapter {
  std::string name;
  std::string display_token;
  std::vector<Member> members;
};

// Rotating giver/receiver pairs and unique request ids, shared by every slot.
class ReferralSource {
 public:
  ReferralSource(const Chapter& chapter, std::string prefix)
      : chapter_(chapter), prefix_(std::move(prefix)) {}

  // The next request and the giver's token.
  std::pair<v1::GiveReferralRequest, const std::string*> Next() {
    const int64_t k = counter_.fetch_add(1);
    const auto n = static_cast<int64_t>(chapter_.members.size());
    const int64_t giver = k % n;
    const int64_t receiver = (giver + 1 + (k / n) % (n - 1)) % n;
    v1::GiveReferralRequest request;
    request.set_parent(chapter_.name);
    request.set_request_id(prefix_ + std::to_string(k));
    auto* referral = request.mutable_referral();
    referral->set_receiver(chapter_.members[static_cast<size_t>(receiver)].name);
    referral->set_kind(v1::REFERRAL_KIND_INSIDE);
    referral->set_temperature(static_cast<int>(k % 5) + 1);
    referral->set_contact_name("Contact " + std::to_string(k));
    referral->set_note("needs a quote for a new roof");
    return {std::move(request), &chapter_.members[static_cast<size_t>(giver)].token};
  }

 private:
  const Chapter& chapter_;
  const std::string prefix_;
  std::atomic<int64_t> counter_{0};
};

class GiveSlot final : public CallSlot {
 public:
  GiveSlot(v1::ReferralService::Stub& stub, ReferralSource& source)
      : stub_(stub), source_(source) {}
  void Start(std::function<void(grpc::Status)> done) override {
    auto [request, token] = source_.Next();
    request_ = std::move(request);
    stub_.async()->GiveReferral(FreshContext(*token), &request_, &response_, std::move(done));
  }
  const v1::Referral& last_response() const { return response_; }

 private:
  v1::ReferralService::Stub& stub_;
  ReferralSource& source_;
  v1::GiveReferralRequest request_;
  v1::Referral response_;
};

class GetSlot final : public CallSlot {
 public:
  GetSlot(v1::ReferralService::Stub& stub, std::vector<std::string> names, std::string token)
      : stub_(stub), names_(std::move(names)), token_(std::move(token)) {}
  void Start(std::function<void(grpc::Status)> done) override {
    request_.set_name(names_[next_++ % names_.size()]);
    stub_.async()->GetReferral(FreshContext(token_), &request_, &response_, std::move(done));
  }

 private:
  v1::ReferralService::Stub& stub_;
  std::vector<std::string> names_;
  std::string token_;
  size_t next_ = 0;
  v1::GetReferralRequest request_;
  v1::Referral response_;
};

// ---------------------------------------------------------------------------------------------
// Fan-out: subscribers (client side), shared by both servers.

struct Receipt {
  int64_t seq;
  int64_t event_us;     // the event's own time
  int64_t received_us;  // when this subscriber read it
};

class Subscriber final : public grpc::ClientReadReactor<v1::Event> {
 public:
  Subscriber(std::atomic<int64_t>& received, std::atomic<int>& done, size_t expected)
      : received_(received), done_count_(done) {
    receipts_.reserve(expected);
  }

  grpc::ClientContext* context() { return &context_; }

  // Call after the stub has bound this reactor to a call.
  void Begin() {
    StartRead(&event_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      return;  // OnDone follows
    }
    const int64_t now = MicrosOf(SysClock::now());
    receipts_.push_back({event_.seq(), MicrosOf(event_.time()), now});
    received_.fetch_add(1);
    StartRead(&event_);
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_count_.fetch_add(1);  // publishes receipts_ and status_ to whoever sees the count
  }

  const std::vector<Receipt>& receipts() const { return receipts_; }
  const grpc::Status& status() const { return status_; }

 private:
  std::atomic<int64_t>& received_;
  std::atomic<int>& done_count_;
  grpc::ClientContext context_;
  v1::Event event_;
  std::vector<Receipt> receipts_;
  grpc::Status status_;
};

// ---------------------------------------------------------------------------------------------
// The naive fan-out baseline: one loop writes each event to every stream under one lock, and
// each write serializes the event again.

class NaiveFanoutService;

class NaiveStream final : public grpc::ServerWriteReactor<v1::Event> {
 public:
  explicit NaiveStream(NaiveFanoutService& service) : service_(service) {}
  // With the service's lock held.
  void SendLocked(const v1::Event& event);
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void FinishLocked(const grpc::Status& status) {
    if (!finished_) {
      finished_ = true;
      Finish(status);
    }
  }

  NaiveFanoutService& service_;
  v1::Event current_;
  std::deque<v1::Event> queue_;
  bool writing_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
};

class NaiveFanoutService final : public reciproca_bench::NaiveFanout::CallbackService {
 public:
  grpc::ServerWriteReactor<v1::Event>* Subscribe(grpc::CallbackServerContext*,
                                                 const FanoutRequest*) override {
    auto* stream = new NaiveStream(*this);
    std::lock_guard lock(mu_);
    streams_.push_back(stream);
    if (has_latest_) {
      stream->SendLocked(latest_);
    }
    return stream;
  }

  void Publish(const v1::Event& event) {
    std::lock_guard lock(mu_);
    latest_ = event;
    has_latest_ = true;
    for (NaiveStream* stream : streams_) {
      stream->SendLocked(event);
    }
  }

  size_t streams() {
    std::lock_guard lock(mu_);
    return streams_.size();
  }

 private:
  friend class NaiveStream;
  std::mutex mu_;
  std::vector<NaiveStream*> streams_;
  v1::Event latest_;
  bool has_latest_ = false;
};

void NaiveStream::SendLocked(const v1::Event& event) {
  if (finished_ || cancelled_) {
    return;
  }
  if (writing_) {
    queue_.push_back(event);
    return;
  }
  current_ = event;
  writing_ = true;
  StartWrite(&current_);  // serializes `current_` now, once per stream
}

void NaiveStream::OnWriteDone(bool ok) {
  std::lock_guard lock(service_.mu_);
  writing_ = false;
  if (!ok || cancelled_) {
    return FinishLocked(ok ? grpc::Status::CANCELLED
                           : grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
  }
  if (!queue_.empty()) {
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }
}

void NaiveStream::OnCancel() {
  std::lock_guard lock(service_.mu_);
  cancelled_ = true;
  if (!writing_) {
    FinishLocked(grpc::Status::CANCELLED);
  }
}

void NaiveStream::OnDone() {
  {
    std::lock_guard lock(service_.mu_);
    auto& streams = service_.streams_;
    streams.erase(std::remove(streams.begin(), streams.end(), this), streams.end());
  }
  delete this;
}

// ---------------------------------------------------------------------------------------------
// One fan-out run against either server.

struct FanoutResult {
  int subscribers = 0;
  int64_t events = 0;  // published and acknowledged
  int64_t publish_errors = 0;
  std::string first_publish_error;
  double connect_s = 0;  // until every subscriber had its first event
  long rss_before_kib = 0;
  long rss_after_kib = 0;
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t max_us = 0;
  int64_t spread_p99_us = 0;      // receipt minus the event's first receipt by any subscriber
  double cpu_us_per_message = 0;  // process CPU while publishing, per event delivered
  int64_t ack_p50_us = 0;         // publish call latency (GiveReferral for Reciproca)
  std::string check = "ok";
};

// What differs between the two servers: how a subscriber is bound, and how an event is
// published. `publish(done)` must call done(status) once the event is acknowledged.
struct FanoutTarget {
  std::function<void(Subscriber*, int channel)> bind;
  std::function<void(std::function<void(grpc::Status)>)> publish;
};

FanoutResult RunFanout(const FanoutTarget& target, int subscribers, const Config& config) {
  FanoutResult result;
  result.subscribers = subscribers;
  const auto planned = static_cast<int64_t>(Seconds(config.fanout_phase) * config.fanout_rate);
  std::atomic<int64_t> received{0};
  std::atomic<int> done{0};
  std::vector<std::unique_ptr<Subscriber>> subs;
  subs.reserve(static_cast<size_t>(subscribers));

  for (int i = 0; i < subscribers; ++i) {
    subs.push_back(std::make_unique<Subscriber>(received, done, static_cast<size_t>(planned) + 16));
  }
  // Memory freed by earlier phases goes back to the system first, so that the growth below is
  // the streams' own (client and server side) and not a reuse of what an earlier phase left.
  ::malloc_trim(0);
  result.rss_before_kib = RssKib();
  const auto connect_start = Steady::now();
  for (int i = 0; i < subscribers; ++i) {
    target.bind(subs[static_cast<size_t>(i)].get(), i % kFanoutChannels);
    subs[static_cast<size_t>(i)]->Begin();
  }
  // Each subscription first delivers one event (the latest): then it is live.
  const bool connected = WaitFor([&] { return received.load() >= subscribers || done.load() > 0; },
                                 std::chrono::seconds(20));
  result.connect_s = Seconds(Steady::now() - connect_start);
  result.rss_after_kib = RssKib();
  if (!connected || done.load() > 0) {
    result.check = "only " + std::to_string(received.load()) + " of " +
                   std::to_string(subscribers) + " subscriptions started (" +
                   std::to_string(done.load()) + " ended)";
  }

  // Publish at a steady rate; acks are counted as they come (in shared state, so a late ack
  // after a timed-out wait touches nothing freed).
  struct Acks {
    std::mutex mu;
    int64_t acked = 0;
    int64_t errors = 0;
    std::string first_error;
    std::vector<int64_t> latencies_us;
  };
  auto acks = std::make_shared<Acks>();
  const auto interval =
      std::chrono::duration_cast<Steady::duration>(std::chrono::seconds(1)) / config.fanout_rate;
  const auto start = Steady::now();
  const int64_t cpu_start = CpuMicros();
  int64_t issued = 0;
  if (result.check == "ok") {
    for (; issued < planned; ++issued) {
      std::this_thread::sleep_until(start + interval * issued);
      const auto sent = Steady::now();
      target.publish([acks, sent](grpc::Status status) {
        const auto latency =
            std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - sent).count();
        std::lock_guard lock(acks->mu);
        ++acks->acked;
        if (status.ok()) {
          acks->latencies_us.push_back(latency);
        } else if (acks->errors++ == 0) {
          acks->first_error = std::to_string(status.error_code()) + " " + status.error_message();
        }
      });
    }
  }
  WaitFor(
      [&] {
        std::lock_guard lock(acks->mu);
        return acks->acked == issued;
      },
      kCallTimeout);
  {
    std::lock_guard lock(acks->mu);
    result.events = static_cast<int64_t>(acks->latencies_us.size());
    result.publish_errors = acks->errors;
    result.first_publish_error = acks->first_error;
    auto sorted = acks->latencies_us;
    std::sort(sorted.begin(), sorted.end());
    result.ack_p50_us = Quantile(sorted, 0.5);
    if (acks->acked != issued && result.check == "ok") {
      result.check = std::to_string(issued - acks->acked) + " publishes never acknowledged";
    }
  }
  const int64_t expected_total = static_cast<int64_t>(subscribers) * (1 + result.events);
  WaitFor([&] { return received.load() >= expected_total || done.load() > 0; },
          std::chrono::seconds(10));
  const int64_t delivered = received.load() - subscribers;
  if (delivered > 0) {
    result.cpu_us_per_message =
        static_cast<double>(CpuMicros() - cpu_start) / static_cast<double>(delivered);
  }

  for (auto& sub : subs) {
    sub->context()->TryCancel();
  }
  if (!WaitFor([&] { return done.load() == subscribers; }, std::chrono::seconds(10))) {
    std::fprintf(stderr, "fan-out: %d of %d subscriptions never ended; giving up\n",
                 subscribers - done.load(), subscribers);
    Abort(3);
  }

  // Every subscriber: its first (warm-up) event, then exactly the published ones, in order.
  std::vector<int64_t> delays;
  delays.reserve(static_cast<size_t>(expected_total));
  int bad = 0;
  std::string example;
  for (size_t i = 0; i < subs.size(); ++i) {
    const auto& receipts = subs[i]->receipts();
    std::string problem;
    if (receipts.empty()) {
      problem = "no events at all (status " + std::to_string(subs[i]->status().error_code()) + " " +
                subs[i]->status().error_message() + ")";
    } else {
      const int64_t first = receipts.front().seq;
      for (size_t k = 1; k < receipts.size() && problem.empty(); ++k) {
        if (receipts[k].seq != first + static_cast<int64_t>(k)) {
          problem = "seq " + std::to_string(receipts[k].seq) + " after " +
                    std::to_string(receipts[k - 1].seq);
        }
      }
      if (problem.empty() && static_cast<int64_t>(receipts.size()) != 1 + result.events) {
        problem = "got " + std::to_string(receipts.size() - 1) + " of " +
                  std::to_string(result.events) + " events (status " +
                  std::to_string(subs[i]->status().error_code()) + " " +
                  subs[i]->status().error_message() + ")";
      }
      for (size_t k = 1; k < receipts.size(); ++k) {
        delays.push_back(receipts[k].received_us - receipts[k].event_us);
      }
    }
    if (!problem.empty() && bad++ == 0) {
      example = "subscriber " + std::to_string(i) + ": " + problem;
    }
  }
  if (bad > 0) {
    result.check = std::to_string(bad) + "/" + std::to_string(subscribers) + " bad; " + example;
  }
  std::sort(delays.begin(), delays.end());
  result.p50_us = Quantile(delays, 0.50);
  result.p99_us = Quantile(delays, 0.99);
  result.max_us = delays.empty() ? 0 : delays.back();
  // The spread leaves out what happens before the first subscriber sees an event (for Reciproca
  // the durable commit), so it compares the fan-out mechanisms alone.
  std::map<int64_t, int64_t> first_receipt;
  for (const auto& sub : subs) {
    for (size_t k = 1; k < sub->receipts().size(); ++k) {
      const Receipt& r = sub->receipts()[k];
      auto [it, inserted] = first_receipt.emplace(r.seq, r.received_us);
      if (!inserted) {
        it->second = std::min(it->second, r.received_us);
      }
    }
  }
  std::vector<int64_t> spreads;
  spreads.reserve(delays.size());
  for (const auto& sub : subs) {
    for (size_t k = 1; k < sub->receipts().size(); ++k) {
      const Receipt& r = sub->receipts()[k];
      spreads.push_back(r.received_us - first_receipt[r.seq]);
    }
  }
  std::sort(spreads.begin(), spreads.end());
  result.spread_p99_us = Quantile(spreads, 0.99);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Printing.

double Ratio(double value, double base) { return base > 0 ? value / base : 0.0; }

void PrintUnaryHeader() {
  std::printf("\n%-23s %6s %7s %7s %7s %8s %8s %9s %9s %8s %s\n", "Unary call", "in fl.", "QPS",
              "p50 ms", "p99 ms", "QPS rat.", "p99 rat.", "CPU us/c", "CPU rat.", "alloc/c",
              "errors");
}

void PrintUnary(const char* label, int in_flight, const UnaryResult& r, const UnaryResult& base) {
  std::printf("%-23s %6d %7.0f %7.2f %7.2f %8.2f %8.2f %9.1f %9.2f %8.0f %lld%s%s\n", label,
              in_flight, r.qps, Ms(r.p50_us), Ms(r.p99_us), Ratio(r.qps, base.qps),
              Ratio(static_cast<double>(r.p99_us), static_cast<double>(base.p99_us)),
              r.cpu_us_per_call, Ratio(r.cpu_us_per_call, base.cpu_us_per_call), r.allocs_per_call,
              static_cast<long long>(r.errors), r.errors ? " first: " : "", r.first_error.c_str());
  std::fflush(stdout);
}

void PrintFanoutHeader() {
  std::printf("%-10s %5s %6s %7s %7s %7s %7s %7s %7s %8s %8s %8s  %s\n", "server", "subs", "events",
              "p50 ms", "p99 ms", "max ms", "spr.p99", "ack p50", "conn s", "CPU us/m", "p99 rat.",
              "CPU rat.", "check");
}

void PrintFanout(const char* label, const FanoutResult& r, const FanoutResult* base) {
  std::printf("%-10s %5d %6lld %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %8.2f %8.2f %8.2f  %s\n", label,
              r.subscribers, static_cast<long long>(r.events), Ms(r.p50_us), Ms(r.p99_us),
              Ms(r.max_us), Ms(r.spread_p99_us), Ms(r.ack_p50_us), r.connect_s,
              r.cpu_us_per_message,
              base ? Ratio(static_cast<double>(r.p99_us), static_cast<double>(base->p99_us)) : 1.0,
              base ? Ratio(r.cpu_us_per_message, base->cpu_us_per_message) : 1.0, r.check.c_str());
  if (r.publish_errors > 0) {
    std::printf("             %lld publish errors, first: %s\n",
                static_cast<long long>(r.publish_errors), r.first_publish_error.c_str());
  }
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// Setup of the real server.

class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("reciproca-grpc-bench-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    fs::create_directories(path_);
    std::lock_guard lock(g_data_dir_mu);
    g_data_dir = path_;
  }
  ~TempDir() {
    std::lock_guard lock(g_data_dir_mu);
    g_data_dir.clear();
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A real server on a free loopback port in `dir`, without the limits meant for people: members
// here write far faster than people, and thousands of subscribers share one address
// (docs/limits.md).
reciproca::api::ServerOptions BenchServerOptions(const TempDir& dir) {
  reciproca::api::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.path().string();
  options.limits.mutations_per_second = 0;
  options.max_calls_per_address = 0;
  // The bench's subscribers share the chapter members' tokens (1,000 streams over 40 members):
  // the per-principal cap, which has its own tests, would refuse all but 16 per member.
  options.max_streams_per_principal = 0;
  return options;
}

bool CreateChapter(const reciproca::client::Client& admin, Chapter* chapter) {
  v1::CreateChapterRequest request;
  request.set_chapter_id("bench");
  request.mutable_chapter()->set_display_name("Bench Chapter");
  request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
  request.mutable_chapter()->set_meeting_time("07:00");
  request.mutable_chapter()->set_time_zone("Europe/Rome");
  request.mutable_chapter()->set_currency("EUR");
  request.set_request_id("create-bench");
  v1::CreateChapterResponse response;
  auto context = admin.NewContext();
  auto status = admin.chapters().CreateChapter(context.get(), request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "CreateChapter: %s\n", status.error_message().c_str());
    return false;
  }
  chapter->name = response.chapter().name();
  chapter->display_token = response.display_token();
  for (int i = 0; i < kMembers; ++i) {
    v1::CreateMemberRequest add;
    add.set_parent(chapter->name);
    const std::string n = std::to_string(i + 1);
    add.mutable_member()->set_display_name("Member " + n);
    add.mutable_member()->set_business("Business " + n + " Ltd");
    add.mutable_member()->set_category("Category " + n);
    add.mutable_member()->set_role(v1::ROLE_MEMBER);
    add.set_request_id("add-member-" + n);
    v1::CreateMemberResponse added;
    auto add_context = admin.NewContext();
    status = admin.members().CreateMember(add_context.get(), add, &added);
    if (!status.ok()) {
      std::fprintf(stderr, "CreateMember: %s\n", status.error_message().c_str());
      return false;
    }
    chapter->members.push_back({added.member().name(), added.access_token()});
  }
  return true;
}

int64_t LastSeq(const reciproca::client::Client& admin, const std::string& chapter) {
  v1::GetChapterRequest request;
  request.set_name(chapter);
  v1::Chapter response;
  auto context = admin.NewContext();
  auto status = admin.chapters().GetChapter(context.get(), request, &response);
  return status.ok() ? response.last_seq() : -1;
}

// Ends the process (exit 2) when the run overstays its budget: a hang is a finding, not a wait.
class Watchdog {
 public:
  explicit Watchdog(Steady::duration budget)
      : thread_([this, budget] {
          std::unique_lock lock(mu_);
          if (!cv_.wait_for(lock, budget, [this] { return stop_; })) {
            std::fprintf(stderr, "grpc_bench: still running after %.0f s; aborting (hang?)\n",
                         Seconds(budget));
            Abort(2);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

int Run(const Config& config) {
  const auto run_start = Steady::now();
  {
    const std::time_t now = std::time(nullptr);
    char date[64];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    std::printf("grpc_bench%s  %s  %u hardware threads; server and load share them\n",
                config.quick ? " --quick" : "", date, std::thread::hardware_concurrency());
    std::printf("Ratios are Reciproca / bare gRPC, both measured in this run, same process.\n");
  }

  // 1. Bare echo baseline.
  std::map<int, UnaryResult> echo;
  {
    EchoService service;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    auto server = builder.BuildAndStart();
    if (!server || port == 0) {
      std::fprintf(stderr, "cannot start the echo server\n");
      return 1;
    }
    auto stub = reciproca_bench::Echo::NewStub(NewChannel(port, 0));
    for (int in_flight : config.in_flight) {
      std::vector<std::unique_ptr<CallSlot>> slots;
      for (int i = 0; i < in_flight; ++i) {
        slots.push_back(std::make_unique<EchoSlot>(*stub));
      }
      RunUnary(slots, config.warmup);
      echo[in_flight] = RunUnary(slots, config.unary_phase);
    }
    server->Shutdown(SysClock::now() + milliseconds(500));
  }

  // 2. The real server.
  TempDir dir;
  reciproca::api::ServerOptions options = BenchServerOptions(dir);
  auto started = reciproca::api::Server::Start(options);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start the server: %s\n", started.error().message.c_str());
    return 1;
  }
  std::unique_ptr<reciproca::api::Server> server = std::move(started).value();
  const int port = server->port();
  reciproca::client::Options client_options;
  client_options.target = "127.0.0.1:" + std::to_string(port);
  client_options.token = server->admin_token();
  reciproca::client::Client admin(client_options);
  Chapter chapter;
  if (!admin.WaitForConnected(std::chrono::seconds(5)) || !CreateChapter(admin, &chapter)) {
    return 1;
  }

  auto unary_channel = NewChannel(port, 100);
  auto referrals = v1::ReferralService::NewStub(unary_channel);
  std::map<int, UnaryResult> give;
  std::map<int, UnaryResult> get;
  std::vector<std::string> referral_names;
  {
    ReferralSource source(chapter, "bench-give-");
    for (int in_flight : config.in_flight) {
      std::vector<std::unique_ptr<CallSlot>> slots;
      for (int i = 0; i < in_flight; ++i) {
        slots.push_back(std::make_unique<GiveSlot>(*referrals, source));
      }
      RunUnary(slots, config.warmup);
      give[in_flight] = RunUnary(slots, config.unary_phase);
      for (auto& slot : slots) {
        const auto& name = static_cast<GiveSlot&>(*slot).last_response().name();
        if (!name.empty()) {
          referral_names.push_back(name);
        }
      }
    }
  }
  if (!referral_names.empty()) {
    for (int in_flight : config.in_flight) {
      std::vector<std::unique_ptr<CallSlot>> slots;
      for (int i = 0; i < in_flight; ++i) {
        // Rotate the names (different strand work per call) and the readers' tokens.
        std::vector<std::string> names = referral_names;
        std::rotate(names.begin(), names.begin() + i % static_cast<int>(names.size()), names.end());
        slots.push_back(
            std::make_unique<GetSlot>(*referrals, std::move(names),
                                      chapter.members[static_cast<size_t>(i) % kMembers].token));
      }
      RunUnary(slots, config.warmup);
      get[in_flight] = RunUnary(slots, config.unary_phase);
    }
  }

  PrintUnaryHeader();
  for (int in_flight : config.in_flight) {
    PrintUnary("bare echo (200 B)", in_flight, echo[in_flight], echo[in_flight]);
  }
  for (int in_flight : config.in_flight) {
    PrintUnary("GiveReferral (durable)", in_flight, give[in_flight], echo[in_flight]);
  }
  for (int in_flight : config.in_flight) {
    PrintUnary("GetReferral (read)", in_flight, get[in_flight], echo[in_flight]);
  }
  if (referral_names.empty()) {
    std::printf("GetReferral skipped: no referral was given\n");
  }

  // 3. Fan-out, each S against the naive baseline.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::EventService::Stub>> event_stubs;
  for (int c = 0; c < kFanoutChannels; ++c) {
    channels.push_back(NewChannel(port, 200 + c));
    event_stubs.push_back(v1::EventService::NewStub(channels.back()));
  }
  auto publish_channel = NewChannel(port, 300);
  auto publish_stub = v1::ReferralService::NewStub(publish_channel);
  ReferralSource fanout_source(chapter, "bench-fanout-");
  v1::Event template_event;  // a real ReferralGiven event, for the baseline to stream
  struct Pending {
    v1::GiveReferralRequest request;
    v1::Referral response;
    std::unique_ptr<grpc::ClientContext> context;
  };

  std::printf(
      "\nFan-out at %d events/s: per event and subscriber, the delay from the event's own time\n"
      "to its receipt (for Reciproca this includes the durable commit); spr.p99: receipt minus\n"
      "the event's first receipt by any subscriber (the fan-out alone); ack p50: the publishing\n"
      "call (GiveReferral; for the naive server its in-process send loop); CPU us/m: process CPU\n"
      "per event delivered to one subscriber; rat.: Reciproca / naive.\n",
      config.fanout_rate);
  PrintFanoutHeader();
  std::vector<std::pair<std::string, FanoutResult>> memory_rows;
  for (int subscribers : config.subscribers) {
    // Reciproca.
    FanoutResult real;
    {
      v1::SubscribeRequest subscribe;
      subscribe.set_chapter(chapter.name);
      subscribe.set_after_seq(std::max<int64_t>(0, LastSeq(admin, chapter.name) - 1));
      FanoutTarget target;
      target.bind = [&](Subscriber* sub, int c) {
        sub->context()->AddMetadata("authorization", "Bearer " + chapter.display_token);
        event_stubs[static_cast<size_t>(c)]->async()->Subscribe(sub->context(), &subscribe, sub);
      };
      target.publish = [&](std::function<void(grpc::Status)> done) {
        auto pending = std::make_shared<Pending>();
        auto [request, token] = fanout_source.Next();
        pending->request = std::move(request);
        pending->context = NewContext(*token, /*streaming=*/false);
        publish_stub->async()->GiveReferral(
            pending->context.get(), &pending->request, &pending->response,
            [pending, done = std::move(done)](grpc::Status status) { done(status); });
      };
      real = RunFanout(target, subscribers, config);
    }
    // A template event for the baseline, shaped like Reciproca's (same size on the wire).
    {
      auto context = admin.NewContext(/*streaming=*/true);
      context->set_deadline(SysClock::now() + std::chrono::seconds(5));
      v1::SubscribeRequest request;
      request.set_chapter(chapter.name);
      request.set_after_seq(std::max<int64_t>(0, LastSeq(admin, chapter.name) - 1));
      auto reader = admin.events().Subscribe(context.get(), request);
      reader->Read(&template_event);
      context->TryCancel();
      reader->Finish();
    }
    // The naive baseline.
    FanoutResult naive;
    {
      NaiveFanoutService service;
      grpc::ServerBuilder builder;
      int naive_port = 0;
      builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &naive_port);
      builder.RegisterService(&service);
      auto naive_server = builder.BuildAndStart();
      if (!naive_server || naive_port == 0) {
        std::fprintf(stderr, "cannot start the naive fan-out server\n");
        return 1;
      }
      std::vector<std::unique_ptr<reciproca_bench::NaiveFanout::Stub>> stubs;
      for (int c = 0; c < kFanoutChannels; ++c) {
        stubs.push_back(reciproca_bench::NaiveFanout::NewStub(NewChannel(naive_port, 400 + c)));
      }
      v1::Event first = template_event;
      first.set_seq(0);
      first.mutable_time()->CopyFrom(TimestampOf(SysClock::now()));
      service.Publish(first);  // the warm-up event every new stream gets first
      FanoutRequest subscribe;
      int64_t seq = 0;
      FanoutTarget target;
      target.bind = [&](Subscriber* sub, int c) {
        stubs[static_cast<size_t>(c)]->async()->Subscribe(sub->context(), &subscribe, sub);
      };
      target.publish = [&](std::function<void(grpc::Status)> done) {
        v1::Event event = template_event;
        event.set_seq(++seq);
        *event.mutable_time() = TimestampOf(SysClock::now());
        service.Publish(event);
        done(grpc::Status::OK);
      };
      naive = RunFanout(target, subscribers, config);
      naive_server->Shutdown(SysClock::now() + milliseconds(500));
    }
    PrintFanout("naive gRPC", naive, nullptr);
    PrintFanout("Reciproca", real, &naive);
    memory_rows.push_back({"naive gRPC", naive});
    memory_rows.push_back({"Reciproca", real});
  }
  std::printf("Event size on the wire: %zu bytes.\n", template_event.ByteSizeLong());

  std::printf("\nMemory: VmRSS of this process (server and subscribers' client side both count)\n");
  std::printf("%-10s %5s %12s %12s %14s %10s\n", "server", "subs", "before MiB", "after MiB",
              "per sub KiB", "ratio");
  for (size_t i = 0; i < memory_rows.size(); ++i) {
    const auto& [label, r] = memory_rows[i];
    const double per = static_cast<double>(r.rss_after_kib - r.rss_before_kib) / r.subscribers;
    std::string ratio = "1.00";
    if (label == "Reciproca" && i > 0) {
      const auto& base = memory_rows[i - 1].second;
      const double base_per =
          static_cast<double>(base.rss_after_kib - base.rss_before_kib) / base.subscribers;
      char text[32];
      std::snprintf(text, sizeof text, "%.2f", base_per > 0 ? per / base_per : 0.0);
      ratio = base_per > 0 ? text : "n/a";
    }
    std::printf("%-10s %5d %12.1f %12.1f %14.1f %10s\n", label.c_str(), r.subscribers,
                static_cast<double>(r.rss_before_kib) / 1024.0,
                static_cast<double>(r.rss_after_kib) / 1024.0, per, ratio.c_str());
  }

  const auto shutdown_start = Steady::now();
  server->Shutdown();
  server.reset();
  std::printf("\nServer shutdown %.2f s; whole run %.1f s.\n",
              Seconds(Steady::now() - shutdown_start), Seconds(Steady::now() - run_start));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// --plugins: durable write QPS with the three shipped plugins out of process, in process, and
// without plugins, a fresh server each, in rounds (the order rotates) so that the machine's
// drift spreads over all three; printed as per-round figures and min–max ranges.

struct PluginSetup {
  const char* label;
  const char* name;  // for --setups
  bool with_plugins;
  bool in_process;
  bool snapshots = true;  // the plugins' snapshots (ABI 1.1) every 1,000 events, the default
};

struct PluginRun {
  UnaryResult give;
  double host_cpu_us_per_call = 0;  // the plugin host processes' CPU, per write
  double outputs_per_call = 0;      // plugin outputs recorded (each one more write), per write
  int64_t behind_at_end = 0;        // events the plugins had not been delivered when the load ended
  double catch_up_seconds = 0;      // from then until every plugin had everything
};

// CPU time (user + system) of a process so far, in microseconds; 0 when it is gone.
int64_t ProcessCpuMicros(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(end_of_name + 2));
  std::string field;
  int64_t utime = 0;
  int64_t stime = 0;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) {
      utime = std::stoll(field);
    } else if (i == 15) {
      stime = std::stoll(field);
    }
  }
  return (utime + stime) * 1000000 / sysconf(_SC_CLK_TCK);
}

int64_t PluginOutputsRecorded(reciproca::api::Server& server) {
  int64_t outputs = 0;
  for (const auto& plugin : server.plugin_host().List()) {
    outputs += plugin.outputs_recorded();
  }
  return outputs;
}

int64_t PluginHostsCpuMicros(reciproca::api::Server& server) {
  int64_t micros = 0;
  for (const auto& plugin : server.plugin_host().List()) {
    if (plugin.pid() > 0) {
      micros += ProcessCpuMicros(plugin.pid());
    }
  }
  return micros;
}

std::optional<PluginRun> RunWithPlugins(const Config& config, const PluginSetup& setup) {
  TempDir dir;
  reciproca::api::ServerOptions options = BenchServerOptions(dir);
  if (!setup.snapshots) {
    options.plugin_snapshot_every_events = std::numeric_limits<int64_t>::max();
  }
  if (setup.with_plugins) {
    for (const char* name : {"leaderboard", "reciprocity", "traffic_light"}) {
      reciproca::plugins::PluginSpec spec{
          name, std::string(RECIPROCA_SHIPPED_PLUGIN_DIR) + "/" + name + ".so", ""};
      spec.in_process = setup.in_process;
      options.plugins.push_back(spec);
    }
  }
  auto started = reciproca::api::Server::Start(options);
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start the server: %s\n", started.error().message.c_str());
    return std::nullopt;
  }
  std::unique_ptr<reciproca::api::Server> server = std::move(started).value();
  reciproca::client::Options client_options;
  client_options.target = "127.0.0.1:" + std::to_string(server->port());
  client_options.token = server->admin_token();
  reciproca::client::Client admin(client_options);
  Chapter chapter;
  if (!admin.WaitForConnected(std::chrono::seconds(5)) || !CreateChapter(admin, &chapter)) {
    return std::nullopt;
  }
  for (const auto& plugin : server->plugin_host().List()) {
    if (plugin.state() != v1::PLUGIN_STATE_ACTIVE && plugin.state() != v1::PLUGIN_STATE_LOADING) {
      std::fprintf(stderr, "plugin %s is %s: %s\n", plugin.name().c_str(),
                   v1::PluginState_Name(plugin.state()).c_str(), plugin.last_error().c_str());
      return std::nullopt;
    }
  }
  auto stub = v1::ReferralService::NewStub(NewChannel(server->port(), 500));
  ReferralSource source(chapter, "bench-plugins-");
  std::vector<std::unique_ptr<CallSlot>> slots;
  for (int i = 0; i < config.in_flight.front(); ++i) {
    slots.push_back(std::make_unique<GiveSlot>(*stub, source));
  }
  RunUnary(slots, config.warmup);
  PluginRun run;
  const int64_t host_cpu_start = PluginHostsCpuMicros(*server);
  const int64_t outputs_start = PluginOutputsRecorded(*server);
#ifdef CALLGRIND_ZERO_STATS
  // Under `valgrind --tool=callgrind`, one profile per measured phase (this process only: the
  // server and the load); elsewhere these do nothing.
  CALLGRIND_ZERO_STATS;
#endif
  run.give = RunUnary(slots, config.unary_phase);
#ifdef CALLGRIND_DUMP_STATS_AT
  CALLGRIND_DUMP_STATS_AT(setup.name);
#endif
  if (run.give.ok > 0) {
    run.host_cpu_us_per_call = static_cast<double>(PluginHostsCpuMicros(*server) - host_cpu_start) /
                               static_cast<double>(run.give.ok);
  }
  for (const auto& plugin : server->plugin_host().List()) {
    run.behind_at_end += plugin.events_behind();
  }
  if (run.give.ok > 0) {
    run.outputs_per_call = static_cast<double>(PluginOutputsRecorded(*server) - outputs_start) /
                           static_cast<double>(run.give.ok);
  }
  const auto idle_start = Steady::now();
  server->plugin_host().WaitIdle(std::chrono::seconds(20));
  run.catch_up_seconds = Seconds(Steady::now() - idle_start);
  server->Shutdown();
  return run;
}

int RunPlugins(const Config& config) {
  // "out-nosnap" (not run unless asked): what the plugins' snapshots cost, by difference.
  static constexpr PluginSetup setups[] = {
      {"no plugins", "none", false, false},
      {"3 plugins out of process", "out", true, false},
      {"3 plugins in process", "in", true, true},
      {"3 out of process, no snaps", "out-nosnap", true, false, false}};
  constexpr size_t kSetups = std::size(setups);
  bool chosen[kSetups] = {};
  for (size_t k = 0; k < kSetups; ++k) {
    chosen[k] = ("," + config.plugin_setups + ",").find(std::string(",") + setups[k].name + ",") !=
                std::string::npos;
  }
  std::printf("grpc_bench --plugins %d: GiveReferral (durable), %d in flight, %.1f s per run\n",
              config.plugin_rounds, config.in_flight.front(), Seconds(config.unary_phase));
  std::printf("%-26s %5s %9s %7s %9s %9s %10s %9s %9s %9s %7s\n", "setup", "round", "QPS", "writes",
              "p50 ms", "p99 ms", "behind", "catch-up s", "cpu us", "hosts us", "outputs");
  std::vector<double> qps[kSetups];
  std::vector<double> ratio[kSetups];
  std::vector<double> cpu[kSetups];
  std::vector<double> host_cpu[kSetups];
  for (int round = 0; round < config.plugin_rounds; ++round) {
    double round_qps[kSetups] = {};
    for (size_t k = 0; k < kSetups; ++k) {
      const size_t which = (k + static_cast<size_t>(round)) % kSetups;
      if (!chosen[which]) {
        continue;
      }
      auto run = RunWithPlugins(config, setups[which]);
      if (!run) {
        return 1;
      }
      if (run->give.errors > 0) {
        std::fprintf(stderr, "%s: %lld errors, first: %s\n", setups[which].label,
                     static_cast<long long>(run->give.errors), run->give.first_error.c_str());
        return 1;
      }
      round_qps[which] = run->give.qps;
      cpu[which].push_back(run->give.cpu_us_per_call);
      host_cpu[which].push_back(run->host_cpu_us_per_call);
      std::printf("%-26s %5d %9.0f %7lld %9.2f %9.2f %10lld %9.2f %9.0f %9.0f %7.2f\n",
                  setups[which].label, round + 1, run->give.qps,
                  static_cast<long long>(run->give.ok), Ms(run->give.p50_us), Ms(run->give.p99_us),
                  static_cast<long long>(run->behind_at_end), run->catch_up_seconds,
                  run->give.cpu_us_per_call, run->host_cpu_us_per_call, run->outputs_per_call);
    }
    for (size_t k = 0; k < kSetups; ++k) {
      qps[k].push_back(round_qps[k]);
      ratio[k].push_back(Ratio(round_qps[k], round_qps[0]));
    }
  }
  std::printf("\nRanges over %d rounds (ratio: to the run without plugins of the same round)\n",
              config.plugin_rounds);
  for (size_t k = 0; k < kSetups; ++k) {
    if (!chosen[k]) {
      continue;
    }
    const auto [qlo, qhi] = std::minmax_element(qps[k].begin(), qps[k].end());
    const auto [rlo, rhi] = std::minmax_element(ratio[k].begin(), ratio[k].end());
    const auto [clo, chi] = std::minmax_element(cpu[k].begin(), cpu[k].end());
    const auto [hlo, hhi] = std::minmax_element(host_cpu[k].begin(), host_cpu[k].end());
    std::printf("%-26s QPS %6.0f–%6.0f  ratio %.2f–%.2f  cpu us %.0f–%.0f  hosts us %.0f–%.0f\n",
                setups[k].label, *qlo, *qhi, *rlo, *rhi, *clo, *chi, *hlo, *hhi);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      config.quick = true;
      config.unary_phase = milliseconds(800);
      config.warmup = milliseconds(150);
      config.fanout_phase = milliseconds(1200);
      config.subscribers = {100};
    } else if (arg == "--plugins" && i + 1 < argc) {
      config.plugin_rounds = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--setups" && i + 1 < argc) {
      config.plugin_setups = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: %s [--quick] [--plugins ROUNDS [--setups none,out,in,out-nosnap]]\n",
                  argv[0]);
      return 0;
    } else {
      std::fprintf(stderr,
                   "unknown argument %s; usage: %s [--quick] [--plugins ROUNDS [--setups "
                   "none,out,in,out-nosnap]]\n",
                   arg.c_str(), argv[0]);
      return 64;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  if (config.plugin_rounds > 0) {
    // Servers started here find the plugin host through the environment (as the tests do).
    ::setenv("RECIPROCA_PLUGIN_HOST", RECIPROCA_PLUGIN_HOST_PATH, /*overwrite=*/0);
    // Up to four servers a round, each about 2 s besides its load.
    Watchdog watchdog(std::chrono::seconds(30) +
                      config.plugin_rounds * 4 * (config.unary_phase + std::chrono::seconds(25)));
    return RunPlugins(config);
  }
  Watchdog watchdog(config.quick ? std::chrono::seconds(30) : std::chrono::seconds(110));
  return Run(config);
}
