#pragma once

// What a command declares on its command line (FlagSpec) and what it gets back (ParsedArgs).
// main.cc parses the line with CLI11 against these declarations; handlers throw UsageError
// (exit code 2) for values they cannot use.

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reciproca::cli {

// A mistake on the command line: the CLI prints it with a hint to --help and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  // Without the leading "--": "chapter".
  std::string name;
  // Shown in help ("C", "N"); empty for a boolean flag, which takes no value.
  std::string value_name;
  std::string help;
  // A required flag missing from the command line is a UsageError.
  bool required = false;
};

class ParsedArgs {
 public:
  ParsedArgs() = default;
  // `values`: the flags given (a boolean flag's value is empty); `positionals` in order.
  ParsedArgs(std::map<std::string, std::string, std::less<>> values,
             std::vector<std::string> positionals)
      : values_(std::move(values)), positionals_(std::move(positionals)) {}

  bool Has(std::string_view flag) const;
  // The flag's value; empty when absent (or boolean).
  std::string Get(std::string_view flag) const;
  std::string GetOr(std::string_view flag, std::string fallback) const;
  // An integer flag within [min, max]; `fallback` when absent. UsageError when malformed.
  int64_t GetInt(std::string_view flag, int64_t fallback, int64_t min, int64_t max) const;

  const std::vector<std::string>& positionals() const { return positionals_; }
  // The i-th positional argument; empty when absent.
  std::string Positional(size_t index) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> positionals_;
};

// Parses a whole decimal integer; false when `text` is not one or is out of [min, max].
bool ParseInt(std::string_view text, int64_t min, int64_t max, int64_t* value);

}  // namespace reciproca::cli
