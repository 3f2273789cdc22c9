// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A child process that keeps running while the test talks to it (e.g. `wechatpay sandbox`):
// its stdout is read line by line, its stderr goes to a file, and it is stopped with SIGTERM.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wechatpay::testing {

class BackgroundProcess {
 public:
  /// Starts `program` with `args`; stdin is /dev/null, stderr goes to `stderr_file`, and every
  /// WECHATPAY_* variable of the test's environment is removed (as RunProcess does). Throws
  /// std::runtime_error when it cannot start.
  BackgroundProcess(std::string const& program, std::vector<std::string> const& args,
                    std::string const& stderr_file = "/dev/null");
  /// Kills the process (SIGKILL) if it is still running and reaps it.
  ~BackgroundProcess();
  BackgroundProcess(BackgroundProcess const&) = delete;
  BackgroundProcess& operator=(BackgroundProcess const&) = delete;

  /// The next stdout line (without '\n'), or nullopt when none arrives within `timeout` or
  /// stdout ends first.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);

  /// Sends SIGTERM and waits up to `timeout` for the exit; returns the exit code, or -1 when the
  /// process had to be killed or ended by a signal.
  int Terminate(std::chrono::milliseconds timeout);

  /// Sends `signal_number` (e.g. SIGINT, as Ctrl-C does) and waits as Terminate() does.
  int Stop(int signal_number, std::chrono::milliseconds timeout);

  /// The process id.
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

}  // namespace wechatpay::testing
