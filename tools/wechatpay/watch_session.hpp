// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The waiting part shared by `watch` and `checkout` (docs/cli.md, "Checkout commands"): their
// common options, a progress line on stderr at a steady pace, Ctrl-C, and the report of how the
// order ended. The commands differ only in what comes before (checkout places the order) and in
// whether an interruption closes the order.

#include <chrono>
#include <string>

#include "cli.hpp"

namespace wechatpay::cli {

/// The options `watch` and `checkout` share, as value and flag options of their CommandSpec.
inline constexpr char const* kWatchValueOptions[] = {"interval", "watch-timeout",
                                                     "progress-interval"};
inline constexpr char const* kWatchFlagOptions[] = {"quiet"};

/// How a watch is shown and ended, besides the library's WatchOptions.
struct WatchSession {
  /// Prefix of every line on stderr: the command's name.
  std::string label;
  /// --quiet: no progress, event or final lines (errors and warnings still appear).
  bool quiet = false;
  /// --verbose: one line per query too.
  bool verbose = false;
  /// Time between two progress lines (--progress-interval).
  std::chrono::milliseconds progress_interval{std::chrono::seconds(5)};
  /// On SIGINT or SIGTERM, close the order before exiting (checkout's order; watch's with
  /// --close-on-timeout); otherwise stop watching and leave it open.
  bool close_on_interrupt = false;
};

/// Reads --interval, --watch-timeout (or the deprecated --timeout, with a warning on stderr),
/// --progress-interval and --quiet into `options` and `session`. On a usage error reports it and
/// returns false with `exit_code` set.
bool ReadWatchArgs(Args const& args, GlobalOptions const& globals, WatchOptions& options,
                   WatchSession& session, int& exit_code);

/// Watches `out_trade_no` until it ends, the limit passes or a stop signal arrives, and reports
/// the outcome: the transaction on stdout, progress and the final line on stderr. Returns the
/// exit code (docs/cli.md). BlockStopSignals() must have run before any thread was started.
int RunWatchSession(NativePayClient const& client, std::string const& out_trade_no,
                    WatchOptions options, WatchSession const& session);

/// The final transaction of a watch as one JSON document (its raw_json; a minimal object when
/// only the close's 204 confirmed CLOSED); "" when the watch ended without one.
std::string WatchResultJson(WatchResult const& result);

}  // namespace wechatpay::cli
