#pragma once

// The web pages (client/web), compiled into reciprocad by cmake/EmbedWebAssets.cmake.

#include <span>
#include <string_view>

namespace reciproca::http {

struct Asset {
  // "/display/index.html": the URL path it is served at.
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

std::span<const Asset> WebAssets();

// The asset for a request path: exact match, or a directory's index.html ("/app", "/app/").
// Anything else, ".." included, is nullptr.
const Asset* FindAsset(std::string_view path);

}  // namespace reciproca::http
