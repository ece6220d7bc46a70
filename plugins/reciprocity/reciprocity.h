#pragma once

// The reciprocity plugin: the VCP level of every relationship between members (per direction and
// for the pair, the weaker direction), and kind reminders (one-sided giving, referrals not
// contacted, closed business not thanked, one-to-ones not followed by a referral). See README.md.
//
// Replays: reminders are Outputs keyed by their id; this plugin's own outputs come back as
// PluginOutputRecorded events and count as issued. Until its first tick an instance is replaying
// history (the host replays the log before it starts ticking): reminders that arise then are
// held, and at the first tick only those that were neither recorded meanwhile nor resolved are
// emitted. After the first tick, reminders are emitted as soon as they arise, from OnEvent (at
// the event's time) or from OnTick (at the tick's time).

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <reciproca/plugin.hpp>

#include "chapter_facts.h"
#include "config.h"
#include "reminder_book.h"
#include "texts/catalogs.h"

namespace reciproca::reciprocity {

class Reciprocity : public reciproca::sdk::Plugin {
 public:
  // Throws std::invalid_argument for a bad JSON config (see config.h).
  Reciprocity(reciproca::sdk::Host host, const reciproca::plugin::v1::PluginConfig& config);

  void OnEvent(const reciproca::v1::Event& event) override;
  void OnTick(const reciproca::plugin::v1::Tick& tick) override;

  // Answers RemindersQuery and RelationshipsQuery; throws std::invalid_argument for another kind
  // of query or a member the chapter does not know.
  reciproca::plugin::v1::QueryAnswer Query(const reciproca::plugin::v1::Query& query) override;

  // The snapshot (ABI 1.1): every chapter's facts and reminders (snapshot.cc).
  std::string SaveState() const;
  // Throws std::invalid_argument for bytes of another plugin, version or damaged.
  void RestoreState(std::string_view state);

  const Config& config() const { return config_; }

 private:
  struct Chapter {
    Chapter(const Config& config, const plugin_texts::Catalogs& texts, const std::string& name)
        : reminders(config, texts, name) {}
    ChapterFacts facts;
    ReminderBook reminders;
  };

  Chapter& ChapterOf(const std::string& name);
  // Emits the chapter's pending reminders that are still active at `now`.
  void EmitDue(const std::string& name, Chapter& chapter, int64_t now);

  reciproca::sdk::Host host_;
  std::string plugin_name_;
  Config config_;
  // The reminders' and relationships' texts (texts/<language>.json).
  plugin_texts::Catalogs texts_;
  bool live_ = false;
  std::map<std::string, std::unique_ptr<Chapter>> chapters_;
};

}  // namespace reciproca::reciprocity
