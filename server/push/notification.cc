#include "server/push/notification.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "server/domain/message_catalogs.h"
#include "server/domain/validation.h"

namespace reciproca::push {
namespace {

constexpr v1::PushKind kKinds[] = {v1::PUSH_KIND_REFERRAL, v1::PUSH_KIND_THANKED,
                                   v1::PUSH_KIND_NOT_CONTACTED, v1::PUSH_KIND_VISITOR_FOLLOWED_UP,
                                   v1::PUSH_KIND_MEETING_SOON};
// How long a push service keeps a message for a phone that is off (RFC 8030 TTL).
constexpr std::chrono::hours kKeepFor{24};

// The chapter's language among the catalogs' ("en" when none fits).
std::string LanguageOf(const domain::Chapter& chapter) {
  std::string language = domain::MessageCatalogs::Get().Negotiate(chapter.Info().language());
  return language.empty() ? "en" : language;
}

std::string Text(const std::string& language, std::string_view key,
                 const std::map<std::string, std::string>& params) {
  return domain::MessageCatalogs::Get().Format(language, key, params, key);
}

std::string DisplayName(const domain::Chapter& chapter, std::string_view member) {
  auto found = chapter.GetMember(member);
  return found.ok() ? found->display_name() : std::string();
}

std::string Payload(v1::PushKind kind, const std::string& title, const std::string& body,
                    const std::string& tag) {
  return nlohmann::json{{"kind", std::string(KindName(kind))},
                        {"title", title},
                        {"body", body},
                        {"url", "/app/"},
                        {"tag", tag}}
      .dump();
}

Notice Make(std::string member, v1::PushKind kind, std::string tag, domain::TimePoint now,
            const std::string& title, const std::string& body) {
  Notice n;
  n.member = std::move(member);
  n.kind = kind;
  n.tag = std::move(tag);
  n.due = now;
  n.expires = now + kKeepFor;
  n.payload = Payload(kind, title, body, n.tag);
  return n;
}

}  // namespace

int64_t KindBit(v1::PushKind kind) { return int64_t{1} << static_cast<int>(kind); }

int64_t AllKinds() {
  int64_t mask = 0;
  for (v1::PushKind kind : kKinds) {
    mask |= KindBit(kind);
  }
  return mask;
}

int64_t KindsMask(const std::vector<v1::PushKind>& kinds) {
  if (kinds.empty()) {
    return AllKinds();
  }
  int64_t mask = 0;
  for (v1::PushKind kind : kinds) {
    mask |= KindBit(kind);
  }
  return mask & AllKinds();
}

std::vector<v1::PushKind> KindsOf(int64_t mask) {
  std::vector<v1::PushKind> kinds;
  for (v1::PushKind kind : kKinds) {
    if ((mask & KindBit(kind)) != 0) {
      kinds.push_back(kind);
    }
  }
  return kinds;
}

std::string_view KindName(v1::PushKind kind) {
  switch (kind) {
    case v1::PUSH_KIND_REFERRAL:
      return "referral";
    case v1::PUSH_KIND_THANKED:
      return "thanked";
    case v1::PUSH_KIND_NOT_CONTACTED:
      return "not_contacted";
    case v1::PUSH_KIND_VISITOR_FOLLOWED_UP:
      return "visitor_followed_up";
    case v1::PUSH_KIND_MEETING_SOON:
      return "meeting_soon";
    default:
      return "unspecified";
  }
}

Notice VisitorFollowedUpNotice(const domain::Chapter& chapter, std::string_view inviter,
                               std::string_view visitor_name, std::string_view host_name,
                               domain::TimePoint now) {
  const std::string language = LanguageOf(chapter);
  return Make(std::string(inviter), v1::PUSH_KIND_VISITOR_FOLLOWED_UP, "", now,
              Text(language, domain::kPushVisitorFollowedUpTitle, {}),
              Text(language, domain::kPushVisitorFollowedUpBody,
                   {{"visitor", std::string(visitor_name)}, {"host", std::string(host_name)}}));
}

void NoticesOf(const v1::Event& event, const domain::Chapter& chapter, domain::TimePoint now,
               const NoticeRules& rules, std::vector<Notice>* notices,
               std::vector<std::string>* cancel_tags) {
  if (!event.imported_from().empty()) {
    return;  // the past, brought in from another tool: nobody's news
  }
  const std::string language = LanguageOf(chapter);
  switch (event.payload_case()) {
    case v1::Event::kReferralGiven: {
      const v1::Referral& r = event.referral_given().referral();
      notices->push_back(Make(r.receiver(), v1::PUSH_KIND_REFERRAL, "", now,
                              Text(language, domain::kPushReferralTitle, {}),
                              Text(language, domain::kPushReferralBody,
                                   {{"giver", DisplayName(chapter, r.giver())},
                                    {"temperature", std::to_string(r.temperature())}})));
      notices->back().urgency = "high";
      return;
    }
    case v1::Event::kThankYouRecorded: {
      const v1::ThankYou& t = event.thank_you_recorded().thank_you();
      const std::string amount = t.amount().amount() + " " + t.amount().currency();
      notices->push_back(
          Make(t.to_member(), v1::PUSH_KIND_THANKED, "", now,
               Text(language, domain::kPushThankedTitle, {}),
               Text(language, domain::kPushThankedBody,
                    {{"from", DisplayName(chapter, t.from_member())}, {"amount", amount}})));
      return;
    }
    case v1::Event::kPluginOutput: {
      // The reciprocity plugin's reminder (already worded in the chapter's language).
      const plugin::v1::Output& output = event.plugin_output().output();
      if (output.has_reminder() && output.reminder().kind() == "not_contacted") {
        notices->push_back(Make(output.reminder().member(), v1::PUSH_KIND_NOT_CONTACTED, "", now,
                                Text(language, domain::kPushNotContactedTitle, {}),
                                output.reminder().text()));
      }
      return;
    }
    case v1::Event::kMeetingScheduled: {
      const v1::MeetingScheduled& m = event.meeting_scheduled();
      const domain::TimePoint start = domain::FromTimestamp(m.start_time());
      auto meeting = chapter.GetMeeting(m.meeting());
      if (start <= now || !meeting.ok() || meeting->state() != v1::MEETING_STATE_SCHEDULED) {
        return;  // started, cancelled or gone by the time the worker sees it
      }
      const domain::TimePoint due = std::max(now, start - rules.meeting_lead);
      // Scheduled closer than the lead time: the minutes actually left, rounded up.
      const auto minutes = std::chrono::ceil<std::chrono::minutes>(start - due).count();
      Notice n = Make(
          "", v1::PUSH_KIND_MEETING_SOON, "meeting:" + m.meeting(), now,
          Text(language, domain::kPushMeetingSoonTitle, {}),
          Text(language, domain::kPushMeetingSoonBody,
               {{"chapter", chapter.Info().display_name()}, {"minutes", std::to_string(minutes)}}));
      n.due = due;
      n.expires = start;
      n.urgency = "high";
      notices->push_back(std::move(n));
      return;
    }
    case v1::Event::kMeetingCancelled:
      cancel_tags->push_back("meeting:" + event.meeting_cancelled().meeting());
      return;
    case v1::Event::kVisitorStateChanged: {
      // The visitor host followed up a visitor: their inviter hears it.
      const v1::Visitor& visitor = event.visitor_state_changed().visitor();
      if (visitor.state() == v1::VISITOR_STATE_FOLLOWED_UP) {
        notices->push_back(VisitorFollowedUpNotice(chapter, visitor.invited_by(),
                                                   visitor.display_name(),
                                                   DisplayName(chapter, event.actor()), now));
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace reciproca::push
