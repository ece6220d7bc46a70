// watch: follows a chapter's event stream (EventService.Subscribe), one line per event.

#include <chrono>
#include <iostream>
#include <thread>

#include "client/cli/commands.h"
#include "client/cli/output.h"

namespace reciproca::cli {
namespace {

std::string Temperature(const v1::Referral& referral) {
  return "temperature " + std::to_string(referral.temperature());
}

// What happened, after "#seq time ".
std::string DescribePayload(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kChapterCreated:
      return "chapter created: " + event.chapter_created().chapter().name() + " \"" +
             event.chapter_created().chapter().display_name() + "\"";
    case v1::Event::kChapterUpdated: {
      std::string fields;
      for (const std::string& field : event.chapter_updated().changed_fields()) {
        fields += (fields.empty() ? "" : ", ") + field;
      }
      return "chapter updated: " + event.chapter_updated().chapter().name() + " (" + fields + ")";
    }
    case v1::Event::kDisplayTokenRotated:
      return "display token replaced (generation " +
             std::to_string(event.display_token_rotated().generation()) +
             "): open displays were disconnected";
    case v1::Event::kMemberAdded: {
      const v1::Member& member = event.member_added().member();
      return "member added: " + member.name() + " " + member.display_name() + " (" +
             member.category() + ", " + EnumWord(member.role()) + ")";
    }
    case v1::Event::kMemberUpdated: {
      std::string fields;
      for (const std::string& field : event.member_updated().changed_fields()) {
        fields += (fields.empty() ? "" : ", ") + field;
      }
      return "member updated: " + event.member_updated().member().name() + " (" + fields + ")";
    }
    case v1::Event::kMemberLeft:
      return "member left: " + event.member_left().member();
    case v1::Event::kMeetingScheduled:
      return "meeting scheduled: " + event.meeting_scheduled().meeting() + " starts " +
             FormatTime(event.meeting_scheduled().start_time());
    case v1::Event::kMeetingOpened:
      return "meeting opened: " + event.meeting_opened().meeting();
    case v1::Event::kSegmentStarted: {
      const v1::Segment& segment = event.segment_started().segment();
      std::string out =
          "segment started: " + event.segment_started().meeting() + " \"" + segment.title() + "\"";
      if (segment.countdown_seconds() > 0) {
        out += " (" + std::to_string(segment.countdown_seconds()) + " s)";
      }
      if (!segment.speaker().empty()) {
        out += " speaker " + segment.speaker() + ", next " +
               (segment.next_speaker().empty() ? std::string("nobody") : segment.next_speaker());
      }
      return out;
    }
    case v1::Event::kAttendanceRecorded: {
      const v1::Attendance& attendance = event.attendance_recorded().attendance();
      std::string out = "attendance: " + event.attendance_recorded().meeting() + " " +
                        attendance.member() + " " + EnumWord(attendance.status());
      if (!attendance.substitute_name().empty()) {
        out += " (substitute " + attendance.substitute_name() + ")";
      }
      return out;
    }
    case v1::Event::kVisitorRegistered: {
      const v1::Visitor& visitor = event.visitor_registered().visitor();
      return "visitor registered: " + event.visitor_registered().meeting() + " " +
             visitor.display_name() + " (" + visitor.business() + ") invited by " +
             visitor.invited_by();
    }
    case v1::Event::kVisitorInvited: {
      const v1::Visitor& visitor = event.visitor_invited().visitor();
      return "visitor invited: " + event.visitor_invited().meeting() + " " +
             visitor.display_name() + " (" + visitor.business() + ") by " + visitor.invited_by();
    }
    case v1::Event::kVisitorStateChanged: {
      const v1::Visitor& visitor = event.visitor_state_changed().visitor();
      return "visitor moved: " + visitor.name() + " " + visitor.display_name() + " " +
             EnumWord(event.visitor_state_changed().from()) + " -> " + EnumWord(visitor.state());
    }
    case v1::Event::kMeetingClosed:
      return "meeting closed: " + event.meeting_closed().meeting() + " (" +
             std::to_string(event.meeting_closed().absent_members_size()) + " absent)";
    case v1::Event::kMeetingCancelled:
      return "meeting cancelled: " + event.meeting_cancelled().meeting() +
             (event.meeting_cancelled().reason().empty()
                  ? std::string()
                  : " (" + event.meeting_cancelled().reason() + ")");
    case v1::Event::kPalmsSubmitted:
      return "PALMS submitted: " + event.palms_submitted().meeting();
    case v1::Event::kReferralGiven: {
      const v1::Referral& referral = event.referral_given().referral();
      return "referral given: " + referral.giver() + " -> " + referral.receiver() + " (" +
             Temperature(referral) + ")";
    }
    case v1::Event::kReferralStatusChanged: {
      const v1::ReferralStatusChanged& changed = event.referral_status_changed();
      return "referral status: " + changed.referral() + " " + EnumWord(changed.from_status()) +
             " -> " + EnumWord(changed.to_status());
    }
    case v1::Event::kThankYouRecorded: {
      const v1::ThankYou& thank_you = event.thank_you_recorded().thank_you();
      std::string out = "thank you: " + thank_you.from_member() + " -> " + thank_you.to_member() +
                        " " + FormatMoney(thank_you.amount());
      if (!thank_you.referral().empty()) {
        out += " (for " + thank_you.referral() + ")";
      }
      return out;
    }
    case v1::Event::kOneToOneRecorded: {
      const v1::OneToOne& one_to_one = event.one_to_one_recorded().one_to_one();
      return "one-to-one: " + one_to_one.member() + " with " + one_to_one.with_member() + " on " +
             one_to_one.date();
    }
    case v1::Event::kEducationRecorded: {
      const v1::Education& education = event.education_recorded().education();
      return "education: " + education.member() + " " + std::to_string(education.credits()) +
             " credit" + (education.credits() == 1 ? "" : "s");
    }
    case v1::Event::kTestimonialRecorded: {
      const v1::Testimonial& testimonial = event.testimonial_recorded().testimonial();
      return "testimonial: " + testimonial.from_member() + " for " + testimonial.for_member();
    }
    case v1::Event::kPluginEnabled: {
      const auto& enabled = event.plugin_enabled();
      return "plugin " + enabled.plugin() + " enabled" +
             (enabled.config_json().empty() ? "" : " with config " + enabled.config_json());
    }
    case v1::Event::kPluginDisabled:
      return "plugin " + event.plugin_disabled().plugin() + " disabled";
    case v1::Event::kPalmsSummaryImported:
      return "PALMS summary imported: " + DescribePalmsSummary(event.palms_summary_imported());
    case v1::Event::kPluginOutput: {
      const v1::PluginOutputRecorded& recorded = event.plugin_output();
      const auto& output = recorded.output();
      std::string out = "plugin " + recorded.plugin() + ": ";
      if (output.has_score_change()) {
        const auto& change = output.score_change();
        return out + "score " + change.member() + " " + change.window() + " " +
               change.previous_band() + " -> " + change.band() + " (" +
               std::to_string(change.points()) + "/" + std::to_string(change.max_points()) + ")";
      }
      if (output.has_reminder()) {
        return out + "reminder for " + output.reminder().member() + ": " + output.reminder().text();
      }
      return out + output.key();
    }
    case v1::Event::PAYLOAD_NOT_SET:
      break;
    default:  // A payload added to the API after this client was built.
      break;
  }
  return "event (not known to this client)";
}

std::string DescribeEvent(const v1::Event& event) {
  std::string out = "#" + std::to_string(event.seq()) + " " + FormatTime(event.time()) + " " +
                    DescribePayload(event);
  if (event.correction()) {
    out += " [correction by " + event.actor() + "]";
  }
  if (!event.on_behalf_of().empty()) {
    out += " [by " + event.actor() + " on behalf of " + event.on_behalf_of() + "]";
  }
  if (!event.imported_from().empty()) {
    out += " [imported: " + event.imported_from() + "]";
  }
  return out;
}

int Watch(Context& context, const ParsedArgs& args) {
  v1::SubscribeRequest request;
  request.set_after_seq(args.GetInt("after-seq", 0, 0, INT64_MAX));
  const int64_t limit = args.GetInt("limit", 0, 1, INT64_MAX);
  request.set_chapter(args.positionals().empty() ? context.names().DefaultChapter()
                                                 : context.names().Chapter(args.Positional(0)));
  int64_t printed = 0;
  // A stream that breaks after it delivered events (the server restarted, the network blinked)
  // is resumed from the last seq printed: no gap, no duplicate. About 20 s of retries.
  constexpr int kRetries = 10;
  int retries_left = kRetries;
  std::chrono::milliseconds pause{500};
  while (true) {
    auto rpc = context.client().NewContext(/*streaming=*/true);
    auto reader = context.client().events().Subscribe(rpc.get(), request);
    v1::Event event;
    while (reader->Read(&event)) {
      if (context.json()) {
        std::cout << ToJson(event) << std::endl;
      } else {
        std::cout << DescribeEvent(event) << std::endl;
      }
      request.set_after_seq(event.seq());
      retries_left = kRetries;
      pause = std::chrono::milliseconds{500};
      ++printed;
      if (limit > 0 && printed >= limit) {
        rpc->TryCancel();
        while (reader->Read(&event)) {
        }
        reader->Finish();
        return 0;
      }
    }
    grpc::Status status = reader->Finish();
    if (status.ok()) {
      return 0;  // The server ended the stream.
    }
    // While a server restarts, a new call may also be cancelled by its shutdown.
    const bool transient = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::CANCELLED;
    if (!transient || printed == 0 || retries_left-- == 0) {
      context.Check(status);
    }
    std::cerr << "watch: stream interrupted (" << status.error_message() << "); resuming after #"
              << request.after_seq() << "\n";
    // Waiting for the channel (not just sleeping) makes it try to connect again at once.
    const auto started = std::chrono::steady_clock::now();
    if (context.client().WaitForConnected(pause)) {
      std::this_thread::sleep_until(started + std::chrono::milliseconds{100});
    }
    pause = std::min(pause * 2, std::chrono::milliseconds{2000});
  }
}

}  // namespace

std::vector<Command> WatchCommands() {
  return {
      {"watch",
       "--chapter C [--after-seq N] [--limit N]",
       "follow the chapter's events live (replaying those after --after-seq first)",
       {ChapterFlag(),
        {"after-seq", "N", "start after this event number (default 0: the whole log)"},
        {"limit", "N", "exit after N events"}},
       0,
       1,
       false,
       Watch},
  };
}

}  // namespace reciproca::cli
