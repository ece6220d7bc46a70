#include "server/push/push_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <set>

namespace reciproca::push {
namespace {

constexpr int kEventsPerScan = 256;
constexpr int kClaimBatch = 32;

domain::Principal Admin() {
  domain::Principal admin;
  admin.kind = domain::Principal::Kind::kAdmin;
  return admin;
}

int64_t Micros(domain::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// The push service's origin, for log lines (an endpoint is a secret capability URL).
std::string OriginForLog(const std::string& endpoint) {
  Result<std::string> origin = EndpointOrigin(endpoint);
  return origin.ok() ? *origin : std::string("(unparseable endpoint)");
}

}  // namespace

PushWorker::PushWorker(engine::Engine& engine, store::PushStore& store, P256Key vapid,
                       PushOptions options)
    : engine_(engine),
      store_(store),
      vapid_(std::move(vapid)),
      options_(std::move(options)),
      sender_(options_.extra_ca_file),
      application_server_key_(Base64UrlEncode(vapid_.public_point())) {}

PushWorker::~PushWorker() { Stop(); }

void PushWorker::Start() {
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Run(); });
  }
}

void PushWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void PushWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

int64_t PushWorker::NowMicros() const { return Micros(engine_.clock().Now()); }

void PushWorker::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.poll_interval, [this] { return woken_ || stopping_; });
      if (stopping_) {
        return;
      }
      woken_ = false;
    }
    ScanChapters();
    SendDue();
  }
}

void PushWorker::ScanChapters() {
  for (const v1::Chapter& chapter : engine_.ListChapters(Admin())) {
    auto known = cursors_.find(chapter.name());
    if (known != cursors_.end() && known->second >= chapter.last_seq()) {
      continue;
    }
    if (Status status = ScanChapter(chapter.name(), chapter.last_seq()); !status.ok()) {
      spdlog::warn("push: cannot queue the notifications of {}: {}", chapter.name(),
                   status.error().message);
    }
  }
}

Status PushWorker::ScanChapter(const std::string& chapter, int64_t last_seq) {
  Result<int64_t> cursor = store_.Cursor(chapter);
  if (!cursor.ok()) {
    return cursor.error();
  }
  if (*cursor < 0) {
    // A chapter new to push (or a server that just gained push): its history is nobody's news.
    store::PushBatch batch{chapter, -1, last_seq, {}, {}};
    Result<bool> moved = store_.Enqueue(batch);
    if (!moved.ok()) {
      return moved.error();
    }
    cursors_.erase(chapter);  // read it back next time, whoever moved it
    return {};
  }
  if (*cursor >= last_seq) {
    cursors_[chapter] = *cursor;
    return {};
  }
  std::vector<store::StoredEvent> stored;
  if (Status status = engine_.store().ReadEvents(chapter, *cursor, kEventsPerScan, &stored);
      !status.ok()) {
    return status;
  }
  if (stored.empty()) {
    return {};
  }
  std::vector<v1::Event> events(stored.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!events[i].ParseFromString(stored[i].bytes)) {
      return Internal("event " + std::to_string(stored[i].seq) + " does not parse");
    }
  }
  std::vector<store::PushSubscription> subscriptions;
  if (Status status = store_.ListSubscriptions(chapter, "", &subscriptions); !status.ok()) {
    return status;
  }

  store::PushBatch batch{chapter, *cursor, stored.back().seq, {}, {}};
  const domain::TimePoint now = engine_.clock().Now();
  std::promise<Status> decided;
  engine_.Read(
      Admin(), chapter,
      [&](const domain::Chapter& c) -> Status {
        std::vector<Notice> notices;
        for (const v1::Event& event : events) {
          std::vector<std::string> cancels;
          NoticesOf(event, c, now, options_.rules, &notices, &cancels);
          for (const std::string& tag : cancels) {
            std::erase_if(notices, [&](const Notice& n) { return n.tag == tag; });
            batch.cancel_tags.push_back(tag);
          }
        }
        for (const Notice& notice : notices) {
          for (const store::PushSubscription& s : subscriptions) {
            if ((!notice.member.empty() && s.member != notice.member) ||
                (s.kinds & KindBit(notice.kind)) == 0) {
              continue;
            }
            auto member = c.GetMember(s.member);
            if (!member.ok() || member->state() != v1::MEMBER_STATE_ACTIVE) {
              continue;  // a member who left hears nothing more
            }
            store::PushMessage& m = batch.messages.emplace_back();
            m.chapter = chapter;
            m.member = s.member;
            m.endpoint = s.endpoint;
            m.kind = std::string(KindName(notice.kind));
            m.tag = notice.tag;
            m.payload = notice.payload;
            m.due_micros = Micros(notice.due);
            m.ttl_seconds = std::max<int64_t>(
                0, std::chrono::duration_cast<std::chrono::seconds>(notice.expires - notice.due)
                       .count());
            m.urgency = notice.urgency;
          }
        }
        return {};
      },
      [&decided](const Status& status) { decided.set_value(status); });
  if (Status status = decided.get_future().get(); !status.ok()) {
    return status;
  }
  Result<bool> moved = store_.Enqueue(batch);
  if (!moved.ok()) {
    return moved.error();
  }
  if (*moved) {
    cursors_[chapter] = batch.to_seq;
    if (!batch.messages.empty()) {
      spdlog::debug("push: {} message(s) queued for {} (events {}..{})", batch.messages.size(),
                    chapter, batch.from_seq + 1, batch.to_seq);
    }
  } else {
    cursors_.erase(chapter);  // another server queued them first
  }
  return {};
}

void PushWorker::SendDue() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        return;
      }
    }
    const int64_t now = NowMicros();
    std::vector<store::PushMessage> due;
    const int64_t lease_until =
        now + std::chrono::duration_cast<std::chrono::microseconds>(options_.lease).count();
    if (Status status = store_.ClaimDue(now, lease_until, kClaimBatch, &due); !status.ok()) {
      spdlog::warn("push: cannot read the queue: {}", status.error().message);
      return;
    }
    for (const store::PushMessage& message : due) {
      Send(message);
    }
    if (due.size() < static_cast<size_t>(kClaimBatch)) {
      return;
    }
  }
}

void PushWorker::Send(const store::PushMessage& m) {
  const int64_t now = NowMicros();
  const std::string origin = OriginForLog(m.endpoint);
  auto forget = [&] {
    if (Status status = store_.Forget(m.id); !status.ok()) {
      spdlog::warn("push: cannot forget a message: {}", status.error().message);
    }
  };
  const int64_t ttl = m.ttl_seconds - (now - m.due_micros) / 1'000'000;
  if (ttl <= 0) {
    forget();  // too late to be worth showing (a meeting that has started)
    return;
  }
  Result<std::string> ua_public = Base64UrlDecode(m.p256dh);
  Result<std::string> auth = Base64UrlDecode(m.auth);
  Result<std::string> body = ua_public.ok() && auth.ok()
                                 ? EncryptForSubscription(m.payload, *ua_public, *auth)
                                 : Result<std::string>(InvalidArgument("keys not base64url"));
  Result<std::string> audience = EndpointOrigin(m.endpoint);
  // The wall clock's, not the engine's: the push service checks exp against its own clock.
  const int64_t expires =
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() + options_.jwt_lifetime).time_since_epoch())
          .count();
  Result<std::string> jwt = audience.ok() ? VapidJwt(vapid_, *audience, expires, options_.subject)
                                          : Result<std::string>(audience.error());
  if (!body.ok() || !jwt.ok()) {
    spdlog::warn("push: a subscription of {} at {} cannot be written to ({}): removed", m.member,
                 origin, (!body.ok() ? body.error() : jwt.error()).message);
    (void)store_.DropEndpoint(m.endpoint);
    return;
  }
  const PushResponse response =
      sender_.Post(m.endpoint,
                   {{"TTL", std::to_string(ttl)},
                    {"Urgency", m.urgency.empty() ? std::string("normal") : m.urgency},
                    {"Content-Encoding", "aes128gcm"},
                    {"Content-Type", "application/octet-stream"},
                    {"Authorization", VapidAuthorization(*jwt, vapid_)}},
                   *body);
  if (response.status >= 200 && response.status < 300) {
    forget();
    return;
  }
  if (response.status == 404 || response.status == 410) {
    spdlog::info("push: {} says a subscription of {} is gone (HTTP {}): removed", origin, m.member,
                 response.status);
    if (Status status = store_.DropEndpoint(m.endpoint); !status.ok()) {
      spdlog::warn("push: cannot remove the subscription: {}", status.error().message);
    }
    return;
  }
  const bool transient = response.status == 0 || response.status == 429 || response.status >= 500;
  const int64_t attempts = m.attempts + 1;
  if (!transient || attempts >= options_.max_attempts) {
    spdlog::warn("push: a {} message for {} dropped: {} answered {} {} after {} attempt(s)", m.kind,
                 m.member, origin, response.status, response.detail, attempts);
    forget();
    return;
  }
  auto wait = options_.first_retry * (int64_t{1} << std::min<int64_t>(attempts - 1, 20));
  wait = std::min<std::chrono::milliseconds>(wait, options_.max_retry);
  spdlog::debug("push: {} answered {} {}; retry {} in {} ms", origin, response.status,
                response.detail, attempts, wait.count());
  if (Status status = store_.Postpone(
          m.id, now + std::chrono::duration_cast<std::chrono::microseconds>(wait).count(),
          attempts);
      !status.ok()) {
    spdlog::warn("push: cannot postpone a message: {}", status.error().message);
  }
}

}  // namespace reciproca::push
