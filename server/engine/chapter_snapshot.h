#pragma once

// A chapter's state as snapshot bytes, and back (docs/storage.md, "Snapshots"). The engine owns
// the format; the domain only hands out and takes plain values (domain::ChapterState), and the
// store keeps the bytes with the seq they cover and their format version.
//
// Format version 3: a sequence of protobuf wire-format fields: 1 info (v1.Chapter), 2 last_seq,
// 3 display_token_generation, 4 member, 5 meeting, 6 referral, 7 thank-you, 8 one-to-one,
// 9 education, 10 testimonial, 11 plugin (each its resource message), 12 category owner (a
// category and a member name, length-prefixed, one after the other), 13 imported PALMS summary
// (v1.PalmsSummaryImported), 14 import recorded (its name's bytes), 15 visitor invited ahead
// and not come (v1.Visitor). A reader refuses any other
// version, an unknown field, or bytes that do not parse: the caller then replays the log.
// Version 2 is version 1 whose records carry occur_time (when they happened): a version 1
// snapshot is refused, so the log is replayed once and the records get it.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/domain/chapter.h"
#include "server/domain/result.h"

namespace reciproca::engine {

// Version 3 is version 2 whose visitors carry their pipeline state (Visitor.state) and which
// keeps invitations: a version 2 snapshot is refused, so the log is replayed once.
inline constexpr int32_t kChapterSnapshotVersion = 3;

// When the engine writes a chapter's snapshot (in the background, after a commit of the chapter
// is durable): once `every_events` events have been committed since its last snapshot, or once
// `every` has passed since then and the chapter changed, whichever comes first (checked at each
// of its commits); and at a clean stop, for every chapter that changed. 0 turns a trigger off.
// Flags: --snapshot-every-events, --snapshot-every-minutes (docs/storage.md, "Snapshots").
struct SnapshotOptions {
  int64_t every_events = 1000;
  std::chrono::seconds every = std::chrono::minutes(10);
  bool at_stop = true;
};

std::string EncodeChapterSnapshot(const domain::Chapter& chapter);

// The chapter of `chapter_name` at `seq`, from bytes of format `version`; an error saying why
// when they cannot be read (another version, damaged, of another chapter or seq).
Result<domain::Chapter> DecodeChapterSnapshot(const std::string& chapter_name, int64_t seq,
                                              int32_t version, std::string_view bytes);

}  // namespace reciproca::engine
