// visitor invite|list|move: the visitors' pipeline (docs/organizers.md, "Visitors"). visitor add
// (registering at the meeting) is with the meeting commands.

#include <iostream>

#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

void PrintVisitor(Context& context, const v1::Visitor& visitor) {
  if (context.json()) {
    PrintJson(visitor);
  } else {
    std::cout << DescribeVisitor(visitor, context.names());
  }
}

int InviteVisitor(Context& context, const ParsedArgs& args) {
  v1::InviteVisitorRequest request;
  request.set_parent(context.names().DefaultChapter());
  if (args.Has("meeting") == args.Has("date")) {
    throw UsageError("give --meeting M or --date YYYY-MM-DD (the next meeting on or after it)");
  }
  if (args.Has("meeting")) {
    request.set_meeting(context.names().Meeting(args.Get("meeting")));
  } else {
    request.set_date(args.Get("date"));
  }
  v1::Visitor* visitor = request.mutable_visitor();
  visitor->set_display_name(args.Get("name"));
  visitor->set_business(args.Get("business"));
  if (args.Has("invited-by")) {
    visitor->set_invited_by(context.names().Member(args.Get("invited-by")));
  }
  visitor->set_email(args.Get("email"));
  visitor->set_phone(args.Get("phone"));
  request.set_request_id(context.RequestId());
  v1::Visitor invited;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().InviteVisitor(rpc, request, &invited);
  });
  PrintVisitor(context, invited);
  return 0;
}

int ListVisitors(Context& context, const ParsedArgs& args) {
  v1::ListVisitorsRequest request;
  request.set_parent(context.names().DefaultChapter());
  if (args.Has("state")) {
    request.set_state(ParseEnumWord<v1::VisitorState>(args.Get("state"), "state"));
  }
  if (args.Has("invited-by")) {
    request.set_invited_by(context.names().Member(args.Get("invited-by")));
  }
  request.set_page_size(1000);
  v1::ListVisitorsResponse all;
  ForEachPage<v1::ListVisitorsResponse>(
      context, request,
      [&](grpc::ClientContext* rpc, const v1::ListVisitorsRequest& page_request,
          v1::ListVisitorsResponse* page) {
        return context.client().meetings().ListVisitors(rpc, page_request, page);
      },
      [&](const v1::ListVisitorsResponse& page) {
        for (const v1::Visitor& visitor : page.visitors()) {
          *all.add_visitors() = visitor;
        }
        return true;
      });
  if (context.json()) {
    PrintJson(all);
    return 0;
  }
  const bool csv = args.Has("csv");
  std::vector<std::vector<std::string>> table = {{"visitor", "state", "display_name", "business",
                                                  "invited_by", "invited_by_name", "meeting",
                                                  "since", "member", "email", "phone"}};
  for (const v1::Visitor& v : all.visitors()) {
    const std::string since = v.history().empty() ? FormatTime(v.register_time())
                                                  : FormatTime(v.history().rbegin()->time());
    const std::string meeting = v.name().substr(0, v.name().find("/visitors/"));
    table.push_back({v.name(), EnumWord(v.state()), v.display_name(), v.business(), v.invited_by(),
                     context.names().DisplayName(v.invited_by()), meeting, since, v.member(),
                     v.email(), v.phone()});
  }
  PrintRows(table, csv, [](size_t) { return true; });
  if (!csv && table.size() == 1) {
    std::cout << "(no visitors)\n";
  }
  return 0;
}

int MoveVisitor(Context& context, const ParsedArgs& args) {
  v1::MoveVisitorRequest request;
  request.set_name(context.names().Visitor(args.Positional(0)));
  request.set_state(ParseEnumWord<v1::VisitorState>(args.Get("to"), "to"));
  request.set_note(args.Get("note"));
  request.set_category(args.Get("category"));
  request.set_business(args.Get("business"));
  if (args.Has("role")) {
    request.set_role(ParseEnumWord<v1::Role>(args.Get("role"), "role"));
  }
  request.set_request_id(context.RequestId());
  v1::Visitor moved;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().MoveVisitor(rpc, request, &moved);
  });
  PrintVisitor(context, moved);
  return 0;
}

}  // namespace

std::vector<Command> VisitorCommands() {
  return {
      {"visitor invite",
       "(--meeting M | --date YYYY-MM-DD) --name N --business B [--invited-by X] [--email E] "
       "[--phone P]",
       "invite a visitor ahead, to a meeting or the next one on or after a day",
       {ChapterFlag(),
        {"meeting", "M", "the meeting (\"3\" or \"chapters/demo/meetings/3\")"},
        {"date", "YYYY-MM-DD", "the chapter's next meeting on or after this day"},
        {"name", "N", "the visitor's name, 1..100", true},
        {"business", "B", "their business, 1..100", true},
        {"invited-by", "X", "organizers: the inviting member (default: yourself)"},
        {"email", "E", "e-mail address"},
        {"phone", "P", "phone number"}},
       0,
       0,
       true,
       InviteVisitor},
      {"visitor list",
       "[--state S] [--invited-by X] [--csv]",
       "the visitor host's list: every visitor with their state, newest first",
       {ChapterFlag(),
        {"state", "S", "invited|attended|followed-up|applied|joined|declined"},
        {"invited-by", "X", "only this member's visitors"},
        {"csv", "", "CSV with a header row instead of a table"}},
       0,
       0,
       false,
       ListVisitors},
      {"visitor move",
       "MEETING/VISITOR --to followed-up|applied|joined|declined [--note TEXT] "
       "[--category C] [--business B] [--role R]",
       "move a visitor through the pipeline; joined adds the member (organizers)",
       {ChapterFlag(),
        {"to", "S", "followed-up|applied|joined|declined", true},
        {"note", "TEXT", "what happened, 0..500 characters"},
        {"category", "C", "with --to joined: the new member's category (required)"},
        {"business", "B", "with --to joined: their business (default: the visitor's)"},
        {"role", "R", "with --to joined: their role (default: member)"}},
       1,
       1,
       true,
       MoveVisitor},
  };
}

}  // namespace reciproca::cli
