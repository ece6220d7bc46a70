#include "client/cli/names.h"

#include <vector>

#include "client/cli/args.h"
#include "client/cli/context.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      return parts;
    }
    start = slash + 1;
  }
}

bool ValidSegment(std::string_view segment) {
  if (segment.empty()) {
    return false;
  }
  for (char c : segment) {
    if (c <= ' ' || c == '/' || c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string ChapterOf(std::string_view name) {
  std::vector<std::string_view> parts = Split(name);
  if (parts.size() < 2 || parts[0] != "chapters" || !ValidSegment(parts[1])) {
    return "";
  }
  return "chapters/" + std::string(parts[1]);
}

std::string ShortId(std::string_view name) {
  size_t slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

Names::Names(Context& context, std::string chapter_flag)
    : context_(context), chapter_flag_(std::move(chapter_flag)) {}

std::string Names::Chapter(std::string_view arg) {
  if (arg.find('/') == std::string_view::npos) {
    if (!ValidSegment(arg)) {
      throw UsageError("expected a chapter like \"demo\" or \"chapters/demo\", got \"" +
                       std::string(arg) + "\"");
    }
    return "chapters/" + std::string(arg);
  }
  std::vector<std::string_view> parts = Split(arg);
  if (parts.size() != 2 || parts[0] != "chapters" || !ValidSegment(parts[1])) {
    throw UsageError("expected a chapter like \"demo\" or \"chapters/demo\", got \"" +
                     std::string(arg) + "\"");
  }
  return std::string(arg);
}

std::string Names::DefaultChapter() {
  if (!chapter_flag_.empty()) {
    return Chapter(chapter_flag_);
  }
  if (!seen_chapter_.empty()) {
    return seen_chapter_;
  }
  const v1::WhoAmIResponse& me = WhoAmI();
  if (me.chapter().empty()) {
    throw UsageError(
        "no chapter: pass --chapter or a full resource name (the token belongs to no chapter)");
  }
  return me.chapter();
}

std::string Names::Expand(std::string_view arg, std::string_view collection,
                          std::string_view what) {
  const std::string example = "7\" or \"chapters/demo/" + std::string(collection) + "/7\"";
  if (arg.find('/') == std::string_view::npos) {
    if (!ValidSegment(arg)) {
      throw UsageError("expected a " + std::string(what) + " like \"" + example);
    }
    return DefaultChapter() + "/" + std::string(collection) + "/" + std::string(arg);
  }
  std::vector<std::string_view> parts = Split(arg);
  if (parts.size() != 4 || parts[0] != "chapters" || !ValidSegment(parts[1]) ||
      parts[2] != collection || !ValidSegment(parts[3])) {
    throw UsageError("expected a " + std::string(what) + " like \"" + example + ", got \"" +
                     std::string(arg) + "\"");
  }
  if (seen_chapter_.empty()) {
    seen_chapter_ = ChapterOf(arg);
  }
  return std::string(arg);
}

std::string Names::Visitor(std::string_view arg) {
  const std::vector<std::string_view> parts = Split(arg);
  if (parts.size() == 2 && ValidSegment(parts[0]) && ValidSegment(parts[1])) {
    return Meeting(parts[0]) + "/visitors/" + std::string(parts[1]);
  }
  if (parts.size() != 6 || parts[0] != "chapters" || !ValidSegment(parts[1]) ||
      parts[2] != "meetings" || !ValidSegment(parts[3]) || parts[4] != "visitors" ||
      !ValidSegment(parts[5])) {
    throw UsageError(
        "expected a visitor like \"3/12\" (meeting/visitor) or "
        "\"chapters/demo/meetings/3/visitors/12\", got \"" +
        std::string(arg) + "\"");
  }
  if (seen_chapter_.empty()) {
    seen_chapter_ = ChapterOf(arg);
  }
  return std::string(arg);
}

const v1::WhoAmIResponse& Names::WhoAmI() {
  if (!who_am_i_) {
    v1::WhoAmIResponse response;
    context_.Call([&](grpc::ClientContext* rpc) {
      return context_.client().chapters().WhoAmI(rpc, v1::WhoAmIRequest(), &response);
    });
    who_am_i_ = std::move(response);
  }
  return *who_am_i_;
}

std::string Names::DisplayName(const std::string& member) {
  if (member.empty()) {
    return member;
  }
  const std::string chapter = ChapterOf(member);
  if (chapter.empty()) {
    return member;
  }
  auto [it, inserted] = display_names_.try_emplace(chapter);
  if (inserted) {
    // Best effort: a token that may not list the roster just shows resource names.
    v1::ListMembersRequest request;
    request.set_parent(chapter);
    request.set_show_left(true);
    request.set_page_size(1000);
    int pages = 0;
    ForEachPage<v1::ListMembersResponse>(
        request,
        [&](const v1::ListMembersRequest& page_request, v1::ListMembersResponse* page) {
          return context_.client()
              .CallWithRetry([&](grpc::ClientContext* rpc) {
                return context_.client().members().ListMembers(rpc, page_request, page);
              })
              .ok();
        },
        [&](const v1::ListMembersResponse& page) {
          for (const v1::Member& m : page.members()) {
            it->second[m.name()] = m.display_name();
          }
          return ++pages < 100;
        });
  }
  auto found = it->second.find(member);
  return found == it->second.end() || found->second.empty() ? member : found->second;
}

}  // namespace reciproca::cli
