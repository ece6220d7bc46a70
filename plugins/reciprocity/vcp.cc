#include "vcp.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace reciproca::reciprocity {

namespace pv1 = reciproca::plugin::v1;

namespace {

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

// The parameters of one direction, named `prefix` + "level", "referrals", ...
void AddDirection(const std::string& prefix, const DirectionLevel& d, plugin_texts::Params* out) {
  (*out)[prefix + "level"] = LevelName(d.level);
  (*out)[prefix + "referrals"] = std::to_string(d.referrals);
  (*out)[prefix + "closed_won"] = std::to_string(d.closed_won);
  (*out)[prefix + "thank_yous"] = std::to_string(d.thank_yous);
  (*out)[prefix + "testimonials"] = std::to_string(d.testimonials);
}

// "Ana Rossi -> Luca Verdi: profitability (3 referrals in 180 days, 1 closed won)": the
// direction `prefix` of `params` in `language`.
std::string ExplainDirection(const plugin_texts::Catalogs& texts, const std::string& language,
                             const plugin_texts::Params& params, const std::string& prefix,
                             const std::string& from, const std::string& to) {
  plugin_texts::Params direction = {
      {"from", params.at(from)}, {"to", params.at(to)}, {"days", params.at("window_days")}};
  for (const char* name : {"level", "referrals", "closed_won", "thank_yous", "testimonials"}) {
    direction[name] = params.at(prefix + name);
  }
  return texts.Render(language, "relationship.direction", direction);
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
                                 const plugin_texts::Catalogs& texts, const std::string& a,
                                 const std::string& b, int64_t now) {
  const DirectionLevel ab = LevelOf(facts, config, a, b, now);
  const DirectionLevel ba = LevelOf(facts, config, b, a, now);
  pv1::Relationship r;
  r.set_member_a(a);
  r.set_member_b(b);
  r.set_a_to_b(ab.level);
  r.set_b_to_a(ba.level);
  r.set_level(std::min(ab.level, ba.level));
  plugin_texts::Params params = {{"member_a_name", facts.DisplayName(a)},
                                 {"member_b_name", facts.DisplayName(b)},
                                 {"window_days", std::to_string(config.window_days)},
                                 {"one_to_ones", std::to_string(facts.OneToOnes(a, b))}};
  AddDirection("a_to_b_", ab, &params);
  AddDirection("b_to_a_", ba, &params);
  const std::string language = texts.Resolve(facts.language());
  std::string explanation =
      ExplainDirection(texts, language, params, "a_to_b_", "member_a_name", "member_b_name") +
      "; " + ExplainDirection(texts, language, params, "b_to_a_", "member_b_name", "member_a_name");
  if (params.at("one_to_ones") != "0") {
    explanation += "; " + texts.Render(language, "relationship.one_to_ones",
                                       {{"count", params.at("one_to_ones")}});
  }
  r.set_explanation(explanation);
  r.set_kind("vcp");
  plugin_texts::SetParams(params, r.mutable_params());
  return r;
}

pv1::Relationships Relationships(const ChapterFacts& facts, const Config& config,
                                 const plugin_texts::Catalogs& texts, const std::string& member,
                                 int64_t now) {
  std::vector<pv1::Relationship> found;
  for (const auto& [first, second] : facts.Acquainted()) {
    if (!facts.IsActive(first) || !facts.IsActive(second)) {
      continue;
    }
    if (member.empty()) {
      found.push_back(RelationshipOf(facts, config, texts, first, second, now));
    } else if (member == first || member == second) {
      found.push_back(
          RelationshipOf(facts, config, texts, member, member == first ? second : first, now));
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
