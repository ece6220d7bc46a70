#pragma once

// Web Push's two tables, beside the event log and never in it (docs/push.md):
//   - subscriptions: a member's browser endpoints with their keys (p256dh, auth) and the member's
//     choices of what to receive. Contact-grade secrets: whoever holds an endpoint and its keys
//     can write to that phone. They are not events, so they never reach the event stream the
//     phones and the room display read, the plugins, a snapshot or a log line; unsubscribing
//     deletes them for good (an event log keeps everything forever).
//   - the delivery queue: one row per message and endpoint, written in one transaction with the
//     advance of the chapter's push cursor (the last event seq turned into messages), so that a
//     committed event gives its messages exactly once, whichever replica gets there first. Rows
//     are claimed with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED), so several replicas send
//     each message once; a message is deleted once delivered or dropped.
//
// Threads: every call may come from any thread; implementations serialize on their own
// connection. Times are microseconds since the Unix epoch, from the caller's clock.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "server/domain/result.h"

namespace reciproca::store {

struct PushSubscription {
  std::string chapter;   // "chapters/{chapter}"
  std::string member;    // "chapters/{chapter}/members/{member}"
  std::string endpoint;  // the push service's URL for this browser (a secret)
  std::string p256dh;    // base64url P-256 public key of the browser (a secret)
  std::string auth;      // base64url 16-byte auth secret (a secret)
  // The member's choices: a bit per push::Kind (server/push/notification.h).
  int64_t kinds = 0;
  int64_t created_micros = 0;
};

// One message for one endpoint.
struct PushMessage {
  int64_t id = 0;  // assigned by the store
  std::string chapter;
  std::string member;
  std::string endpoint;
  std::string kind;     // "referral", "thanked", ...: for logs and tests
  std::string tag;      // what may cancel it ("meeting:chapters/x/meetings/3"), or ""
  std::string payload;  // the JSON the phone shows (never a phone number)
  int64_t ttl_seconds = 0;
  std::string urgency;     // RFC 8030 section 5.3: "very-low", "low", "normal", "high"
  int64_t due_micros = 0;  // not sent before
  int64_t attempts = 0;    // failed sends so far
  // Filled by ClaimDue from the endpoint's subscription (not stored twice).
  std::string p256dh;
  std::string auth;
};

// A claimed message from the columns both stores select, in this order: q.id, q.chapter,
// q.member, q.endpoint, q.kind, q.tag, q.payload, q.ttl_seconds, q.urgency, q.due_micros,
// q.attempts, s.p256dh, s.auth. `text(i)` and `number(i)` read column i.
template <class Text, class Number>
PushMessage ClaimedMessage(const Text& text, const Number& number) {
  PushMessage m;
  m.id = number(0);
  m.chapter = text(1);
  m.member = text(2);
  m.endpoint = text(3);
  m.kind = text(4);
  m.tag = text(5);
  m.payload = text(6);
  m.ttl_seconds = number(7);
  m.urgency = text(8);
  m.due_micros = number(9);
  m.attempts = number(10);
  m.p256dh = text(11);
  m.auth = text(12);
  return m;
}

// What one run of the push worker over a chapter's new events decided.
struct PushBatch {
  std::string chapter;
  int64_t from_seq = 0;  // the cursor as read
  int64_t to_seq = 0;    // the cursor after these events
  std::vector<PushMessage> messages;
  // Queued messages of the chapter with these tags are deleted (a cancelled meeting).
  std::vector<std::string> cancel_tags;
};

class PushStore {
 public:
  virtual ~PushStore() = default;

  // Adds the endpoint for the member, or replaces its keys; sets `kinds` on every subscription
  // of the member (the choices are the member's, whichever phone made them). An endpoint another
  // member had is taken over (one browser, one member). A chapter without a push cursor gets one
  // at `chapter_seq` (its last seq now), so that every event after the subscription counts.
  virtual Status PutSubscription(const PushSubscription& subscription, int64_t chapter_seq) = 0;
  // Removes the member's endpoint (and its queued messages); removing one not there is no error.
  virtual Status DeleteSubscription(const std::string& member, const std::string& endpoint) = 0;
  // The push service said the endpoint is gone (404/410): its subscription and queued messages.
  virtual Status DropEndpoint(const std::string& endpoint) = 0;
  // A member's subscriptions, or a chapter's when member is empty. Replaces *out.
  virtual Status ListSubscriptions(const std::string& chapter, const std::string& member,
                                   std::vector<PushSubscription>* out) = 0;

  // The chapter's push cursor: the last seq whose events were turned into messages, or -1 when
  // the chapter has none yet (the worker then starts at the chapter's end, not its history).
  virtual Result<int64_t> Cursor(const std::string& chapter) = 0;
  // In one transaction: moves the cursor from batch.from_seq (-1: none yet) to batch.to_seq,
  // queues the messages and deletes the cancelled ones. False, with nothing written, when the
  // cursor was not at from_seq (another server did it first).
  virtual Result<bool> Enqueue(const PushBatch& batch) = 0;

  // Up to `limit` messages due at `now`, not leased by anyone, leased to the caller until
  // `lease_until` (so that another server does not send them meanwhile). Replaces *out.
  virtual Status ClaimDue(int64_t now, int64_t lease_until, int limit,
                          std::vector<PushMessage>* out) = 0;
  // Delivered or dropped: deleted.
  virtual Status Forget(int64_t id) = 0;
  // Failed for now: due again at `due`, lease released, attempts counted.
  virtual Status Postpone(int64_t id, int64_t due, int64_t attempts) = 0;
};

}  // namespace reciproca::store
