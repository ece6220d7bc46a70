#pragma once

// The order of every list the chapter answers, as one key per item: a list is sorted by its
// items' keys, compared part by part, byte by byte (std::vector<std::string>'s operator<). No two
// items of one list share a key (the resource name is the last part), and an item's key depends
// only on the item. So a key is a position that survives inserts: keyset page tokens
// (server/api/pagination.h) hold the key of a page's last item, and the next page starts after it.

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "reciproca/v1/resources.pb.h"

namespace reciproca::domain {

using ListKey = std::vector<std::string>;

// Members: by display name, ignoring ASCII case, then in the order they joined.
ListKey MemberListKey(const v1::Member& member);
// Meetings: newest start time first, then newest first.
ListKey MeetingListKey(const v1::Meeting& meeting);
// Referrals: newest first.
ListKey ReferralListKey(const v1::Referral& referral);
// Visitors: newest first (by the seq that invited or registered them).
ListKey VisitorListKey(const v1::Visitor& visitor);
// Chapters: in the order they were created, `position` being the chapter's place in that order
// (chapters are never deleted, so it never changes; create times can tie under one clock tick).
ListKey ChapterListKey(int64_t position, const v1::Chapter& chapter);

// Key parts whose byte order is the numeric order of `n`, ascending or descending.
std::string AscendingKeyPart(int64_t n);
std::string DescendingKeyPart(int64_t n);

// Sorts `items` by `key_of` (computed once per item).
template <class T, class KeyOf>
void SortByListKey(std::vector<T>& items, KeyOf key_of) {
  std::vector<std::pair<ListKey, size_t>> keyed;
  keyed.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    keyed.emplace_back(key_of(items[i]), i);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (auto& [key, index] : keyed) {
    sorted.push_back(std::move(items[index]));
  }
  items = std::move(sorted);
}

}  // namespace reciproca::domain
