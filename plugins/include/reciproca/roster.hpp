// Reciproca plugin SDK: a chapter's roster as its events tell it — every member's display name
// and whether they are still active. Most rules need it (leaderboards skip members who left,
// reminders use names); feed it every event of the chapter, in order.
#pragma once

#include <map>
#include <string>

#include "reciproca/snapshot.hpp"
#include "reciproca/v1/events.pb.h"

namespace reciproca::sdk {

class Roster {
 public:
  struct Member {
    std::string display_name;
    bool active = true;
  };

  // Updates from MemberAdded, MemberUpdated and MemberLeft; other events are ignored. Returns
  // whether the event was about the roster.
  bool Apply(const reciproca::v1::Event& event) {
    switch (event.payload_case()) {
      case reciproca::v1::Event::kMemberAdded: {
        const auto& m = event.member_added().member();
        members_[m.name()] = Member{m.display_name(), m.state() != v1::MEMBER_STATE_LEFT};
        return true;
      }
      case reciproca::v1::Event::kMemberUpdated: {
        const auto& m = event.member_updated().member();
        Member& member = members_[m.name()];
        member.display_name = m.display_name();
        if (m.state() == v1::MEMBER_STATE_LEFT) {
          member.active = false;
        }
        return true;
      }
      case reciproca::v1::Event::kMemberLeft:
        members_[event.member_left().member()].active = false;
        return true;
      default:
        return false;
    }
  }

  // nullptr when the name is not of a member seen so far.
  const Member* Find(const std::string& name) const {
    const auto found = members_.find(name);
    return found == members_.end() ? nullptr : &found->second;
  }
  bool IsActive(const std::string& name) const {
    const Member* m = Find(name);
    return m != nullptr && m->active;
  }
  // The display name, or the resource name itself when unknown or empty.
  const std::string& DisplayName(const std::string& name) const {
    const Member* m = Find(name);
    return m == nullptr || m->display_name.empty() ? name : m->display_name;
  }
  // Every member seen, by resource name.
  const std::map<std::string, Member>& members() const { return members_; }

  // For a plugin's snapshot (<reciproca/snapshot.hpp>).
  void Save(StateWriter& out) const {
    out.Map(members_, [](StateWriter& w, const std::string& name, const Member& m) {
      w.String(name);
      w.String(m.display_name);
      w.Bool(m.active);
    });
  }
  void Load(StateReader& in) {
    in.Map(&members_, [](StateReader& r, std::string* name, Member* m) {
      *name = r.String();
      m->display_name = r.String();
      m->active = r.Bool();
    });
  }

 private:
  std::map<std::string, Member> members_;
};

}  // namespace reciproca::sdk
