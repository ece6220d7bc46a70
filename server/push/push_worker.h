#pragma once

// The push worker (docs/push.md): one background thread that
//   1. turns committed events into queued messages: for each chapter whose last seq passed its
//      push cursor, it reads the new events from the store, asks NoticesOf what they tell whom
//      (on the chapter's strand, for names and the language), and queues one message per
//      subscribed endpoint in the same transaction as the cursor's advance (PushStore::Enqueue),
//      so a command never waits for it and an event gives its messages once, even across
//      restarts and replicas;
//   2. sends what is due: claims messages with a lease, encrypts each for its subscription
//      (RFC 8291), signs a VAPID JWT for the endpoint's origin (RFC 8292) and POSTs it (RFC
//      8030) with TTL and Urgency. 2xx: done. 404/410: the subscription is gone, removed with one
//      log line. 429, 5xx or no answer: retried with exponential backoff, dropped with a log line
//      after max_attempts. Any other answer: dropped with a log line.
// It wakes every poll_interval (other replicas' commits are seen the same way) or on Wake().
// Log lines name the member and the push service's origin, never an endpoint or a key.

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "server/engine/engine.h"
#include "server/push/notification.h"
#include "server/push/push_sender.h"
#include "server/push/web_push_crypto.h"
#include "server/store/push_store.h"

namespace reciproca::push {

struct PushOptions {
  // The VAPID "sub" claim: how a push service's operator reaches this server's (RFC 8292
  // section 2.1), "mailto:..." or "https://...".
  std::string subject = "mailto:admin@reciproca.invalid";
  // Test-only: a PEM file of CAs trusted besides the system's (reciprocad --push-ca-file).
  std::string extra_ca_file;
  std::chrono::milliseconds poll_interval{1000};
  NoticeRules rules;
  // Failed sends (429, 5xx, no answer) before a message is dropped.
  int max_attempts = 10;
  // The first retry waits this long, each next one twice as long, up to max_retry.
  std::chrono::milliseconds first_retry{5000};
  std::chrono::milliseconds max_retry{std::chrono::hours(1)};
  // How long a claimed message is this server's to send before another may claim it.
  std::chrono::seconds lease{120};
  // How long a VAPID JWT is valid (RFC 8292: at most 24 hours).
  std::chrono::hours jwt_lifetime{12};
};

class PushWorker {
 public:
  PushWorker(engine::Engine& engine, store::PushStore& store, P256Key vapid, PushOptions options);
  ~PushWorker();
  PushWorker(const PushWorker&) = delete;
  PushWorker& operator=(const PushWorker&) = delete;

  void Start();
  // Finishes the send in progress and stops the thread. Idempotent.
  void Stop();
  // Looks for new events and due messages now rather than at the next poll.
  void Wake();

  // The VAPID public key, base64url: the applicationServerKey browsers subscribe with.
  const std::string& application_server_key() const { return application_server_key_; }
  const PushOptions& options() const { return options_; }

 private:
  void Run();
  void ScanChapters();
  Status ScanChapter(const std::string& chapter, int64_t last_seq);
  void SendDue();
  void Send(const store::PushMessage& message);
  int64_t NowMicros() const;

  engine::Engine& engine_;
  store::PushStore& store_;
  P256Key vapid_;
  PushOptions options_;
  PushSender sender_;
  std::string application_server_key_;
  // The cursor last seen per chapter (the worker thread's only).
  std::map<std::string, int64_t> cursors_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace reciproca::push
