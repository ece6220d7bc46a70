// member add|get|list|update|remove.

#include <unistd.h>

#include <iostream>

#include "client/cli/access_links.h"
#include "client/cli/commands.h"
#include "client/cli/member_match.h"
#include "client/cli/output.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

constexpr char kRoles[] =
    "member|organizer|president|vice-president|secretary-treasurer|visitor-host|"
    "education-coordinator";

int AddMember(Context& context, const ParsedArgs& args) {
  v1::CreateMemberRequest request;
  v1::Member* member = request.mutable_member();
  member->set_display_name(args.Get("name"));
  member->set_business(args.Get("business"));
  member->set_category(args.Get("category"));
  if (args.Has("role")) {
    member->set_role(ParseEnumWord<v1::Role>(args.Get("role"), "role"));
  }
  member->set_email(args.Get("email"));
  member->set_phone(args.Get("phone"));
  request.set_parent(context.names().DefaultChapter());
  request.set_request_id(context.RequestId());
  v1::CreateMemberResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().members().CreateMember(rpc, request, &response);
  });
  if (context.json()) {
    PrintJson(response);
    return 0;
  }
  std::cout << DescribeMember(response.member());
  std::cout << "  access token (give it to the member; shown only now): " << response.access_token()
            << "\n";
  return 0;
}

int GetMember(Context& context, const ParsedArgs& args) {
  v1::GetMemberRequest request;
  request.set_name(context.names().Member(args.Positional(0)));
  v1::Member member;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().members().GetMember(rpc, request, &member);
  });
  if (context.json()) {
    PrintJson(member);
  } else {
    std::cout << DescribeMember(member);
  }
  return 0;
}

// Every member of the chapter (with those who left when `show_left`), all pages.
v1::ListMembersResponse ListRoster(Context& context, const std::string& chapter, bool show_left) {
  v1::ListMembersRequest request;
  request.set_parent(chapter);
  request.set_show_left(show_left);
  request.set_page_size(1000);
  v1::ListMembersResponse all;
  ForEachPage<v1::ListMembersResponse>(
      context, request,
      [&](grpc::ClientContext* rpc, const v1::ListMembersRequest& page_request,
          v1::ListMembersResponse* page) {
        return context.client().members().ListMembers(rpc, page_request, page);
      },
      [&](const v1::ListMembersResponse& page) {
        all.mutable_members()->MergeFrom(page.members());
        return true;
      });
  return all;
}

// --member as an id ("7"), a full name ("chapters/demo/members/7") or a display name ("Ana
// Rossi", matched among the chapter's current members).
std::string MemberByNameOrId(Context& context, const std::string& arg) {
  if (IsMemberIdOrName(arg)) {
    return context.names().Member(arg);
  }
  const std::string chapter = context.names().DefaultChapter();
  std::vector<RosterEntry> roster;
  const v1::ListMembersResponse current = ListRoster(context, chapter, false);
  for (const v1::Member& member : current.members()) {
    roster.push_back({member.name(), member.display_name()});
  }
  return MatchMemberByName(roster, arg, chapter);
}

int ListMembers(Context& context, const ParsedArgs& args) {
  const v1::ListMembersResponse all =
      ListRoster(context, context.names().DefaultChapter(), args.Has("all"));
  if (context.json()) {
    PrintJson(all);
    return 0;
  }
  if (all.members().empty()) {
    std::cout << "no members\n";
  }
  for (const v1::Member& member : all.members()) {
    std::cout << member.name() << ": " << member.display_name() << ", " << member.business() << " ("
              << member.category() << ")";
    if (member.role() != v1::ROLE_MEMBER && member.role() != v1::ROLE_UNSPECIFIED) {
      std::cout << ", " << EnumWord(member.role());
    }
    if (member.state() == v1::MEMBER_STATE_LEFT) {
      std::cout << ", left";
    }
    std::cout << "\n";
  }
  return 0;
}

int UpdateMember(Context& context, const ParsedArgs& args) {
  v1::UpdateMemberRequest request;
  v1::Member* member = request.mutable_member();
  // The mask names exactly the flags given, so "--email ''" clears the e-mail.
  struct Field {
    const char* flag;
    const char* path;
  };
  for (const Field& field :
       {Field{"name", "display_name"}, Field{"business", "business"}, Field{"category", "category"},
        Field{"role", "role"}, Field{"email", "email"}, Field{"phone", "phone"}}) {
    if (!args.Has(field.flag)) {
      continue;
    }
    const std::string value = args.Get(field.flag);
    const std::string path = field.path;
    if (path == "display_name") {
      member->set_display_name(value);
    } else if (path == "business") {
      member->set_business(value);
    } else if (path == "category") {
      member->set_category(value);
    } else if (path == "role") {
      member->set_role(ParseEnumWord<v1::Role>(value, "role"));
    } else if (path == "email") {
      member->set_email(value);
    } else {
      member->set_phone(value);
    }
    request.mutable_update_mask()->add_paths(path);
  }
  if (request.update_mask().paths().empty()) {
    throw UsageError(
        "nothing to update: pass at least one of --name --business --category --role --email "
        "--phone");
  }
  member->set_name(context.names().Member(args.Positional(0)));
  request.set_request_id(context.RequestId());
  v1::Member updated;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().members().UpdateMember(rpc, request, &updated);
  });
  if (context.json()) {
    PrintJson(updated);
  } else {
    std::cout << DescribeMember(updated);
  }
  return 0;
}

int RemoveMember(Context& context, const ParsedArgs& args) {
  v1::RemoveMemberRequest request;
  request.set_name(context.names().Member(args.Positional(0)));
  request.set_request_id(context.RequestId());
  v1::Member removed;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().members().RemoveMember(rpc, request, &removed);
  });
  if (context.json()) {
    PrintJson(removed);
  } else {
    std::cout << DescribeMember(removed);
  }
  return 0;
}

int InviteLink(Context& context, const ParsedArgs& args) {
  const std::string web = WebUrl(args);
  v1::GetMemberTokenRequest request;
  request.set_name(MemberByNameOrId(context, args.Get("member")));
  v1::GetMemberTokenResponse response;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().members().GetMemberToken(rpc, request, &response);
  });
  const std::string url = InviteUrl(web, response.access_token());
  if (context.json()) {
    std::cout << "{\"member\":" << JsonString(request.name()) << ",\"url\":" << JsonString(url)
              << ",\"access_token\":" << JsonString(response.access_token()) << "}\n";
    return 0;
  }
  std::cout << url << "\n";
  if (args.Has("qr")) {
    // On a terminal the code is drawn black on white, so it scans whatever the theme.
    std::cout << "\n" << QrCode(url, isatty(STDOUT_FILENO) == 1);
  }
  return 0;
}

}  // namespace

std::vector<Command> MemberCommands() {
  const std::string role_help = std::string("one of ") + kRoles;
  return {
      {"member add",
       "--chapter C --name N --business B --category K [--role R] [--email E] [--phone P]",
       "add a member (organizers); prints it and its access token once",
       {ChapterFlag(),
        {"name", "N", "the person's name, 1..100", true},
        {"business", "B", "their business, 1..100", true},
        {"category", "K", "profession, exclusive in the chapter, 1..60", true},
        {"role", "R", role_help + " (default member)"},
        {"email", "E", "e-mail address"},
        {"phone", "P", "phone number"}},
       0,
       0,
       true,
       AddMember},
      {"member get", "X", "show a member", {ChapterFlag()}, 1, 1, false, GetMember},
      {"member list",
       "[--chapter C] [--all]",
       "list the chapter's members",
       {ChapterFlag(), {"all", "", "include members who left"}},
       0,
       0,
       false,
       ListMembers},
      {"member update",
       "X [--name N] [--business B] [--category K] [--role R] [--email E] [--phone P]",
       "change a member; only the fields given are changed",
       {ChapterFlag(),
        {"name", "N", "the person's name"},
        {"business", "B", "their business"},
        {"category", "K", "profession (organizers)"},
        {"role", "R", role_help + " (organizers)"},
        {"email", "E", "e-mail address (empty clears it)"},
        {"phone", "P", "phone number (empty clears it)"}},
       1,
       1,
       true,
       UpdateMember},
      {"member remove",
       "X",
       "the member leaves the chapter (history stays, token revoked)",
       {ChapterFlag()},
       1,
       1,
       true,
       RemoveMember},
      {"member invite-link",
       "--member X [--web-url URL] [--qr]",
       "print a member's link to the phone page, with their access token (organizers)",
       {ChapterFlag(),
        {"member", "X",
         "the member: their name (\"Ana Rossi\"), id (\"7\") or \"chapters/demo/members/7\"", true},
        WebUrlFlag(),
        {"qr", "", "also draw the link as a QR code in the terminal"}},
       0,
       0,
       false,
       InviteLink},
  };
}

}  // namespace reciproca::cli
