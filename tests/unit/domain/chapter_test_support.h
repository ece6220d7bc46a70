#pragma once

// A chapter under test, built only through Decide* + Apply, with a controllable clock.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/domain/chapter.h"
#include "server/domain/principal.h"
#include "server/domain/result.h"
#include "server/domain/time_zones.h"

namespace reciproca::domain::testing {

inline const char* CodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case ErrorCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "?";
}

// Success when `r` is an error with `code` whose message contains every one of `needles`.
template <class R>
::testing::AssertionResult IsError(const R& r, ErrorCode code,
                                   std::vector<std::string_view> needles = {}) {
  if (r.ok()) {
    return ::testing::AssertionFailure() << "expected " << CodeName(code) << ", got OK";
  }
  if (r.error().code != code) {
    return ::testing::AssertionFailure() << "expected " << CodeName(code) << ", got "
                                         << CodeName(r.error().code) << ": " << r.error().message;
  }
  for (std::string_view needle : needles) {
    if (r.error().message.find(needle) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message \"" << r.error().message << "\" does not contain \"" << needle << "\"";
    }
  }
  return ::testing::AssertionSuccess();
}

// The time zone database of the tests: a fixed list, so the domain's tests read no files.
// Offsets: UTC 0; Europe/Rome +1 h and Europe/London 0, each one hour more in European summer
// time (from the last Sunday of March to the last Sunday of October, 01:00 UTC);
// America/New_York -5 h all year (no test dates a record there).
class ListedTimeZones : public TimeZones {
 public:
  bool Exists(std::string_view name) const override {
    return std::find(std::begin(kZones), std::end(kZones), name) != std::end(kZones);
  }

  std::optional<std::chrono::seconds> UtcOffset(
      std::string_view name, std::chrono::system_clock::time_point at) const override {
    using std::chrono::hours;
    if (!Exists(name)) {
      return std::nullopt;
    }
    if (name == "UTC") {
      return hours(0);
    }
    if (name == "America/New_York") {
      return hours(-5);
    }
    const hours standard(name == "Europe/Rome" ? 1 : 0);
    return IsEuropeanSummer(at) ? standard + hours(1) : standard;
  }

 private:
  static constexpr std::string_view kZones[] = {"UTC", "Europe/Rome", "Europe/London",
                                                "America/New_York"};

  static bool IsEuropeanSummer(std::chrono::system_clock::time_point at) {
    using namespace std::chrono;
    const year y = year_month_day(floor<days>(at)).year();
    auto last_sunday_1am = [y](month m) {
      return sys_days(year_month_weekday_last(y, m, weekday_last(Sunday))) + hours(1);
    };
    return at >= last_sunday_1am(March) && at < last_sunday_1am(October);
  }
};

inline const TimeZones& Zones() {
  static const ListedTimeZones zones;
  return zones;
}

inline TimePoint At(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

// 2023-11-14T22:13:20Z.
constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kWeek = 7 * 86400;

class ChapterTest : public ::testing::Test {
 protected:
  static constexpr const char* kChapter = "chapters/rome";

  void SetUp() override {
    v1::CreateChapterRequest request;
    request.mutable_chapter()->set_display_name("Rome Centro Breakfast");
    request.mutable_chapter()->set_meeting_weekday(v1::WEEKDAY_TUESDAY);
    request.mutable_chapter()->set_meeting_time("07:00");
    request.mutable_chapter()->set_time_zone("Europe/Rome");
    ApplyAll(Chapter::DecideCreate(Admin(), request, "rome", false));
  }

  Context Admin() const { return {Principal{Principal::Kind::kAdmin, "", ""}, now_, Zones()}; }
  Context Display() const {
    return {Principal{Principal::Kind::kDisplay, kChapter, ""}, now_, Zones()};
  }
  Context As(const std::string& member) const {
    return {Principal{Principal::Kind::kMember, kChapter, member}, now_, Zones()};
  }

  // Applies the events of a successful decision, in order; fails the test otherwise.
  Events ApplyAll(const Result<Events>& result) {
    EXPECT_TRUE(result.ok()) << result.error().message;
    if (!result.ok()) {
      return {};
    }
    for (const v1::Event& event : *result) {
      chapter_.Apply(event);
      log_.push_back(event);
    }
    return *result;
  }

  std::string AddMember(const std::string& display_name, const std::string& category,
                        v1::Role role = v1::ROLE_MEMBER) {
    v1::CreateMemberRequest request;
    request.set_parent(kChapter);
    v1::Member* m = request.mutable_member();
    m->set_display_name(display_name);
    m->set_business(display_name + " Ltd");
    m->set_category(category);
    m->set_role(role);
    Events events = ApplyAll(chapter_.DecideCreateMember(Admin(), request));
    return events.empty() ? "" : events[0].member_added().member().name();
  }

  void RemoveMember(const std::string& name) {
    v1::RemoveMemberRequest request;
    request.set_name(name);
    ApplyAll(chapter_.DecideRemoveMember(Admin(), request));
  }

  std::string ScheduleMeeting(int64_t start_seconds) {
    v1::ScheduleMeetingRequest request;
    request.set_parent(kChapter);
    request.mutable_start_time()->set_seconds(start_seconds);
    Events events = ApplyAll(chapter_.DecideScheduleMeeting(Admin(), request));
    return events.empty() ? "" : events[0].meeting_scheduled().meeting();
  }

  void OpenMeeting(const std::string& meeting) {
    v1::OpenMeetingRequest request;
    request.set_name(meeting);
    ApplyAll(chapter_.DecideOpenMeeting(Admin(), request));
  }

  void CloseMeeting(const std::string& meeting) {
    v1::CloseMeetingRequest request;
    request.set_name(meeting);
    ApplyAll(chapter_.DecideCloseMeeting(Admin(), request));
  }

  std::string GiveReferral(const std::string& giver, const std::string& receiver,
                           int temperature = 3) {
    v1::GiveReferralRequest request;
    request.set_parent(kChapter);
    request.mutable_referral()->set_receiver(receiver);
    request.mutable_referral()->set_temperature(temperature);
    Events events = ApplyAll(chapter_.DecideGiveReferral(As(giver), request));
    return events.empty() ? "" : events[0].referral_given().referral().name();
  }

  void ThankYou(const std::string& from, const std::string& to, const std::string& amount,
                const std::string& currency) {
    v1::RecordThankYouRequest request;
    request.mutable_thank_you()->set_to_member(to);
    request.mutable_thank_you()->mutable_amount()->set_amount(amount);
    request.mutable_thank_you()->mutable_amount()->set_currency(currency);
    ApplyAll(chapter_.DecideRecordThankYou(As(from), request));
  }

  void SetReferralStatus(const std::string& receiver, const std::string& referral,
                         v1::ReferralStatus status) {
    v1::UpdateReferralStatusRequest request;
    request.set_name(referral);
    request.set_status(status);
    ApplyAll(chapter_.DecideUpdateReferralStatus(As(receiver), request));
  }

  Chapter chapter_;
  TimePoint now_ = At(kNow);
  // Every event applied, in order: for replay tests.
  Events log_;
};

// A chapter with a president (organizer), two ordinary members and a vice-president.
class RosterChapterTest : public ChapterTest {
 protected:
  void SetUp() override {
    ChapterTest::SetUp();
    president_ = AddMember("Paola Presidente", "Lawyer", v1::ROLE_PRESIDENT);
    ana_ = AddMember("Ana Rossi", "Accountant");
    bruno_ = AddMember("Bruno Bianchi", "Plumber");
    carla_ = AddMember("Carla Verdi", "Florist");
  }

  std::string president_;
  std::string ana_;
  std::string bruno_;
  std::string carla_;
};

}  // namespace reciproca::domain::testing
