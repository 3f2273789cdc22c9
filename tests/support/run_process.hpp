// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs the real `wechatpay` binary as a child process and captures what it prints.

#include <map>
#include <string>
#include <vector>

namespace wechatpay::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `program` with `args`; `env` entries are added to (or override) the environment, and
/// every WECHATPAY_* variable of the test's own environment is removed first so the outcome
/// does not depend on the machine.
ProcessResult RunProcess(std::string const& program, std::vector<std::string> const& args,
                         std::map<std::string, std::string> const& env = {});

/// RunProcess with `input` written to the child's stdin (then closed) instead of the test's own.
ProcessResult RunProcessWithInput(std::string const& program, std::vector<std::string> const& args,
                                  std::string const& input,
                                  std::map<std::string, std::string> const& env = {});

/// RunProcess on the CLI built with the tests.
ProcessResult RunCli(std::vector<std::string> const& args,
                     std::map<std::string, std::string> const& env = {});

}  // namespace wechatpay::testing
