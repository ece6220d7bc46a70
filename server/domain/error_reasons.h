#pragma once

// The stable reasons of errors (google.rpc.ErrorInfo.reason, domain kErrorDomain): what a
// program tells apart without reading the message, and what picks an error's localized message
// in the catalogs (server/api/messages/*.json; docs/errors.md). A reason, once published, keeps
// its meaning: add new ones, never reuse one.
//
// An error raised without a reason gets the one of its code (the kFor* below).

#include <array>
#include <string_view>

namespace reciproca::domain {

inline constexpr std::string_view kErrorDomain = "reciproca";

// Authentication and authorization.
inline constexpr std::string_view kTokenMissing = "TOKEN_MISSING";
inline constexpr std::string_view kTokenUnknown = "TOKEN_UNKNOWN";
inline constexpr std::string_view kOrganizersOnly = "ORGANIZERS_ONLY";
inline constexpr std::string_view kOtherChapter = "OTHER_CHAPTER";
inline constexpr std::string_view kReceiverOnly = "RECEIVER_ONLY";
// Referrals and thank-yous.
inline constexpr std::string_view kSelfReferral = "SELF_REFERRAL";
inline constexpr std::string_view kThankYouSelf = "THANK_YOU_SELF";
inline constexpr std::string_view kTemperatureOutOfRange = "TEMPERATURE_OUT_OF_RANGE";
inline constexpr std::string_view kContactRequired = "CONTACT_REQUIRED";
inline constexpr std::string_view kInvalidEmail = "INVALID_EMAIL";
inline constexpr std::string_view kAmountNotPositive = "AMOUNT_NOT_POSITIVE";
inline constexpr std::string_view kUnknownCurrency = "UNKNOWN_CURRENCY";
inline constexpr std::string_view kReferralStatusMove = "REFERRAL_STATUS_MOVE";
// Fields in general (validation.h: Required, NotBetween, Unknown).
inline constexpr std::string_view kFieldRequired = "FIELD_REQUIRED";
inline constexpr std::string_view kNumberNotBetween = "NUMBER_NOT_BETWEEN";
inline constexpr std::string_view kResourceNotFound = "RESOURCE_NOT_FOUND";
// Text fields.
inline constexpr std::string_view kTextLength = "TEXT_LENGTH";
// Lists and retries.
inline constexpr std::string_view kPageSizeNegative = "PAGE_SIZE_NEGATIVE";
inline constexpr std::string_view kPageTokenInvalid = "PAGE_TOKEN_INVALID";
inline constexpr std::string_view kRequestIdReused = "REQUEST_ID_REUSED";
// Roster and chapters.
inline constexpr std::string_view kCategoryTaken = "CATEGORY_TAKEN";
inline constexpr std::string_view kChapterIdTaken = "CHAPTER_ID_TAKEN";
inline constexpr std::string_view kMemberLeft = "MEMBER_LEFT";
inline constexpr std::string_view kLanguageTagInvalid = "LANGUAGE_TAG_INVALID";
// The feature-presentation rotation (Chapter.feature_rotation): a new entry's day is before
// today, too many weeks ahead, or already another entry's.
inline constexpr std::string_view kRotationDatePast = "ROTATION_DATE_PAST";
inline constexpr std::string_view kRotationDateTooFar = "ROTATION_DATE_TOO_FAR";
inline constexpr std::string_view kRotationDateTaken = "ROTATION_DATE_TAKEN";
// Substitutes registered ahead (RegisterSubstitute): the day has passed or is too far ahead,
// nothing to withdraw, the chapter's list is full, the day's meeting is closed or cancelled.
inline constexpr std::string_view kSubstituteDatePast = "SUBSTITUTE_DATE_PAST";
inline constexpr std::string_view kSubstituteDateTooFar = "SUBSTITUTE_DATE_TOO_FAR";
inline constexpr std::string_view kSubstituteNone = "SUBSTITUTE_NONE";
inline constexpr std::string_view kSubstitutesFull = "SUBSTITUTES_FULL";
inline constexpr std::string_view kSubstituteMeetingDone = "SUBSTITUTE_MEETING_DONE";
// Meetings.
inline constexpr std::string_view kMeetingNotOpen = "MEETING_NOT_OPEN";
inline constexpr std::string_view kMeetingAlreadyClosed = "MEETING_ALREADY_CLOSED";
inline constexpr std::string_view kMeetingCancelled = "MEETING_CANCELLED";
inline constexpr std::string_view kMeetingNotCancellable = "MEETING_NOT_CANCELLABLE";
inline constexpr std::string_view kMeetingNotClosed = "MEETING_NOT_CLOSED";
inline constexpr std::string_view kPalmsSubmitted = "PALMS_SUBMITTED";
inline constexpr std::string_view kPalmsAlreadySubmitted = "PALMS_ALREADY_SUBMITTED";
// The visitors' pipeline (chapter_visitors.cc): a move the pipeline does not allow (from, to),
// an invitation for a day before today or with no meeting on or after it, the same visitor
// invited twice to one meeting.
inline constexpr std::string_view kVisitorStateMove = "VISITOR_STATE_MOVE";
inline constexpr std::string_view kVisitorDatePast = "VISITOR_DATE_PAST";
inline constexpr std::string_view kNoMeetingAfterDate = "NO_MEETING_AFTER_DATE";
inline constexpr std::string_view kVisitorAlreadyInvited = "VISITOR_ALREADY_INVITED";
// When a record happened (Occurred; server/domain/occurred.h).
inline constexpr std::string_view kDateInvalid = "DATE_INVALID";
inline constexpr std::string_view kOccurredInFuture = "OCCURRED_IN_FUTURE";
inline constexpr std::string_view kOccurredTooLongAgo = "OCCURRED_TOO_LONG_AGO";
inline constexpr std::string_view kOccurredBeforeJoining = "OCCURRED_BEFORE_JOINING";
inline constexpr std::string_view kOccurredOtherMeeting = "OCCURRED_OTHER_MEETING";
inline constexpr std::string_view kOccurredOtherDate = "OCCURRED_OTHER_DATE";
// The event stream.
inline constexpr std::string_view kAfterSeqBeyondEnd = "AFTER_SEQ_BEYOND_END";
// Reports.
inline constexpr std::string_view kExportTooLarge = "EXPORT_TOO_LARGE";
// Importing other tools' files (import_csv.h, docs/import.md): a rejected line, or the file.
inline constexpr std::string_view kImportNotUtf8 = "IMPORT_NOT_UTF8";
inline constexpr std::string_view kImportUnterminatedQuote = "IMPORT_UNTERMINATED_QUOTE";
inline constexpr std::string_view kImportEmpty = "IMPORT_EMPTY";
inline constexpr std::string_view kImportColumnMissing = "IMPORT_COLUMN_MISSING";
inline constexpr std::string_view kImportColumnCount = "IMPORT_COLUMN_COUNT";
inline constexpr std::string_view kImportNotANumber = "IMPORT_NOT_A_NUMBER";
inline constexpr std::string_view kImportBadDate = "IMPORT_BAD_DATE";
inline constexpr std::string_view kImportPeriodMissing = "IMPORT_PERIOD_MISSING";
inline constexpr std::string_view kImportPeriodReversed = "IMPORT_PERIOD_REVERSED";
inline constexpr std::string_view kImportPeriodInFuture = "IMPORT_PERIOD_IN_FUTURE";
inline constexpr std::string_view kImportDateInFuture = "IMPORT_DATE_IN_FUTURE";
inline constexpr std::string_view kImportDateTooOld = "IMPORT_DATE_TOO_OLD";
inline constexpr std::string_view kImportBadValue = "IMPORT_BAD_VALUE";
inline constexpr std::string_view kImportMemberUnmatched = "IMPORT_MEMBER_UNMATCHED";
inline constexpr std::string_view kImportMemberAmbiguous = "IMPORT_MEMBER_AMBIGUOUS";
// A visitor's day in no week of the chapter's meetings (param date).
inline constexpr std::string_view kImportNoMeeting = "IMPORT_NO_MEETING";
// A record dated before its member joined, with what the file can do (OCCURRED_BEFORE_JOINING's
// params and line).
inline constexpr std::string_view kImportBeforeJoining = "IMPORT_BEFORE_JOINING";
// The server's limits on one file (params bytes/lines and max).
inline constexpr std::string_view kImportTooLarge = "IMPORT_TOO_LARGE";
inline constexpr std::string_view kImportTooManyLines = "IMPORT_TOO_MANY_LINES";
// Plugins: its create() refused the configuration (metadata plugin, problem: the plugin's words).
inline constexpr std::string_view kPluginConfigRefused = "PLUGIN_CONFIG_REFUSED";
// Web Push (docs/push.md): the endpoint is not an https URL of at most 1024 characters (param
// field); the p256dh or auth key is not what a browser gives (param field); only members
// subscribe (the admin and the display have no phone to notify).
inline constexpr std::string_view kPushEndpointInvalid = "PUSH_ENDPOINT_INVALID";
inline constexpr std::string_view kPushKeyInvalid = "PUSH_KEY_INVALID";
inline constexpr std::string_view kPushMembersOnly = "PUSH_MEMBERS_ONLY";

// The reasons of errors raised without one, by code.
inline constexpr std::string_view kForInvalidArgument = "INVALID_FIELD";
inline constexpr std::string_view kForNotFound = "NOT_FOUND";
inline constexpr std::string_view kForAlreadyExists = "ALREADY_EXISTS";
inline constexpr std::string_view kForPermissionDenied = "PERMISSION_DENIED";
inline constexpr std::string_view kForUnauthenticated = "UNAUTHENTICATED";
inline constexpr std::string_view kForFailedPrecondition = "FAILED_PRECONDITION";
inline constexpr std::string_view kForOutOfRange = "OUT_OF_RANGE";
inline constexpr std::string_view kForUnavailable = "UNAVAILABLE";
inline constexpr std::string_view kForResourceExhausted = "RESOURCE_EXHAUSTED";
inline constexpr std::string_view kForInternal = "INTERNAL";
inline constexpr std::string_view kForOther = "UNKNOWN";

// Every reason above: each has a message in every catalog (tests/unit/api).
inline constexpr std::array kAllReasons = {kTokenMissing,
                                           kTokenUnknown,
                                           kOrganizersOnly,
                                           kOtherChapter,
                                           kReceiverOnly,
                                           kSelfReferral,
                                           kTemperatureOutOfRange,
                                           kContactRequired,
                                           kInvalidEmail,
                                           kAmountNotPositive,
                                           kUnknownCurrency,
                                           kReferralStatusMove,
                                           kFieldRequired,
                                           kNumberNotBetween,
                                           kResourceNotFound,
                                           kTextLength,
                                           kPageSizeNegative,
                                           kPageTokenInvalid,
                                           kRequestIdReused,
                                           kCategoryTaken,
                                           kChapterIdTaken,
                                           kMemberLeft,
                                           kLanguageTagInvalid,
                                           kRotationDatePast,
                                           kRotationDateTooFar,
                                           kRotationDateTaken,
                                           kSubstituteDatePast,
                                           kSubstituteDateTooFar,
                                           kSubstituteNone,
                                           kSubstitutesFull,
                                           kSubstituteMeetingDone,
                                           kMeetingNotOpen,
                                           kMeetingAlreadyClosed,
                                           kMeetingCancelled,
                                           kMeetingNotCancellable,
                                           kMeetingNotClosed,
                                           kPalmsSubmitted,
                                           kPalmsAlreadySubmitted,
                                           kVisitorStateMove,
                                           kVisitorDatePast,
                                           kNoMeetingAfterDate,
                                           kVisitorAlreadyInvited,
                                           kDateInvalid,
                                           kOccurredInFuture,
                                           kOccurredTooLongAgo,
                                           kOccurredBeforeJoining,
                                           kOccurredOtherMeeting,
                                           kOccurredOtherDate,
                                           kAfterSeqBeyondEnd,
                                           kExportTooLarge,
                                           kPluginConfigRefused,
                                           kImportNotUtf8,
                                           kImportUnterminatedQuote,
                                           kImportEmpty,
                                           kImportColumnMissing,
                                           kImportColumnCount,
                                           kImportNotANumber,
                                           kImportBadDate,
                                           kImportPeriodMissing,
                                           kImportPeriodReversed,
                                           kImportPeriodInFuture,
                                           kImportDateInFuture,
                                           kImportDateTooOld,
                                           kImportBadValue,
                                           kImportMemberUnmatched,
                                           kImportMemberAmbiguous,
                                           kImportNoMeeting,
                                           kImportBeforeJoining,
                                           kThankYouSelf,
                                           kImportTooLarge,
                                           kImportTooManyLines,
                                           kPushEndpointInvalid,
                                           kPushKeyInvalid,
                                           kPushMembersOnly,
                                           kForInvalidArgument,
                                           kForNotFound,
                                           kForAlreadyExists,
                                           kForPermissionDenied,
                                           kForUnauthenticated,
                                           kForFailedPrecondition,
                                           kForOutOfRange,
                                           kForUnavailable,
                                           kForResourceExhausted,
                                           kForInternal,
                                           kForOther};

}  // namespace reciproca::domain
