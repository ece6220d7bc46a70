#pragma once

// The localized messages of errors: one catalog per language (server/domain/messages/<tag>.json,
// compiled in), each mapping an error reason (server/domain/error_reasons.h) to an ICU
// MessageFormat pattern over the error's parameters ("La temperatura deve essere tra 1 e 5,
// non {value}."). Adding a language is adding a file: no code changes (docs/errors.md).

#include <array>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reciproca::domain {

// A compiled-in file (cmake/EmbedWebAssets.cmake).
struct Asset {
  std::string_view path;  // "/it.json"
  std::string_view content_type;
  std::string_view body;
};
std::span<const Asset> CatalogFiles();

// Texts the server words itself, not errors (its reminders): the catalogs hold them beside the
// error reasons, under these keys.
inline constexpr std::string_view kReminderAbsenceAlert = "REMINDER_ABSENCE_ALERT";
// Web Push notifications (server/push/notification.cc): a title and a body per kind.
inline constexpr std::string_view kPushReferralTitle = "PUSH_REFERRAL_TITLE";
inline constexpr std::string_view kPushReferralBody = "PUSH_REFERRAL_BODY";
inline constexpr std::string_view kPushThankedTitle = "PUSH_THANKED_TITLE";
inline constexpr std::string_view kPushThankedBody = "PUSH_THANKED_BODY";
inline constexpr std::string_view kPushNotContactedTitle = "PUSH_NOT_CONTACTED_TITLE";
inline constexpr std::string_view kPushVisitorFollowedUpTitle = "PUSH_VISITOR_FOLLOWED_UP_TITLE";
inline constexpr std::string_view kPushVisitorFollowedUpBody = "PUSH_VISITOR_FOLLOWED_UP_BODY";
inline constexpr std::string_view kPushMeetingSoonTitle = "PUSH_MEETING_SOON_TITLE";
inline constexpr std::string_view kPushMeetingSoonBody = "PUSH_MEETING_SOON_BODY";
inline constexpr std::string_view kReminderVisitorFollowUp = "REMINDER_VISITOR_FOLLOW_UP";
inline constexpr std::string_view kReminderVisitorTomorrow = "REMINDER_VISITOR_TOMORROW";
inline constexpr std::array kAllTexts = {
    kReminderAbsenceAlert,      kReminderVisitorFollowUp, kReminderVisitorTomorrow,
    kPushReferralTitle,         kPushReferralBody,        kPushThankedTitle,
    kPushThankedBody,           kPushNotContactedTitle,   kPushVisitorFollowedUpTitle,
    kPushVisitorFollowedUpBody, kPushMeetingSoonTitle,    kPushMeetingSoonBody};

class MessageCatalogs {
 public:
  // The compiled-in catalogs, parsed once.
  static const MessageCatalogs& Get();

  // The language tags there is a catalog for, "en" first.
  const std::vector<std::string>& languages() const { return languages_; }
  // The best of languages() for an Accept-Language value ("it-IT,it;q=0.9,en;q=0.5") or a plain
  // tag ("es-AR"); "" when none of them fits.
  std::string Negotiate(std::string_view accept_language) const;
  // The message of `reason` in `language` (one of languages()), its pattern formatted with
  // `params` by ICU; the English pattern when the language lacks the reason, and `fallback` when
  // no catalog has it. Plural and number rules are the language's (ICU).
  std::string Format(std::string_view language, std::string_view reason,
                     const std::map<std::string, std::string>& params,
                     std::string_view fallback) const;
  // The reasons `language` has a message for.
  std::vector<std::string> Reasons(std::string_view language) const;
  // The pattern of `reason` in `language`, or nullptr.
  const std::string* Pattern(std::string_view language, std::string_view reason) const;

 private:
  MessageCatalogs();

  std::vector<std::string> languages_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> patterns_;
};

}  // namespace reciproca::domain
