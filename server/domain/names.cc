#include "server/domain/names.h"

#include <string>
#include <vector>

namespace reciproca::domain {
namespace {

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 63) {
    return false;
  }
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool IsLowerLetter(char c) { return c >= 'a' && c <= 'z'; }

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

bool IsValidChapterId(std::string_view id) {
  if (id.size() < 3 || id.size() > 40 || !IsLowerLetter(id.front())) {
    return false;
  }
  for (char c : id) {
    if (!IsLowerLetter(c) && !(c >= '0' && c <= '9') && c != '-') {
      return false;
    }
  }
  return true;
}

Status CheckChapterId(std::string_view field, std::string_view id) {
  if (IsValidChapterId(id)) {
    return {};
  }
  return InvalidArgument(std::string(field) +
                         ": 3..40 of lower-case letters, digits and '-', starting with a letter; "
                         "got \"" +
                         std::string(id) + "\"");
}

std::string ChapterName(std::string_view chapter_id) {
  return "chapters/" + std::string(chapter_id);
}

std::string_view CollectionOf(NameKind kind) {
  switch (kind) {
    case NameKind::kMember:
      return "members";
    case NameKind::kMeeting:
      return "meetings";
    case NameKind::kReferral:
      return "referrals";
    case NameKind::kVisitor:
      return "visitors";
    case NameKind::kThankYou:
      return "thank-yous";
    case NameKind::kOneToOne:
      return "one-to-ones";
    case NameKind::kEducation:
      return "education";
    case NameKind::kTestimonial:
      return "testimonials";
  }
  return "";
}

std::string_view PatternOf(NameKind kind) {
  switch (kind) {
    case NameKind::kMember:
      return "chapters/{chapter}/members/{member}";
    case NameKind::kMeeting:
      return "chapters/{chapter}/meetings/{meeting}";
    case NameKind::kReferral:
      return "chapters/{chapter}/referrals/{referral}";
    case NameKind::kVisitor:
      return "chapters/{chapter}/meetings/{meeting}/visitors/{visitor}";
    case NameKind::kThankYou:
      return "chapters/{chapter}/thank-yous/{thank_you}";
    case NameKind::kOneToOne:
      return "chapters/{chapter}/one-to-ones/{one_to_one}";
    case NameKind::kEducation:
      return "chapters/{chapter}/education/{education}";
    case NameKind::kTestimonial:
      return "chapters/{chapter}/testimonials/{testimonial}";
  }
  return "";
}

bool IsWellFormed(NameKind kind, std::string_view name) {
  std::vector<std::string_view> p = Split(name);
  if (kind == NameKind::kVisitor) {
    return p.size() == 6 && p[0] == "chapters" && IsValidChapterId(p[1]) && p[2] == "meetings" &&
           IsValidId(p[3]) && p[4] == "visitors" && IsValidId(p[5]);
  }
  return p.size() == 4 && p[0] == "chapters" && IsValidChapterId(p[1]) &&
         p[2] == CollectionOf(kind) && IsValidId(p[3]);
}

std::string_view ChapterOf(std::string_view name) {
  size_t first = name.find('/');
  if (first == std::string_view::npos) {
    return name;
  }
  size_t second = name.find('/', first + 1);
  return second == std::string_view::npos ? name : name.substr(0, second);
}

Status CheckName(std::string_view field, std::string_view name, NameKind kind,
                 std::string_view chapter) {
  if (!IsWellFormed(kind, name)) {
    return InvalidArgument(std::string(field) + ": \"" + std::string(name) +
                           "\" is not of the form " + std::string(PatternOf(kind)));
  }
  if (ChapterOf(name) != chapter) {
    return InvalidArgument(std::string(field) + ": " + std::string(name) + " is not in " +
                           std::string(chapter));
  }
  return {};
}

std::string ChildName(std::string_view chapter, NameKind kind, int64_t seq) {
  return std::string(chapter) + "/" + std::string(CollectionOf(kind)) + "/" + std::to_string(seq);
}

std::string VisitorName(std::string_view meeting, int64_t seq) {
  return std::string(meeting) + "/visitors/" + std::to_string(seq);
}

std::string_view MeetingOfVisitor(std::string_view visitor) {
  size_t pos = visitor.rfind("/visitors/");
  return pos == std::string_view::npos ? std::string_view() : visitor.substr(0, pos);
}

int64_t NumericId(std::string_view name) {
  size_t slash = name.rfind('/');
  std::string_view id = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (id.empty() || id.size() > 18) {
    return -1;
  }
  int64_t v = 0;
  for (char c : id) {
    if (c < '0' || c > '9') {
      return -1;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

bool IdOrderLess(std::string_view a, std::string_view b) {
  const int64_t ia = NumericId(a);
  const int64_t ib = NumericId(b);
  if (ia != ib) {
    return ia < ib;
  }
  return a < b;
}

}  // namespace reciproca::domain
