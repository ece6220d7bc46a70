// refer, referral status|get|list, thanks, one-to-one, ceu and testimonial: what members record
// for each other. The acting member is the token's; organizers may pass --on-behalf-of.

#include <iostream>

#include "client/cli/commands.h"
#include "client/cli/local_time.h"
#include "client/cli/output.h"
#include "client/cli/paging.h"

namespace reciproca::cli {
namespace {

// Resolves --on-behalf-of (when given) into the request's on_behalf_of.
template <typename Request>
void SetOnBehalfOf(Context& context, const ParsedArgs& args, Request* request) {
  if (args.Has("on-behalf-of")) {
    request->set_on_behalf_of(context.names().Member(args.Get("on-behalf-of")));
  }
}

int GiveReferral(Context& context, const ParsedArgs& args) {
  v1::GiveReferralRequest request;
  v1::Referral* referral = request.mutable_referral();
  referral->set_temperature(static_cast<int32_t>(args.GetInt("temperature", 0, -1000, 1000)));
  const bool contact =
      args.Has("contact-name") || args.Has("contact-phone") || args.Has("contact-email");
  if (args.Has("inside")) {
    if (contact) {
      throw UsageError("--inside takes no --contact-name / --contact-phone / --contact-email");
    }
    referral->set_kind(v1::REFERRAL_KIND_INSIDE);
  } else if (contact) {
    referral->set_kind(v1::REFERRAL_KIND_OUTSIDE);
    referral->set_contact_name(args.Get("contact-name"));
    referral->set_contact_phone(args.Get("contact-phone"));
    referral->set_contact_email(args.Get("contact-email"));
  } else {
    throw UsageError(
        "say who the customer is: --inside (you are), or --contact-name N with --contact-phone P "
        "or --contact-email E");
  }
  referral->set_note(args.Get("note"));
  // Names last: a short id may need WhoAmI, and usage mistakes should not wait for the server.
  referral->set_receiver(context.names().Member(args.Get("to")));
  if (args.Has("meeting")) {
    referral->set_meeting(context.names().Meeting(args.Get("meeting")));
  }
  SetOccurred(context, args, /*with_meeting=*/false, &request);
  SetOnBehalfOf(context, args, &request);
  request.set_parent(context.names().DefaultChapter());
  request.set_request_id(context.RequestId());
  v1::Referral given;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().GiveReferral(rpc, request, &given);
  });
  if (context.json()) {
    PrintJson(given);
  } else {
    std::cout << DescribeReferral(given, context.names());
  }
  return 0;
}

void PrintReferral(Context& context, const v1::Referral& referral) {
  if (context.json()) {
    PrintJson(referral);
  } else {
    std::cout << DescribeReferral(referral, context.names());
  }
}

int UpdateReferralStatus(Context& context, const ParsedArgs& args) {
  v1::UpdateReferralStatusRequest request;
  request.set_status(ParseEnumWord<v1::ReferralStatus>(args.Get("status"), "status"));
  request.set_name(context.names().Referral(args.Positional(0)));
  SetOnBehalfOf(context, args, &request);
  request.set_request_id(context.RequestId());
  v1::Referral referral;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().UpdateReferralStatus(rpc, request, &referral);
  });
  PrintReferral(context, referral);
  return 0;
}

int GetReferral(Context& context, const ParsedArgs& args) {
  v1::GetReferralRequest request;
  request.set_name(context.names().Referral(args.Positional(0)));
  v1::Referral referral;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().GetReferral(rpc, request, &referral);
  });
  PrintReferral(context, referral);
  return 0;
}

int ListReferrals(Context& context, const ParsedArgs& args) {
  v1::ListReferralsRequest request;
  Names& names = context.names();
  if (args.Has("status")) {
    request.set_status(ParseEnumWord<v1::ReferralStatus>(args.Get("status"), "status"));
  }
  const int64_t limit = args.GetInt("limit", 0, 1, 1000000);
  if (args.Has("giver")) {
    request.set_giver(names.Member(args.Get("giver")));
  }
  if (args.Has("receiver")) {
    request.set_receiver(names.Member(args.Get("receiver")));
  }
  if (args.Has("meeting")) {
    request.set_meeting(names.Meeting(args.Get("meeting")));
  }
  request.set_parent(names.DefaultChapter());
  request.set_page_size(static_cast<int32_t>(limit > 0 && limit < 1000 ? limit : 1000));
  v1::ListReferralsResponse all;
  ForEachPage<v1::ListReferralsResponse>(
      context, request,
      [&](grpc::ClientContext* rpc, const v1::ListReferralsRequest& page_request,
          v1::ListReferralsResponse* page) {
        return context.client().referrals().ListReferrals(rpc, page_request, page);
      },
      [&](const v1::ListReferralsResponse& page) {
        for (const v1::Referral& referral : page.referrals()) {
          if (limit == 0 || all.referrals_size() < limit) {
            *all.add_referrals() = referral;
          }
        }
        return limit == 0 || all.referrals_size() < limit;
      });
  if (context.json()) {
    PrintJson(all);
    return 0;
  }
  if (all.referrals().empty()) {
    std::cout << "no referrals\n";
  }
  for (const v1::Referral& referral : all.referrals()) {
    std::cout << referral.name() << ": " << names.DisplayName(referral.giver()) << " -> "
              << names.DisplayName(referral.receiver()) << ", temperature "
              << referral.temperature() << ", " << EnumWord(referral.kind()) << ", "
              << EnumWord(referral.status()) << ", " << FormatTime(referral.create_time()) << "\n";
  }
  return 0;
}

int RecordThankYou(Context& context, const ParsedArgs& args) {
  v1::RecordThankYouRequest request;
  v1::ThankYou* thank_you = request.mutable_thank_you();
  thank_you->set_to_member(context.names().Member(args.Get("to")));
  if (args.Has("referral")) {
    thank_you->set_referral(context.names().Referral(args.Get("referral")));
  }
  SetOnBehalfOf(context, args, &request);
  request.set_parent(context.names().DefaultChapter());
  thank_you->mutable_amount()->set_amount(args.Get("amount"));
  std::string currency = args.Get("currency");
  if (currency.empty()) {
    // Default to the chapter's currency.
    v1::GetChapterRequest get;
    get.set_name(request.parent());
    v1::Chapter chapter;
    context.Call([&](grpc::ClientContext* rpc) {
      return context.client().chapters().GetChapter(rpc, get, &chapter);
    });
    currency = chapter.currency();
  }
  thank_you->mutable_amount()->set_currency(currency);
  thank_you->set_business_type(args.Has("repeat") ? v1::BUSINESS_TYPE_REPEAT
                                                  : v1::BUSINESS_TYPE_NEW);
  thank_you->set_note(args.Get("note"));
  SetOccurred(context, args, /*with_meeting=*/true, &request);
  request.set_request_id(context.RequestId());
  v1::ThankYou recorded;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().RecordThankYou(rpc, request, &recorded);
  });
  if (context.json()) {
    PrintJson(recorded);
  } else {
    std::cout << DescribeThankYou(recorded, context.names());
  }
  return 0;
}

int RecordOneToOne(Context& context, const ParsedArgs& args) {
  v1::RecordOneToOneRequest request;
  v1::OneToOne* one_to_one = request.mutable_one_to_one();
  // The day they met is when it happened: the server sets one_to_one.date from it.
  SetOccurred(context, args, /*with_meeting=*/true, &request);
  one_to_one->set_with_member(context.names().Member(args.Get("with")));
  SetOnBehalfOf(context, args, &request);
  request.set_parent(context.names().DefaultChapter());
  one_to_one->set_note(args.Get("note"));
  request.set_request_id(context.RequestId());
  v1::OneToOne recorded;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().RecordOneToOne(rpc, request, &recorded);
  });
  if (context.json()) {
    PrintJson(recorded);
  } else {
    std::cout << DescribeOneToOne(recorded, context.names());
  }
  return 0;
}

int RecordEducation(Context& context, const ParsedArgs& args) {
  v1::RecordEducationRequest request;
  v1::Education* education = request.mutable_education();
  education->set_credits(static_cast<int32_t>(args.GetInt("credits", 0, -1000000, 1000000)));
  SetOnBehalfOf(context, args, &request);
  request.set_parent(context.names().DefaultChapter());
  education->set_note(args.Get("note"));
  SetOccurred(context, args, /*with_meeting=*/true, &request);
  request.set_request_id(context.RequestId());
  v1::Education recorded;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().RecordEducation(rpc, request, &recorded);
  });
  if (context.json()) {
    PrintJson(recorded);
  } else {
    std::cout << DescribeEducation(recorded, context.names());
  }
  return 0;
}

int RecordTestimonial(Context& context, const ParsedArgs& args) {
  v1::RecordTestimonialRequest request;
  v1::Testimonial* testimonial = request.mutable_testimonial();
  testimonial->set_for_member(context.names().Member(args.Get("for")));
  SetOnBehalfOf(context, args, &request);
  request.set_parent(context.names().DefaultChapter());
  testimonial->set_text(args.Get("text"));
  SetOccurred(context, args, /*with_meeting=*/true, &request);
  request.set_request_id(context.RequestId());
  v1::Testimonial recorded;
  context.Call([&](grpc::ClientContext* rpc) {
    return context.client().referrals().RecordTestimonial(rpc, request, &recorded);
  });
  if (context.json()) {
    PrintJson(recorded);
  } else {
    std::cout << DescribeTestimonial(recorded, context.names());
  }
  return 0;
}

constexpr char kStatuses[] = "contacted|meeting-set|closed-won|closed-lost|not-pursued";

}  // namespace

std::vector<Command> ReferralCommands() {
  return {
      {"refer",
       "--to X --temperature 1..5 [--inside | --contact-name N (--contact-phone P | "
       "--contact-email E)] [--note T] [--meeting M] [--date D] [--on-behalf-of X]",
       "give a referral to a member",
       {ChapterFlag(),
        {"to", "X", "the member who receives it", true},
        {"temperature", "1..5", "1 (a name) .. 5 (ready to buy, expects the call)", true},
        {"inside", "", "you are the customer"},
        {"contact-name", "N", "outside referral: the customer's name"},
        {"contact-phone", "P", "outside referral: their phone"},
        {"contact-email", "E", "outside referral: their e-mail"},
        {"note", "T", "a comment, up to 1000 characters"},
        {"meeting", "M", "the meeting where it was passed: it counts there, even typed in later"},
        OccurredDateFlag(),
        OnBehalfOfFlag()},
       0,
       0,
       true,
       GiveReferral},
      {"referral status",
       std::string("R --status ") + kStatuses + " [--on-behalf-of X]",
       "move a referral you received forward",
       {ChapterFlag(), {"status", "S", kStatuses, true}, OnBehalfOfFlag()},
       1,
       1,
       true,
       UpdateReferralStatus},
      {"referral get", "R", "show a referral", {ChapterFlag()}, 1, 1, false, GetReferral},
      {"referral list",
       "[--giver X] [--receiver X] [--status S] [--meeting M] [--limit N]",
       "list referrals, newest first",
       {ChapterFlag(),
        {"giver", "X", "only those given by this member"},
        {"receiver", "X", "only those received by this member"},
        {"status", "S", "given|contacted|meeting-set|closed-won|closed-lost|not-pursued"},
        {"meeting", "M", "only those passed at this meeting"},
        {"limit", "N", "show at most N referrals"}},
       0,
       0,
       false,
       ListReferrals},
      {"thanks",
       "--to X --amount 1250.00 [--currency EUR] [--referral R] [--repeat] [--note T] "
       "[--meeting M | --date D] [--on-behalf-of X]",
       "thank a member for closed business (TYFCB)",
       {ChapterFlag(),
        {"to", "X", "the member who referred the business", true},
        {"amount", "A", "invoiced amount net of tax, e.g. 1250.00", true},
        {"currency", "CUR", "ISO 4217 code (default: the chapter's currency)"},
        {"referral", "R", "the referral it came from (it becomes closed-won)"},
        {"repeat", "", "repeat business (default: new)"},
        {"note", "T", "a comment"},
        OccurredMeetingFlag(),
        OccurredDateFlag(),
        OnBehalfOfFlag()},
       0,
       0,
       true,
       RecordThankYou},
      {"one-to-one",
       "--with X [--date 2026-11-20 | --meeting M] [--note T] [--on-behalf-of X]",
       "record a one-to-one meeting with another member",
       {ChapterFlag(),
        {"with", "X", "the other member", true},
        {"date", "YYYY-MM-DD",
         "the day you met, in the chapter's time zone: today or up to 8 weeks back "
         "(default: today)"},
        OccurredMeetingFlag(),
        {"note", "T", "a comment"},
        OnBehalfOfFlag()},
       0,
       0,
       true,
       RecordOneToOne},
      {"ceu",
       "--credits N [--note T] [--meeting M | --date D] [--on-behalf-of X]",
       "record education credits",
       {ChapterFlag(),
        {"credits", "N", "credits earned, 1..100", true},
        {"note", "T", "what it was (podcast, training)"},
        OccurredMeetingFlag(),
        OccurredDateFlag(),
        OnBehalfOfFlag()},
       0,
       0,
       true,
       RecordEducation},
      {"testimonial",
       "--for X --text T [--meeting M | --date D] [--on-behalf-of X]",
       "vouch for a member's work",
       {ChapterFlag(),
        {"for", "X", "the member", true},
        {"text", "T", "the testimonial, 1..2000 characters", true},
        OccurredMeetingFlag(),
        OccurredDateFlag(),
        OnBehalfOfFlag()},
       0,
       0,
       true,
       RecordTestimonial},
  };
}

}  // namespace reciproca::cli
