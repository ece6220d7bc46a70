#pragma once

// The VCP level of a relationship, per direction and for the pair (the weaker direction), as
// defined in README.md ("VCP levels").

#include <cstdint>
#include <string>

#include "chapter_facts.h"
#include "config.h"
#include "reciproca/plugin/v1/plugin.pb.h"
#include "texts/catalogs.h"

namespace reciproca::reciprocity {

// Direction A -> B at `now`, with what it was measured on.
struct DirectionLevel {
  reciproca::plugin::v1::VcpLevel level = reciproca::plugin::v1::VCP_LEVEL_NONE;
  // In the window (now - window_days, now].
  int referrals = 0;
  int closed_won = 0;
  int thank_yous = 0;
  // Ever.
  int testimonials = 0;
};

DirectionLevel LevelOf(const ChapterFacts& facts, const Config& config, const std::string& a,
                       const std::string& b, int64_t now);

// The relationship of `a` and `b` (a first), with its explanation in the chapter's language
// (kind "vcp", its parameters beside it).
reciproca::plugin::v1::Relationship RelationshipOf(const ChapterFacts& facts, const Config& config,
                                                   const plugin_texts::Catalogs& texts,
                                                   const std::string& a, const std::string& b,
                                                   int64_t now);

// Every pair of active members that interacted (or only `member`'s, with `member` as member_a):
// strongest first, then by display names.
reciproca::plugin::v1::Relationships Relationships(const ChapterFacts& facts, const Config& config,
                                                   const plugin_texts::Catalogs& texts,
                                                   const std::string& member, int64_t now);

}  // namespace reciproca::reciprocity
