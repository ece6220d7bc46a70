#pragma once

// The traffic light's texts: texts/<language>.json, compiled in (plugins/texts/CMakeLists.txt).

#include <span>

#include "texts/catalogs.h"

namespace reciproca::traffic_light {

using plugin_texts::Asset;
std::span<const Asset> CatalogFiles();

}  // namespace reciproca::traffic_light
