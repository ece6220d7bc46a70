#pragma once

// The leaderboard's texts: texts/<language>.json, compiled in (plugins/texts/CMakeLists.txt).

#include <span>

#include "texts/catalogs.h"

namespace reciproca::leaderboard {

using plugin_texts::Asset;
std::span<const Asset> CatalogFiles();

}  // namespace reciproca::leaderboard
