// meeting schedule|open|segment|close|cancel|submit|get|list, checkin, attendance and visitor add.

#include <iostream>

#include "client/cli/commands.h"
#include "client/cli/local_time.h"
#include "client/cli/output.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

void PrintMeeting(Context& context, const v1::Meeting& meeting) {
  if (context.json()) {
    PrintJson(meeting);
  } else {
    std::cout << DescribeMeeting(meeting, context.names());
  }
}

int ScheduleMeeting(Context& context, const ParsedArgs& args) {
  DateTimeArg start = ParseDateTime(args.Get("start"), "start");
  v1::ScheduleMeetingRequest request;
  request.set_parent(context.names().DefaultChapter());
  std::string time_zone;
  if (!start.utc_offset) {
    // Local time in the chapter's zone: ask the chapter which zone that is.
    time_zone = context.ChapterTimeZone(request.parent(), "--start");
  }
  request.mutable_start_time()->set_seconds(ToUnixSeconds(start, time_zone));
  request.set_request_id(context.RequestId());
  v1::Meeting meeting;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().ScheduleMeeting(rpc, request, &meeting);
  });
  PrintMeeting(context, meeting);
  if (!context.json() && !start.utc_offset) {
    std::cout << "  local start: " << FormatLocal(meeting.start_time().seconds(), time_zone)
              << "\n";
  }
  return 0;
}

// open and close: the same shape, a name and a request id.
template <typename Request, typename Rpc>
int MeetingTransition(Context& context, const ParsedArgs& args, Rpc rpc_method) {
  Request request;
  request.set_name(context.names().Meeting(args.Positional(0)));
  request.set_request_id(context.RequestId());
  v1::Meeting meeting;
  context.Call([&](grpc::ClientContext* rpc) {
    return (context.client().meetings().*rpc_method)(rpc, request, &meeting);
  });
  PrintMeeting(context, meeting);
  return 0;
}

int OpenMeeting(Context& context, const ParsedArgs& args) {
  return MeetingTransition<v1::OpenMeetingRequest>(context, args,
                                                   &v1::MeetingService::Stub::OpenMeeting);
}

int CloseMeeting(Context& context, const ParsedArgs& args) {
  return MeetingTransition<v1::CloseMeetingRequest>(context, args,
                                                    &v1::MeetingService::Stub::CloseMeeting);
}

int CancelMeeting(Context& context, const ParsedArgs& args) {
  v1::CancelMeetingRequest request;
  request.set_name(context.names().Meeting(args.Positional(0)));
  request.set_reason(args.Get("reason"));
  request.set_request_id(context.RequestId());
  v1::Meeting meeting;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().CancelMeeting(rpc, request, &meeting);
  });
  PrintMeeting(context, meeting);
  return 0;
}

int SubmitPalms(Context& context, const ParsedArgs& args) {
  return MeetingTransition<v1::SubmitPalmsRequest>(context, args,
                                                   &v1::MeetingService::Stub::SubmitPalms);
}

int StartSegment(Context& context, const ParsedArgs& args) {
  v1::StartSegmentRequest request;
  request.set_countdown_seconds(static_cast<int32_t>(args.GetInt("seconds", 0, 0, 1000000)));
  request.set_name(context.names().Meeting(args.Positional(0)));
  request.set_title(args.Get("name"));
  if (args.Has("speaker")) {
    request.set_speaker(context.names().Member(args.Get("speaker")));
  }
  request.set_request_id(context.RequestId());
  v1::Meeting meeting;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().StartSegment(rpc, request, &meeting);
  });
  PrintMeeting(context, meeting);
  return 0;
}

int GetMeeting(Context& context, const ParsedArgs& args) {
  v1::GetMeetingRequest request;
  request.set_name(context.names().Meeting(args.Positional(0)));
  v1::Meeting meeting;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().GetMeeting(rpc, request, &meeting);
  });
  PrintMeeting(context, meeting);
  return 0;
}

int ListMeetings(Context& context, const ParsedArgs& args) {
  v1::ListMeetingsRequest request;
  const int64_t limit = args.GetInt("limit", 0, 1, 1000000);
  request.set_parent(context.names().DefaultChapter());
  request.set_page_size(static_cast<int32_t>(limit > 0 && limit < 1000 ? limit : 1000));
  v1::ListMeetingsResponse all;
  ForEachPage<v1::ListMeetingsResponse>(
      context, request,
      [&](grpc::ClientContext* rpc, const v1::ListMeetingsRequest& page_request,
          v1::ListMeetingsResponse* page) {
        return context.client().meetings().ListMeetings(rpc, page_request, page);
      },
      [&](const v1::ListMeetingsResponse& page) {
        for (const v1::Meeting& meeting : page.meetings()) {
          if (limit == 0 || all.meetings_size() < limit) {
            *all.add_meetings() = meeting;
          }
        }
        return limit == 0 || all.meetings_size() < limit;
      });
  if (context.json()) {
    PrintJson(all);
    return 0;
  }
  if (all.meetings().empty()) {
    std::cout << "no meetings\n";
  }
  for (const v1::Meeting& meeting : all.meetings()) {
    std::cout << meeting.name() << ": " << EnumWord(meeting.state()) << ", starts "
              << FormatTime(meeting.start_time()) << ", " << meeting.attendance_size()
              << " attendance records, " << meeting.visitors_size() << " visitors\n";
  }
  return 0;
}

void PrintAttendance(Context& context, const std::string& meeting,
                     const v1::Attendance& attendance) {
  if (context.json()) {
    PrintJson(attendance);
  } else {
    std::cout << DescribeAttendance(meeting, attendance, context.names());
  }
}

int CheckIn(Context& context, const ParsedArgs& args) {
  v1::CheckInRequest request;
  request.set_meeting(context.names().Meeting(args.Get("meeting")));
  if (args.Has("member")) {
    request.set_member(context.names().Member(args.Get("member")));
  }
  request.set_request_id(context.RequestId());
  v1::Attendance attendance;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().CheckIn(rpc, request, &attendance);
  });
  PrintAttendance(context, request.meeting(), attendance);
  return 0;
}

int RecordAttendance(Context& context, const ParsedArgs& args) {
  v1::RecordAttendanceRequest request;
  request.set_status(ParseEnumWord<v1::AttendanceStatus>(args.Get("status"), "status"));
  if (request.status() == v1::ATTENDANCE_STATUS_SUBSTITUTE && !args.Has("substitute")) {
    throw UsageError("--status substitute needs --substitute NAME");
  }
  request.set_meeting(context.names().Meeting(args.Get("meeting")));
  request.set_member(context.names().Member(args.Get("member")));
  request.set_substitute_name(args.Get("substitute"));
  request.set_request_id(context.RequestId());
  v1::Attendance attendance;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().RecordAttendance(rpc, request, &attendance);
  });
  PrintAttendance(context, request.meeting(), attendance);
  return 0;
}

int AddVisitor(Context& context, const ParsedArgs& args) {
  v1::RegisterVisitorRequest request;
  request.set_meeting(context.names().Meeting(args.Get("meeting")));
  v1::Visitor* visitor = request.mutable_visitor();
  visitor->set_display_name(args.Get("name"));
  visitor->set_business(args.Get("business"));
  if (args.Has("invited-by")) {
    visitor->set_invited_by(context.names().Member(args.Get("invited-by")));
  }
  visitor->set_email(args.Get("email"));
  visitor->set_phone(args.Get("phone"));
  // Typed in later: the day they came (in the meeting's week), which also opens a closed meeting.
  SetOccurred(context, args, /*with_meeting=*/false, &request);
  request.set_request_id(context.RequestId());
  v1::Visitor registered;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().RegisterVisitor(rpc, request, &registered);
  });
  if (context.json()) {
    PrintJson(registered);
  } else {
    std::cout << DescribeVisitor(registered, context.names());
  }
  return 0;
}

int RegisterSubstitute(Context& context, const ParsedArgs& args) {
  if (args.Has("withdraw") == args.Has("name")) {
    throw UsageError("substitute: give --name NAME, or --withdraw to take it back");
  }
  v1::RegisterSubstituteRequest request;
  request.set_parent(context.names().DefaultChapter());
  request.set_date(args.Get("date"));
  if (args.Has("member")) {
    request.set_member(context.names().Member(args.Get("member")));
  }
  request.set_substitute_name(args.Get("name"));
  request.set_request_id(context.RequestId());
  v1::Chapter chapter;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().meetings().RegisterSubstitute(rpc, request, &chapter);
  });
  if (context.json()) {
    PrintJson(chapter);
  } else {
    std::cout << DescribeChapter(chapter);
  }
  return 0;
}

FlagSpec MeetingFlag() {
  return {"meeting", "M", "the meeting (\"3\" or \"chapters/demo/meetings/3\")", true};
}

}  // namespace

std::vector<Command> MeetingCommands() {
  return {
      {"meeting schedule",
       "--chapter C --start 2026-12-01T07:00",
       "schedule a meeting (organizers)",
       {ChapterFlag(),
        {"start", "TIME",
         "start, local time in the chapter's time zone (2026-12-01T07:00), or with Z / +01:00",
         true}},
       0,
       0,
       true,
       ScheduleMeeting},
      {"meeting open", "M", "open check-in (organizers)", {ChapterFlag()}, 1, 1, true, OpenMeeting},
      {"meeting segment",
       "M --name TITLE [--seconds 60] [--speaker X]",
       "start the next agenda segment (organizers)",
       {ChapterFlag(),
        {"name", "TITLE", "the segment's title, 1..60", true},
        {"seconds", "N", "countdown in seconds, 0..3600 (default 0: none)"},
        {"speaker", "X", "the member speaking (the room display also shows who is next)"}},
       1,
       1,
       true,
       StartSegment},
      {"meeting close",
       "M",
       "close the meeting; members with no record become absent (organizers)",
       {ChapterFlag()},
       1,
       1,
       true,
       CloseMeeting},
      {"meeting cancel",
       "M [--reason TEXT]",
       "call a meeting off, e.g. a holiday: nobody is absent and it counts in no rate "
       "(organizers)",
       {ChapterFlag(), {"reason", "TEXT", "why, 0..60 characters (\"Ferragosto\")"}},
       1,
       1,
       true,
       CancelMeeting},
      {"meeting submit",
       "M",
       "submit the closed meeting's PALMS: later changes are organizers' corrections "
       "(organizers)",
       {ChapterFlag()},
       1,
       1,
       true,
       SubmitPalms},
      {"meeting get", "M", "show a meeting", {ChapterFlag()}, 1, 1, false, GetMeeting},
      {"meeting list",
       "[--chapter C] [--limit N]",
       "list meetings, newest first",
       {ChapterFlag(), {"limit", "N", "show at most N meetings"}},
       0,
       0,
       false,
       ListMeetings},
      {"checkin",
       "--meeting M [--member X]",
       "check in to an open meeting (present, or late after the start)",
       {ChapterFlag(),
        MeetingFlag(),
        {"member", "X", "organizers: check in this member (default: yourself)"}},
       0,
       0,
       true,
       CheckIn},
      {"attendance",
       "--meeting M --member X --status medical|substitute|absent|present|late "
       "[--substitute NAME]",
       "record or correct attendance (organizers)",
       {ChapterFlag(),
        MeetingFlag(),
        {"member", "X", "the member", true},
        {"status", "S", "present|absent|late|medical|substitute", true},
        {"substitute", "NAME", "the substitute's name (with --status substitute)"}},
       0,
       0,
       true,
       RecordAttendance},
      {"substitute",
       "--date YYYY-MM-DD (--name NAME | --withdraw) [--member X]",
       "register ahead who comes in your place on a meeting day, or withdraw it; closing that "
       "day's meeting records you as substitute",
       {ChapterFlag(),
        {"date", "YYYY-MM-DD", "the meeting day, in the chapter's time zone", true},
        {"name", "NAME", "the substitute's name, 1..100"},
        {"withdraw", "", "take back the substitute registered for that day"},
        {"member", "X", "organizers: for this member (default: yourself)"}},
       0,
       0,
       true,
       RegisterSubstitute},
      {"visitor add",
       "--meeting M --name N --business B [--invited-by X] [--email E] [--phone P] [--date D]",
       "register a visitor at a meeting",
       {ChapterFlag(),
        MeetingFlag(),
        {"name", "N", "the visitor's name, 1..100", true},
        {"business", "B", "their business, 1..100", true},
        {"invited-by", "X", "the inviting member (default: yourself)"},
        {"email", "E", "e-mail address"},
        {"phone", "P", "phone number"},
        {"date", "YYYY-MM-DD",
         "typed in later: the day they came, in the meeting's week (also after it closed)"}},
       0,
       0,
       true,
       AddVisitor},
  };
}

}  // namespace reciproca::cli
