// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The programs that load a configuration report a configuration path that is no readable file
// (a directory, a FIFO, a missing file) as an error and exit non-zero, instead of aborting on
// an exception (issue 14, finding 8): examples/callback_server and the `wechatpay` CLI.

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "catch.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::RunProcess;
using testing::TempDir;

// A program built next to the CLI, or "" when the CLI (and so its folder) is unknown.
std::string SiblingOfCli(std::string const& name) {
  std::string const cli = WECHATPAY_CLI_PATH;
  auto const slash = cli.rfind('/');
  if (slash == std::string::npos) return "";
  auto const path = cli.substr(0, slash + 1) + name;
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

struct BadConfig {
  std::string path;
  std::string says;
};

std::vector<BadConfig> BadConfigs(TempDir const& dir) {
  auto const fifo = dir.File("fifo.json");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  return {{dir.path(), "is a directory"},
          {fifo, "is not a regular file"},
          {dir.File("missing.json"), "does not exist"}};
}

TEST_CASE("examples/callback_server reports an unusable configuration path and exits 2",
          "[config]") {
  auto const program = SiblingOfCli("callback_server");
  if (program.empty()) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  TempDir dir;
  for (auto const& bad : BadConfigs(dir)) {
    INFO(bad.path);
    auto const result = RunProcess(program, {"--config", bad.path, "--listen", "127.0.0.1:0"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("error: configuration file ", 0) == 0);
    CHECK(result.err.find(bad.says) != std::string::npos);
  }
}

TEST_CASE("wechatpay CLI reports an unusable configuration path as a usage error", "[config]") {
  if (std::string(WECHATPAY_CLI_PATH).empty()) {
    WARN("the wechatpay CLI was not built; skipped");
    return;
  }
  TempDir dir;
  for (auto const& bad : BadConfigs(dir)) {
    INFO(bad.path);
    auto const result =
        testing::RunCli({"--config", bad.path, "query", "--out-trade-no", "ORDER-CONFIG-1"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("error: configuration file ", 0) == 0);
    CHECK(result.err.find(bad.says) != std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
