#pragma once

// What both stores answer when their client library throws (an allocation failure, a standard
// library error): kInternal, naming the operation. One home for SQLite and PostgreSQL.

#include <fmt/format.h>

#include <exception>
#include <string_view>

#include "server/domain/result.h"

namespace reciproca::store {

// `e` may be null (an exception that is not a std::exception).
inline Error FromException(std::string_view what, const std::exception* e) {
  return Internal(fmt::format("{}: {}", what, e != nullptr ? e->what() : "unknown exception"));
}

}  // namespace reciproca::store
