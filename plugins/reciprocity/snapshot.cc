// Reciprocity's snapshot (ABI 1.1): its state as bytes, version 2.
//
//   "reciprocity" 2
//   chapters: name, ChapterFacts (roster, language, referrals, one-to-ones, directions,
//             one-to-one counts, acquainted pairs), ReminderBook (due checks, next order,
//             episodes, reminders with their serialized Reminder (kind and text parameters
//             included), pending ids)
//
// Version 1 (before the chapter's language) is refused: the host then replays the whole log.
//
// The configuration is not in it: the host hands a snapshot back only to an instance created
// with the same config. Whether the instance is live (ticked) is not either: a restored
// instance is ticked once its replay is done, as a fresh one is.

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "reciprocity.h"

namespace reciproca::reciprocity {
namespace {

using reciproca::sdk::StateReader;
using reciproca::sdk::StateWriter;

constexpr const char* kStateTag = "reciprocity";
constexpr uint32_t kStateVersion = 2;

void SavePair(StateWriter& out, const MemberPair& pair) {
  out.String(pair.first);
  out.String(pair.second);
}

MemberPair LoadPair(StateReader& in) {
  MemberPair pair;
  pair.first = in.String();
  pair.second = in.String();
  return pair;
}

}  // namespace

void ChapterFacts::Save(StateWriter& out) const {
  roster_.Save(out);
  out.String(language_);
  out.Map(referrals_, [](StateWriter& w, const std::string& k, const ReferralFacts& r) {
    w.String(k);
    w.String(r.name);
    w.String(r.giver);
    w.String(r.receiver);
    w.String(r.contact_name);
    w.I32(r.temperature);
    w.I64(r.given_at);
    w.I32(r.status);
    w.Bool(r.closed_won_at.has_value());
    w.I64(r.closed_won_at.value_or(0));
    w.Bool(r.thanked);
  });
  out.Map(one_to_ones_, [](StateWriter& w, const std::string& k, const OneToOneFacts& o) {
    w.String(k);
    w.String(o.name);
    w.String(o.member);
    w.String(o.with_member);
    w.I64(o.recorded_at);
    w.String(o.date);
  });
  out.Map(directions_, [](StateWriter& w, const MemberPair& k, const DirectionFacts& d) {
    SavePair(w, k);
    w.I64s(d.referral_times);
    w.Strings(d.referrals);
    w.I64s(d.thank_you_times);
    w.I32(d.testimonials);
  });
  out.Map(one_to_one_counts_, [](StateWriter& w, const MemberPair& k, int n) {
    SavePair(w, k);
    w.I32(n);
  });
  out.Sequence(acquainted_, [](StateWriter& w, const MemberPair& k) { SavePair(w, k); });
}

void ChapterFacts::Load(StateReader& in) {
  roster_.Load(in);
  language_ = in.String();
  in.Map(&referrals_, [](StateReader& r, std::string* k, ReferralFacts* f) {
    *k = r.String();
    f->name = r.String();
    f->giver = r.String();
    f->receiver = r.String();
    f->contact_name = r.String();
    f->temperature = r.I32();
    f->given_at = r.I64();
    f->status = static_cast<reciproca::v1::ReferralStatus>(r.I32());
    const bool closed = r.Bool();
    const int64_t closed_at = r.I64();
    if (closed) {
      f->closed_won_at = closed_at;
    }
    f->thanked = r.Bool();
  });
  in.Map(&one_to_ones_, [](StateReader& r, std::string* k, OneToOneFacts* o) {
    *k = r.String();
    o->name = r.String();
    o->member = r.String();
    o->with_member = r.String();
    o->recorded_at = r.I64();
    o->date = r.String();
  });
  in.Map(&directions_, [](StateReader& r, MemberPair* k, DirectionFacts* d) {
    *k = LoadPair(r);
    d->referral_times = r.I64s();
    d->referrals = r.Strings();
    d->thank_you_times = r.I64s();
    d->testimonials = r.I32();
    if (d->referrals.size() != d->referral_times.size()) {
      throw std::invalid_argument("snapshot: damaged (a direction's referrals)");
    }
  });
  in.Map(&one_to_one_counts_, [](StateReader& r, MemberPair* k, int* n) {
    *k = LoadPair(r);
    *n = r.I32();
  });
  acquainted_.clear();
  for (size_t i = 0, n = in.Count(16); i < n; ++i) {
    acquainted_.insert(acquainted_.end(), LoadPair(in));
  }
}

void ReminderBook::Save(StateWriter& out) const {
  // Each check carries its (at, order) key, so the order they are written in does not matter to
  // Load; they are written soonest first so that equal states give equal bytes. Sorted by
  // pointer: copying the queue and popping it moved every check's strings log n times.
  std::vector<const DueCheck*> checks;
  checks.reserve(checks_.size());
  for (const DueCheck& c : checks_.in_place()) {
    checks.push_back(&c);
  }
  std::sort(checks.begin(), checks.end(),
            [](const DueCheck* a, const DueCheck* b) { return LaterFirst()(*b, *a); });
  out.U64(checks.size());
  for (const DueCheck* c : checks) {
    out.I64(c->at);
    out.U64(c->order);
    out.I32(static_cast<int32_t>(c->kind));
    out.String(c->subject);
    out.String(c->other);
  }
  out.U64(next_order_);
  out.Map(episodes_, [](StateWriter& w, const MemberPair& k, const Episode& e) {
    SavePair(w, k);
    w.I32(e.number);
    w.Bool(e.open);
    w.I64(e.since);
  });
  out.Map(reminders_, [](StateWriter& w, const std::string& k, const IssuedReminder& r) {
    w.String(k);
    w.String(r.reminder.SerializeAsString());
    w.I32(static_cast<int32_t>(r.kind));
    w.String(r.subject);
    w.String(r.other);
    w.I32(r.episode);
    w.Bool(r.emitted);
    w.Bool(r.recorded);
  });
  out.Strings(pending_);
}

void ReminderBook::Load(StateReader& in) {
  const auto kind = [](int32_t k) {
    if (k < 0 || k > static_cast<int32_t>(ReminderKind::kOther)) {
      throw std::invalid_argument("snapshot: damaged (a reminder kind)");
    }
    return static_cast<ReminderKind>(k);
  };
  checks_ = {};
  for (size_t i = 0, n = in.Count(36); i < n; ++i) {
    DueCheck c;
    c.at = in.I64();
    c.order = in.U64();
    c.kind = kind(in.I32());
    c.subject = in.String();
    c.other = in.String();
    checks_.push(std::move(c));
  }
  next_order_ = in.U64();
  in.Map(&episodes_, [](StateReader& r, MemberPair* k, Episode* e) {
    *k = LoadPair(r);
    e->number = r.I32();
    e->open = r.Bool();
    e->since = r.I64();
  });
  in.Map(&reminders_, [&kind](StateReader& r, std::string* k, IssuedReminder* issued) {
    *k = r.String();
    if (!issued->reminder.ParseFromString(r.String())) {
      throw std::invalid_argument("snapshot: damaged (a reminder)");
    }
    issued->kind = kind(r.I32());
    issued->subject = r.String();
    issued->other = r.String();
    issued->episode = r.I32();
    issued->emitted = r.Bool();
    issued->recorded = r.Bool();
  });
  pending_ = in.Strings();
}

std::string Reciprocity::SaveState() const {
  StateWriter out(kStateTag, kStateVersion);
  out.U64(chapters_.size());
  for (const auto& [name, chapter] : chapters_) {
    out.String(name);
    chapter->facts.Save(out);
    chapter->reminders.Save(out);
  }
  return out.Take();
}

void Reciprocity::RestoreState(std::string_view state) {
  StateReader in(state, kStateTag, kStateVersion);
  chapters_.clear();
  for (size_t i = 0, n = in.Count(8); i < n; ++i) {
    Chapter& chapter = ChapterOf(in.String());
    chapter.facts.Load(in);
    chapter.reminders.Load(in);
  }
  in.End();
}

}  // namespace reciproca::reciprocity
