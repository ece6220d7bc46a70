#include "reminder_book.h"

#include <algorithm>
#include <tuple>

#include "reminder_texts.h"

namespace reciproca::reciprocity {

namespace pv1 = reciproca::plugin::v1;
namespace v1 = reciproca::v1;

namespace {

constexpr const char* kKindNames[] = {"one_sided", "not_contacted", "thank_you_missing",
                                      "one_to_one_no_referral"};

const char* NameOf(ReminderKind kind) { return kKindNames[static_cast<int>(kind)]; }

ReminderKind KindNamed(const std::string& name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kKindNames[i]) {
      return static_cast<ReminderKind>(i);
    }
  }
  return ReminderKind::kOther;
}

// The episode number at the end of a one_sided id ("one_sided:3:1:2" -> 2), or 0.
int EpisodeOf(const std::string& id) {
  const size_t colon = id.rfind(':');
  int episode = 0;
  for (size_t i = colon == std::string::npos ? id.size() : colon + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || episode > 100000000) {
      return 0;
    }
    episode = episode * 10 + (id[i] - '0');
  }
  return episode;
}

// A referral either way between `a` and `b` with from < time <= to.
bool ReferralBetween(const ChapterFacts& facts, const std::string& a, const std::string& b,
                     int64_t from, int64_t to) {
  return facts.ReferralsBetween(a, b, from, to) + facts.ReferralsBetween(b, a, from, to) > 0;
}

}  // namespace

ReminderBook::ReminderBook(const Config& config, const plugin_texts::Catalogs& texts,
                           std::string chapter)
    : config_(config), texts_(texts), chapter_(std::move(chapter)) {}

void ReminderBook::Word(IssuedReminder& reminder, const ChapterFacts& facts,
                        const plugin_texts::Params& params) const {
  plugin_texts::SetParams(params, reminder.reminder.mutable_params());
  reminder.reminder.set_text(ReminderText(texts_, facts.language(), NameOf(reminder.kind), params));
}

void ReminderBook::Schedule(int64_t at, ReminderKind kind, const std::string& subject,
                            const std::string& other) {
  checks_.push(DueCheck{at, next_order_++, kind, subject, other});
}

void ReminderBook::AfterEvent(const v1::Event& event) {
  const int64_t time = Nanos(event.time());
  switch (event.payload_case()) {
    case v1::Event::kReferralGiven: {
      const v1::Referral& r = event.referral_given().referral();
      Schedule(time + config_.not_contacted_days * kNanosPerDay, ReminderKind::kNotContacted,
               r.name());
      // The giver gave one more: is it one-sided now?
      Schedule(time, ReminderKind::kOneSided, r.giver(), r.receiver());
      // The giver gave back: that resolves the receiver's one-sided episode towards the giver...
      if (auto found = episodes_.find(MemberPair(r.receiver(), r.giver()));
          found != episodes_.end()) {
        found->second.open = false;
      }
      // ...until this referral leaves the window.
      Schedule(time + config_.one_sided_days * kNanosPerDay, ReminderKind::kOneSided, r.receiver(),
               r.giver());
      break;
    }
    case v1::Event::kReferralStatusChanged:
      if (event.referral_status_changed().to_status() == v1::REFERRAL_STATUS_CLOSED_WON) {
        Schedule(time + config_.thank_you_missing_days * kNanosPerDay,
                 ReminderKind::kThankYouMissing, event.referral_status_changed().referral());
      }
      break;
    case v1::Event::kOneToOneRecorded:
      Schedule(time + config_.one_to_one_no_referral_days * kNanosPerDay,
               ReminderKind::kOneToOneNoReferral, event.one_to_one_recorded().one_to_one().name());
      break;
    default:
      break;
  }
}

void ReminderBook::Recorded(const pv1::Reminder& reminder, const ChapterFacts& facts, int64_t now) {
  if (auto found = reminders_.find(reminder.id()); found != reminders_.end()) {
    found->second.recorded = true;
    return;
  }
  // Issued by an earlier instance, perhaps with another config: take it as it was recorded.
  IssuedReminder r;
  r.reminder = reminder;
  r.kind = KindNamed(reminder.kind());
  r.subject = reminder.about_size() > 0 ? reminder.about(0) : "";
  r.other = reminder.about_size() > 1 ? reminder.about(1) : r.subject;
  r.recorded = true;
  if (r.kind == ReminderKind::kOneSided) {
    r.episode = EpisodeOf(reminder.id());
    Episode& episode = episodes_[MemberPair(r.subject, reminder.member())];
    if (r.episode > episode.number) {
      const int64_t since = Nanos(reminder.create_time());
      // Still open unless the reminded member gave the giver a referral since.
      episode = Episode{
          r.episode, facts.ReferralsBetween(reminder.member(), r.subject, since, now) == 0, since};
    }
  }
  reminders_.emplace(reminder.id(), std::move(r));
}

void ReminderBook::RunDue(const ChapterFacts& facts, int64_t now) {
  while (!checks_.empty() && checks_.top().at <= now) {
    const DueCheck check = checks_.top();
    checks_.pop();
    RunCheck(check, facts, now);
  }
}

void ReminderBook::RunCheck(const DueCheck& check, const ChapterFacts& facts, int64_t now) {
  switch (check.kind) {
    case ReminderKind::kOneSided:
      CheckOneSided(check.subject, check.other, facts, now);
      break;
    case ReminderKind::kNotContacted: {
      const ReferralFacts* r = facts.Referral(check.subject);
      if (r == nullptr || r->status != v1::REFERRAL_STATUS_GIVEN) {
        break;
      }
      IssuedReminder reminder;
      reminder.kind = check.kind;
      reminder.subject = r->name;
      reminder.other = r->giver;
      reminder.reminder.set_id("not_contacted:" + ShortId(r->name));
      reminder.reminder.set_member(r->receiver);
      Word(reminder, facts,
           NotContactedParams(facts.DisplayName(r->giver), r->contact_name, r->temperature,
                              UtcDate(r->given_at)));
      Arise(std::move(reminder), now);
      break;
    }
    case ReminderKind::kThankYouMissing: {
      const ReferralFacts* r = facts.Referral(check.subject);
      if (r == nullptr || r->status != v1::REFERRAL_STATUS_CLOSED_WON || r->thanked) {
        break;
      }
      IssuedReminder reminder;
      reminder.kind = check.kind;
      reminder.subject = r->name;
      reminder.other = r->giver;
      reminder.reminder.set_id("thank_you_missing:" + ShortId(r->name));
      reminder.reminder.set_member(r->receiver);
      Word(reminder, facts,
           ThankYouMissingParams(facts.DisplayName(r->giver), r->contact_name,
                                 UtcDate(r->closed_won_at.value_or(now))));
      Arise(std::move(reminder), now);
      break;
    }
    case ReminderKind::kOneToOneNoReferral: {
      const OneToOneFacts* o = facts.OneToOne(check.subject);
      if (o == nullptr || ReferralBetween(facts, o->member, o->with_member, o->recorded_at, now)) {
        break;
      }
      for (const auto& [member, other] :
           {MemberPair(o->member, o->with_member), MemberPair(o->with_member, o->member)}) {
        IssuedReminder reminder;
        reminder.kind = check.kind;
        reminder.subject = o->name;
        reminder.other = other;
        reminder.reminder.set_id("one_to_one_no_referral:" + ShortId(o->name) + ":" +
                                 ShortId(member));
        reminder.reminder.set_member(member);
        Word(reminder, facts, OneToOneNoReferralParams(facts.DisplayName(other), o->date));
        Arise(std::move(reminder), now);
      }
      break;
    }
    case ReminderKind::kOther:
      break;
  }
}

void ReminderBook::CheckOneSided(const std::string& giver, const std::string& receiver,
                                 const ChapterFacts& facts, int64_t now) {
  const int64_t from = now - config_.one_sided_days * kNanosPerDay;
  const int given = facts.ReferralsBetween(giver, receiver, from, now);
  if (given < config_.one_sided_referrals ||
      facts.ReferralsBetween(receiver, giver, from, now) > 0 || !facts.IsActive(giver) ||
      !facts.IsActive(receiver)) {
    return;
  }
  Episode& episode = episodes_[MemberPair(giver, receiver)];
  if (!episode.open) {
    episode = Episode{episode.number + 1, true, now};
  }
  IssuedReminder reminder;
  reminder.kind = ReminderKind::kOneSided;
  reminder.subject = giver;
  reminder.other = giver;
  reminder.episode = episode.number;
  reminder.reminder.set_id("one_sided:" + ShortId(receiver) + ":" + ShortId(giver) + ":" +
                           std::to_string(episode.number));
  reminder.reminder.set_member(receiver);
  Word(reminder, facts, OneSidedParams(facts.DisplayName(giver), given, config_.one_sided_days));
  Arise(std::move(reminder), now);
}

void ReminderBook::Arise(IssuedReminder reminder, int64_t now) {
  const std::string id = reminder.reminder.id();
  if (reminders_.contains(id)) {
    return;  // Issued (or pending) already: the situation has not changed.
  }
  reminder.reminder.set_kind(NameOf(reminder.kind));
  reminder.reminder.add_about(reminder.subject);
  if (reminder.other != reminder.subject) {
    reminder.reminder.add_about(reminder.other);
  }
  *reminder.reminder.mutable_create_time() = TimestampOf(now);
  reminders_.emplace(id, std::move(reminder));
  pending_.push_back(id);
}

std::vector<pv1::Reminder> ReminderBook::TakeDue(const ChapterFacts& facts, int64_t now) {
  std::vector<pv1::Reminder> due;
  for (const std::string& id : pending_) {
    IssuedReminder& r = reminders_.at(id);
    if (r.issued()) {
      continue;
    }
    // Mark it emitted first so that IsActive (which asks for issued reminders) can judge it.
    r.emitted = true;
    if (IsActive(r, facts, now)) {
      due.push_back(r.reminder);
    } else {
      reminders_.erase(id);  // Resolved before it was ever told: forget it.
    }
  }
  pending_.clear();
  return due;
}

bool ReminderBook::IsActive(const IssuedReminder& r, const ChapterFacts& facts, int64_t now) const {
  if (!r.issued() || !facts.IsActive(r.reminder.member()) || !facts.IsActive(r.other)) {
    return false;
  }
  switch (r.kind) {
    case ReminderKind::kOneSided: {
      const auto found = episodes_.find(MemberPair(r.subject, r.reminder.member()));
      return found != episodes_.end() && found->second.open && found->second.number == r.episode &&
             facts.ReferralsBetween(r.subject, r.reminder.member(),
                                    now - config_.one_sided_days * kNanosPerDay,
                                    now) >= config_.one_sided_referrals;
    }
    case ReminderKind::kNotContacted: {
      const ReferralFacts* referral = facts.Referral(r.subject);
      return referral != nullptr && referral->status == v1::REFERRAL_STATUS_GIVEN;
    }
    case ReminderKind::kThankYouMissing: {
      const ReferralFacts* referral = facts.Referral(r.subject);
      return referral != nullptr && referral->status == v1::REFERRAL_STATUS_CLOSED_WON &&
             !referral->thanked;
    }
    case ReminderKind::kOneToOneNoReferral: {
      const OneToOneFacts* o = facts.OneToOne(r.subject);
      return o != nullptr &&
             !ReferralBetween(facts, o->member, o->with_member, o->recorded_at, now);
    }
    case ReminderKind::kOther:
      break;
  }
  return false;
}

pv1::Reminders ReminderBook::Active(const ChapterFacts& facts, const std::string& member,
                                    int64_t now) const {
  std::vector<const pv1::Reminder*> found;
  for (const auto& [id, r] : reminders_) {
    if ((member.empty() || r.reminder.member() == member) && IsActive(r, facts, now)) {
      found.push_back(&r.reminder);
    }
  }
  std::sort(found.begin(), found.end(), [](const pv1::Reminder* a, const pv1::Reminder* b) {
    const int64_t ta = Nanos(a->create_time());
    const int64_t tb = Nanos(b->create_time());
    return ta != tb ? ta > tb : a->id() < b->id();
  });
  pv1::Reminders answer;
  for (const pv1::Reminder* r : found) {
    pv1::Reminder* out = answer.add_reminders();
    *out = *r;
    if (r->params_size() > 0 && KindNamed(r->kind()) != ReminderKind::kOther) {
      out->set_text(
          ReminderText(texts_, facts.language(), r->kind(), plugin_texts::ParamsOf(r->params())));
    }
  }
  return answer;
}

}  // namespace reciproca::reciprocity
