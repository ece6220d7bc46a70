#pragma once

// The chapter aggregate: the current state of one chapter, rebuilt by applying its events in
// order, and the rules that turn a command into new events.
//
// Pure: no I/O, no threads, no gRPC. Time comes in through Context. Not thread-safe: the engine
// calls one chapter from its own strand only.
//
// The protocol: `Decide*` methods are const; they validate a command against the current state
// and return the events it produces (seq = last_seq()+1, +2, ...; chapter, time, actor and
// on_behalf_of filled in), without changing anything. The engine then calls Apply() for each of
// them, in order, and commits them. Ids of new things are the seq of the event that created them
// ("chapters/rome/members/7", "chapters/rome/referrals/42"), so they are unique and stable.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reciproca/v1/chapter_service.pb.h"
#include "reciproca/v1/events.pb.h"
#include "reciproca/v1/import_service.pb.h"
#include "reciproca/v1/meeting_service.pb.h"
#include "reciproca/v1/member_service.pb.h"
#include "reciproca/v1/plugin_service.pb.h"
#include "reciproca/v1/referral_service.pb.h"
#include "reciproca/v1/report_service.pb.h"
#include "reciproca/v1/resources.pb.h"
#include "server/domain/import_csv.h"
#include "server/domain/principal.h"
#include "server/domain/result.h"
#include "server/domain/time_zones.h"

namespace reciproca::domain {

using Events = std::vector<v1::Event>;
using TimePoint = std::chrono::system_clock::time_point;

struct Context {
  Principal principal;
  TimePoint now;
  // Which time zones exist (the engine's is the system database). Outlives the decision.
  const TimeZones& time_zones;
};

// Filters of ListReferrals; empty / UNSPECIFIED means "any".
struct ReferralFilter {
  std::string giver;
  std::string receiver;
  v1::ReferralStatus status = v1::REFERRAL_STATUS_UNSPECIFIED;
  std::string meeting;
};

// Whether `role` is a leadership role (every leadership role organizes).
bool IsLeadershipRole(v1::Role role);

// Everything a Chapter holds, as plain values, for the engine's snapshots: the engine decides
// how they are stored; the domain knows no bytes and no SQL. Chapter::FromState(c.ExportState())
// behaves exactly as `c` does.
struct ChapterState {
  v1::Chapter info;
  int64_t last_seq = 0;
  int64_t display_token_generation = 0;
  std::map<std::string, v1::Member, std::less<>> members;
  std::map<std::string, v1::Meeting, std::less<>> meetings;
  std::map<std::string, v1::Referral, std::less<>> referrals;
  std::map<std::string, v1::ThankYou, std::less<>> thank_yous;
  std::map<std::string, v1::OneToOne, std::less<>> one_to_ones;
  std::map<std::string, v1::Education, std::less<>> education;
  std::map<std::string, v1::Testimonial, std::less<>> testimonials;
  std::map<std::string, v1::ChapterPlugin, std::less<>> plugins;
  // Lower-cased category -> active member name.
  std::map<std::string, std::string, std::less<>> category_owner;
  // Imported PALMS summaries (PalmsSummaryImported), in the order recorded.
  std::vector<v1::PalmsSummaryImported> palms_summaries;
  // The imports recorded ("chapters/{c}/imports/{id}", Event.imported_from).
  std::set<std::string, std::less<>> imports;
  // Visitors invited ahead who have not come (INVITED, or DECLINED before coming), by name; a
  // visitor who came lives in their meeting's visitors.
  std::map<std::string, v1::Visitor, std::less<>> invitations;
};

// Filters of ListVisitors; empty / UNSPECIFIED means "any".
struct VisitorFilter {
  v1::VisitorState state = v1::VISITOR_STATE_UNSPECIFIED;
  std::string invited_by;
};

// What importing a file decides (Chapter::DecideImportFile): the events to record (none for a
// dry run, a rejected line, an import recorded before, a file without rows) and the answer.
struct ImportDecision {
  Events events;
  v1::ImportFileResponse answer;
};

class Chapter {
 public:
  // Decides the creation of chapters/{chapter_id} and returns its first event, ChapterCreated
  // with seq 1. Every rule of creation is here, in this order: only the admin (PERMISSION_DENIED);
  // chapter_id of the chapter id syntax (names.h: IsValidChapterId) and not `taken` by an existing
  // chapter (ALREADY_EXISTS); display_name, weekday, "HH:MM" time; the time zone's syntax
  // ("Area/City", letters, digits, "_+-/") and its existence in ctx.time_zones; the currency.
  // `chapter_id` is the request's, or the one the engine picked when the request left it empty;
  // `taken` is whether a chapter of that id exists (the engine's registry knows).
  static Result<Events> DecideCreate(const Context& ctx, const v1::CreateChapterRequest& request,
                                     std::string_view chapter_id, bool taken);

  // The whole state, and a chapter from one (chapter_state.cc).
  ChapterState ExportState() const;
  static Chapter FromState(ChapterState state);

  // Applies one committed (or about to be committed) event. Events must come in seq order; the
  // first must be ChapterCreated.
  void Apply(const v1::Event& event);

  // Changes the chapter's settings named in r.update_mask ("display_name", "display_amounts",
  // "meeting_weekday", "meeting_time", "time_zone"), checked as DecideCreate checks them, and
  // returns a ChapterUpdated event. Organizers of this chapter and the admin only. An empty mask
  // or an unknown path is INVALID_ARGUMENT naming it.
  Result<Events> DecideUpdateChapter(const Context& ctx, const v1::UpdateChapterRequest& r) const;

  // --- Commands. Each checks permission (organizer-only commands: the admin or a member whose
  // current role is a leadership role; members act only as themselves, in their own chapter),
  // then the request, then the rules of docs/domain.md, and returns the events or an Error whose
  // message names the field and the rule.
  Result<Events> DecideCreateMember(const Context& ctx, const v1::CreateMemberRequest& r) const;
  Result<Events> DecideUpdateMember(const Context& ctx, const v1::UpdateMemberRequest& r) const;
  Result<Events> DecideRemoveMember(const Context& ctx, const v1::RemoveMemberRequest& r) const;

  Result<Events> DecideScheduleMeeting(const Context& ctx,
                                       const v1::ScheduleMeetingRequest& r) const;
  Result<Events> DecideOpenMeeting(const Context& ctx, const v1::OpenMeetingRequest& r) const;
  Result<Events> DecideStartSegment(const Context& ctx, const v1::StartSegmentRequest& r) const;
  Result<Events> DecideCheckIn(const Context& ctx, const v1::CheckInRequest& r) const;
  Result<Events> DecideRecordAttendance(const Context& ctx,
                                        const v1::RecordAttendanceRequest& r) const;
  Result<Events> DecideRegisterVisitor(const Context& ctx,
                                       const v1::RegisterVisitorRequest& r) const;
  Result<Events> DecideRegisterSubstitute(const Context& ctx,
                                          const v1::RegisterSubstituteRequest& r) const;
  Result<Events> DecideCloseMeeting(const Context& ctx, const v1::CloseMeetingRequest& r) const;

  // --- The visitors' pipeline (chapter_visitors.cc; docs/organizers.md, "Visitors").
  // A visitor invited ahead: any active member for themself, organizers for another inviter
  // (ResolveActing's rule on visitor.invited_by); to `meeting` (SCHEDULED, OPEN or IN_PROGRESS)
  // or to the first such meeting starting on or after `date` (today or later, in the chapter's
  // time zone; none is FAILED_PRECONDITION, NO_MEETING_AFTER_DATE). The same name invited to
  // the same meeting and not come is ALREADY_EXISTS (VISITOR_ALREADY_INVITED). VisitorInvited.
  Result<Events> DecideInviteVisitor(const Context& ctx, const v1::InviteVisitorRequest& r) const;
  // Organizers only (CheckOrganizer). The moves: ATTENDED -> FOLLOWED_UP -> APPLIED -> JOINED,
  // and DECLINED from INVITED, ATTENDED, FOLLOWED_UP or APPLIED; any other is
  // FAILED_PRECONDITION (VISITOR_STATE_MOVE, naming both states). ATTENDED is set by
  // DecideRegisterVisitor only. A VisitorStateChanged; for JOINED followed by the MemberAdded
  // of the new member (DecideCreateMember's checks: the category required and exclusive),
  // who is linked both ways (Visitor.member, Member.visitor) and joins at the move's time.
  Result<Events> DecideMoveVisitor(const Context& ctx, const v1::MoveVisitorRequest& r) const;
  // Every visitor, invited or come, newest first (by the seq that created them), each with the
  // next_states DecideMoveVisitor takes them to.
  // INVALID_ARGUMENT for a malformed invited_by or an unknown state.
  Result<std::vector<v1::Visitor>> ListVisitors(const VisitorFilter& filter) const;
  // Days after a visitor came (ATTENDED) past which the visitor host is reminded to follow up.
  static constexpr int kVisitorFollowUpDays = 2;
  // The visitors' reminders, worded in the chapter's language: "follow up" (kind
  // "visitor_follow_up") for each visitor ATTENDED kVisitorFollowUpDays or more before `now`,
  // to the active visitor hosts (the presidents when there is none) and the inviter; "your
  // visitor comes tomorrow" (kind "visitor_tomorrow") to the inviter of each INVITED visitor
  // whose meeting is on the day after today in the chapter's time zone. `member` empty: every
  // recipient's; else that member's only.
  std::vector<plugin::v1::Reminder> VisitorReminders(std::string_view member, TimePoint now,
                                                     const TimeZones& zones) const;
  Result<Events> DecideCancelMeeting(const Context& ctx, const v1::CancelMeetingRequest& r) const;
  Result<Events> DecideSubmitPalms(const Context& ctx, const v1::SubmitPalmsRequest& r) const;
  // Records imported PALMS summaries (rows of ParsePalmsSummary, import_csv.h) as one
  // PalmsSummaryImported each, marked imported_from `import_name` ("chapters/{c}/imports/{id}").
  // Organizers only; every row's member must be a member (active or past) of this chapter, its
  // period "YYYY-MM-DD".."YYYY-MM-DD" in order and not after today, its counts not negative. All
  // rows or none (the first bad row is the error, naming its source_line).
  Result<Events> DecideImportPalmsSummaries(
      const Context& ctx, std::string_view import_name,
      const std::vector<v1::PalmsSummaryImported>& rows) const;
  // ImportService.ImportFile (import_service.proto): organizers only; the file within `limits`
  // (else INVALID_ARGUMENT, kImportTooLarge / kImportTooManyLines); read as its kind says
  // (import_csv.h); each row checked as DecideImportPalmsSummaries checks it, a row it refuses
  // a rejected line too. Records every row, once per `import_name` (the API names an import by
  // the SHA-256 of its kind and bytes), or nothing when a line is rejected or for a dry run.
  // Rejections' messages are in the catalog language for `accept_language`, else the
  // chapter's.
  Result<ImportDecision> DecideImportFile(const Context& ctx, const v1::ImportFileRequest& r,
                                          std::string_view import_name,
                                          std::string_view accept_language,
                                          const ImportLimits& limits) const;
  // Whether an import of that name was recorded.
  bool HasImport(std::string_view import_name) const { return imports_.contains(import_name); }

  Result<Events> DecideGiveReferral(const Context& ctx, const v1::GiveReferralRequest& r) const;
  Result<Events> DecideUpdateReferralStatus(const Context& ctx,
                                            const v1::UpdateReferralStatusRequest& r) const;
  Result<Events> DecideRecordThankYou(const Context& ctx, const v1::RecordThankYouRequest& r) const;
  Result<Events> DecideRecordOneToOne(const Context& ctx, const v1::RecordOneToOneRequest& r) const;
  Result<Events> DecideRecordEducation(const Context& ctx,
                                       const v1::RecordEducationRequest& r) const;
  Result<Events> DecideRecordTestimonial(const Context& ctx,
                                         const v1::RecordTestimonialRequest& r) const;

  // Records what plugin `plugin` asked to record (a score change, a reminder) as a
  // PluginOutputRecorded event with actor "plugin:{plugin}". Only the admin principal (the
  // server's plugin host) may. The output must be for this chapter, with a key of 1..200
  // characters and a kind; a member it names must be of this chapter. The key and a reminder's
  // text (1..1000) are one-line person-facing text (CheckText), recorded as checked.
  Result<Events> DecideRecordPluginOutput(const Context& ctx, const std::string& plugin,
                                          const plugin::v1::Output& output) const;
  // Turns loaded plugin `r.name()` on for this chapter with `r.config_json()` (checked as JSON
  // by the plugin host, which also gives the `capabilities` the plugin declared): the admin
  // and organizers only (PERMISSION_DENIED), `chapter` must be this one, the config at most
  // 64 KiB; ALREADY_EXISTS when it is enabled with that very config. A PluginEnabled event.
  Result<Events> DecideEnablePlugin(const Context& ctx, const v1::EnablePluginRequest& r,
                                    const std::vector<std::string>& capabilities) const;
  // The same permissions; FAILED_PRECONDITION when it is not enabled here. PluginDisabled.
  Result<Events> DecideDisablePlugin(const Context& ctx, const v1::DisablePluginRequest& r) const;
  // The plugins enabled in this chapter, by name.
  const std::map<std::string, v1::ChapterPlugin, std::less<>>& plugins() const { return plugins_; }
  // The PALMS summaries imported from other tools (ImportService), in the order recorded.
  const std::vector<v1::PalmsSummaryImported>& palms_summaries() const { return palms_summaries_; }

  // --- Reads.
  // Ok for the admin and for members and displays of this chapter; PERMISSION_DENIED otherwise.
  Status CheckCanRead(const Principal& principal) const;

  // Access tokens are derived from the resource they open, so they can be handed out again. Only
  // the admin and this chapter's organizers may: PERMISSION_DENIED otherwise, naming who may.
  Status CheckCanGetDisplayToken(const Principal& principal) const;
  // Replaces the display token: CheckCanGetDisplayToken's rule (PERMISSION_DENIED otherwise),
  // then `name` must be this chapter (INVALID_ARGUMENT). A DisplayTokenRotated event with the
  // next generation.
  Result<Events> DecideRotateDisplayToken(const Context& ctx,
                                          const v1::RotateDisplayTokenRequest& r) const;
  // How many times the display token was replaced (0: the token of the chapter's creation).
  int64_t display_token_generation() const { return display_token_generation_; }
  // CheckCanGetDisplayToken's rule, then the member: INVALID_ARGUMENT when `name` is empty,
  // malformed or of another chapter, NOT_FOUND when unknown, FAILED_PRECONDITION when the member
  // has left (their token is revoked). Returns the member.
  Result<v1::Member> GetMemberForToken(const Principal& principal, std::string_view name) const;

  // The chapter resource, with last_seq and active_member_count filled in.
  v1::Chapter Info() const;
  const std::string& name() const { return info_.name(); }
  int64_t last_seq() const { return last_seq_; }

  // NOT_FOUND (naming the resource) when absent or not of this chapter; INVALID_ARGUMENT when
  // the name is malformed.
  Result<v1::Member> GetMember(std::string_view name) const;
  Result<v1::Meeting> GetMeeting(std::string_view name) const;
  Result<v1::Referral> GetReferral(std::string_view name) const;
  Result<v1::Visitor> GetVisitor(std::string_view name) const;
  Result<v1::ThankYou> GetThankYou(std::string_view name) const;
  Result<v1::OneToOne> GetOneToOne(std::string_view name) const;
  Result<v1::Education> GetEducation(std::string_view name) const;
  Result<v1::Testimonial> GetTestimonial(std::string_view name) const;

  // Members ordered by display_name (case-insensitive), then name; left members only when asked.
  std::vector<v1::Member> ListMembers(bool show_left) const;
  // Newest first (by start_time, then name).
  std::vector<v1::Meeting> ListMeetings() const;
  // Newest first (by seq). INVALID_ARGUMENT for malformed filter names.
  Result<std::vector<v1::Referral>> ListReferrals(const ReferralFilter& filter) const;

  // PALMS over [start, end): see report_service.proto. Unset bounds mean unbounded.
  v1::PalmsReport PalmsReport(std::optional<TimePoint> start, std::optional<TimePoint> end) const;
  // The referral and one-to-one matrix over [start, end) (report_service.proto). Organizers
  // only: PERMISSION_DENIED otherwise.
  Result<v1::RelationshipMatrix> RelationshipMatrix(const Principal& principal,
                                                    std::optional<TimePoint> start,
                                                    std::optional<TimePoint> end) const;
  // Absences in the kAbsenceWeeks before as_of, alert at kAbsenceAlertAt (report_service.proto).
  // Organizers only: PERMISSION_DENIED otherwise.
  static constexpr int kAbsenceWeeks = 26;
  static constexpr int kAbsenceAlertAt = 3;
  Result<v1::AbsenceReport> AbsenceReport(const Principal& principal, TimePoint as_of) const;
  // The absence alert as reminders (kind "absence_alert") to the vice-presidents, or to the
  // presidents when the chapter has no vice-president: one per member at or past
  // kAbsenceAlertAt as of `now`, worded in the chapter's language. `member` empty: every
  // recipient's; else that member's only (none unless they receive the alert).
  std::vector<plugin::v1::Reminder> AbsenceReminders(std::string_view member, TimePoint now) const;
  // Every record over [start, end), by kind, oldest first (report_service.proto). Organizers
  // only; INVALID_ARGUMENT (EXPORT_TOO_LARGE) past kMaxExportRecords records.
  static constexpr int kMaxExportRecords = 20000;
  Result<v1::RecordsExport> ExportRecords(const Principal& principal,
                                          std::optional<TimePoint> start,
                                          std::optional<TimePoint> end) const;

  // True when the member is active and has a leadership role.
  bool IsOrganizer(std::string_view member_name) const;

 private:
  // Who a command is recorded for: the acting member (empty for the admin acting as itself),
  // the on_behalf_of to put in the event, and whether the caller is an organizer.
  struct Acting {
    std::string member;
    std::string on_behalf_of;
    bool organizer = false;
  };

  // Permissions (chapter_access.cc).
  // OK for the admin and for active members of this chapter; PERMISSION_DENIED otherwise.
  Status CheckCanWrite(const Principal& principal) const;
  bool IsOrganizerPrincipal(const Principal& principal) const;
  // The absence report's rows, without the organizers-only check.
  v1::AbsenceReport Absences(TimePoint as_of) const;
  // CheckCanWrite, then the organizer check. `what` names the command in the message.
  Status CheckOrganizer(const Principal& principal, std::string_view what) const;
  // An imported summary as DecideImportPalmsSummaries records it: its member of this chapter,
  // its period in order and not after the day after `ctx.now`, its counts not negative.
  Status CheckImportedSummary(const Context& ctx, const v1::PalmsSummaryImported& row) const;
  // An imported visitor (ParseVisitors, import_csv.h; occurred.date its day): registered at the
  // meeting of its day's week (MeetingOfDay) by DecideRegisterVisitor; kImportNoMeeting when
  // that week has none.
  Result<Events> DecideImportVisitor(const Context& ctx, const v1::RegisterVisitorRequest& r) const;
  // For member-acting commands: CheckCanWrite; on_behalf_of only for organizers; the admin
  // must give it; it must name an active member of this chapter.
  Result<Acting> ResolveActing(const Context& ctx, std::string_view on_behalf_of,
                               std::string_view field) const;
  // OK when `parent` is empty or this chapter.
  Status CheckParent(std::string_view field, std::string_view parent) const;

  // Lookups that name `field` in their errors: INVALID_ARGUMENT (malformed, other chapter),
  // NOT_FOUND (unknown), FAILED_PRECONDITION (left, for the Active variant).
  Result<const v1::Member*> FindMember(std::string_view field, std::string_view name) const;
  Result<const v1::Member*> FindActiveMember(std::string_view field, std::string_view name) const;
  // A day planned ahead (a rotation entry, a substitute): today or later in the chapter's time
  // zone and at most kMaxPlannedWeeksAhead weeks after, else INVALID_ARGUMENT naming `field`
  // with the reason `past` or `too_far`; `what` names the plan in the message ("the rotation").
  struct PlannedDayRules {
    std::string_view past;
    std::string_view too_far;
    std::string_view what;
  };
  static constexpr int kMaxPlannedWeeksAhead = 53;
  Status CheckPlannedDay(const Context& ctx, std::string_view field, std::chrono::sys_days day,
                         const PlannedDayRules& rules) const;
  // The feature-presentation rotation of an UpdateChapter (Chapter.feature_rotation) checked
  // and written into `out` in date order; errors name chapter.feature_rotation[i].{date,member}.
  Status CheckFeatureRotation(const Context& ctx,
                              const google::protobuf::RepeatedPtrField<v1::FeaturePresenter>& in,
                              google::protobuf::RepeatedPtrField<v1::FeaturePresenter>* out) const;
  Result<const v1::Meeting*> FindMeeting(std::string_view field, std::string_view name) const;
  // The substitute `member` registered ahead for `date` ("YYYY-MM-DD"), or nullptr.
  const v1::ExpectedSubstitute* ExpectedSubstitute(std::string_view date,
                                                   std::string_view member) const;
  // A visitor, invited or come (chapter_visitors.cc); errors as FindMeeting's.
  // A visitor's own fields as sent (display_name and business 1..100, optional email and
  // phone), checked and trimmed, errors naming visitor.{field}; the rest of `in` is not copied.
  static Result<v1::Visitor> CheckVisitorFields(const v1::Visitor& in);
  Result<const v1::Visitor*> FindVisitor(std::string_view field, std::string_view name) const;
  // The visitor invited ahead to `meeting` under `display_name` (ignoring case) and not come,
  // or nullptr.
  const v1::Visitor* Invitation(std::string_view meeting, std::string_view display_name) const;
  // A new member from `in` (display_name, business, category, role, email, phone) checked as
  // DecideCreateMember checks them, errors naming "{prefix}{field}" (chapter_roster.cc):
  // normalized, not yet named.
  Result<v1::Member> CheckNewMember(const v1::Member& in, std::string_view prefix) const;
  Result<const v1::Referral*> FindReferral(std::string_view field, std::string_view name) const;
  // The active member holding `category` (compared case-insensitively), or nullptr.
  const v1::Member* CategoryHolder(std::string_view category) const;

  // Who may get access tokens again (chapter_access.cc); `what` names the token in the message.
  Status CheckCanGetTokens(const Principal& principal, std::string_view what) const;

  // The member who speaks after `speaker` in a segment titled `title` of `meeting`: see
  // Segment.next_speaker in resources.proto. Empty when none (chapter_meetings.cc).
  std::string NextSpeaker(const v1::Meeting& meeting, std::string_view speaker,
                          std::string_view title) const;

  // Whether a change to a record of `meeting` is a correction (chapter_meetings.cc): false
  // before its PALMS is submitted; after, true for an organizer and FAILED_PRECONDITION
  // (PALMS_SUBMITTED) for anyone else. A CANCELLED meeting takes no records
  // (MEETING_CANCELLED). `field` names the meeting in the errors.
  Result<bool> IsCorrection(const Principal& principal, const v1::Meeting& meeting,
                            std::string_view field) const;

  // When a record happened: what ResolveOccurred found (chapter_occurred.cc).
  struct Occurrence {
    // When it happened; unset when nothing dates it (it happened when it is recorded).
    std::optional<TimePoint> time;
    // The meeting it counts in: the one named, or the meeting whose week holds the date.
    const v1::Meeting* meeting = nullptr;
    // An organizer's record into a meeting whose PALMS was submitted (IsCorrection).
    bool correction = false;
  };
  // Checks when a record of `member` happened (resources.proto's Occurred; docs/organizers.md,
  // "Recording later"). `pinned` is the meeting the record itself names ("" if none: a
  // referral's referral.meeting, a visitor's meeting), in field `pinned_field`; unset
  // `occurred` with a pinned meeting is that meeting. The rules, each its own error:
  //   - occurred.date "YYYY-MM-DD", a real day (INVALID_ARGUMENT, DATE_INVALID); a meeting that
  //     exists (INVALID_ARGUMENT malformed, NOT_FOUND unknown);
  //   - its day (the date, or the meeting's start, in the chapter's time zone) not after today
  //     (INVALID_ARGUMENT, OCCURRED_IN_FUTURE);
  //   - not more than kMaxOccurredWeeksBack weeks before today, unless an organizer records it
  //     (FAILED_PRECONDITION, OCCURRED_TOO_LONG_AGO);
  //   - not before the day `member` joined, for anyone (FAILED_PRECONDITION,
  //     OCCURRED_BEFORE_JOINING);
  //   - a pinned meeting the same as the one occurred names or whose week holds its date
  //     (INVALID_ARGUMENT, OCCURRED_OTHER_MEETING);
  //   - the meeting not cancelled, and after its PALMS was submitted only an organizer's
  //     correction (IsCorrection).
  // A date counts from 00:00 of that day in the chapter's time zone; a meeting at its start.
  Result<Occurrence> ResolveOccurred(const Context& ctx, const v1::Occurred& occurred,
                                     std::string_view member, std::string_view pinned = "",
                                     std::string_view pinned_field = "") const;
  // A meeting's week: the day it starts and the six days after it, in the chapter's time zone.
  bool InWeekOf(const TimeZones& zones, const v1::Meeting& meeting,
                std::chrono::sys_days day) const;
  // The meeting whose week holds `day`: the last one not cancelled; nullptr when none.
  const v1::Meeting* MeetingOfDay(const TimeZones& zones, std::chrono::sys_days day) const;
  // The day (in the chapter's time zone) of instant `t`.
  std::chrono::sys_days ChapterDay(const TimeZones& zones, TimePoint t) const;
  // Puts `occurrence` in `event`: occurred_time when it is not event.time, occurred_meeting,
  // and the correction mark.
  static void Stamp(const Occurrence& occurrence, v1::Event* event);

  // A new event with seq last_seq()+offset and the common fields filled in.
  v1::Event NewEvent(const Context& ctx, int64_t offset, std::string_view on_behalf_of) const;

  // Apply, per payload (chapter_apply.cc).
  void ApplyChapterUpdated(const v1::ChapterUpdated& e);
  void ApplyMemberAdded(const v1::MemberAdded& e);
  void ApplyMemberUpdated(const v1::MemberUpdated& e);
  void ApplyMemberLeft(const v1::Event& event);
  void ApplyAttendance(const std::string& meeting, const v1::Attendance& attendance);
  void ApplySubstituteRegistered(const v1::SubstituteRegistered& e);
  // Chapter.expected_substitutes of `day` ("YYYY-MM-DD") drop out: its meeting closed.
  void DropExpectedSubstitutes(std::string_view day);
  void CountCorrection(const std::string& meeting);
  // A record's event marked a correction counts in its occurred_meeting, else in `meeting`.
  void CountRecordCorrection(const v1::Event& event, const std::string& meeting);

  v1::Chapter info_;
  int64_t last_seq_ = 0;
  int64_t display_token_generation_ = 0;
  // Keyed by resource name; ordered maps keep iteration deterministic.
  std::map<std::string, v1::Member, std::less<>> members_;
  std::map<std::string, v1::Meeting, std::less<>> meetings_;
  std::map<std::string, v1::Referral, std::less<>> referrals_;
  std::map<std::string, v1::ThankYou, std::less<>> thank_yous_;
  std::map<std::string, v1::OneToOne, std::less<>> one_to_ones_;
  std::map<std::string, v1::Education, std::less<>> education_;
  std::map<std::string, v1::Testimonial, std::less<>> testimonials_;
  std::map<std::string, v1::ChapterPlugin, std::less<>> plugins_;
  // Lower-cased category -> active member name.
  std::map<std::string, std::string, std::less<>> category_owner_;
  std::vector<v1::PalmsSummaryImported> palms_summaries_;
  std::set<std::string, std::less<>> imports_;
  std::map<std::string, v1::Visitor, std::less<>> invitations_;
};

}  // namespace reciproca::domain
