// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Issue 19 end to end: a day of business against the sandbox over TLS, done the way an
// application does it — a LedgerClient places the orders, the SDK's NotificationHandler with
// the ledger (on a local HTTP server) applies the payment and refund callbacks, unpaid orders
// are closed, two refunds are recorded and completed — with three problems planted: a payment
// whose callback is never delivered (the receiver refuses that order's route, so WeChat's
// retries never succeed), a payment at WeChat for an order the ledger never recorded, and a
// refund made past the ledger. The sandbox's bill clock is then moved past 10:00 of the next
// Beijing day, the day's trade bill is downloaded (GZIP, digest-checked) straight into
// TradeBillReader -> BillReconciliation, and the report must name exactly those three, with
// the matched counts and totals; the differences are recorded on their orders, once. On every
// store of the contract suite (SQLite; PostgreSQL when built).

#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "store_factories.hpp"
#include "support/loopback_server.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/ledger/bill_reconciler.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/protocol/bill_format.hpp"

namespace wechatpay::ledger_test {
namespace {

using testing::Eventually;
using testing::LoopbackServer;
using testing::SandboxFixture;

using SystemClock = std::chrono::system_clock;

// The merchant's notify routes: /notify hands every callback to the SDK's handler with the
// ledger's applier; /notify-refused answers 500 to everything, so the orders that name it never
// get their callback through (WeChat retries on its schedule, in vain). Declared before the
// sandbox so that it outlives it.
class Receiver {
 public:
  Receiver() {
    server_.http().Post(
        "/notify", [this](httplib::Request const& request, httplib::Response& response) {
          HttpHeaders headers;
          for (auto const& [name, value] : request.headers) headers.Add(name, value);
          std::shared_ptr<NotificationHandler> handler;
          {
            std::lock_guard<std::mutex> lock(mu_);
            handler = handler_;
          }
          if (!handler) {
            response.status = 503;
            return;
          }
          auto const result = handler->Handle(headers, request.body);
          response.status = result.answer.status_code;
          if (!result.answer.body.empty()) {
            response.set_content(result.answer.body, result.answer.content_type.c_str());
          }
        });
    server_.http().Post("/notify-refused",
                        [this](httplib::Request const&, httplib::Response& response) {
                          std::lock_guard<std::mutex> lock(mu_);
                          ++refused_;
                          response.status = 500;
                        });
    server_.Start();
  }

  void Attach(NotificationHandler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::make_shared<NotificationHandler>(std::move(handler));
  }
  std::string Url() const { return server_.BaseUrl() + "/notify"; }
  std::string RefusingUrl() const { return server_.BaseUrl() + "/notify-refused"; }
  int Refused() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<NotificationHandler> handler_;
  int refused_ = 0;
  LoopbackServer server_;  // last: stops before the members above go
};

// The Beijing date (yyyy-MM-dd) of an RFC 3339 success_time such as
// "2026-12-07T15:59:59+08:00": the instant moved to UTC+8.
std::string BeijingDateOf(std::string const& rfc3339) {
  std::tm parts{};
  REQUIRE(rfc3339.size() >= 19);
  parts.tm_year = std::stoi(rfc3339.substr(0, 4)) - 1900;
  parts.tm_mon = std::stoi(rfc3339.substr(5, 2)) - 1;
  parts.tm_mday = std::stoi(rfc3339.substr(8, 2));
  parts.tm_hour = std::stoi(rfc3339.substr(11, 2));
  parts.tm_min = std::stoi(rfc3339.substr(14, 2));
  parts.tm_sec = std::stoi(rfc3339.substr(17, 2));
  std::time_t utc = timegm(&parts);
  auto const zone = rfc3339.find_first_of("Z+-", 19);
  REQUIRE(zone != std::string::npos);
  if (rfc3339[zone] != 'Z') {
    int const offset =
        std::stoi(rfc3339.substr(zone + 1, 2)) * 3600 + std::stoi(rfc3339.substr(zone + 4, 2)) * 60;
    utc += rfc3339[zone] == '+' ? -offset : offset;
  }
  std::time_t const beijing = utc + 8 * 3600;
  std::tm day{};
  gmtime_r(&beijing, &day);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &day);
  return text;
}

// A Beijing day turns at 16:00 UTC: a day of business must not straddle it, so a run that
// starts in its last minute waits for the new day (the test itself takes seconds).
void AvoidBeijingMidnight() {
  auto const now = SystemClock::to_time_t(SystemClock::now());
  auto const into_day = (now + 8 * 3600) % 86400;
  if (into_day > 86400 - 60)
    std::this_thread::sleep_for(std::chrono::seconds(86400 - into_day + 1));
}

// A difference as the test plants it: kind, out_trade_no, out_refund_no, bill fen, ledger fen.
using Planted = std::tuple<std::string, std::string, std::string, std::optional<std::int64_t>,
                           std::optional<std::int64_t>>;

std::set<Planted> Named(BillReconcileReport const& report) {
  std::set<Planted> named;
  for (auto const& d : report.differences) {
    named.emplace(std::string(BillDifferenceKindName(d.kind)), d.out_trade_no, d.out_refund_no,
                  d.bill_fen, d.ledger_fen);
  }
  return named;
}

struct Downloaded {
  StatusOr<BillReconcileReport> report = Status(StatusCode::kInternal, "not run");
  std::uint64_t bill_bytes = 0;
};

// What the application runs each morning: apply for the day's bill (ALL, GZIP), stream the
// download through the reader into the reconciliation, compare only once the digest matched.
Downloaded ReconcileDay(NativePayClient const& client, std::shared_ptr<Ledger> const& ledger,
                        std::string const& day) {
  Downloaded out;
  TradeBillRequest request;
  request.bill_date = day;
  request.tar_type = "GZIP";
  auto info = client.TradeBill(request);
  INFO(info.status().ToString());
  REQUIRE(info.ok());
  CHECK(info->gzip);
  BillReconciliation reconciliation(ledger, day);
  TradeBillReader reader([&](TradeBillRow&& row) { return reconciliation.Add(row); });
  auto downloaded =
      client.DownloadBill(*info, [&](std::string_view bytes) { return reader.Feed(bytes); });
  INFO(downloaded.status().ToString());
  REQUIRE(downloaded.ok());
  CHECK(downloaded->downloaded_bytes < downloaded->bill_bytes);  // it came compressed
  auto summary = reader.Finish();
  INFO(summary.status().ToString());
  REQUIRE(summary.ok());
  out.bill_bytes = downloaded->bill_bytes;
  out.report = reconciliation.Finish();
  return out;
}

void RunDayOfBusiness(StoreDatabase& database) {
  auto store = database.Open();
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  // The ledger on the wall clock, as in production: refunds count for the day the ledger
  // recorded their success.
  auto ledger = std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)));

  Receiver receiver;
  SandboxFixture sandbox;
  NativePayClient const raw = sandbox.Client();  // the calls made past the ledger
  LedgerClient shop(sandbox.Client(), ledger);
  auto parser = shop.MakeNotificationParser();
  INFO(parser.status().ToString());
  REQUIRE(parser.ok());
  receiver.Attach(MakeLedgerNotificationHandler(
      *std::move(parser),
      {kEventTransactionSuccess, kEventRefundSuccess, kEventRefundAbnormal, kEventRefundClosed},
      ledger));

  AvoidBeijingMidnight();

  // The day: 20 orders through the LedgerClient, amounts 101, 112, 123, ... fen.
  std::vector<std::string> orders;
  std::map<std::string, std::int64_t> total;
  for (int i = 1; i <= 20; ++i) {
    std::string const no = "E2E-DAY-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    NativePrepayRequest request;
    request.out_trade_no = no;
    request.description = "日终对账";
    request.amount.total = 90 + 11 * i;
    // Order 13's callback never gets through: its notify route refuses every delivery.
    request.notify_url = i == 13 ? receiver.RefusingUrl() : receiver.Url();
    auto placed = shop.NativePrepay(request);
    INFO(no << ": " << placed.status().ToString());
    REQUIRE(placed.ok());
    orders.push_back(no);
    total[no] = request.amount.total;
  }
  // Orders 1-13 are paid; 14-18 are left unpaid and closed; 19 and 20 stay open.
  for (int i = 1; i <= 13; ++i) REQUIRE(sandbox.sandbox().Pay(orders[i - 1]).ok());
  for (int i = 14; i <= 18; ++i) {
    auto closed = shop.CloseOrder(orders[i - 1]);
    INFO(closed.status().ToString());
    REQUIRE(closed.ok());
  }
  REQUIRE(Eventually([&] {
    for (int i = 1; i <= 12; ++i) {
      auto order = ledger->GetOrder(orders[i - 1]);
      if (!order.ok() || !*order || (*order)->state != LedgerOrderState::kPaid) return false;
    }
    return true;
  }));
  REQUIRE(Eventually([&] { return receiver.Refused() >= 2; }));  // the first try and a retry

  // Two refunds through the LedgerClient, completed by the sandbox with REFUND.SUCCESS.
  auto refund = [&](std::string const& no, std::string const& refund_no, std::int64_t fen) {
    CreateRefundRequest request;
    request.out_trade_no = no;
    request.out_refund_no = refund_no;
    request.amount.refund = fen;
    request.amount.total = total[no];
    request.notify_url = receiver.Url();
    return request;
  };
  REQUIRE(shop.CreateRefund(refund("E2E-DAY-01", "E2E-RF-01", 40)).ok());
  REQUIRE(shop.CreateRefund(refund("E2E-DAY-02", "E2E-RF-02", total["E2E-DAY-02"])).ok());
  // The refund the ledger does not know: made with the plain client, no callback route.
  auto unknown_refund = refund("E2E-DAY-03", "E2E-RF-PAST-LEDGER", 25);
  unknown_refund.notify_url.reset();
  REQUIRE(raw.CreateRefund(unknown_refund).ok());
  // The payment the ledger never recorded: ordered and paid past it.
  NativePrepayRequest stranger;
  stranger.out_trade_no = "E2E-DAY-STRANGER";
  stranger.description = "未记账";
  stranger.amount.total = 777;
  REQUIRE(raw.NativePrepay(stranger).ok());
  REQUIRE(sandbox.sandbox().Pay(stranger.out_trade_no).ok());
  REQUIRE(Eventually([&] {
    auto one = ledger->Refunds("E2E-DAY-01");
    auto two = ledger->Refunds("E2E-DAY-02");
    return one.ok() && one->size() == 1 && (*one)[0].state == LedgerRefundState::kSuccess &&
           two.ok() && two->size() == 1 && (*two)[0].state == LedgerRefundState::kSuccess;
  }));
  REQUIRE(Eventually([&] {
    auto state = raw.QueryRefund("E2E-RF-PAST-LEDGER");
    return state.ok() && state->status == "SUCCESS";
  }));

  // The day is the Beijing date of the payments' success_time (WeChat's clock), not of ours.
  auto const first = raw.QueryOrderByOutTradeNo("E2E-DAY-01");
  REQUIRE(first.ok());
  REQUIRE(first->success_time);
  std::string const day = BeijingDateOf(*first->success_time);
  for (auto const& no :
       {std::string("E2E-DAY-13"), std::string("E2E-DAY-12"), stranger.out_trade_no}) {
    auto paid = raw.QueryOrderByOutTradeNo(no);
    REQUIRE(paid.ok());
    REQUIRE(paid->success_time);
    REQUIRE(BeijingDateOf(*paid->success_time) == day);
  }
  // The planted missing callback: the ledger still has order 13 unpaid, and nothing queried it.
  CHECK(ledger->GetOrder("E2E-DAY-13").value()->state == LedgerOrderState::kNotPaid);

  // The next morning at WeChat: 10:01 Beijing time of the day after `day`.
  auto const bounds = BeijingDayBounds(day);
  REQUIRE(bounds.ok());
  auto const now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::now().time_since_epoch())
          .count();
  auto const ahead = std::chrono::seconds((bounds->second - now_ms) / 1000 + 10 * 3600 + 60);
  // One minute before 10:00 the bill is still being made: "not yet", not "never".
  REQUIRE(sandbox.sandbox().AdvanceClock(ahead - std::chrono::minutes(2)).ok());
  ClientOptions options;
  options.calendar_clock = [ahead] { return SystemClock::now() + ahead; };
  NativePayClient const morning = sandbox.Client(options);
  TradeBillRequest early;
  early.bill_date = day;
  auto not_yet = morning.TradeBill(early);
  CHECK(not_yet.status().code() == StatusCode::kUnavailable);
  CHECK(not_yet.status().info().service_code == "STATEMENT_CREATING");
  REQUIRE(sandbox.sandbox().AdvanceClock(std::chrono::minutes(2)).ok());

  auto const run = ReconcileDay(morning, ledger, day);
  INFO(run.report.status().ToString());
  REQUIRE(run.report.ok());
  auto const& report = *run.report;
  INFO(BillReconcileTable(report));
  CHECK(report.bill_date == day);
  CHECK(Named(report) ==
        std::set<Planted>{
            {"STATE_DIFFERS", "E2E-DAY-13", "", total["E2E-DAY-13"], total["E2E-DAY-13"]},
            {"MISSING_IN_LEDGER", "E2E-DAY-STRANGER", "", 777, std::nullopt},
            {"REFUND_DIFFERS", "E2E-DAY-03", "E2E-RF-PAST-LEDGER", 25, std::nullopt},
        });
  for (auto const& d : report.differences) {
    if (d.out_trade_no == "E2E-DAY-13") CHECK(d.ledger_state == "NOT_PAID");
  }
  std::int64_t paid_fen = 0;
  for (int i = 1; i <= 12; ++i) paid_fen += total[orders[i - 1]];
  std::int64_t const refunded_fen = 40 + total["E2E-DAY-02"];
  // The bill: 12 matched payments, order 13 and the stranger; three refunds.
  CHECK(report.bill_payments == 14);
  CHECK(report.bill_payment_fen == paid_fen + total["E2E-DAY-13"] + 777);
  CHECK(report.bill_refunds == 3);
  CHECK(report.bill_refund_fen == refunded_fen + 25);
  CHECK(report.bill_rows_skipped == 0);
  CHECK(report.ledger_payments == 12);
  CHECK(report.ledger_payment_fen == paid_fen);
  CHECK(report.ledger_refunds == 2);
  CHECK(report.ledger_refund_fen == refunded_fen);
  CHECK(report.matched_payments == 12);
  CHECK(report.matched_payment_fen == paid_fen);
  CHECK(report.matched_refunds == 2);
  CHECK(report.matched_refund_fen == refunded_fen);
  CHECK(report.recorded == 2);  // the stranger has no order to record it on

  // Recorded for review on the two orders the ledger has, and nowhere else.
  std::map<std::string, std::size_t> history_sizes;
  for (auto const& no : orders) {
    auto order = ledger->GetOrder(no);
    REQUIRE(order.ok());
    REQUIRE(*order);
    auto history = ledger->History(no);
    REQUIRE(history.ok());
    history_sizes[no] = history->size();
    std::string const prefix = "bill " + day + ": ";
    if (no == "E2E-DAY-13" || no == "E2E-DAY-03") {
      std::string const kind = no == "E2E-DAY-13" ? "STATE_DIFFERS" : "REFUND_DIFFERS";
      INFO(no << " review: " << (*order)->review_reason);
      CHECK((*order)->review_reason.find(prefix + kind) != std::string::npos);
      CHECK(history->back().source == LedgerSource::kReconciler);
      CHECK(history->back().detail.find(prefix + kind) != std::string::npos);
    } else {
      INFO(no);
      CHECK((*order)->review_reason.empty());
    }
  }
  CHECK_FALSE(ledger->GetOrder("E2E-DAY-STRANGER").value().has_value());

  // The same morning again (a retried job, another instance): the same report, nothing new.
  auto const again = ReconcileDay(morning, ledger, day);
  REQUIRE(again.report.ok());
  CHECK(Named(*again.report) == Named(report));
  CHECK(again.report->matched_payments == 12);
  CHECK(again.report->recorded == 0);
  CHECK(again.bill_bytes == run.bill_bytes);
  for (auto const& no : orders) {
    auto history = ledger->History(no);
    REQUIRE(history.ok());
    INFO(no);
    CHECK(history->size() == history_sizes[no]);
  }
}

TEST_CASE(
    "A day of business against the sandbox: the trade bill names exactly the planted "
    "differences",
    "[ledger][bills][sandbox]") {
  REQUIRE_FALSE(StoreFactories().empty());
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      auto database = factory.make();
      RunDayOfBusiness(*database);
    }
  }
}

}  // namespace
}  // namespace wechatpay::ledger_test
