// Reads of the chapter's current state: Get*, List*.

#include <algorithm>
#include <string>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/list_order.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace reciproca::domain {
namespace {

// INVALID_ARGUMENT for a malformed name; NOT_FOUND when of another chapter or unknown.
template <class T>
Result<T> GetFrom(const std::map<std::string, T, std::less<>>& items, std::string_view name,
                  NameKind kind, std::string_view chapter, std::string_view noun) {
  if (!IsWellFormed(kind, name)) {
    return InvalidArgument("name: \"" + std::string(name) + "\" is not of the form " +
                           std::string(PatternOf(kind)));
  }
  auto it = ChapterOf(name) == chapter ? items.find(name) : items.end();
  if (it == items.end()) {
    return Unknown("", noun, name);
  }
  return it->second;
}

Status CheckFilterName(std::string_view field, std::string_view name, NameKind kind,
                       std::string_view chapter) {
  if (name.empty()) {
    return {};
  }
  return CheckName(field, name, kind, chapter);
}

}  // namespace

Result<v1::Member> Chapter::GetMember(std::string_view name) const {
  return GetFrom(members_, name, NameKind::kMember, info_.name(), "member");
}

Result<v1::Meeting> Chapter::GetMeeting(std::string_view name) const {
  return GetFrom(meetings_, name, NameKind::kMeeting, info_.name(), "meeting");
}

Result<v1::Referral> Chapter::GetReferral(std::string_view name) const {
  return GetFrom(referrals_, name, NameKind::kReferral, info_.name(), "referral");
}

Result<v1::ThankYou> Chapter::GetThankYou(std::string_view name) const {
  return GetFrom(thank_yous_, name, NameKind::kThankYou, info_.name(), "thank-you");
}

Result<v1::OneToOne> Chapter::GetOneToOne(std::string_view name) const {
  return GetFrom(one_to_ones_, name, NameKind::kOneToOne, info_.name(), "one-to-one");
}

Result<v1::Education> Chapter::GetEducation(std::string_view name) const {
  return GetFrom(education_, name, NameKind::kEducation, info_.name(), "education record");
}

Result<v1::Testimonial> Chapter::GetTestimonial(std::string_view name) const {
  return GetFrom(testimonials_, name, NameKind::kTestimonial, info_.name(), "testimonial");
}

Result<v1::Visitor> Chapter::GetVisitor(std::string_view name) const {
  if (!IsWellFormed(NameKind::kVisitor, name)) {
    return InvalidArgument("name: \"" + std::string(name) + "\" is not of the form " +
                           std::string(PatternOf(NameKind::kVisitor)));
  }
  if (ChapterOf(name) != info_.name()) {
    return Unknown("", "visitor", name);
  }
  auto found = FindVisitor("", name);  // invited ahead, or come to their meeting
  if (!found) {
    return found.error();
  }
  return **found;
}

std::vector<v1::Member> Chapter::ListMembers(bool show_left) const {
  std::vector<v1::Member> out;
  for (const auto& [name, member] : members_) {
    if (show_left || member.state() == v1::MEMBER_STATE_ACTIVE) {
      out.push_back(member);
    }
  }
  SortByListKey(out, MemberListKey);
  return out;
}

std::vector<v1::Meeting> Chapter::ListMeetings() const {
  std::vector<v1::Meeting> out;
  out.reserve(meetings_.size());
  for (const auto& [name, meeting] : meetings_) {
    out.push_back(meeting);
  }
  SortByListKey(out, MeetingListKey);
  return out;
}

Result<std::vector<v1::Referral>> Chapter::ListReferrals(const ReferralFilter& filter) const {
  const std::string& chapter = info_.name();
  if (Status s = CheckFilterName("giver", filter.giver, NameKind::kMember, chapter); !s) {
    return s.error();
  }
  if (Status s = CheckFilterName("receiver", filter.receiver, NameKind::kMember, chapter); !s) {
    return s.error();
  }
  if (Status s = CheckFilterName("meeting", filter.meeting, NameKind::kMeeting, chapter); !s) {
    return s.error();
  }
  if (!v1::ReferralStatus_IsValid(filter.status)) {
    return InvalidArgument("status: unknown referral status " + std::to_string(filter.status));
  }
  std::vector<v1::Referral> out;
  for (const auto& [name, referral] : referrals_) {
    if ((filter.giver.empty() || referral.giver() == filter.giver) &&
        (filter.receiver.empty() || referral.receiver() == filter.receiver) &&
        (filter.meeting.empty() || referral.meeting() == filter.meeting) &&
        (filter.status == v1::REFERRAL_STATUS_UNSPECIFIED || referral.status() == filter.status)) {
      out.push_back(referral);
    }
  }
  SortByListKey(out, ReferralListKey);
  return out;
}

}  // namespace reciproca::domain
