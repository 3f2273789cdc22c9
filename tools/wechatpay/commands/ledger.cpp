// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay ledger list|show` and `wechatpay reconcile` (docs/cli.md, docs/ledger.md): the
// payment ledger on a SQLite file or a PostgreSQL URL. They work with wechatpay::ledger; a tool
// built without it (no SQLite) says so instead.

#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "help.hpp"

#if defined(WECHATPAY_HAS_LEDGER)
#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "common/json_text.hpp"
#include "wechatpay/ledger/bill_reconciler.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/reconciler.hpp"
#endif

namespace wechatpay::cli {

#if defined(WECHATPAY_HAS_LEDGER)
namespace {

using internal::JsonArray;
using internal::JsonObject;

// --ledger, else the configuration's `ledger` (the key, or WECHATPAY_LEDGER: one setting, read
// by LoadMerchantConfig): the store's URL (sqlite:PATH, a *.db / *.sqlite path, or
// postgresql://...). The configuration is loaded only when the option is absent, so
// `ledger list --ledger X` works next to an incomplete configuration file.
StatusOr<std::string> LedgerUrl(Args const& args, GlobalOptions const& globals) {
  if (auto url = args.Get("ledger")) return *url;
  auto config = LoadConfig(globals);
  if (!config) return config.status();
  if (!config->ledger.empty()) return config->ledger;
  return Status(StatusCode::kInvalidArgument,
                "--ledger is required (a SQLite file: sqlite:PATH or PATH.db; or "
                "postgresql://...), or set the configuration key ledger (WECHATPAY_LEDGER)");
}

StatusOr<std::shared_ptr<Ledger>> OpenLedger(Args const& args, GlobalOptions const& globals) {
  auto url = LedgerUrl(args, globals);
  if (!url) return url.status();
  // OpenLedgerStore's errors never quote a password; the URL is not repeated here.
  auto store = OpenLedgerStore(*url);
  if (!store) return store.status();
  return std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)));
}

std::string Rfc3339(LedgerTime ms) {
  if (ms <= 0) return "";
  std::time_t const seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string OrderJson(OrderRecord const& o) {
  JsonObject json;
  json.Str("out_trade_no", o.out_trade_no)
      .Str("state", LedgerOrderStateName(o.state))
      .Str("trade_state", o.trade_state)
      .Int("total", o.total_fen)
      .Str("currency", o.currency)
      .Str("description", o.description)
      .Str("appid", o.appid)
      .Str("transaction_id", o.transaction_id);
  if (o.payer_total_fen) json.Int("payer_total", *o.payer_total_fen);
  json.Str("success_time", o.success_time)
      .Str("code_url", o.code_url)
      .Int("code_url_expires_at", o.code_url_expires_at)
      .Int("close_deadline", o.close_deadline)
      .Int("created_at", o.created_at)
      .Int("updated_at", o.updated_at)
      .Int("version", o.version)
      .Bool("outcome_unknown", o.outcome_unknown)
      .Str("last_error", o.last_error)
      .Str("review_reason", o.review_reason)
      .Int("next_check_at", o.next_check_at)
      .Str("lease_owner", o.lease_owner)
      .Int("lease_until", o.lease_until);
  return json.Build();
}

std::string RefundJson(RefundRecord const& r) {
  return JsonObject()
      .Str("out_refund_no", r.out_refund_no)
      .Str("refund_id", r.refund_id)
      .Str("state", LedgerRefundStateName(r.state))
      .Str("refund_status", r.refund_status)
      .Int("refund", r.refund_fen)
      .Int("total", r.total_fen)
      .Str("currency", r.currency)
      .Int("created_at", r.created_at)
      .Int("updated_at", r.updated_at)
      .Bool("outcome_unknown", r.outcome_unknown)
      .Str("last_error", r.last_error)
      .Str("review_reason", r.review_reason)
      .Build();
}

std::string HistoryJson(HistoryEntry const& h) {
  return JsonObject()
      .Int("seq", h.seq)
      .Int("at", h.at)
      .Str("source", LedgerSourceName(h.source))
      .Str("out_refund_no", h.out_refund_no)
      .Str("from", h.from_state)
      .Str("to", h.to_state)
      .Str("notification_id", h.notification_id)
      .Str("detail", h.detail)
      .Build();
}

// One line per order: number, state, amount, flags.
std::string OrderLine(OrderRecord const& o) {
  std::string line = o.out_trade_no + "  " + std::string(LedgerOrderStateName(o.state)) + "  " +
                     std::to_string(o.total_fen) + " " + o.currency + "  " + Rfc3339(o.created_at);
  if (o.outcome_unknown) line += "  outcome-unknown";
  if (!o.review_reason.empty()) line += "  REVIEW: " + o.review_reason;
  return line;
}

int RunLedgerList(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec spec{"ledger list",
                   "ledger list [--ledger URL] [--state STATE] [--review] "
                   "[--limit N] [--json]",
                   {"ledger", "state", "limit"},
                   {"review", "json"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  auto args = ParseArgs(spec, argv, globals);
  if (!args) return Fail(args.status());
  LedgerQuery query;
  if (auto state = args->Get("state")) {
    auto parsed = ParseLedgerOrderState(*state);
    if (!parsed) {
      return UsageError(
          "--state must be one of CREATING, NOT_PAID, PAID, CLOSED, REVOKED, "
          "PAY_ERROR, CREATE_FAILED (as stored)");
    }
    query.states.push_back(*parsed);
  }
  query.needs_review_only = args->Has("review");
  query.limit = 50;
  if (auto limit = args->Get("limit")) {
    auto n = ParseIntegerOption("limit", *limit);
    if (!n) return Fail(n.status());
    if (*n < 1 || *n > 10000) return UsageError("--limit must be between 1 and 10000");
    query.limit = static_cast<int>(*n);
  }
  auto ledger = OpenLedger(*args, globals);
  if (!ledger) return Fail(ledger.status());
  auto orders = (*ledger)->List(query);
  if (!orders) return Fail(orders.status());
  if (args->Has("json")) {
    std::vector<std::string> items;
    for (auto const& order : *orders) items.push_back(OrderJson(order));
    PrintLine(JsonArray(items));
    return kExitOk;
  }
  for (auto const& order : *orders) PrintLine(OrderLine(order));
  if (orders->empty()) std::cerr << "no orders" << std::endl;
  return kExitOk;
}

int RunLedgerShow(std::vector<std::string> argv, GlobalOptions& globals) {
  CommandSpec spec{"ledger show",
                   "ledger show OUT_TRADE_NO [--ledger URL] [--json]",
                   {"ledger", "out-trade-no"},
                   {"json"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  std::optional<std::string> number = TakeWord(argv, spec.value_options);
  auto args = ParseArgs(spec, argv, globals);
  if (!args) return Fail(args.status());
  if (!number) number = args->Get("out-trade-no");
  if (!number || number->empty()) return UsageError("ledger show needs an OUT_TRADE_NO");
  auto ledger = OpenLedger(*args, globals);
  if (!ledger) return Fail(ledger.status());
  auto rows = (*ledger)->store()->Get(*number);
  if (!rows) return Fail(rows.status());
  if (!rows->order) {
    std::cerr << "error: the ledger has no order " << internal::JsonQuote(*number) << std::endl;
    return kExitServiceError;
  }
  auto history = (*ledger)->History(*number);
  if (!history) return Fail(history.status());
  if (args->Has("json")) {
    std::vector<std::string> refunds;
    for (auto const& refund : rows->refunds) refunds.push_back(RefundJson(refund));
    std::vector<std::string> entries;
    for (auto const& entry : *history) entries.push_back(HistoryJson(entry));
    PrintLine(JsonObject()
                  .Raw("order", OrderJson(*rows->order))
                  .Raw("refunds", JsonArray(refunds))
                  .Raw("history", JsonArray(entries))
                  .Build());
    return kExitOk;
  }
  auto const& o = *rows->order;
  PrintLine("order " + o.out_trade_no);
  PrintLine("  state:           " + std::string(LedgerOrderStateName(o.state)) +
            (o.trade_state.empty() ? "" : " (WeChat: " + o.trade_state + ")"));
  PrintLine("  amount:          " + std::to_string(o.total_fen) + " " + o.currency +
            (o.payer_total_fen ? " (payer paid " + std::to_string(*o.payer_total_fen) + ")" : ""));
  PrintLine("  description:     " + o.description);
  if (!o.transaction_id.empty()) PrintLine("  transaction_id:  " + o.transaction_id);
  if (!o.success_time.empty()) PrintLine("  success_time:    " + o.success_time);
  PrintLine("  created:         " + Rfc3339(o.created_at));
  PrintLine("  updated:         " + Rfc3339(o.updated_at) + " (version " +
            std::to_string(o.version) + ")");
  if (o.close_deadline > 0) PrintLine("  close deadline:  " + Rfc3339(o.close_deadline));
  if (o.next_check_at > 0) PrintLine("  next check:      " + Rfc3339(o.next_check_at));
  if (o.outcome_unknown) PrintLine("  outcome unknown: yes (the reconciler resolves it)");
  if (!o.last_error.empty()) PrintLine("  last error:      " + o.last_error);
  if (!o.review_reason.empty()) PrintLine("  REVIEW:          " + o.review_reason);
  for (auto const& r : rows->refunds) {
    PrintLine("refund " + r.out_refund_no + "  " + std::string(LedgerRefundStateName(r.state)) +
              "  " + std::to_string(r.refund_fen) + " of " + std::to_string(r.total_fen) + " " +
              r.currency + (r.review_reason.empty() ? "" : "  REVIEW: " + r.review_reason));
  }
  PrintLine("history");
  for (auto const& h : *history) {
    PrintLine("  " + std::to_string(h.seq) + "  " + Rfc3339(h.at) + "  " +
              std::string(LedgerSourceName(h.source)) + "  " +
              (h.from_state.empty() ? "-" : h.from_state) + " -> " + h.to_state + "  " +
              (h.out_refund_no.empty() ? "" : "[" + h.out_refund_no + "] ") + h.detail);
  }
  return kExitOk;
}

std::string SummaryJson(ReconcileSummary const& s) {
  return JsonObject()
      .Int("leased", s.leased)
      .Int("queried", s.queried)
      .Int("closed", s.closed)
      .Int("resolved", s.resolved)
      .Int("flagged", s.flagged)
      .Int("errors", s.errors)
      .Bool("rate_limited", s.rate_limited)
      .Build();
}

std::string SummaryLine(ReconcileSummary const& s) {
  return "leased " + std::to_string(s.leased) + ", queried " + std::to_string(s.queried) +
         ", closed " + std::to_string(s.closed) + ", resolved " + std::to_string(s.resolved) +
         ", flagged " + std::to_string(s.flagged) + ", errors " + std::to_string(s.errors) +
         (s.rate_limited ? " (rate limited: pausing)" : "");
}

}  // namespace

int RunLedger(std::vector<std::string> const& argv, GlobalOptions& globals) {
  // The group's help (help_table.cpp) lists the subcommands.
  auto const usage = [] { std::cout << RenderCommandHelp(*FindCommandHelp("ledger")); };
  if (argv.empty() || argv.front() == "--help" || argv.front() == "-h") {
    usage();
    return argv.empty() ? kExitUsage : kExitOk;
  }
  std::vector<std::string> rest = argv;
  auto const command = TakeWord(rest, {"ledger", "state", "limit", "out-trade-no"});
  if (!command) {
    usage();
    return kExitUsage;
  }
  if (command == "list") return RunLedgerList(rest, globals);
  if (command == "show") return RunLedgerShow(rest, globals);
  return UsageError("unknown ledger command '" + *command + "' (list or show)");
}

namespace {

// Feeds `reader` from the decompressed trade bill in `path`, in chunks.
Status FeedBillFile(std::string const& path, TradeBillReader& reader) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInvalidArgument, "--bill-file: cannot read " + path);
  std::string chunk(64 * 1024, '\0');
  while (in) {
    in.read(&chunk[0], static_cast<std::streamsize>(chunk.size()));
    auto const got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    if (auto fed = reader.Feed(std::string_view(chunk.data(), got)); !fed.ok()) return fed;
  }
  if (in.bad()) return Status(StatusCode::kInvalidArgument, "--bill-file: cannot read " + path);
  return Status();
}

// Downloads the day's trade bill (ALL, gzip) with the configuration's merchant and feeds
// `reader` as the bytes arrive. OK only when the digest matched: the rows fed before are not
// compared (BillReconciliation::Finish()) until then.
Status FeedDownloadedBill(std::string const& date, GlobalOptions const& globals,
                          TradeBillReader& reader) {
  auto config = LoadConfig(globals);
  if (!config) return config.status();
  auto client = MakeApiClient(*config, globals);
  if (!client) return client.status();
  TradeBillRequest request;
  request.bill_date = date;
  request.tar_type = "GZIP";
  auto info = client->TradeBill(request);
  if (!info) return info.status();
  auto downloaded =
      client->DownloadBill(*info, [&reader](std::string_view bytes) { return reader.Feed(bytes); });
  return downloaded.status();
}

// `reconcile --bill-date D [--bill-file F]`: one day's trade bill — downloaded with the
// configuration's merchant, or a downloaded and decompressed file — against the ledger
// (bill_reconciler.hpp). The bill goes through the push reader in chunks, so a large bill is
// never held whole, and nothing is compared or recorded before the whole bill checked out.
int ReconcileBill(Args const& args, GlobalOptions const& globals) {
  auto const date = *args.Get("bill-date");
  if (auto bounds = BeijingDayBounds(date); !bounds.ok()) {
    return UsageError("--bill-date: " + bounds.status().message());
  }
  if (args.Has("watch") || args.Has("interval") || args.Has("batch")) {
    return UsageError(
        "--bill-date reconciles one bill: --watch, --interval and --batch are for "
        "the Reconciler");
  }
  auto ledger = OpenLedger(args, globals);
  if (!ledger) return Fail(ledger.status());
  BillReconciliation day(*ledger, date);
  TradeBillReader reader([&day](TradeBillRow&& row) { return day.Add(row); });
  auto const file = args.Get("bill-file");
  auto fed = file ? FeedBillFile(*file, reader) : FeedDownloadedBill(date, globals, reader);
  if (!fed.ok()) return Fail(fed);
  auto summary = reader.Finish();
  if (!summary) return Fail(summary.status());
  auto report = day.Finish();
  if (!report) return Fail(report.status());
  std::cout << (args.Has("json") ? BillReconcileJsonLines(*report) : BillReconcileTable(*report))
            << std::flush;
  return report->differences.empty() ? kExitOk : kExitDifferences;
}

}  // namespace

int RunReconcile(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec spec{"reconcile",
                   "reconcile [--ledger URL] [--watch] [--interval SECONDS] "
                   "[--batch N] [--json] | reconcile --bill-date YYYY-MM-DD [--bill-file FILE] "
                   "[--ledger URL] [--json]",
                   {"ledger", "interval", "batch", "bill-date", "bill-file"},
                   {"watch", "json"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  auto args = ParseArgs(spec, argv, globals);
  if (!args) return Fail(args.status());
  if (args->Has("bill-date") || args->Has("bill-file")) {
    if (!args->Has("bill-date")) return UsageError("--bill-file needs --bill-date YYYY-MM-DD");
    return ReconcileBill(*args, globals);
  }
  ReconcilerOptions options;
  if (auto interval = args->Get("interval")) {
    auto ms = ParseSecondsOption("interval", *interval, false, 86400);
    if (!ms) return Fail(ms.status());
    options.interval = *ms;
  }
  if (auto batch = args->Get("batch")) {
    auto n = ParseIntegerOption("batch", *batch);
    if (!n) return Fail(n.status());
    if (*n < 1 || *n > 10000) return UsageError("--batch must be between 1 and 10000");
    options.batch = static_cast<int>(*n);
  }
  bool const json = args->Has("json");
  if (globals.verbose) {
    options.logger = [](LogLevel, std::string_view line) {
      std::cerr << "wechatpay: " << line << std::endl;
    };
  }
  auto config = LoadConfig(globals);
  if (!config) return Fail(config.status());
  auto client = NativePayClient::Create(*config, MakeClientOptions(globals));
  if (!client) return Fail(client.status());
  auto ledger = OpenLedger(*args, globals);
  if (!ledger) return Fail(ledger.status());
  auto print = [json](ReconcileSummary const& summary) {
    PrintLine(json ? SummaryJson(summary) : SummaryLine(summary));
  };

  if (!args->Has("watch")) {
    Reconciler reconciler(*ledger, *client, options);
    auto summary = reconciler.RunOnce();
    if (!summary) return Fail(summary.status());
    print(*summary);
    // Orders that failed stay due; a script learns of them by the exit code.
    return summary->errors > 0 ? kExitServiceError : kExitOk;
  }

  // --watch: a pass every interval until Ctrl-C (SIGINT) or SIGTERM, which stop it between
  // two orders; leaving that way is the normal end.
  BlockStopSignals();
  Reconciler reconciler(*ledger, *client, options);
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  StopSignalThread signals([&] {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    cv.notify_all();
  });
  auto started = reconciler.Start([&](StatusOr<ReconcileSummary> const& summary) {
    if (summary) {
      print(*summary);
    } else {
      Fail(summary.status());  // reported; the next pass tries again
    }
  });
  if (!started.ok()) return Fail(started);
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return stop; });
  }
  reconciler.Stop();
  std::cerr << "stopped" << std::endl;
  return kExitOk;
}

#else  // !WECHATPAY_HAS_LEDGER

namespace {
int Missing() {
  std::cerr << "error: this wechatpay was built without the ledger (wechatpay::ledger needs "
               "SQLite 3: Debian libsqlite3-dev; configure with WECHATPAY_WITH_LEDGER=ON)"
            << std::endl;
  return kExitUsage;
}

// Their help still works: it says what they would do in a build with the ledger.
int HelpOrMissing(std::vector<std::string> const& argv, char const* name) {
  if (!HelpRequested(argv)) return Missing();
  std::string command = name;
  if (!argv.empty() && (argv.front() == "list" || argv.front() == "show")) {
    command += " " + argv.front();
  }
  std::cout << RenderCommandHelp(*FindCommandHelp(command));
  return kExitOk;
}
}  // namespace

int RunLedger(std::vector<std::string> const& argv, GlobalOptions&) {
  return HelpOrMissing(argv, "ledger");
}
int RunReconcile(std::vector<std::string> const& argv, GlobalOptions&) {
  return HelpOrMissing(argv, "reconcile");
}

#endif  // WECHATPAY_HAS_LEDGER

}  // namespace wechatpay::cli
