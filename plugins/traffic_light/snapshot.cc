// The traffic light's snapshot (ABI 1.1): its state as bytes, version 3.
//
//   "traffic_light" 3
//   chapters: name, ChapterRecord (currency, language, meeting starts, members with their
//             tenure start, cancelled meetings' starts, last event time),
//             announcements: (member, window) -> recorded band and seq, pending (key, band)
//
// Versions 1 (before the chapter's language and members' tenure) and 2 (before cancelled
// meetings and occurred times) are refused: the host then replays the whole log.
//
// The configuration is not in it: the host hands a snapshot back only to an instance created
// with the same config.

#include <algorithm>
#include <stdexcept>

#include "traffic_light.h"

namespace reciproca::traffic_light {
namespace {

constexpr const char* kStateTag = "traffic_light";
constexpr uint32_t kStateVersion = 3;

void SaveTimes(sdk::StateWriter& out, const std::map<std::string, int64_t>& times) {
  out.Map(times, [](sdk::StateWriter& w, const std::string& k, int64_t v) {
    w.String(k);
    w.I64(v);
  });
}

void LoadTimes(sdk::StateReader& in, std::map<std::string, int64_t>* times) {
  in.Map(times, [](sdk::StateReader& r, std::string* k, int64_t* v) {
    *k = r.String();
    *v = r.I64();
  });
}

}  // namespace

void Timeline::Save(sdk::StateWriter& out) const {
  out.I64s(times_);
  out.I64s(weights_);
}

void Timeline::Load(sdk::StateReader& in) {
  times_ = in.I64s();
  weights_ = in.I64s();
  if (weights_.size() != times_.size() || !std::is_sorted(times_.begin(), times_.end())) {
    throw std::invalid_argument("snapshot: damaged (a timeline)");
  }
  prefix_.assign(1, 0);
  for (const int64_t weight : weights_) {
    prefix_.push_back(prefix_.back() + weight);
  }
}

void MemberRecord::Save(sdk::StateWriter& out) const {
  out.String(name);
  out.String(display_name);
  out.Bool(added);
  out.Bool(active);
  out.I64(tenure_start);
  for (const Timeline* t :
       {&referrals_given, &visitors, &testimonials, &one_to_ones, &ceus, &tyfcb_given,
        &tyfcb_received, &tyfcb_given_other, &tyfcb_received_other}) {
    t->Save(out);
  }
  out.Map(attendance_, [](sdk::StateWriter& w, const std::pair<int64_t, std::string>& key,
                          v1::AttendanceStatus status) {
    w.I64(key.first);
    w.String(key.second);
    w.I32(status);
  });
  SaveTimes(out, meeting_start_);
}

void MemberRecord::Load(sdk::StateReader& in) {
  name = in.String();
  display_name = in.String();
  added = in.Bool();
  active = in.Bool();
  tenure_start = in.I64();
  for (Timeline* t : {&referrals_given, &visitors, &testimonials, &one_to_ones, &ceus, &tyfcb_given,
                      &tyfcb_received, &tyfcb_given_other, &tyfcb_received_other}) {
    t->Load(in);
  }
  in.Map(&attendance_, [](sdk::StateReader& r, std::pair<int64_t, std::string>* key,
                          v1::AttendanceStatus* status) {
    key->first = r.I64();
    key->second = r.String();
    *status = static_cast<v1::AttendanceStatus>(r.I32());
  });
  LoadTimes(in, &meeting_start_);
}

void ChapterRecord::Save(sdk::StateWriter& out) const {
  out.String(currency_);
  out.String(language_);
  SaveTimes(out, meeting_start_);
  out.Map(members_, [](sdk::StateWriter& w, const std::string& k, const MemberRecord& m) {
    w.String(k);
    m.Save(w);
  });
  cancelled_meetings_.Save(out);
  out.I64(last_event_time_);
}

void ChapterRecord::Load(sdk::StateReader& in) {
  currency_ = in.String();
  language_ = in.String();
  LoadTimes(in, &meeting_start_);
  in.Map(&members_, [](sdk::StateReader& r, std::string* k, MemberRecord* m) {
    *k = r.String();
    m->Load(r);
  });
  cancelled_meetings_.Load(in);
  last_event_time_ = in.I64();
}

std::string TrafficLight::SaveState() const {
  sdk::StateWriter out(kStateTag, kStateVersion);
  out.Map(chapters_, [](sdk::StateWriter& w, const std::string& name, const Chapter& chapter) {
    w.String(name);
    chapter.record.Save(w);
    w.Map(chapter.announced, [](sdk::StateWriter& a, const std::pair<std::string, std::string>& k,
                                const Announced& announced) {
      a.String(k.first);
      a.String(k.second);
      a.String(announced.recorded_band);
      a.I64(announced.recorded_seq);
      a.Sequence(announced.pending, [](sdk::StateWriter& p, const Announced::Pending& pending) {
        p.String(pending.key);
        p.String(pending.band);
      });
    });
  });
  return out.Take();
}

void TrafficLight::RestoreState(std::string_view state) {
  sdk::StateReader in(state, kStateTag, kStateVersion);
  in.Map(&chapters_, [](sdk::StateReader& r, std::string* name, Chapter* chapter) {
    *name = r.String();
    chapter->record.Load(r);
    r.Map(&chapter->announced,
          [](sdk::StateReader& a, std::pair<std::string, std::string>* k, Announced* announced) {
            k->first = a.String();
            k->second = a.String();
            announced->recorded_band = a.String();
            announced->recorded_seq = a.I64();
            const size_t pending = a.Count(16);
            for (size_t i = 0; i < pending; ++i) {
              Announced::Pending p;
              p.key = a.String();
              p.band = a.String();
              announced->pending.push_back(std::move(p));
            }
          });
  });
  in.End();
}

}  // namespace reciproca::traffic_light
