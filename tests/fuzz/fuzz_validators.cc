// The domain's field checks (server/domain/validation.h, names.h, money.h) on arbitrary bytes.
// The first byte picks the check, the rest is the value. Besides "no crash, no UB", each check's
// promise is asserted: accepted text is valid UTF-8, NFC and accepted again unchanged; a message
// quotes bytes only as printable ASCII; an accepted amount prints back to the same cents; an
// accepted name is well-formed and of its chapter; messages are printable ASCII (values appear
// only through Quoted()).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/domain/money.h"
#include "server/domain/names.h"
#include "server/domain/validation.h"

namespace {

using namespace reciproca;
using namespace reciproca::domain;

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz_validators: broken promise: %s\n", what);
    std::abort();
  }
}

bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

// Every valid zone syntax exists: the checks below are about syntax and length.
class AnyZone : public TimeZones {
 public:
  bool Exists(std::string_view) const override { return true; }
  std::optional<std::chrono::seconds> UtcOffset(
      std::string_view, std::chrono::system_clock::time_point) const override {
    return std::chrono::seconds(0);
  }
};

void CheckTextPromise(const Result<std::string>& checked, bool multiline, int64_t min,
                      int64_t max) {
  if (!checked.ok()) {
    Require(checked.error().code == ErrorCode::kInvalidArgument,
            "text refused as INVALID_ARGUMENT");
    Require(checked.error().message.rfind("field", 0) == 0, "text message names the field");
    Require(PrintableAscii(checked.error().message), "a text message is printable ASCII");
    return;
  }
  const std::string& stored = checked.value();
  const int64_t points = CodePointCount(stored);
  Require(points <= max && (points >= min || stored.empty()), "stored text within its bounds");
  const auto again = multiline ? CheckMultilineText("field", stored, min, max)
                               : CheckText("field", stored, min, max);
  Require(again.ok() && again.value() == stored, "stored text is accepted again unchanged");
}

NameKind KindOf(uint8_t b) { return static_cast<NameKind>(b % 8); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  static const AnyZone zones;
  const uint8_t selector = data[0];
  const std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (selector % 12) {
    case 0:
      CheckTextPromise(CheckText("field", value, selector & 0x10 ? 0 : 1, 100), false, 0, 100);
      break;
    case 1:
      CheckTextPromise(CheckMultilineText("field", value, 0, 2000), true, 0, 2000);
      break;
    case 2: {
      const std::string quoted = Quoted(value);
      Require(PrintableAscii(quoted), "Quoted() is printable ASCII");
      break;
    }
    case 3: {
      auto email = CheckOptionalEmail("field", value);
      if (email.ok()) {
        Require(email.value().size() <= 254, "an e-mail address is at most 254 characters");
        Require(CheckOptionalEmail("field", email.value()).ok(), "a stored e-mail is accepted");
      } else {
        Require(PrintableAscii(email.error().message), "an e-mail message is printable ASCII");
      }
      auto phone = CheckOptionalPhone("field", value);
      if (phone.ok()) {
        Require(CheckOptionalPhone("field", phone.value()).ok(), "a stored phone is accepted");
      }
      break;
    }
    case 4:
      (void)IsValidTimeOfDay(value);
      (void)IsValidDate(value);
      break;
    case 5: {
      const bool syntax = IsValidTimeZoneSyntax(value);
      auto zone = CheckOptionalTimeZone("field", value, zones);
      Require(!zone.ok() || zone.value().empty() || IsValidTimeZoneSyntax(zone.value()),
              "an accepted zone has the IANA syntax");
      Require(!syntax || value.size() <= kMaxTimeZoneLength, "a zone is at most 64 characters");
      break;
    }
    case 6: {
      (void)IsIsoCurrency(value);
      (void)CheckCurrency("field", value);
      auto cents = ParseAmountCents("field", value);
      if (cents.ok()) {
        Require(cents.value() > 0, "an accepted amount is positive");
        auto back = ParseAmountCents("field", sdk::FormatCents(cents.value()));
        Require(back.ok() && back.value() == cents.value(), "an amount prints back to its cents");
      }
      break;
    }
    case 7: {
      const bool ok = IsValidChapterId(value);
      Require(ok == CheckChapterId("field", value).ok(), "IsValidChapterId agrees with the check");
      if (ok) {
        Require(
            IsWellFormed(NameKind::kMember, ChildName(ChapterName(value), NameKind::kMember, 1)),
            "a child name of a valid chapter is well-formed");
      }
      break;
    }
    case 8: {
      const NameKind kind = KindOf(selector >> 4);
      const bool formed = IsWellFormed(kind, value);
      if (formed) {
        const std::string chapter(ChapterOf(value));
        Require(CheckName("field", value, kind, chapter).ok(), "a well-formed name is accepted");
        if (kind == NameKind::kVisitor) {
          (void)MeetingOfVisitor(value);
        }
      }
      (void)CheckName("field", value, kind, "chapters/fuzz");
      (void)NumericId(value);
      break;
    }
    case 9: {
      const size_t half = value.size() / 2;
      const std::string_view a = value.substr(0, half);
      const std::string_view b = value.substr(half);
      Require(!(IdOrderLess(a, b) && IdOrderLess(b, a)), "IdOrderLess is asymmetric");
      Require(!IdOrderLess(a, a), "IdOrderLess is irreflexive");
      break;
    }
    case 10: {
      (void)Trim(value);
      (void)AsciiLower(value);
      Require(CodePointCount(value) <= static_cast<int64_t>(value.size()),
              "no more code points than bytes");
      break;
    }
    case 11:
      CheckTextPromise(CheckText("field", value, 0, 40), false, 0, 40);
      break;
  }
  return 0;
}
