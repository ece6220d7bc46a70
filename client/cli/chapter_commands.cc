// chapter create|get|list|update|rotate-display-token, display-url and whoami.

#include <cctype>
#include <iostream>
#include <string>
#include <vector>

#include "client/cli/access_links.h"
#include "client/cli/commands.h"
#include "client/cli/local_time.h"
#include "client/cli/output.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

v1::Weekday ParseWeekday(const std::string& text) {
  static const char* const kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  std::string lower;
  for (char c : text) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (int i = 0; i < 7; ++i) {
    const std::string day = kDays[i];
    if (lower.size() >= 3 && day.rfind(lower, 0) == 0) {
      return static_cast<v1::Weekday>(i + 1);
    }
  }
  throw UsageError("--weekday must be one of mon|tue|wed|thu|fri|sat|sun, got \"" + text + "\"");
}

// The items of a list flag (--agenda, --rotation): separated by ';' or new lines, trimmed,
// empty ones skipped.
std::vector<std::string> ListItems(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  auto take = [&]() {
    const auto first = item.find_first_not_of(" \t\r");
    if (first != std::string::npos) {
      items.push_back(item.substr(first, item.find_last_not_of(" \t\r") - first + 1));
    }
    item.clear();
  };
  for (const char c : text) {
    if (c == ';' || c == '\n') {
      take();
    } else {
      item += c;
    }
  }
  take();
  return items;
}

std::string Trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  return first == std::string::npos ? ""
                                    : text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// --agenda "Open networking=15; 60-second presentations=30/60; Feature presentation=10/600":
// segments in order, each TITLE=MINUTES[/COUNTDOWN_SECONDS]; "" clears the agenda. Ranges are
// the server's to check (it names the item).
std::vector<v1::AgendaItem> ParseAgenda(const std::string& text) {
  std::vector<v1::AgendaItem> agenda;
  for (const std::string& whole : ListItems(text)) {
    const auto equals = whole.rfind('=');
    const std::string where =
        "--agenda item " + std::to_string(agenda.size() + 1) + " \"" + whole + "\"";
    if (equals == std::string::npos) {
      throw UsageError(where +
                       ": write TITLE=MINUTES or TITLE=MINUTES/SECONDS, e.g. "
                       "\"60-second presentations=30/60\"");
    }
    const std::string timing = Trimmed(whole.substr(equals + 1));
    const auto slash = timing.find('/');
    int64_t minutes = 0;
    int64_t seconds = 0;
    if (!ParseInt(timing.substr(0, slash), 0, 1000000, &minutes) ||
        (slash != std::string::npos && !ParseInt(timing.substr(slash + 1), 0, 1000000, &seconds))) {
      throw UsageError(where + ": \"" + timing +
                       "\" is not MINUTES or MINUTES/SECONDS (whole numbers)");
    }
    v1::AgendaItem& out = agenda.emplace_back();
    out.set_title(Trimmed(whole.substr(0, equals)));
    out.set_minutes(static_cast<int32_t>(minutes));
    out.set_countdown_seconds(static_cast<int32_t>(seconds));
  }
  return agenda;
}

// --rotation "2026-12-09=ana; 2026-12-16=chapters/rome/members/bruno": who gives the feature
// presentation on which meeting day, DATE=MEMBER; "" clears it. The dates and members are the
// server's to check (it names the entry).
std::vector<v1::FeaturePresenter> ParseRotation(Context& context, const std::string& text) {
  std::vector<v1::FeaturePresenter> rotation;
  for (const std::string& whole : ListItems(text)) {
    const auto equals = whole.find('=');
    if (equals == std::string::npos || equals + 1 == whole.size()) {
      throw UsageError("--rotation week " + std::to_string(rotation.size() + 1) + " \"" + whole +
                       "\": write DATE=MEMBER, e.g. \"2026-12-09=ana\"");
    }
    v1::FeaturePresenter& out = rotation.emplace_back();
    out.set_date(whole.substr(0, equals));
    out.set_member(context.names().Member(Trimmed(whole.substr(equals + 1))));
  }
  return rotation;
}

bool ParseBool(const std::string& text, std::string_view flag) {
  std::string lower;
  for (char c : text) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower == "true" || lower == "yes") {
    return true;
  }
  if (lower == "false" || lower == "no") {
    return false;
  }
  throw UsageError("--" + std::string(flag) + " must be true or false, got \"" + text + "\"");
}

int CreateChapter(Context& context, const ParsedArgs& args) {
  v1::CreateChapterRequest request;
  v1::Chapter* chapter = request.mutable_chapter();
  chapter->set_display_name(args.Get("name"));
  if (args.Has("weekday")) {
    chapter->set_meeting_weekday(ParseWeekday(args.Get("weekday")));
  }
  chapter->set_meeting_time(args.Get("time"));
  chapter->set_time_zone(args.Get("timezone"));
  chapter->set_currency(args.Get("currency"));
  chapter->set_display_amounts(args.Has("display-amounts"));
  chapter->set_language(args.Get("language"));
  request.set_chapter_id(args.Get("id"));
  request.set_request_id(context.RequestId());
  v1::CreateChapterResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().chapters().CreateChapter(rpc, request, &response);
  });
  if (context.json()) {
    PrintJson(response);
    return 0;
  }
  std::cout << DescribeChapter(response.chapter());
  std::cout << "  display token (read-only, for the room screen; shown only now): "
            << response.display_token() << "\n";
  return 0;
}

int UpdateChapter(Context& context, const ParsedArgs& args) {
  v1::UpdateChapterRequest request;
  v1::Chapter* chapter = request.mutable_chapter();
  // The mask names exactly the flags given, so "--time ''" clears the meeting time.
  auto* paths = request.mutable_update_mask();
  if (args.Has("name")) {
    chapter->set_display_name(args.Get("name"));
    paths->add_paths("display_name");
  }
  if (args.Has("display-amounts")) {
    chapter->set_display_amounts(ParseBool(args.Get("display-amounts"), "display-amounts"));
    paths->add_paths("display_amounts");
  }
  if (args.Has("weekday")) {
    chapter->set_meeting_weekday(ParseWeekday(args.Get("weekday")));
    paths->add_paths("meeting_weekday");
  }
  if (args.Has("time")) {
    chapter->set_meeting_time(args.Get("time"));
    paths->add_paths("meeting_time");
  }
  if (args.Has("timezone")) {
    chapter->set_time_zone(args.Get("timezone"));
    paths->add_paths("time_zone");
  }
  if (args.Has("language")) {
    chapter->set_language(args.Get("language"));
    paths->add_paths("language");
  }
  if (args.Has("agenda")) {
    for (v1::AgendaItem& item : ParseAgenda(args.Get("agenda"))) {
      *chapter->add_agenda() = std::move(item);
    }
    paths->add_paths("agenda");
  }
  if (args.Has("rotation")) {
    for (v1::FeaturePresenter& week : ParseRotation(context, args.Get("rotation"))) {
      *chapter->add_feature_rotation() = std::move(week);
    }
    paths->add_paths("feature_rotation");
  }
  if (paths->paths().empty()) {
    throw UsageError(
        "nothing to update: pass at least one of --name --display-amounts --weekday --time "
        "--timezone --language --agenda --rotation");
  }
  chapter->set_name(context.names().DefaultChapter());
  request.set_request_id(context.RequestId());
  v1::Chapter updated;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().chapters().UpdateChapter(rpc, request, &updated);
  });
  if (context.json()) {
    PrintJson(updated);
  } else {
    std::cout << DescribeChapter(updated);
  }
  return 0;
}

// Prints the display link as display-url does, for the token just issued.
void PrintDisplayLink(Context& context, const std::string& web, const std::string& chapter,
                      const std::string& token) {
  const std::string url = DisplayUrl(web, chapter, token);
  if (context.json()) {
    std::cout << "{\"chapter\":" << JsonString(chapter) << ",\"url\":" << JsonString(url)
              << ",\"display_token\":" << JsonString(token) << "}\n";
  } else {
    std::cout << url << "\n";
  }
}

int DisplayUrlCommand(Context& context, const ParsedArgs& args) {
  const std::string web = WebUrl(args);
  v1::GetDisplayTokenRequest request;
  request.set_name(context.names().DefaultChapter());
  v1::GetDisplayTokenResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().chapters().GetDisplayToken(rpc, request, &response);
  });
  PrintDisplayLink(context, web, request.name(), response.display_token());
  return 0;
}

int RotateDisplayToken(Context& context, const ParsedArgs& args) {
  const std::string web = WebUrl(args);
  v1::RotateDisplayTokenRequest request;
  request.set_name(context.names().DefaultChapter());
  request.set_request_id(context.RequestId());
  v1::RotateDisplayTokenResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().chapters().RotateDisplayToken(rpc, request, &response);
  });
  if (!context.json()) {
    std::cout << "the previous display link no longer works; open displays were disconnected\n";
  }
  PrintDisplayLink(context, web, request.name(), response.display_token());
  return 0;
}

int GetChapter(Context& context, const ParsedArgs& args) {
  v1::GetChapterRequest request;
  request.set_name(args.positionals().empty() ? context.names().DefaultChapter()
                                              : context.names().Chapter(args.Positional(0)));
  v1::Chapter chapter;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().chapters().GetChapter(rpc, request, &chapter);
  });
  if (context.json()) {
    PrintJson(chapter);
  } else {
    std::cout << DescribeChapter(chapter);
  }
  return 0;
}

int ListChapters(Context& context, const ParsedArgs&) {
  v1::ListChaptersRequest request;
  request.set_page_size(1000);
  v1::ListChaptersResponse all;
  ForEachPage<v1::ListChaptersResponse>(
      context, request,
      [&](grpc::ClientContext* rpc, const v1::ListChaptersRequest& page_request,
          v1::ListChaptersResponse* page) {
        return context.client().chapters().ListChapters(rpc, page_request, page);
      },
      [&](const v1::ListChaptersResponse& page) {
        all.mutable_chapters()->MergeFrom(page.chapters());
        return true;
      });
  if (context.json()) {
    PrintJson(all);
    return 0;
  }
  if (all.chapters().empty()) {
    std::cout << "no chapters\n";
  }
  for (const v1::Chapter& chapter : all.chapters()) {
    std::cout << chapter.name() << ": " << chapter.display_name() << " ("
              << chapter.active_member_count() << " active members)\n";
  }
  return 0;
}

int WhoAmI(Context& context, const ParsedArgs&) {
  const v1::WhoAmIResponse& me = context.names().WhoAmI();
  if (context.json()) {
    PrintJson(me);
    return 0;
  }
  std::string line = EnumWord(me.kind());
  if (!me.member().empty()) {
    line += " " + me.member();
    std::string display = context.names().DisplayName(me.member());
    if (display != me.member()) {
      line += " (" + display + ")";
    }
  }
  if (!me.chapter().empty()) {
    line += " in " + me.chapter();
  }
  std::cout << line << "\n";
  return 0;
}

}  // namespace

FlagSpec ChapterFlag(bool required) {
  return {"chapter", "C", "the chapter (\"demo\" or \"chapters/demo\"); expands short ids",
          required};
}

FlagSpec WebUrlFlag() {
  return {"web-url", "URL",
          "reciprocad's web address ($RECIPROCA_WEB_URL, else http://127.0.0.1:8080)"};
}

FlagSpec OnBehalfOfFlag() {
  return {"on-behalf-of", "X", "organizers: record it for this member (visible in the event)"};
}

FlagSpec OccurredMeetingFlag() {
  return {"meeting", "M",
          "it happened at this meeting (\"3\"): counts there, typed in later (not --date)"};
}

FlagSpec OccurredDateFlag() {
  return {"date", "YYYY-MM-DD",
          "the day it happened, in the chapter's time zone: today or up to 8 weeks back "
          "(organizers: further)"};
}

bool ReadOccurred(Context& context, const ParsedArgs& args, bool with_meeting,
                  v1::Occurred* occurred) {
  const bool meeting = with_meeting && args.Has("meeting");
  if (meeting && args.Has("date")) {
    throw UsageError("give --meeting or --date, not both");
  }
  if (args.Has("date")) {
    ParseDate(args.Get("date"), "date");  // Catch typos before the server does.
    occurred->set_date(args.Get("date"));
    return true;
  }
  if (meeting) {
    occurred->set_meeting(context.names().Meeting(args.Get("meeting")));
    return true;
  }
  return false;
}

std::vector<Command> ChapterCommands() {
  return {
      {"chapter create",
       "--name N [--id ID] [--weekday mon..sun] [--time 07:00] [--timezone Europe/Rome] "
       "[--currency EUR] [--language it]",
       "create a chapter (admin); prints it and its display token once",
       {{"name", "N", "the chapter's name, 1..100 characters", true},
        {"id", "ID", "the id to use (3..40 of a-z 0-9 -); the server picks one otherwise"},
        {"weekday", "DAY", "meeting day: mon|tue|wed|thu|fri|sat|sun"},
        {"time", "HH:MM", "local meeting time, e.g. 07:00"},
        {"timezone", "TZ", "IANA time zone, e.g. Europe/Rome"},
        {"currency", "CUR", "ISO 4217 currency (default EUR)"},
        {"language", "TAG", "BCP 47 language of the room display, e.g. it, es (default en)"},
        {"display-amounts", "", "let the room display show TYFCB amounts (default: not)"}},
       0,
       0,
       true,
       CreateChapter},
      {"chapter update",
       "[--chapter C] [--name N] [--display-amounts true|false] [--weekday mon..sun] "
       "[--time 07:00] [--timezone Europe/Rome] [--language it] [--agenda \"TITLE=MIN[/SEC]; "
       "...\"] [--rotation \"DATE=MEMBER; ...\"]",
       "change a chapter's settings (organizers); only the fields given are changed",
       {ChapterFlag(),
        {"name", "N", "the chapter's name, 1..100 characters"},
        {"display-amounts", "BOOL", "true|false: may the room display show TYFCB amounts"},
        {"weekday", "DAY", "meeting day: mon|tue|wed|thu|fri|sat|sun"},
        {"time", "HH:MM", "local meeting time, e.g. 07:00 (empty clears it)"},
        {"timezone", "TZ", "IANA time zone, e.g. Europe/Rome"},
        {"language", "TAG", "BCP 47 language of the room display, e.g. it, es, en"},
        {"agenda", "ITEMS",
         "the chapter's agenda in order: TITLE=MINUTES[/COUNTDOWN_SECONDS] items separated by "
         "';' (\"Welcome=5; 60-second presentations=30/60\"); \"\" clears it"},
        {"rotation", "WEEKS",
         "who gives the feature presentation on which meeting day: DATE=MEMBER items separated "
         "by ';' (\"2026-12-09=ana; 2026-12-16=bruno\"), dates YYYY-MM-DD in the chapter's time "
         "zone; the whole list is replaced; \"\" clears it"}},
       0,
       0,
       true,
       UpdateChapter},
      {"chapter get",
       "[C]",
       "show a chapter (default: the token's chapter)",
       {ChapterFlag()},
       0,
       1,
       false,
       GetChapter},
      {"chapter list", "", "list the chapters you can see", {}, 0, 0, false, ListChapters},
      {"whoami", "", "show who the token is", {}, 0, 0, false, WhoAmI},
      {"display-url",
       "[--chapter C] [--web-url URL]",
       "print the room display's link with the chapter's display token (organizers)",
       {ChapterFlag(), WebUrlFlag()},
       0,
       0,
       false,
       DisplayUrlCommand},
      {"chapter rotate-display-token",
       "[--chapter C] [--web-url URL]",
       "replace the room display's token (organizers): the old link stops working at once and "
       "open displays are disconnected; prints the new link",
       {ChapterFlag(), WebUrlFlag()},
       0,
       0,
       true,
       RotateDisplayToken},
  };
}

}  // namespace reciproca::cli
