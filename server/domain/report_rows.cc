#include "server/domain/report_rows.h"

#include "server/domain/money.h"
#include "server/domain/names.h"

namespace reciproca::domain {

void AddMoney(const std::map<std::string, int64_t>& cents,
              google::protobuf::RepeatedPtrField<v1::Money>* out) {
  for (const auto& [currency, amount] : cents) {  // std::map: currencies come out sorted
    v1::Money* money = out->Add();
    money->set_currency(currency);
    money->set_amount(sdk::FormatCents(amount));
  }
}

std::tuple<bool, std::string, int64_t, std::string> ReportOrderKey(v1::MemberState state,
                                                                   std::string_view display_name,
                                                                   std::string_view member) {
  return {state != v1::MEMBER_STATE_ACTIVE, AsciiLower(display_name), NumericId(member),
          std::string(member)};
}

}  // namespace reciproca::domain
