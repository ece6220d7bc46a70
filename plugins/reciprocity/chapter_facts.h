#pragma once

// What the reciprocity rules know of one chapter, folded from its events: the roster, each
// referral's state, one-to-ones, and per direction (giver A -> receiver B) the referrals A gave B,
// the thank-yous B gave A and the testimonials A wrote for B, with their times.
//
// Times are nanoseconds since the epoch. Windows are half-open: (now - length, now].

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reciproca/roster.hpp"
#include "reciproca/snapshot.hpp"
#include "reciproca/v1/events.pb.h"
#include "texts/catalogs.h"

namespace reciproca::reciprocity {

inline constexpr int64_t kNanosPerDay = int64_t{86400} * 1000000000;

int64_t Nanos(const google::protobuf::Timestamp& t);
google::protobuf::Timestamp TimestampOf(int64_t nanos);
// "2026-12-01" (UTC).
std::string UtcDate(int64_t nanos);
// The last segment of a resource name: "chapters/rome/referrals/42" -> "42".
std::string ShortId(const std::string& name);

using MemberFacts = reciproca::sdk::Roster::Member;

struct ReferralFacts {
  std::string name;
  std::string giver;
  std::string receiver;
  std::string contact_name;
  int32_t temperature = 0;
  int64_t given_at = 0;
  reciproca::v1::ReferralStatus status = reciproca::v1::REFERRAL_STATUS_GIVEN;
  std::optional<int64_t> closed_won_at;
  // A ThankYou linked to it was recorded.
  bool thanked = false;
};

struct OneToOneFacts {
  std::string name;
  std::string member;
  std::string with_member;
  int64_t recorded_at = 0;
  // The day they met, "YYYY-MM-DD".
  std::string date;
};

// Giver A -> receiver B.
struct DirectionFacts {
  // Referrals A gave B: times sorted, names in the same order.
  std::vector<int64_t> referral_times;
  std::vector<std::string> referrals;
  // TYFCB thank-yous B gave A (A's referrals brought B business), sorted.
  std::vector<int64_t> thank_you_times;
  int testimonials = 0;
};

using MemberPair = std::pair<std::string, std::string>;

class ChapterFacts {
 public:
  void Apply(const reciproca::v1::Event& event);

  // The chapter's language (BCP 47, from ChapterCreated and ChapterUpdated), "en" by default.
  const std::string& language() const { return language_; }
  const MemberFacts* Member(const std::string& name) const;
  bool IsActive(const std::string& member) const;
  // The display name, or the resource name for a member never added.
  const std::string& DisplayName(const std::string& member) const;

  const ReferralFacts* Referral(const std::string& name) const;
  const OneToOneFacts* OneToOne(const std::string& name) const;
  // Nullptr when A never gave B anything.
  const DirectionFacts* Direction(const std::string& a, const std::string& b) const;

  // Referrals A gave B with from < time <= to.
  int ReferralsBetween(const std::string& a, const std::string& b, int64_t from, int64_t to) const;
  // Of those, the ones now CLOSED_WON.
  int ClosedWonBetween(const std::string& a, const std::string& b, int64_t from, int64_t to) const;
  // Thank-yous B gave A with from < time <= to.
  int ThankYousBetween(const std::string& a, const std::string& b, int64_t from, int64_t to) const;
  int OneToOnes(const std::string& a, const std::string& b) const;

  // Unordered pairs (first < second) that interacted at all: a one-to-one, a referral, a
  // thank-you or a testimonial, either way.
  const std::set<MemberPair>& Acquainted() const { return acquainted_; }

  // The snapshot's encoding (snapshot.cc).
  void Save(reciproca::sdk::StateWriter& out) const;
  void Load(reciproca::sdk::StateReader& in);

 private:
  DirectionFacts& MutableDirection(const std::string& a, const std::string& b);
  void Acquaint(const std::string& a, const std::string& b);

  reciproca::sdk::Roster roster_;
  std::string language_ = "en";
  std::map<std::string, ReferralFacts> referrals_;
  std::map<std::string, OneToOneFacts> one_to_ones_;
  std::map<MemberPair, DirectionFacts> directions_;
  // By unordered pair (first < second).
  std::map<MemberPair, int> one_to_one_counts_;
  std::set<MemberPair> acquainted_;
};

}  // namespace reciproca::reciprocity
