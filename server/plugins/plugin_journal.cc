#include "server/plugins/plugin_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

namespace reciproca::plugins {

Status PluginJournal::Append(const std::string& line) {
  std::lock_guard lock(mu_);
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Internal("cannot open " + file_.string() + ": " + std::strerror(errno));
  }
  const std::string text = line + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    return Internal("cannot write " + file_.string() + ": " + std::strerror(errno));
  }
  return {};
}

Status PluginJournal::Loaded(const PluginSpec& spec) {
  return Append(nlohmann::json{{"event", "loaded"}, {"spec", PluginSpecToJson(spec)}}.dump());
}

Status PluginJournal::Reloaded(const std::string& name, const std::string& config_json) {
  nlohmann::json line = {{"event", "reloaded"}, {"name", name}};
  if (!config_json.empty()) {
    line["config"] = nlohmann::json::parse(config_json, nullptr, false);
  }
  return Append(line.dump());
}

Status PluginJournal::Unloaded(const std::string& name) {
  return Append(nlohmann::json{{"event", "unloaded"}, {"name", name}}.dump());
}

std::vector<PluginSpec> PluginJournal::Apply(std::vector<PluginSpec> specs) const {
  std::ifstream in(file_);
  std::string text;
  int number = 0;
  const auto find = [&specs](const std::string& name) {
    return std::find_if(specs.begin(), specs.end(),
                        [&name](const PluginSpec& s) { return s.name == name; });
  };
  while (std::getline(in, text)) {
    ++number;
    const auto line = nlohmann::json::parse(text, nullptr, false);
    std::string event;
    std::string name;
    if (line.is_object()) {
      event = line.value("event", "");
      name = line.value("name", "");
    }
    if (event == "loaded" && line.contains("spec")) {
      auto spec = PluginSpecFromJson(line["spec"]);
      if (spec.ok()) {
        if (auto it = find(spec->name); it != specs.end()) {
          *it = std::move(spec).value();
        } else {
          specs.push_back(std::move(spec).value());
        }
        continue;
      }
    } else if (event == "reloaded" && !name.empty()) {
      if (auto it = find(name); it != specs.end() && line.contains("config")) {
        it->config_json = line["config"].dump();
      }
      continue;
    } else if (event == "unloaded" && !name.empty()) {
      if (auto it = find(name); it != specs.end()) {
        specs.erase(it);
      }
      continue;
    }
    spdlog::warn("{}:{}: not a plugin event, skipped", file_.string(), number);
  }
  return specs;
}

}  // namespace reciproca::plugins
