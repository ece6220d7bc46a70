#pragma once

// One chapter's reminders: when each situation is due to be checked, which reminders arose, which
// were issued (emitted by this instance, or recorded in the log by an earlier one), and which are
// still active. See README.md ("Reminders") for the rules, texts and ids.
//
// A reminder's id is its Output key: deterministic, and new only when the situation is new, so a
// situation is reminded once ("not_contacted:42") or once per episode ("one_sided:3:1:2").

#include <cstdint>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "chapter_facts.h"
#include "config.h"
#include "reciproca/plugin/v1/plugin.pb.h"
#include "reciproca/v1/events.pb.h"
#include "texts/catalogs.h"

namespace reciproca::reciprocity {

enum class ReminderKind { kOneSided, kNotContacted, kThankYouMissing, kOneToOneNoReferral, kOther };

struct IssuedReminder {
  reciproca::plugin::v1::Reminder reminder;
  ReminderKind kind = ReminderKind::kOther;
  // The referral or one-to-one it is about; for one_sided, the giver.
  std::string subject;
  // The other member (the giver, or the one-to-one's other member).
  std::string other;
  // one_sided only.
  int episode = 0;
  // Emitted by this instance / seen recorded in the log.
  bool emitted = false;
  bool recorded = false;
  bool issued() const { return emitted || recorded; }
};

class ReminderBook {
 public:
  // `texts` words the reminders (texts/<language>.json); it outlives the book.
  ReminderBook(const Config& config, const plugin_texts::Catalogs& texts, std::string chapter);

  // After `event` was applied to the chapter's facts: schedules the checks it implies and ends
  // the one-sided episodes it resolves.
  void AfterEvent(const reciproca::v1::Event& event);

  // A reminder of this plugin recorded in the log at `now`: never issued again.
  void Recorded(const reciproca::plugin::v1::Reminder& reminder, const ChapterFacts& facts,
                int64_t now);

  // Runs the checks due at `now`. Reminders that arise join the pending list.
  void RunDue(const ChapterFacts& facts, int64_t now);

  // Takes the pending reminders (arose, not issued), oldest first, that are still active at
  // `now`, marking them emitted; the others are dropped (their situation was resolved).
  std::vector<reciproca::plugin::v1::Reminder> TakeDue(const ChapterFacts& facts, int64_t now);

  // Issued, and its situation unresolved at `now`.
  bool IsActive(const IssuedReminder& r, const ChapterFacts& facts, int64_t now) const;

  // The active reminders of `member` (all members when empty), newest first, then by id, their
  // texts in the chapter's language of the moment (a reminder recorded without parameters, by
  // an earlier version, keeps its recorded text).
  reciproca::plugin::v1::Reminders Active(const ChapterFacts& facts, const std::string& member,
                                          int64_t now) const;

  // The snapshot's encoding (snapshot.cc); the config and chapter are the constructor's.
  void Save(reciproca::sdk::StateWriter& out) const;
  void Load(reciproca::sdk::StateReader& in);

 private:
  struct DueCheck {
    int64_t at;
    uint64_t order;
    ReminderKind kind;
    std::string subject;
    std::string other;
  };
  struct LaterFirst {
    bool operator()(const DueCheck& a, const DueCheck& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };
  // one_sided, per (giver A, receiver B): the episode number and whether it is unresolved.
  struct Episode {
    int number = 0;
    bool open = false;
    int64_t since = 0;
  };

  void Schedule(int64_t at, ReminderKind kind, const std::string& subject,
                const std::string& other = "");
  void RunCheck(const DueCheck& check, const ChapterFacts& facts, int64_t now);
  void CheckOneSided(const std::string& giver, const std::string& receiver,
                     const ChapterFacts& facts, int64_t now);
  void Arise(IssuedReminder reminder, int64_t now);
  // Sets the reminder's parameters, and its text in the chapter's language.
  void Word(IssuedReminder& reminder, const ChapterFacts& facts,
            const plugin_texts::Params& params) const;

  const Config& config_;
  const plugin_texts::Catalogs& texts_;
  std::string chapter_;
  // The soonest check on top; its checks readable in place, in no order (for the snapshot).
  struct CheckQueue : std::priority_queue<DueCheck, std::vector<DueCheck>, LaterFirst> {
    const std::vector<DueCheck>& in_place() const { return c; }
  };
  CheckQueue checks_;
  uint64_t next_order_ = 0;
  std::map<MemberPair, Episode> episodes_;
  std::map<std::string, IssuedReminder> reminders_;
  // Ids that arose and were not issued yet, in the order they arose.
  std::vector<std::string> pending_;
};

}  // namespace reciproca::reciprocity
