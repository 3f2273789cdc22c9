// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay watch`: waits for an order's terminal trade state with PaymentWatcher (polling;
// callbacks are pushed by `checkout` and `demo`, which run a receiver) and prints the final
// transaction.

#include "cli.hpp"
#include "watch_session.hpp"

namespace wechatpay::cli {

int RunWatch(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec spec{"watch",
                   "watch --out-trade-no X [--interval SECONDS] [--watch-timeout SECONDS] "
                   "[--close-on-timeout] [--progress-interval SECONDS] [--quiet]",
                   {"out-trade-no"},
                   {"close-on-timeout"}};
  spec.value_options.insert(spec.value_options.end(), std::begin(kWatchValueOptions),
                            std::end(kWatchValueOptions));
  spec.flag_options.insert(spec.flag_options.end(), std::begin(kWatchFlagOptions),
                           std::end(kWatchFlagOptions));
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto out_trade_no = Required(*args, "out-trade-no");
  if (!Check(out_trade_no, exit_code)) return exit_code;
  WatchOptions options;
  WatchSession session;
  session.label = "watch";
  if (!ReadWatchArgs(*args, globals, options, session, exit_code)) return exit_code;
  options.close_on_timeout = args->Has("close-on-timeout");
  // The order was placed before `watch` was run: ORDER_NOT_EXIST means it does not exist (a
  // typo, another merchant), not that it is not visible yet, so no grace period.
  options.not_found_grace = std::chrono::milliseconds(0);
  // Only the watch the user asked to close on its timeout is closed on Ctrl-C: it is not this
  // command's order.
  session.close_on_interrupt = options.close_on_timeout;
  // Before any thread starts (the client's may), so that every thread inherits the mask.
  BlockStopSignals();
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;
  // Validate here so that a bad order number is a usage error, not a failed watch.
  if (auto status = Validate(QueryOrderByOutTradeNoRequest{*out_trade_no}); !status.ok()) {
    return Fail(status);
  }
  return RunWatchSession(*client, *out_trade_no, std::move(options), session);
}

}  // namespace wechatpay::cli
