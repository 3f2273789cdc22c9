// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "watch_session.hpp"

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The watcher's thread (events) and the progress thread both write lines; one write per line
// keeps them whole.
std::mutex line_mu;

void Line(WatchSession const& session, std::string const& text) {
  std::string const line = session.label + ": " + text + "\n";
  std::lock_guard<std::mutex> lock(line_mu);
  std::cerr << line << std::flush;
}

// "12 s", or "3.4 s" below ten seconds, where a tenth still says something.
std::string Seconds(Clock::duration duration) {
  double const seconds =
      std::max(0.0, std::chrono::duration_cast<std::chrono::duration<double>>(duration).count());
  if (seconds >= 10) return std::to_string(static_cast<long long>(std::ceil(seconds))) + " s";
  long long const tenths = std::llround(seconds * 10);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

std::string SignalName(int signal_number) {
  if (signal_number == SIGINT) return "SIGINT";
  if (signal_number == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal_number);
}

// What the progress line says; written by the watcher's thread, read by the progress thread.
struct ProgressState {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string trade_state;  // the last one a query returned
  bool last_query_failed = false;
};

void OnEvent(WatchSession const& session, ProgressState& state, WatchEvent const& event) {
  switch (event.kind) {
    case WatchEventKind::kQueried: {
      std::lock_guard<std::mutex> lock(state.mu);
      state.trade_state = event.transaction->trade_state;
      state.last_query_failed = false;
    }
      if (session.verbose) Line(session, "queried: trade_state " + event.transaction->trade_state);
      return;
    case WatchEventKind::kQueryFailed: {
      std::lock_guard<std::mutex> lock(state.mu);
      state.last_query_failed = true;
    }
      if (!session.quiet) Line(session, "query failed, retrying: " + event.status.message());
      return;
    case WatchEventKind::kCodeUrlExpired:
      if (!session.quiet) Line(session, "the code_url has expired (2 hours)");
      return;
    case WatchEventKind::kClosing:
      if (!session.quiet) Line(session, "the watch timeout passed: closing the order");
      return;
    case WatchEventKind::kCloseFailed:
      if (!session.quiet) Line(session, "close failed, retrying: " + event.status.message());
      return;
  }
}

// One line every progress_interval until the watch ends: the state and the time left before
// the watch timeout.
void ShowProgress(WatchSession const& session, ProgressState& state,
                  std::string const& out_trade_no, Clock::time_point limit_at) {
  std::unique_lock<std::mutex> lock(state.mu);
  while (!state.cv.wait_for(lock, session.progress_interval, [&] { return state.done; })) {
    std::string text =
        out_trade_no + " " + (state.trade_state.empty() ? "(no answer yet)" : state.trade_state);
    if (state.last_query_failed) text += " (last query failed, retrying)";
    text += ", " + Seconds(limit_at - Clock::now()) + " left";
    Line(session, text);
  }
}

// The interrupted watch of an order to close: the watch was cancelled, so close the order here
// and report what the order ended as (a payment that beat the close is a success, as on
// timeout).
WatchResult CloseAfterInterrupt(NativePayClient const& client, WatchSession const& session,
                                WatchResult cancelled) {
  std::string const out_trade_no = cancelled.out_trade_no;  // a copy: `cancelled` moves below
  if (!session.quiet) Line(session, "interrupted: closing order " + out_trade_no);
  WatchResult result = std::move(cancelled);
  auto closed = client.CloseOrder(out_trade_no);
  auto queried = client.QueryOrderByOutTradeNo(out_trade_no);
  if (queried && IsTerminalTradeState(queried->trade_state)) {
    result.end = queried->trade_state == "CLOSED" ? WatchEnd::kClosed : WatchEnd::kPaidAtClose;
    result.status = Status();
    result.transaction = *std::move(queried);
    return result;
  }
  result.end = WatchEnd::kFailed;
  result.status = !closed    ? closed.status()
                  : !queried ? queried.status()
                             : Status(StatusCode::kServiceError,
                                      "order " + out_trade_no + " is still " +
                                          queried->trade_state + " after closing it");
  if (queried) result.transaction = *std::move(queried);
  return result;
}

std::string FinalText(WatchResult const& result, int signal_number, Clock::duration elapsed) {
  std::string const state = result.transaction ? result.transaction->trade_state : "";
  std::string const after = " after " + Seconds(elapsed);
  switch (result.end) {
    case WatchEnd::kPushed:
    case WatchEnd::kPolled:
      return state + after;
    case WatchEnd::kClosed:
      return state + after + " (closed by this command)";
    case WatchEnd::kPaidAtClose:
      return state + after + " (the payer paid while the order was being closed)";
    case WatchEnd::kTimedOut:
      return "watch timeout" + after + ", " + (state.empty() ? "no state seen" : state) +
             ", order left open";
    case WatchEnd::kCancelled:
      if (signal_number != 0) {
        return "interrupted by " + SignalName(signal_number) + after + ", " +
               (state.empty() ? "no state seen" : state) + ", order left open";
      }
      return "cancelled" + after;
    case WatchEnd::kFailed:
      return "failed" + after;
  }
  return "ended" + after;
}

int ReportUnpaid(std::string const& code, std::string const& message) {
  ErrorReport report;
  report.category = "unpaid";
  report.code = code;
  report.message = message;
  return ReportError(report, kExitServiceError);
}

int ReportInterrupted(int signal_number, std::string const& message) {
  ErrorReport report;
  report.category = "interrupted";
  report.code = SignalName(signal_number);
  report.message = "interrupted by " + SignalName(signal_number) + ": " + message;
  return ReportError(report, kExitSignalBase + signal_number);
}

// The transaction to stdout, the reason to stderr; the exit code. `signal_number` is the stop
// signal that ended the watch, 0 when none did.
int ReportWatchResult(WatchResult const& result, int signal_number) {
  if (auto json = WatchResultJson(result); !json.empty()) PrintLine(json);
  switch (result.end) {
    case WatchEnd::kPushed:
    case WatchEnd::kPolled:
    case WatchEnd::kClosed:
    case WatchEnd::kPaidAtClose: {
      if (result.paid()) return kExitOk;
      std::string const& state = result.transaction->trade_state;
      if (signal_number != 0) {
        return ReportInterrupted(signal_number,
                                 "order " + result.out_trade_no + " ended in trade_state " + state);
      }
      return ReportUnpaid(state, "order " + result.out_trade_no + " ended in trade_state " + state);
    }
    case WatchEnd::kTimedOut:
      // Not closed by choice: no failure of the service or the network, just no payment.
      if (result.status.code() == StatusCode::kDeadlineExceeded) {
        return ReportUnpaid("WATCH_TIMEOUT", result.status.message());
      }
      return Fail(result.status);
    case WatchEnd::kCancelled:
      if (signal_number != 0) {
        return ReportInterrupted(signal_number, "stopped watching order " + result.out_trade_no +
                                                    ", which was not closed and can still be paid");
      }
      return Fail(result.status);
    case WatchEnd::kFailed:
      return Fail(result.status);
  }
  return Fail(result.status);
}

}  // namespace

bool ReadWatchArgs(Args const& args, GlobalOptions const& globals, WatchOptions& options,
                   WatchSession& session, int& exit_code) {
  if (auto interval = args.Get("interval")) {
    auto parsed = ParseSecondsOption("interval", *interval, false, 3600);
    if (!Check(parsed, exit_code)) return false;
    options.interval = *parsed;
  }
  if (auto limit = args.Get("watch-timeout")) {
    auto parsed = ParseSecondsOption("watch-timeout", *limit, false, 86400);
    if (!Check(parsed, exit_code)) return false;
    options.timeout = *parsed;
  } else if (globals.timeout_seconds) {
    // --timeout used to be these commands' watch limit. It now bounds each request, as
    // everywhere else; without --watch-timeout it still sets the limit too, for one release.
    options.timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(std::llround(*globals.timeout_seconds * 1000.0)));
    std::cerr << "wechatpay: warning: --timeout as the " << session.label
              << " limit is deprecated and will only bound each request in the next release; "
                 "use --watch-timeout SECONDS"
              << std::endl;
  }
  if (auto period = args.Get("progress-interval")) {
    auto parsed = ParseSecondsOption("progress-interval", *period, false, 3600);
    if (!Check(parsed, exit_code)) return false;
    session.progress_interval = *parsed;
  }
  session.quiet = args.Has("quiet");
  session.verbose = globals.verbose;
  return true;
}

int RunWatchSession(NativePayClient const& client, std::string const& out_trade_no,
                    WatchOptions options, WatchSession const& session) {
  auto const started = Clock::now();
  // The limit counts from the order when its creation time is known (as the watcher does).
  auto limit_at = started + options.timeout;
  if (options.created_at) {
    limit_at -= std::chrono::duration_cast<Clock::duration>(std::chrono::system_clock::now() -
                                                            *options.created_at);
  }
  auto state = std::make_shared<ProgressState>();
  options.on_event = [&session, state](WatchEvent const& event) {
    OnEvent(session, *state, event);
  };

  PaymentWatcher watcher(client);
  std::shared_future<WatchResult> watch;
  int signal_number = 0;
  {
    std::thread progress;
    if (!session.quiet) {
      progress = std::thread([&session, state, &out_trade_no, limit_at] {
        ShowProgress(session, *state, out_trade_no, limit_at);
      });
    }
    StopSignalThread stop([&watcher, &out_trade_no] { watcher.Cancel(out_trade_no); });
    watch = watcher.Watch(out_trade_no, std::move(options));
    // A signal that arrived before the watch started found nothing to cancel.
    if (stop.received()) watcher.Cancel(out_trade_no);
    watch.wait();
    signal_number = stop.signal_number();
    {
      std::lock_guard<std::mutex> lock(state->mu);
      state->done = true;
    }
    state->cv.notify_all();
    if (progress.joinable()) progress.join();
  }
  auto result = watch.get();
  // A signal that came after the watch had ended on its own changes nothing.
  if (result.end != WatchEnd::kCancelled) signal_number = 0;
  if (signal_number != 0 && session.close_on_interrupt) {
    result = CloseAfterInterrupt(client, session, std::move(result));
  }
  if (!session.quiet) {
    Line(session,
         out_trade_no + " done: " + FinalText(result, signal_number, Clock::now() - started));
  }
  return ReportWatchResult(result, signal_number);
}

std::string WatchResultJson(WatchResult const& result) {
  if (!result.transaction) return std::string();
  if (!result.transaction->raw_json.empty()) return result.transaction->raw_json;
  // A close confirmed only by its verified 204 (the query after it failed): say what is known.
  return "{\"out_trade_no\":" + internal::JsonQuote(result.out_trade_no) +
         ",\"trade_state\":" + internal::JsonQuote(result.transaction->trade_state) + "}";
}

}  // namespace wechatpay::cli
