// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the state folder remembers about where the sandbox listened (docs/sandbox.md,
// --state-dir): the port of the last start, so that a restart keeps its URL, and the client
// configuration files written for it, so that they can be written again when the port has to
// change. Plain text files, written atomically.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wechatpay/status.hpp"

namespace wechatpay::sandbox::internal {

/// The port recorded in `dir` at the last start; nullopt when none is (or the file is not a
/// port number: the sandbox then simply picks a new one).
std::optional<int> LoadRecordedPort(std::string const& dir);

/// Records `port` in `dir`. Errors: kConfiguration naming the file.
Status RecordPort(std::string const& dir, int port);

/// A client configuration file the sandbox wrote.
struct WrittenConfig {
  /// Absolute path.
  std::string path;
  /// Written by WriteGatewayClientConfig (with a token) rather than WriteClientConfig.
  bool gateway = false;
  /// The gateway token's lifetime, in seconds.
  std::int64_t token_ttl_seconds = 0;
};

/// The files recorded in `dir`, oldest first; lines that do not parse are skipped.
std::vector<WrittenConfig> LoadWrittenConfigs(std::string const& dir);

/// Replaces the record in `dir` with `configs`. Errors: kConfiguration naming the file.
Status SaveWrittenConfigs(std::string const& dir, std::vector<WrittenConfig> const& configs);

}  // namespace wechatpay::sandbox::internal
