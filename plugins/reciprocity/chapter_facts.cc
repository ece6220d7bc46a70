#include "chapter_facts.h"

#include <algorithm>
#include <ctime>
#include <iterator>

#include "texts/event_time.h"

namespace reciproca::reciprocity {

namespace v1 = reciproca::v1;

namespace {

MemberPair Unordered(const std::string& a, const std::string& b) {
  return a < b ? MemberPair(a, b) : MemberPair(b, a);
}

// Inserts `time` in sorted `times`, returning its index (after equal times).
size_t InsertSorted(std::vector<int64_t>& times, int64_t time) {
  const auto at = std::upper_bound(times.begin(), times.end(), time);
  const auto index = static_cast<size_t>(std::distance(times.begin(), at));
  times.insert(at, time);
  return index;
}

// The index range [begin, end) of the times with from < time <= to.
std::pair<size_t, size_t> Range(const std::vector<int64_t>& times, int64_t from, int64_t to) {
  if (to <= from) {
    return {0, 0};
  }
  const auto begin = std::upper_bound(times.begin(), times.end(), from);
  const auto end = std::upper_bound(begin, times.end(), to);
  return {static_cast<size_t>(std::distance(times.begin(), begin)),
          static_cast<size_t>(std::distance(times.begin(), end))};
}

}  // namespace

int64_t Nanos(const google::protobuf::Timestamp& t) { return t.seconds() * 1000000000 + t.nanos(); }

google::protobuf::Timestamp TimestampOf(int64_t nanos) {
  google::protobuf::Timestamp t;
  t.set_seconds(nanos / 1000000000);
  t.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return t;
}

std::string UtcDate(int64_t nanos) {
  const std::time_t seconds = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

std::string ShortId(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

void ChapterFacts::Apply(const v1::Event& event) {
  // Records count when they happened (Event.occurred_time when set).
  const int64_t time = Nanos(plugin_texts::OccurredTime(event));
  roster_.Apply(event);
  plugin_texts::FollowLanguage(event, &language_);
  switch (event.payload_case()) {
    case v1::Event::kReferralGiven: {
      const v1::Referral& r = event.referral_given().referral();
      ReferralFacts& referral = referrals_[r.name()];
      referral.name = r.name();
      referral.giver = r.giver();
      referral.receiver = r.receiver();
      referral.contact_name = r.contact_name();
      referral.temperature = r.temperature();
      referral.given_at = time;
      DirectionFacts& direction = MutableDirection(r.giver(), r.receiver());
      const size_t index = InsertSorted(direction.referral_times, time);
      direction.referrals.insert(direction.referrals.begin() + static_cast<std::ptrdiff_t>(index),
                                 r.name());
      Acquaint(r.giver(), r.receiver());
      break;
    }
    case v1::Event::kReferralStatusChanged: {
      const auto found = referrals_.find(event.referral_status_changed().referral());
      if (found != referrals_.end()) {
        found->second.status = event.referral_status_changed().to_status();
        if (found->second.status == v1::REFERRAL_STATUS_CLOSED_WON) {
          found->second.closed_won_at = time;
        }
      }
      break;
    }
    case v1::Event::kThankYouRecorded: {
      const v1::ThankYou& t = event.thank_you_recorded().thank_you();
      // from_member earned the business that to_member referred: direction to -> from.
      InsertSorted(MutableDirection(t.to_member(), t.from_member()).thank_you_times, time);
      Acquaint(t.to_member(), t.from_member());
      if (const auto found = referrals_.find(t.referral()); found != referrals_.end()) {
        found->second.thanked = true;
      }
      break;
    }
    case v1::Event::kOneToOneRecorded: {
      const v1::OneToOne& o = event.one_to_one_recorded().one_to_one();
      one_to_ones_[o.name()] = OneToOneFacts{o.name(), o.member(), o.with_member(), time,
                                             o.date().empty() ? UtcDate(time) : o.date()};
      ++one_to_one_counts_[Unordered(o.member(), o.with_member())];
      Acquaint(o.member(), o.with_member());
      break;
    }
    case v1::Event::kTestimonialRecorded: {
      const v1::Testimonial& t = event.testimonial_recorded().testimonial();
      ++MutableDirection(t.from_member(), t.for_member()).testimonials;
      Acquaint(t.from_member(), t.for_member());
      break;
    }
    default:
      break;
  }
}

const MemberFacts* ChapterFacts::Member(const std::string& name) const {
  return roster_.Find(name);
}

bool ChapterFacts::IsActive(const std::string& member) const { return roster_.IsActive(member); }

const std::string& ChapterFacts::DisplayName(const std::string& member) const {
  return roster_.DisplayName(member);
}

const ReferralFacts* ChapterFacts::Referral(const std::string& name) const {
  const auto found = referrals_.find(name);
  return found == referrals_.end() ? nullptr : &found->second;
}

const OneToOneFacts* ChapterFacts::OneToOne(const std::string& name) const {
  const auto found = one_to_ones_.find(name);
  return found == one_to_ones_.end() ? nullptr : &found->second;
}

const DirectionFacts* ChapterFacts::Direction(const std::string& a, const std::string& b) const {
  const auto found = directions_.find(MemberPair(a, b));
  return found == directions_.end() ? nullptr : &found->second;
}

int ChapterFacts::ReferralsBetween(const std::string& a, const std::string& b, int64_t from,
                                   int64_t to) const {
  const DirectionFacts* d = Direction(a, b);
  if (d == nullptr) {
    return 0;
  }
  const auto [begin, end] = Range(d->referral_times, from, to);
  return static_cast<int>(end - begin);
}

int ChapterFacts::ClosedWonBetween(const std::string& a, const std::string& b, int64_t from,
                                   int64_t to) const {
  const DirectionFacts* d = Direction(a, b);
  if (d == nullptr) {
    return 0;
  }
  const auto [begin, end] = Range(d->referral_times, from, to);
  int won = 0;
  for (size_t i = begin; i < end; ++i) {
    const ReferralFacts* r = Referral(d->referrals[i]);
    won += r != nullptr && r->status == v1::REFERRAL_STATUS_CLOSED_WON ? 1 : 0;
  }
  return won;
}

int ChapterFacts::ThankYousBetween(const std::string& a, const std::string& b, int64_t from,
                                   int64_t to) const {
  const DirectionFacts* d = Direction(a, b);
  if (d == nullptr) {
    return 0;
  }
  const auto [begin, end] = Range(d->thank_you_times, from, to);
  return static_cast<int>(end - begin);
}

int ChapterFacts::OneToOnes(const std::string& a, const std::string& b) const {
  const auto found = one_to_one_counts_.find(Unordered(a, b));
  return found == one_to_one_counts_.end() ? 0 : found->second;
}

DirectionFacts& ChapterFacts::MutableDirection(const std::string& a, const std::string& b) {
  return directions_[MemberPair(a, b)];
}

void ChapterFacts::Acquaint(const std::string& a, const std::string& b) {
  if (!a.empty() && !b.empty() && a != b) {
    acquainted_.insert(Unordered(a, b));
  }
}

}  // namespace reciproca::reciprocity
