// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay watch`: waits for an order's terminal trade state with PaymentWatcher (polling;
// callbacks are pushed by `checkout` and `demo`, which run a receiver) and prints the final
// transaction.

#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "cli.hpp"
#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

// A positive number of seconds (fractions allowed) no larger than `max_seconds`.
StatusOr<std::chrono::milliseconds> ParseSeconds(std::string const& name, std::string const& text,
                                                 double max_seconds) {
  char* end = nullptr;
  errno = 0;
  double const seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !(seconds > 0) ||
      seconds > max_seconds) {
    return Status(StatusCode::kInvalidArgument,
                  "--" + name + " must be a number of seconds in (0, " +
                      std::to_string(static_cast<int>(max_seconds)) + "] (got '" + text + "')");
  }
  auto ms = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
  if (ms.count() < 1) ms = std::chrono::milliseconds(1);
  return ms;
}

char const* EventName(WatchEventKind kind) {
  switch (kind) {
    case WatchEventKind::kQueried:
      return "queried";
    case WatchEventKind::kQueryFailed:
      return "query failed (retrying)";
    case WatchEventKind::kCodeUrlExpired:
      return "code_url expired";
    case WatchEventKind::kClosing:
      return "timeout passed, closing the order";
    case WatchEventKind::kCloseFailed:
      return "close failed (retrying)";
  }
  return "event";
}

}  // namespace

std::string WatchResultJson(WatchResult const& result) {
  if (!result.transaction) return std::string();
  if (!result.transaction->raw_json.empty()) return result.transaction->raw_json;
  // A close confirmed only by its verified 204 (the query after it failed): say what is known.
  return "{\"out_trade_no\":" + internal::JsonQuote(result.out_trade_no) +
         ",\"trade_state\":" + internal::JsonQuote(result.transaction->trade_state) + "}";
}

int ReportWatchResult(WatchResult const& result) {
  if (auto json = WatchResultJson(result); !json.empty()) PrintLine(json);
  switch (result.end) {
    case WatchEnd::kPushed:
    case WatchEnd::kPolled:
    case WatchEnd::kClosed:
    case WatchEnd::kPaidAtClose:
      if (result.paid()) return kExitOk;
      std::cerr << "error: order " << result.out_trade_no << " ended in trade_state "
                << result.transaction->trade_state << std::endl;
      return kExitServiceError;
    case WatchEnd::kTimedOut:
      // Not closed by choice: no failure of the service or the network, just no payment.
      if (result.status.code() == StatusCode::kDeadlineExceeded) {
        std::cerr << "error: " << result.status.message() << std::endl;
        return kExitServiceError;
      }
      return Fail(result.status);
    case WatchEnd::kCancelled:
    case WatchEnd::kFailed:
      return Fail(result.status);
  }
  return Fail(result.status);
}

int RunWatch(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "watch",
      "watch --out-trade-no X [--interval SECONDS] [--timeout SECONDS] [--close-on-timeout]\n\n"
      "Queries the order every --interval seconds (default 2) until its trade state is terminal\n"
      "(SUCCESS, REFUND, CLOSED, REVOKED, PAYERROR), then prints the transaction. Here\n"
      "--timeout is the watch's own limit (default 600 s; each request's timeout comes from the\n"
      "configuration's timeoutMs); when it passes, --close-on-timeout closes the order (a payer\n"
      "who paid meanwhile is reported as SUCCESS), otherwise the order is left open.\n"
      "Exit 0 when the order is paid (SUCCESS), 1 otherwise; transient query errors are retried.",
      {"out-trade-no", "interval"},
      {"close-on-timeout"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto out_trade_no = Required(*args, "out-trade-no");
  if (!Check(out_trade_no, exit_code)) return exit_code;
  WatchOptions options;
  options.close_on_timeout = args->Has("close-on-timeout");
  if (auto interval = args->Get("interval")) {
    auto parsed = ParseSeconds("interval", *interval, 3600);
    if (!Check(parsed, exit_code)) return exit_code;
    options.interval = *parsed;
  }
  // `watch` has its own --timeout (docs/cli.md): the parser read it as the global request timeout,
  // so take it back before the configuration is loaded.
  if (globals.timeout_seconds) {
    options.timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(*globals.timeout_seconds * 1000.0));
    globals.timeout_seconds.reset();
  }
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;
  // Validate here so that a bad order number is a usage error, not a failed watch.
  if (auto status = Validate(QueryOrderByOutTradeNoRequest{*out_trade_no}); !status.ok()) {
    return Fail(status);
  }
  if (globals.verbose) {
    options.on_event = [](WatchEvent const& event) {
      std::cerr << "wechatpay: " << event.out_trade_no << ": " << EventName(event.kind);
      if (event.transaction) std::cerr << ": " << event.transaction->trade_state;
      if (!event.status.ok()) std::cerr << ": " << event.status.message();
      std::cerr << std::endl;
    };
  }
  PaymentWatcher watcher(*client);
  auto result = watcher.Watch(*out_trade_no, std::move(options)).get();
  return ReportWatchResult(result);
}

}  // namespace wechatpay::cli
