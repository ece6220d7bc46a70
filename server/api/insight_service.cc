#include "server/api/insight_service.h"

#include <reciproca/plugin.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "server/domain/validation.h"

namespace reciproca::api {
namespace {

// A member named in a query must be of the chapter.
Status CheckMember(const domain::Chapter& chapter, const std::string& member) {
  if (member.empty()) {
    return {};
  }
  auto found = chapter.GetMember(member);
  return found.ok() ? Status{} : Status(found.error());
}

// The host fails a plugin that answers with another kind than the query's (plugin_host.cc) and
// asks the next one, so an answer of the wrong kind here is the server's own fault.
Status Expect(bool has, const char* kind) {
  return has ? Status{} : Status(Internal(std::string("the plugin answered without ") + kind));
}

}  // namespace

grpc::ServerUnaryReactor* InsightService::Ask(
    grpc::CallbackServerContext* context, const std::string& chapter, uint64_t capability,
    std::function<Status(const domain::Chapter&, const domain::Principal&, plugin::v1::Query&)>
        check,
    std::function<Status(plugin::v1::QueryAnswer&)> take) {
  auto principal = Authenticate(*context, tokens_);
  if (!principal.ok()) {
    return Reject(context, principal.error());
  }
  auto chapter_name = ChapterItself("chapter", chapter);
  if (!chapter_name.ok()) {
    return Reject(context, chapter_name.error());
  }
  auto query = std::make_shared<plugin::v1::Query>();
  query->set_chapter(chapter);
  auto* reactor = context->DefaultReactor();
  engine_.Read(
      *principal, chapter,
      [query, check = std::move(check), principal = *principal, this](const domain::Chapter& c) {
        *query->mutable_now() = domain::ToTimestamp(engine_.clock().Now());
        return check(c, principal, *query);
      },
      [this, reactor, query, capability, take = std::move(take)](const Status& checked) {
        if (!checked.ok()) {
          return reactor->Finish(ToGrpcStatus(checked));
        }
        host_.Query(capability, *query, [reactor, take](Result<plugin::v1::QueryAnswer> answer) {
          if (!answer.ok()) {
            return reactor->Finish(ToGrpcStatus(answer.error()));
          }
          reactor->Finish(ToGrpcStatus(take(answer.value())));
        });
      });
  return reactor;
}

grpc::ServerUnaryReactor* InsightService::GetScores(grpc::CallbackServerContext* context,
                                                    const v1::GetScoresRequest* request,
                                                    plugin::v1::Scores* response) {
  return Ask(
      context, request->chapter(), RECIPROCA_CAP_SCORES,
      [request](const domain::Chapter& c, const domain::Principal&, plugin::v1::Query& q) {
        q.mutable_scores()->set_window(request->window());
        q.mutable_scores()->set_member(request->member());
        return CheckMember(c, request->member());
      },
      [response](plugin::v1::QueryAnswer& a) {
        Status s = Expect(a.has_scores(), "scores");
        if (s.ok()) {
          response->Swap(a.mutable_scores());
        }
        return s;
      });
}

grpc::ServerUnaryReactor* InsightService::GetLeaderboard(grpc::CallbackServerContext* context,
                                                         const v1::GetLeaderboardRequest* request,
                                                         plugin::v1::Leaderboard* response) {
  if (request->limit() < 0 || request->limit() > 1000) {
    return Reject(context, InvalidArgument("limit: 0..1000 (0 for all), got " +
                                           std::to_string(request->limit())));
  }
  return Ask(
      context, request->chapter(), RECIPROCA_CAP_LEADERBOARD,
      [request](const domain::Chapter&, const domain::Principal&, plugin::v1::Query& q) {
        q.mutable_leaderboard()->set_board(request->board());
        q.mutable_leaderboard()->set_window(request->window());
        q.mutable_leaderboard()->set_limit(request->limit());
        return Status{};
      },
      [response](plugin::v1::QueryAnswer& a) {
        Status s = Expect(a.has_leaderboard(), "a leaderboard");
        if (s.ok()) {
          response->Swap(a.mutable_leaderboard());
        }
        return s;
      });
}

grpc::ServerUnaryReactor* InsightService::ListReminders(grpc::CallbackServerContext* context,
                                                        const v1::ListRemindersRequest* request,
                                                        plugin::v1::Reminders* response) {
  // The server's own reminders (the absence alert, Chapter::AbsenceReminders; the visitors',
  // Chapter::VisitorReminders) join the plugins' answer.
  auto own = std::make_shared<std::vector<plugin::v1::Reminder>>();
  return Ask(
      context, request->chapter(), RECIPROCA_CAP_REMINDERS,
      [this, request, own](const domain::Chapter& c, const domain::Principal& p,
                           plugin::v1::Query& q) -> Status {
        std::string member = request->member();
        if (p.kind == domain::Principal::Kind::kDisplay) {
          return PermissionDenied("reminders are personal: the room display cannot list them");
        }
        if (p.kind == domain::Principal::Kind::kMember && !c.IsOrganizer(p.member)) {
          if (member.empty()) {
            member = p.member;
          } else if (member != p.member) {
            return PermissionDenied("member: you may list only your own reminders");
          }
        }
        q.mutable_reminders()->set_member(member);
        if (Status s = CheckMember(c, member); !s) {
          return s;
        }
        const auto now = engine_.clock().Now();
        *own = c.AbsenceReminders(member, now);
        for (plugin::v1::Reminder& r : c.VisitorReminders(member, now, engine_.time_zones())) {
          own->push_back(std::move(r));
        }
        return Status{};
      },
      [response, own](plugin::v1::QueryAnswer& a) {
        Status s = Expect(a.has_reminders(), "reminders");
        if (!s.ok()) {
          return s;
        }
        response->Swap(a.mutable_reminders());
        auto& all = *response->mutable_reminders();
        for (plugin::v1::Reminder& r : *own) {
          *all.Add() = std::move(r);
        }
        // Newest first, then by id, as the plugins answer (plugin.proto's RemindersQuery).
        std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
          const int64_t tx = domain::ToNanos(x.create_time());
          const int64_t ty = domain::ToNanos(y.create_time());
          return tx != ty ? tx > ty : x.id() < y.id();
        });
        return Status{};
      });
}

grpc::ServerUnaryReactor* InsightService::ListRelationships(
    grpc::CallbackServerContext* context, const v1::ListRelationshipsRequest* request,
    plugin::v1::Relationships* response) {
  return Ask(
      context, request->chapter(), RECIPROCA_CAP_RELATIONSHIPS,
      [request](const domain::Chapter& c, const domain::Principal&, plugin::v1::Query& q) {
        q.mutable_relationships()->set_member(request->member());
        return CheckMember(c, request->member());
      },
      [response](plugin::v1::QueryAnswer& a) {
        Status s = Expect(a.has_relationships(), "relationships");
        if (s.ok()) {
          response->Swap(a.mutable_relationships());
        }
        return s;
      });
}

}  // namespace reciproca::api
