#pragma once

// A small command-line parser: "--flag value", "--flag=value", boolean "--flag", positional
// arguments, and "--" to end the flags. Mistakes throw UsageError (exit code 2).

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
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
  friend ParsedArgs ParseArgs(const std::vector<std::string>& tokens,
                              const std::vector<FlagSpec>& flags, size_t min_positionals,
                              size_t max_positionals);

  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> positionals_;
};

// Parses `tokens` against `flags` (the last of repeated flags wins). Throws UsageError on an
// unknown flag, a missing value or required flag, or a wrong number of positional arguments.
ParsedArgs ParseArgs(const std::vector<std::string>& tokens, const std::vector<FlagSpec>& flags,
                     size_t min_positionals, size_t max_positionals);

// Parses a whole decimal integer; false when `text` is not one or is out of [min, max].
bool ParseInt(std::string_view text, int64_t min, int64_t max, int64_t* value);

// The "Flags:" block of a help text: one aligned line per flag.
std::string FormatFlags(const std::vector<FlagSpec>& flags);

}  // namespace reciproca::cli
