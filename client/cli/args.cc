#include "client/cli/args.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace reciproca::cli {
namespace {

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, std::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) {
      return &flag;
    }
  }
  return nullptr;
}

}  // namespace

bool ParsedArgs::Has(std::string_view flag) const { return values_.find(flag) != values_.end(); }

std::string ParsedArgs::Get(std::string_view flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::string() : it->second;
}

std::string ParsedArgs::GetOr(std::string_view flag, std::string fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::move(fallback) : it->second;
}

int64_t ParsedArgs::GetInt(std::string_view flag, int64_t fallback, int64_t min,
                           int64_t max) const {
  auto it = values_.find(flag);
  if (it == values_.end()) {
    return fallback;
  }
  int64_t value = 0;
  if (!ParseInt(it->second, INT64_MIN, INT64_MAX, &value)) {
    throw UsageError("--" + std::string(flag) + " expects a whole number, got \"" + it->second +
                     "\"");
  }
  if (value < min || value > max) {
    throw UsageError("--" + std::string(flag) + " must be between " + std::to_string(min) +
                     " and " + std::to_string(max) + ", got " + it->second);
  }
  return value;
}

std::string ParsedArgs::Positional(size_t index) const {
  return index < positionals_.size() ? positionals_[index] : std::string();
}

ParsedArgs ParseArgs(const std::vector<std::string>& tokens, const std::vector<FlagSpec>& flags,
                     size_t min_positionals, size_t max_positionals) {
  ParsedArgs parsed;
  bool flags_ended = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (flags_ended || token.size() < 2 || token[0] != '-') {
      parsed.positionals_.push_back(token);
      continue;
    }
    if (token == "--") {
      flags_ended = true;
      continue;
    }
    if (token == "-h") {
      parsed.values_["help"] = "";
      continue;
    }
    if (token.rfind("--", 0) != 0) {
      throw UsageError("unknown flag \"" + token + "\"");
    }
    std::string name = token.substr(2);
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const FlagSpec* spec = FindFlag(flags, name);
    if (spec == nullptr) {
      throw UsageError("unknown flag \"--" + name + "\"");
    }
    if (spec->value_name.empty()) {
      if (inline_value) {
        throw UsageError("flag --" + name + " takes no value");
      }
    } else if (!inline_value) {
      if (i + 1 >= tokens.size()) {
        throw UsageError("flag --" + name + " needs a value (" + spec->value_name + ")");
      }
      value = tokens[++i];
    }
    parsed.values_[name] = value;
  }
  if (parsed.Has("help")) {
    return parsed;  // Help wins over every other check.
  }
  for (const FlagSpec& flag : flags) {
    if (flag.required && (!parsed.Has(flag.name) || parsed.Get(flag.name).empty())) {
      throw UsageError("missing required flag --" + flag.name);
    }
  }
  if (parsed.positionals_.size() < min_positionals) {
    throw UsageError("missing argument");
  }
  if (parsed.positionals_.size() > max_positionals) {
    throw UsageError("unexpected argument \"" + parsed.positionals_[max_positionals] + "\"");
  }
  return parsed;
}

bool ParseInt(std::string_view text, int64_t min, int64_t max, int64_t* value) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  int64_t parsed = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
  if (text.empty() || ec != std::errc() || ptr != end || parsed < min || parsed > max) {
    return false;
  }
  *value = parsed;
  return true;
}

std::string FormatFlags(const std::vector<FlagSpec>& flags) {
  std::vector<std::string> lefts;
  size_t width = 0;
  for (const FlagSpec& flag : flags) {
    std::string left = "  --" + flag.name;
    if (!flag.value_name.empty()) {
      left += " " + flag.value_name;
    }
    width = std::max(width, left.size());
    lefts.push_back(std::move(left));
  }
  std::string out;
  for (size_t i = 0; i < flags.size(); ++i) {
    out += lefts[i];
    out.append(width - lefts[i].size() + 2, ' ');
    out += flags[i].help;
    if (flags[i].required) {
      out += " (required)";
    }
    out += '\n';
  }
  return out;
}

}  // namespace reciproca::cli
