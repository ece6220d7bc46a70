#include "vcp.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace reciproca::reciprocity {

namespace pv1 = reciproca::plugin::v1;

namespace {

std::string Plural(int count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string LevelName(pv1::VcpLevel level) {
  switch (level) {
    case pv1::VCP_LEVEL_VISIBILITY:
      return "visibility";
    case pv1::VCP_LEVEL_CREDIBILITY:
      return "credibility";
    case pv1::VCP_LEVEL_PROFITABILITY:
      return "profitability";
    default:
      return "none";
  }
}

// "Ana Rossi -> Luca Verdi: profitability (3 referrals in 180 days, 1 closed won)".
std::string Explain(const ChapterFacts& facts, const Config& config, const std::string& a,
                    const std::string& b, const DirectionLevel& d) {
  std::string why =
      d.referrals == 0 ? "no referrals" : Plural(d.referrals, "referral", "referrals");
  why += " in " + std::to_string(config.window_days) + " days";
  if (d.closed_won > 0) {
    why += ", " + std::to_string(d.closed_won) + " closed won";
  }
  if (d.thank_yous > 0) {
    why += ", thanked " + Plural(d.thank_yous, "time", "times");
  }
  if (d.testimonials > 0) {
    why += ", " + Plural(d.testimonials, "testimonial", "testimonials");
  }
  return facts.DisplayName(a) + " -> " + facts.DisplayName(b) + ": " + LevelName(d.level) + " (" +
         why + ")";
}

}  // namespace

DirectionLevel LevelOf(const ChapterFacts& facts, const Config& config, const std::string& a,
                       const std::string& b, int64_t now) {
  DirectionLevel d;
  const int64_t from = now - config.window_days * kNanosPerDay;
  d.referrals = facts.ReferralsBetween(a, b, from, now);
  d.closed_won = facts.ClosedWonBetween(a, b, from, now);
  d.thank_yous = facts.ThankYousBetween(a, b, from, now);
  const DirectionFacts* direction = facts.Direction(a, b);
  d.testimonials = direction == nullptr ? 0 : direction->testimonials;

  const bool acquainted = facts.Acquainted().contains(a < b ? MemberPair(a, b) : MemberPair(b, a));
  const int closed_business = std::max(d.closed_won, d.thank_yous);
  if (d.referrals >= config.profitability_referrals &&
      closed_business >= config.profitability_closed_business) {
    d.level = pv1::VCP_LEVEL_PROFITABILITY;
  } else if (d.referrals >= config.credibility_referrals || d.testimonials > 0) {
    d.level = pv1::VCP_LEVEL_CREDIBILITY;
  } else if (acquainted) {
    d.level = pv1::VCP_LEVEL_VISIBILITY;
  }
  return d;
}

pv1::Relationship RelationshipOf(const ChapterFacts& facts, const Config& config,
                                 const std::string& a, const std::string& b, int64_t now) {
  const DirectionLevel ab = LevelOf(facts, config, a, b, now);
  const DirectionLevel ba = LevelOf(facts, config, b, a, now);
  pv1::Relationship r;
  r.set_member_a(a);
  r.set_member_b(b);
  r.set_a_to_b(ab.level);
  r.set_b_to_a(ba.level);
  r.set_level(std::min(ab.level, ba.level));
  std::string explanation =
      Explain(facts, config, a, b, ab) + "; " + Explain(facts, config, b, a, ba);
  if (const int meetings = facts.OneToOnes(a, b); meetings > 0) {
    explanation += "; " + Plural(meetings, "one-to-one", "one-to-ones");
  }
  r.set_explanation(explanation);
  return r;
}

pv1::Relationships Relationships(const ChapterFacts& facts, const Config& config,
                                 const std::string& member, int64_t now) {
  std::vector<pv1::Relationship> found;
  for (const auto& [first, second] : facts.Acquainted()) {
    if (!facts.IsActive(first) || !facts.IsActive(second)) {
      continue;
    }
    if (member.empty()) {
      found.push_back(RelationshipOf(facts, config, first, second, now));
    } else if (member == first || member == second) {
      found.push_back(RelationshipOf(facts, config, member, member == first ? second : first, now));
    }
  }
  std::sort(found.begin(), found.end(),
            [&](const pv1::Relationship& x, const pv1::Relationship& y) {
              return std::make_tuple(-static_cast<int>(x.level()), facts.DisplayName(x.member_a()),
                                     facts.DisplayName(x.member_b()), x.member_a(), x.member_b()) <
                     std::make_tuple(-static_cast<int>(y.level()), facts.DisplayName(y.member_a()),
                                     facts.DisplayName(y.member_b()), y.member_a(), y.member_b());
            });
  pv1::Relationships answer;
  for (pv1::Relationship& r : found) {
    *answer.add_relationships() = std::move(r);
  }
  return answer;
}

}  // namespace reciproca::reciprocity
