// Reciproca plugin SDK: a small binary encoding for a plugin's snapshot (ABI 1.1, see
// <reciproca/plugin.h> and the plugin guide's "Snapshots").
//
// A plugin that defines, in its sdk::Plugin class,
//
//   std::string SaveState() const;            // the whole state as bytes
//   void RestoreState(std::string_view state); // throws when it cannot take them
//
// gets the snapshot() and restore() entries from RECIPROCA_PLUGIN. StateWriter and StateReader
// are one way to write those two: fixed-width little-endian integers and length-prefixed
// strings, in the order the plugin chooses, starting with a tag and a version of its own:
//
//   std::string MyRule::SaveState() const {
//     reciproca::sdk::StateWriter out("my_rule", 1);
//     out.Map(counts_, [](auto& w, const auto& k, const auto& v) { w.String(k); w.I64(v); });
//     return out.Take();
//   }
//   void MyRule::RestoreState(std::string_view state) {
//     reciproca::sdk::StateReader in(state, "my_rule", 1);  // throws for another tag or version
//     in.Map(&counts_, [](auto& r, std::string* k, int64_t* v) { *k = r.String(); *v = r.I64(); });
//     in.End();
//   }
//
// Every read is bounds-checked: damaged bytes throw std::invalid_argument, never read past the
// end, and never make a container larger than the bytes could describe.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reciproca::sdk {

class StateWriter {
 public:
  // Starts the bytes with `tag` (the plugin's name, say) and the version of its encoding.
  StateWriter(std::string_view tag, uint32_t version) {
    String(tag);
    U32(version);
  }

  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void Bool(bool v) { bytes_.push_back(v ? '\1' : '\0'); }
  void String(std::string_view s) {
    U64(s.size());
    bytes_.append(s.data(), s.size());
  }

  // A container: its size, then `each(writer, element)` per element.
  template <class Container, class Each>
  void Sequence(const Container& items, Each each) {
    U64(items.size());
    for (const auto& item : items) {
      each(*this, item);
    }
  }
  template <class K, class V, class C, class Each>
  void Map(const std::map<K, V, C>& items, Each each) {
    U64(items.size());
    for (const auto& [key, value] : items) {
      each(*this, key, value);
    }
  }
  void I64s(const std::vector<int64_t>& items) {
    Sequence(items, [](StateWriter& w, int64_t v) { w.I64(v); });
  }
  void Strings(const std::vector<std::string>& items) {
    Sequence(items, [](StateWriter& w, const std::string& v) { w.String(v); });
  }

  std::string Take() { return std::move(bytes_); }

 private:
  // One append per integer, not one push_back per byte: a snapshot is mostly integers.
  void Fixed(uint64_t v, int width) {
    char le[8];
    for (int i = 0; i < width; ++i) {
      le[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    }
    bytes_.append(le, static_cast<size_t>(width));
  }

  std::string bytes_;
};

class StateReader {
 public:
  // Throws std::invalid_argument unless the bytes start with `tag` and `version`.
  StateReader(std::string_view bytes, std::string_view tag, uint32_t version) : bytes_(bytes) {
    std::string found_tag;
    try {
      found_tag = String();
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("snapshot: not a snapshot of " + std::string(tag));
    }
    if (found_tag != tag) {
      throw std::invalid_argument("snapshot: of \"" + found_tag + "\", not of " + std::string(tag));
    }
    const uint32_t found = U32();
    if (found != version) {
      throw std::invalid_argument("snapshot: " + std::string(tag) + " state version " +
                                  std::to_string(found) + ", this build reads version " +
                                  std::to_string(version));
    }
  }

  uint32_t U32() { return static_cast<uint32_t>(Fixed(4)); }
  uint64_t U64() { return Fixed(8); }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  int32_t I32() { return static_cast<int32_t>(U32()); }
  bool Bool() {
    Need(1);
    const char c = bytes_[at_++];
    if (c != '\0' && c != '\1') {
      throw std::invalid_argument("snapshot: damaged (a boolean is neither 0 nor 1)");
    }
    return c == '\1';
  }
  std::string String() {
    const uint64_t size = U64();
    Need(size);
    std::string s(bytes_.substr(at_, static_cast<size_t>(size)));
    at_ += static_cast<size_t>(size);
    return s;
  }

  // A count of elements each at least `min_bytes` long: checked against what is left.
  size_t Count(size_t min_bytes = 1) {
    const uint64_t n = U64();
    if (n > (bytes_.size() - at_) / (min_bytes ? min_bytes : 1)) {
      throw std::invalid_argument("snapshot: damaged (a count larger than the bytes left)");
    }
    return static_cast<size_t>(n);
  }
  // Reads what StateWriter::Map wrote: `each(reader, &key, &value)` per element.
  template <class K, class V, class C, class Each>
  void Map(std::map<K, V, C>* items, Each each) {
    items->clear();
    const size_t n = Count();
    for (size_t i = 0; i < n; ++i) {
      K key{};
      V value{};
      each(*this, &key, &value);
      items->emplace_hint(items->end(), std::move(key), std::move(value));
    }
  }
  std::vector<int64_t> I64s() {
    std::vector<int64_t> items(Count(8));
    for (auto& v : items) {
      v = I64();
    }
    return items;
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> items(Count(8));
    for (auto& v : items) {
      v = String();
    }
    return items;
  }

  // Throws unless every byte was read.
  void End() const {
    if (at_ != bytes_.size()) {
      throw std::invalid_argument("snapshot: damaged (" + std::to_string(bytes_.size() - at_) +
                                  " bytes left over)");
    }
  }

 private:
  void Need(uint64_t n) const {
    if (n > bytes_.size() - at_) {
      throw std::invalid_argument("snapshot: damaged (it ends too early)");
    }
  }
  uint64_t Fixed(int width) {
    Need(static_cast<uint64_t>(width));
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[at_ + i])) << (8 * i);
    }
    at_ += static_cast<size_t>(width);
    return v;
  }

  std::string_view bytes_;
  size_t at_ = 0;
};

}  // namespace reciproca::sdk
