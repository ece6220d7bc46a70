#pragma once

// The reciprocity plugin's texts: texts/<language>.json, compiled in
// (plugins/texts/CMakeLists.txt).

#include <span>

#include "texts/catalogs.h"

namespace reciproca::reciprocity {

using plugin_texts::Asset;
std::span<const Asset> CatalogFiles();

}  // namespace reciproca::reciprocity
