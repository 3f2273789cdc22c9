// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/listen_state.hpp"

#include <sstream>

#include "state/state_files.hpp"

namespace wechatpay::sandbox::internal {
namespace {

std::string PortFile(std::string const& dir) { return dir + "/port"; }
std::string ConfigsFile(std::string const& dir) { return dir + "/written_configs"; }

}  // namespace

std::optional<int> LoadRecordedPort(std::string const& dir) {
  if (!IsFile(PortFile(dir))) return std::nullopt;
  auto text = ReadTextFile(PortFile(dir));
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  int port = 0;
  if (!(in >> port) || port < 1 || port > 65535) return std::nullopt;
  return port;
}

Status RecordPort(std::string const& dir, int port) {
  return WriteFileAtomic(PortFile(dir), std::to_string(port) + "\n", false);
}

// One line per file: "client PATH" or "gateway TTL_SECONDS PATH" (the path last: it may hold
// spaces).
std::vector<WrittenConfig> LoadWrittenConfigs(std::string const& dir) {
  std::vector<WrittenConfig> configs;
  if (!IsFile(ConfigsFile(dir))) return configs;
  auto text = ReadTextFile(ConfigsFile(dir));
  if (!text) return configs;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    std::string kind;
    WrittenConfig config;
    if (!(in >> kind)) continue;
    if (kind == "gateway") {
      config.gateway = true;
      if (!(in >> config.token_ttl_seconds) || config.token_ttl_seconds < 0) continue;
    } else if (kind != "client") {
      continue;
    }
    in >> std::ws;
    std::getline(in, config.path);
    if (config.path.empty() || config.path.front() != '/') continue;
    configs.push_back(std::move(config));
  }
  return configs;
}

Status SaveWrittenConfigs(std::string const& dir, std::vector<WrittenConfig> const& configs) {
  std::string text;
  for (auto const& config : configs) {
    text += config.gateway ? "gateway " + std::to_string(config.token_ttl_seconds) + " "
                           : std::string("client ");
    text += config.path + "\n";
  }
  return WriteFileAtomic(ConfigsFile(dir), text, false);
}

}  // namespace wechatpay::sandbox::internal
