#include "server/api/push_service.h"

#include <boost/asio/post.hpp>
#include <memory>
#include <vector>

#include "server/domain/error_reasons.h"
#include "server/push/notification.h"
#include "server/push/web_push_crypto.h"

namespace reciproca::api {
namespace {

constexpr size_t kMaxEndpointLength = 1024;

Status CheckEndpoint(const std::string& endpoint) {
  if (endpoint.size() > kMaxEndpointLength || endpoint.rfind("https://", 0) != 0 ||
      !push::EndpointOrigin(endpoint).ok()) {
    return InvalidArgument(
               "endpoint: must be the https URL of the browser's push service, at most 1024 "
               "characters (PushSubscription.endpoint)")
        .Because(domain::kPushEndpointInvalid, {{"field", "endpoint"}});
  }
  return {};
}

Status CheckKeys(const std::string& p256dh, const std::string& auth) {
  Result<std::string> point = push::Base64UrlDecode(p256dh);
  if (!point.ok() || !push::P256Key::FromPublic(*point).ok()) {
    return InvalidArgument(
               "p256dh: must be the browser's P-256 public key, base64url "
               "(PushSubscription.getKey(\"p256dh\"))")
        .Because(domain::kPushKeyInvalid, {{"field", "p256dh"}});
  }
  Result<std::string> secret = push::Base64UrlDecode(auth);
  if (!secret.ok() || secret->size() != 16) {
    return InvalidArgument(
               "auth: must be the browser's 16-byte auth secret, base64url "
               "(PushSubscription.getKey(\"auth\"))")
        .Because(domain::kPushKeyInvalid, {{"field", "auth"}});
  }
  return {};
}

Error PushIsOff() {
  return FailedPrecondition(
      "push notifications are off on this server (reciprocad --push=false); ask its operator");
}

}  // namespace

grpc::ServerUnaryReactor* PushService::Handle(
    grpc::CallbackServerContext* context, const std::string& chapter, bool members_only,
    std::function<Status(const std::string&, int64_t)> change, v1::PushSettings* response) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  auto chapter_name = ChapterItself("chapter", chapter);
  if (!chapter_name.ok()) {
    return Reject(context, chapter_name.error());
  }
  const bool member = principal->kind == domain::Principal::Kind::kMember;
  if (members_only && !member) {
    return Reject(context, PermissionDenied("only a member of the chapter subscribes to push "
                                            "notifications, with their own token")
                               .Because(domain::kPushMembersOnly));
  }
  if (members_only && store_ == nullptr) {
    return Reject(context, PushIsOff());
  }
  auto* reactor = context->DefaultReactor();
  auto last_seq = std::make_shared<int64_t>(0);
  engine_.Read(
      *principal, chapter,
      [p = *principal, members_only, last_seq](const domain::Chapter& c) -> Status {
        *last_seq = c.last_seq();
        if (members_only) {
          auto found = c.GetMember(p.member);
          if (!found.ok()) {
            return found.error();
          }
          if (found->state() != v1::MEMBER_STATE_ACTIVE) {
            return FailedPrecondition("you have left the chapter").Because(domain::kMemberLeft);
          }
        }
        return {};
      },
      [this, reactor, response, chapter, member_name = member ? principal->member : std::string(),
       change = std::move(change), last_seq](const Status& checked) {
        if (!checked.ok()) {
          return reactor->Finish(ToGrpcStatus(checked));
        }
        boost::asio::post(engine_.blocking_pool(), [this, reactor, response, chapter, member_name,
                                                    change, last_seq] {
          if (change) {
            if (Status status = change(member_name, *last_seq); !status.ok()) {
              return reactor->Finish(ToGrpcStatus(status));
            }
          }
          response->set_enabled(worker_ != nullptr);
          if (worker_ != nullptr) {
            response->set_application_server_key(worker_->application_server_key());
            response->set_meeting_lead_minutes(
                static_cast<int32_t>(worker_->options().rules.meeting_lead.count()));
          }
          if (store_ != nullptr && !member_name.empty()) {
            std::vector<store::PushSubscription> mine;
            if (Status status = store_->ListSubscriptions(chapter, member_name, &mine);
                !status.ok()) {
              return reactor->Finish(ToGrpcStatus(status));
            }
            response->set_subscriptions(static_cast<int32_t>(mine.size()));
            if (!mine.empty()) {
              for (v1::PushKind kind : push::KindsOf(mine.front().kinds)) {
                response->add_kinds(kind);
              }
            }
          }
          reactor->Finish(grpc::Status::OK);
        });
      });
  return reactor;
}

grpc::ServerUnaryReactor* PushService::GetPushSettings(grpc::CallbackServerContext* context,
                                                       const v1::GetPushSettingsRequest* request,
                                                       v1::PushSettings* response) {
  return Handle(context, request->chapter(), false, {}, response);
}

grpc::ServerUnaryReactor* PushService::SubscribePush(grpc::CallbackServerContext* context,
                                                     const v1::SubscribePushRequest* request,
                                                     v1::PushSettings* response) {
  if (Status status = CheckEndpoint(request->endpoint()); !status.ok()) {
    return Reject(context, status.error());
  }
  if (Status status = CheckKeys(request->p256dh(), request->auth()); !status.ok()) {
    return Reject(context, status.error());
  }
  std::vector<v1::PushKind> kinds;
  for (int kind : request->kinds()) {
    kinds.push_back(static_cast<v1::PushKind>(kind));
  }
  store::PushSubscription subscription;
  subscription.chapter = request->chapter();
  subscription.endpoint = request->endpoint();
  subscription.p256dh = request->p256dh();
  subscription.auth = request->auth();
  subscription.kinds = push::KindsMask(kinds);
  subscription.created_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                    engine_.clock().Now().time_since_epoch())
                                    .count();
  return Handle(
      context, request->chapter(), true,
      [this, subscription](const std::string& member, int64_t chapter_seq) mutable {
        subscription.member = member;
        return store_->PutSubscription(subscription, chapter_seq);
      },
      response);
}

grpc::ServerUnaryReactor* PushService::UnsubscribePush(grpc::CallbackServerContext* context,
                                                       const v1::UnsubscribePushRequest* request,
                                                       v1::PushSettings* response) {
  return Handle(
      context, request->chapter(), true,
      [this, endpoint = request->endpoint()](const std::string& member, int64_t) {
        return store_->DeleteSubscription(member, endpoint);
      },
      response);
}

}  // namespace reciproca::api
