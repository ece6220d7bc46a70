#include "server/engine/chapter_snapshot.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace reciproca::engine {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

enum Field : uint32_t {
  kInfo = 1,
  kLastSeq = 2,
  kDisplayTokenGeneration = 3,
  kMember = 4,
  kMeeting = 5,
  kReferral = 6,
  kThankYou = 7,
  kOneToOne = 8,
  kEducation = 9,
  kTestimonial = 10,
  kPlugin = 11,
  kCategoryOwner = 12,
  kPalmsSummary = 13,
  kImport = 14,
  kInvitation = 15,
};

constexpr uint32_t kVarint = 0;
constexpr uint32_t kBytes = 2;

void PutBytes(CodedOutputStream& out, uint32_t field, const std::string& bytes) {
  out.WriteTag(field << 3 | kBytes);
  out.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  out.WriteString(bytes);
}

void PutInt(CodedOutputStream& out, uint32_t field, int64_t value) {
  out.WriteTag(field << 3 | kVarint);
  out.WriteVarint64(static_cast<uint64_t>(value));
}

template <class Map>
void PutAll(CodedOutputStream& out, uint32_t field, const Map& resources) {
  for (const auto& [name, resource] : resources) {
    PutBytes(out, field, resource.SerializeAsString());
  }
}

// Parses `bytes` as a resource and files it under its name.
template <class Map>
bool TakeResource(const std::string& bytes, Map& resources) {
  typename Map::mapped_type resource;
  if (!resource.ParseFromString(bytes) || resource.name().empty()) {
    return false;
  }
  const std::string name = resource.name();
  return resources.emplace(name, std::move(resource)).second;
}

// A category owner's two length-prefixed strings.
std::string PairBytes(const std::string& a, const std::string& b) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    CodedOutputStream out(&stream);
    out.WriteVarint32(static_cast<uint32_t>(a.size()));
    out.WriteString(a);
    out.WriteVarint32(static_cast<uint32_t>(b.size()));
    out.WriteString(b);
  }
  return bytes;
}

bool TakePair(const std::string& bytes, std::map<std::string, std::string, std::less<>>& pairs) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  std::string a;
  std::string b;
  uint32_t size = 0;
  if (!in.ReadVarint32(&size) || !in.ReadString(&a, static_cast<int>(size)) ||
      !in.ReadVarint32(&size) || !in.ReadString(&b, static_cast<int>(size)) ||
      in.CurrentPosition() != static_cast<int>(bytes.size())) {
    return false;
  }
  return pairs.emplace(std::move(a), std::move(b)).second;
}

// Reads the fields into *state; false at the first one that is unknown or does not parse.
bool ReadFields(std::string_view bytes, domain::ChapterState* state, bool* has_info) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    const uint32_t field = tag >> 3;
    const uint32_t type = tag & 7;
    if (field == kLastSeq || field == kDisplayTokenGeneration) {
      uint64_t value = 0;
      if (type != kVarint || !in.ReadVarint64(&value)) {
        return false;
      }
      (field == kLastSeq ? state->last_seq : state->display_token_generation) =
          static_cast<int64_t>(value);
      continue;
    }
    uint32_t size = 0;
    std::string value;
    if (type != kBytes || !in.ReadVarint32(&size) ||
        !in.ReadString(&value, static_cast<int>(size))) {
      return false;
    }
    bool ok = false;
    switch (field) {
      case kInfo:
        ok = !*has_info && state->info.ParseFromString(value);
        *has_info = true;
        break;
      case kMember:
        ok = TakeResource(value, state->members);
        break;
      case kMeeting:
        ok = TakeResource(value, state->meetings);
        break;
      case kReferral:
        ok = TakeResource(value, state->referrals);
        break;
      case kThankYou:
        ok = TakeResource(value, state->thank_yous);
        break;
      case kOneToOne:
        ok = TakeResource(value, state->one_to_ones);
        break;
      case kEducation:
        ok = TakeResource(value, state->education);
        break;
      case kTestimonial:
        ok = TakeResource(value, state->testimonials);
        break;
      case kPlugin: {
        v1::ChapterPlugin plugin;
        ok = plugin.ParseFromString(value) && !plugin.name().empty() &&
             state->plugins.emplace(plugin.name(), plugin).second;
        break;
      }
      case kCategoryOwner:
        ok = TakePair(value, state->category_owner);
        break;
      case kPalmsSummary:
        ok = state->palms_summaries.emplace_back().ParseFromString(value);
        break;
      case kImport:
        ok = state->imports.insert(value).second;
        break;
      case kInvitation:
        ok = TakeResource(value, state->invitations);
        break;
      default:
        ok = false;  // a field this version does not know
    }
    if (!ok) {
      return false;
    }
  }
  return in.ConsumedEntireMessage();
}

}  // namespace

std::string EncodeChapterSnapshot(const domain::Chapter& chapter) {
  const domain::ChapterState state = chapter.ExportState();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    PutBytes(out, kInfo, state.info.SerializeAsString());
    PutInt(out, kLastSeq, state.last_seq);
    PutInt(out, kDisplayTokenGeneration, state.display_token_generation);
    PutAll(out, kMember, state.members);
    PutAll(out, kMeeting, state.meetings);
    PutAll(out, kReferral, state.referrals);
    PutAll(out, kThankYou, state.thank_yous);
    PutAll(out, kOneToOne, state.one_to_ones);
    PutAll(out, kEducation, state.education);
    PutAll(out, kTestimonial, state.testimonials);
    PutAll(out, kInvitation, state.invitations);
    for (const auto& [name, plugin] : state.plugins) {
      PutBytes(out, kPlugin, plugin.SerializeAsString());
    }
    for (const auto& [category, member] : state.category_owner) {
      PutBytes(out, kCategoryOwner, PairBytes(category, member));
    }
    for (const auto& summary : state.palms_summaries) {
      PutBytes(out, kPalmsSummary, summary.SerializeAsString());
    }
    for (const std::string& import : state.imports) {
      PutBytes(out, kImport, import);
    }
  }
  return bytes;
}

Result<domain::Chapter> DecodeChapterSnapshot(const std::string& chapter_name, int64_t seq,
                                              int32_t version, std::string_view bytes) {
  if (version != kChapterSnapshotVersion) {
    return FailedPrecondition("snapshot format version " + std::to_string(version) +
                              " is not one this server reads (it reads version " +
                              std::to_string(kChapterSnapshotVersion) + ")");
  }
  domain::ChapterState state;
  bool has_info = false;
  if (!ReadFields(bytes, &state, &has_info) || !has_info) {
    return FailedPrecondition("snapshot bytes are damaged (they do not parse)");
  }
  if (state.info.name() != chapter_name || state.last_seq != seq) {
    return FailedPrecondition("snapshot is of " + state.info.name() + " at seq " +
                              std::to_string(state.last_seq) + ", stored as " + chapter_name +
                              " at seq " + std::to_string(seq));
  }
  return domain::Chapter::FromState(std::move(state));
}

}  // namespace reciproca::engine
