#pragma once

// What a committed event tells which member's phone (docs/push.md, "What is sent"): the rule
// from events to notifications, worded in the chapter's language (server/domain/messages, keys
// PUSH_*). Pure: no I/O, the chapter's state and the time passed in.
//
// A notification never carries a phone number or an e-mail address: the payload is a title, a
// body, the page to open and a tag, in JSON of at most a few hundred bytes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/push_service.pb.h"
#include "server/domain/chapter.h"

namespace reciproca::push {

// A member's choices, a bit per v1::PushKind.
int64_t KindBit(v1::PushKind kind);
int64_t AllKinds();
// The bits of `kinds` (empty: every kind; unknown values are ignored).
int64_t KindsMask(const std::vector<v1::PushKind>& kinds);
std::vector<v1::PushKind> KindsOf(int64_t mask);
// "referral", "thanked", "not_contacted", "visitor_followed_up", "meeting_soon".
std::string_view KindName(v1::PushKind kind);

struct Notice {
  // Who receives it: a member's name, or "" for every member of the chapter.
  std::string member;
  v1::PushKind kind = v1::PUSH_KIND_UNSPECIFIED;
  // What may cancel it before it is sent ("meeting:chapters/x/meetings/3"), else "".
  std::string tag;
  // Not sent before (the meeting's lead time), and no longer worth sending after `expires`.
  domain::TimePoint due;
  domain::TimePoint expires;
  // RFC 8030 section 5.3.
  std::string urgency = "normal";
  // The JSON the service worker shows: {"kind","title","body","url","tag"}.
  std::string payload;
};

struct NoticeRules {
  // A scheduled meeting's notice goes this long before its start.
  std::chrono::minutes meeting_lead{15};
};

// The notices of one committed event, given the chapter's current state and the time; tags of
// queued notices the event cancels go to *cancel_tags. Imported records notify nobody.
void NoticesOf(const v1::Event& event, const domain::Chapter& chapter, domain::TimePoint now,
               const NoticeRules& rules, std::vector<Notice>* notices,
               std::vector<std::string>* cancel_tags);

// The notice "a visitor you invited was followed up", for `inviter` (a member's name), about
// the visitor `visitor_name` followed up by `host_name`. The hook of the visitors' pipeline:
// NoticesOf calls it for the event that records a follow-up (docs/push.md).
Notice VisitorFollowedUpNotice(const domain::Chapter& chapter, std::string_view inviter,
                               std::string_view visitor_name, std::string_view host_name,
                               domain::TimePoint now);

}  // namespace reciproca::push
