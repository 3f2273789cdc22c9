// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The daily bill reconciliation (bill_reconciler.hpp) on each store of the contract suite
// (SQLite file, PostgreSQL server): the ledger is filled through the Ledger's own operations,
// the bill's rows are built as TradeBillReader hands them out.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "json/json_reader.hpp"
#include "ledger_fixture.hpp"
#include "store_factories.hpp"
#include "wechatpay/ledger/bill_reconciler.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/testing/fake_clock.hpp"

namespace wechatpay::ledger_test {
namespace {

using testing::FakeClock;
using testing::OrderRequest;
using testing::PaidTransaction;
using testing::PaymentNotification;
using testing::RefundAnswer;

constexpr char kDay[] = "2026-12-06";

// A Ledger on a fresh database of one store kind, its clock at 2026-12-06 10:00 Beijing time.
struct Books {
  explicit Books(StoreFactory const& factory) : database(factory.make()) {
    auto opened = database->Open();
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    store = std::shared_ptr<LedgerStore>(*std::move(opened));
    LedgerOptions options;
    options.clock = clock;
    ledger = std::make_shared<Ledger>(store, options);
  }

  void Created(std::string const& no, std::int64_t total) {
    REQUIRE(ledger->RecordOrderCreating(OrderRequest(no, total)).ok());
    NativePrepayResponse response;
    response.code_url = "weixin://wxpay/bizpayurl?pr=" + no;
    REQUIRE(ledger->RecordPrepayResult(no, response).ok());
  }

  void Paid(std::string const& no, std::int64_t total, std::string const& success_time) {
    Created(no, total);
    auto transaction = PaidTransaction(no, total, "42" + no);
    transaction.success_time = success_time;
    auto applied = ledger->ApplyNotification(PaymentNotification("EV-" + no, transaction));
    INFO(applied.status().ToString());
    REQUIRE(applied.ok());
    REQUIRE(applied->applied);
  }

  void Refunded(std::string const& no, std::string const& refund_no, std::int64_t refund,
                std::int64_t total, std::string const& status) {
    CreateRefundRequest request;
    request.out_trade_no = no;
    request.out_refund_no = refund_no;
    request.amount.refund = refund;
    request.amount.total = total;
    REQUIRE(ledger->RecordRefundCreating(request).ok());
    auto recorded =
        ledger->RecordRefundResult(refund_no, RefundAnswer(no, refund_no, status, refund, total));
    INFO(recorded.status().ToString());
    REQUIRE(recorded.ok());
  }

  OrderRecord Order(std::string const& no) const {
    auto order = ledger->GetOrder(no);
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    return **order;
  }

  std::size_t HistorySize(std::string const& no) const {
    auto history = ledger->History(no);
    REQUIRE(history.ok());
    return history->size();
  }

  std::unique_ptr<StoreDatabase> database;
  // 2026-12-06T02:00:00Z, 10:00 in Beijing.
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>(
      std::chrono::system_clock::time_point(std::chrono::seconds(1796522400)));
  std::shared_ptr<LedgerStore> store;
  std::shared_ptr<Ledger> ledger;
};

TradeBillRow Payment(std::string const& no, std::int64_t order_total_fen,
                     std::string const& time = "2026-12-06 10:00:00") {
  TradeBillRow row;
  row.trade_time = time;
  row.transaction_id = "42" + no;
  row.out_trade_no = no;
  row.trade_type = "NATIVE";
  row.trade_state = "SUCCESS";
  row.currency = "CNY";
  row.settlement_total_fen = order_total_fen;
  row.order_total_fen = order_total_fen;
  return row;
}

TradeBillRow RefundRow(std::string const& no, std::string const& refund_no, std::int64_t fen,
                       std::string const& status = "SUCCESS") {
  TradeBillRow row;
  row.trade_time = "2026-12-06 10:00:00";
  row.transaction_id = "42" + no;
  row.out_trade_no = no;
  row.trade_type = "NATIVE";
  row.trade_state = "REFUND";
  row.currency = "CNY";
  row.refund_id = "50" + refund_no;
  row.out_refund_no = refund_no;
  row.refund_fen = fen;
  row.refund_requested_fen = fen;
  row.refund_status = status;
  return row;
}

BillReconcileReport MustReconcile(std::shared_ptr<Ledger> ledger,
                                  std::vector<TradeBillRow> const& rows,
                                  BillReconcileOptions options = {}) {
  auto report = ReconcileTradeBill(std::move(ledger), kDay, rows, options);
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  return *std::move(report);
}

// "KIND out_trade_no out_refund_no bill_fen ledger_fen bill_state ledger_state", for comparing
// whole lists of differences at once.
std::vector<std::string> Lines(BillReconcileReport const& report) {
  auto fen = [](std::optional<std::int64_t> const& v) {
    return v ? std::to_string(*v) : std::string("null");
  };
  std::vector<std::string> lines;
  for (auto const& d : report.differences) {
    lines.push_back(std::string(BillDifferenceKindName(d.kind)) + " " + d.out_trade_no + " " +
                    (d.out_refund_no.empty() ? "-" : d.out_refund_no) + " " + fen(d.bill_fen) +
                    " " + fen(d.ledger_fen) + " " + (d.bill_state.empty() ? "-" : d.bill_state) +
                    " " + (d.ledger_state.empty() ? "-" : d.ledger_state));
  }
  return lines;
}

// The day of the main test: one of every difference, two payments and a refund that match.
void PlantDay(Books& b) {
  b.Paid("P-OK", 100, "2026-12-06T09:00:00+08:00");
  b.Paid("P-AMOUNT", 200, "2026-12-06T09:30:00+08:00");
  b.Created("P-NOTPAID", 300);
  b.Paid("P-NOBILL", 500, "2026-12-06T11:00:00+08:00");
  b.Paid("P-LATE", 600, "2026-12-06T15:59:59Z");
  b.Refunded("P-OK", "R-OK", 40, 100, "SUCCESS");
  b.Refunded("P-OK", "R-NOBILL", 20, 100, "SUCCESS");
  b.Refunded("P-AMOUNT", "R-AMOUNT", 50, 200, "SUCCESS");
  b.Refunded("P-LATE", "R-PROC", 10, 600, "PROCESSING");
}

std::vector<TradeBillRow> PlantedBill() {
  auto revoked = Payment("P-REVOKED", 5);
  revoked.trade_state = "REVOKED";
  return {Payment("P-OK", 100),
          Payment("P-AMOUNT", 250),
          Payment("P-NOTPAID", 300),
          Payment("P-UNKNOWN", 400),
          Payment("P-LATE", 600, "2026-12-06 23:59:59"),
          revoked,
          RefundRow("P-OK", "R-OK", 40),
          RefundRow("P-AMOUNT", "R-AMOUNT", 60),
          RefundRow("P-LATE", "R-PROC", 10),
          RefundRow("P-OK", "R-UNKNOWN", 70)};
}

TEST_CASE("Bill reconciliation: every kind of difference, amounts exact in fen", "[ledger]") {
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      Books b(factory);
      PlantDay(b);
      auto report = MustReconcile(b.ledger, PlantedBill());
      CHECK(Lines(report) == std::vector<std::string>{
                                 "AMOUNT_DIFFERS P-AMOUNT - 250 200 SUCCESS PAID",
                                 "STATE_DIFFERS P-NOTPAID - 300 300 SUCCESS NOT_PAID",
                                 "MISSING_IN_LEDGER P-UNKNOWN - 400 null SUCCESS -",
                                 "REFUND_DIFFERS P-AMOUNT R-AMOUNT 60 50 SUCCESS SUCCESS",
                                 "REFUND_DIFFERS P-LATE R-PROC 10 10 SUCCESS PROCESSING",
                                 "REFUND_DIFFERS P-OK R-UNKNOWN 70 null SUCCESS -",
                                 "MISSING_IN_BILL P-NOBILL - null 500 - PAID",
                                 "MISSING_IN_BILL P-OK R-NOBILL null 20 - SUCCESS",
                             });
      CHECK(report.bill_date == kDay);
      CHECK(report.bill_payments == 5);
      CHECK(report.bill_payment_fen == 100 + 250 + 300 + 400 + 600);
      CHECK(report.bill_refunds == 4);
      CHECK(report.bill_refund_fen == 40 + 60 + 10 + 70);
      CHECK(report.bill_rows_skipped == 1);
      CHECK(report.ledger_payments == 4);
      CHECK(report.ledger_payment_fen == 100 + 200 + 500 + 600);
      CHECK(report.ledger_refunds == 3);
      CHECK(report.ledger_refund_fen == 40 + 20 + 50);
      CHECK(report.matched_payments == 2);
      CHECK(report.matched_payment_fen == 700);
      CHECK(report.matched_refunds == 1);
      CHECK(report.matched_refund_fen == 40);
      // Every difference with an order in the ledger is recorded; P-UNKNOWN has none.
      CHECK(report.recorded == 7);
      CHECK(report.differences[0].transaction_id == "42P-AMOUNT");
      CHECK(report.differences[0].detail ==
            "order amount 250 fen in the bill; total 200 fen in "
            "the ledger");
    }
  }
}

TEST_CASE("Bill reconciliation: a clean day reports nothing and records nothing", "[ledger]") {
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      Books b(factory);
      b.Paid("C-1", 1, "2026-12-06T00:00:00+08:00");
      b.Paid("C-2", 123456789, "2026-12-06T12:00:00+08:00");
      b.Refunded("C-2", "C-2-R", 10, 123456789, "SUCCESS");
      b.Paid("C-YESTERDAY", 7, "2026-12-05T23:59:59+08:00");  // another day's bill
      auto const history = b.HistorySize("C-2");
      auto report = MustReconcile(
          b.ledger, {Payment("C-1", 1), Payment("C-2", 123456789), RefundRow("C-2", "C-2-R", 10)});
      CHECK(report.differences.empty());
      CHECK(report.matched_payments == 2);
      CHECK(report.matched_payment_fen == 123456790);
      CHECK(report.matched_refunds == 1);
      CHECK(report.recorded == 0);
      CHECK(b.Order("C-2").review_reason.empty());
      CHECK(b.HistorySize("C-2") == history);
      CHECK(BillReconcileTable(report).find("bill 2026-12-06: no differences\n") == 0);
    }
  }
}

TEST_CASE("Bill reconciliation: the Beijing day ends at 23:59:59, 15:59:59Z", "[ledger]") {
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      Books b(factory);
      b.Paid("B-LAST", 100, "2026-12-06T23:59:59+08:00");
      b.Paid("B-LAST-UTC", 100, "2026-12-06T15:59:59Z");
      b.Paid("B-NEXT", 100, "2026-12-07T00:00:00+08:00");
      b.Paid("B-NEXT-UTC", 100, "2026-12-06T16:00:00Z");
      b.Paid("B-FIRST", 100, "2026-12-06T00:00:00+08:00");
      b.Paid("B-PREVIOUS", 100, "2026-12-05T15:59:59Z");
      // An empty bill: what the ledger paid that day is missing from it, nothing else.
      auto report = MustReconcile(b.ledger, {}, BillReconcileOptions{false});
      CHECK(Lines(report) == std::vector<std::string>{
                                 "MISSING_IN_BILL B-FIRST - null 100 - PAID",
                                 "MISSING_IN_BILL B-LAST - null 100 - PAID",      // same instant:
                                 "MISSING_IN_BILL B-LAST-UTC - null 100 - PAID",  // by number
                             });
      CHECK(report.recorded == 0);  // record_review false: only reported
      CHECK(b.Order("B-LAST").review_reason.empty());
      // The next day's bill has the two others.
      auto next = ReconcileTradeBill(b.ledger, "2026-12-07", {}, BillReconcileOptions{false});
      REQUIRE(next.ok());
      CHECK(next->ledger_payments == 2);
    }
  }
}

TEST_CASE("Bill reconciliation: differences are recorded for review once", "[ledger]") {
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      Books b(factory);
      PlantDay(b);
      auto const before = b.HistorySize("P-AMOUNT");
      auto first = MustReconcile(b.ledger, PlantedBill());
      REQUIRE(first.recorded == 7);

      auto order = b.Order("P-AMOUNT");
      CHECK(order.review_reason.find("bill 2026-12-06: AMOUNT_DIFFERS: order amount 250 fen in the "
                                     "bill; total 200 fen in the ledger") != std::string::npos);
      CHECK(order.review_reason.find("bill 2026-12-06: REFUND_DIFFERS: refund of 60 fen") !=
            std::string::npos);
      auto refund = b.store->GetRefund("R-AMOUNT");
      REQUIRE(refund.ok());
      REQUIRE(refund->has_value());
      CHECK((*refund)->review_reason.find("REFUND_DIFFERS") != std::string::npos);
      CHECK(b.Order("P-NOTPAID").review_reason.find("STATE_DIFFERS") != std::string::npos);
      CHECK(b.Order("P-NOBILL").review_reason.find("MISSING_IN_BILL") != std::string::npos);
      CHECK(b.Order("P-OK").review_reason.find("R-UNKNOWN") != std::string::npos);
      CHECK(b.Order("P-OK").review_reason.find("MISSING_IN_BILL") != std::string::npos);
      // The matched order carries nothing.
      CHECK(b.Order("P-LATE").review_reason.find("AMOUNT") == std::string::npos);

      auto history = b.ledger->History("P-AMOUNT");
      REQUIRE(history.ok());
      REQUIRE(history->size() == before + 2);
      auto const& entry = (*history)[before];
      CHECK(entry.source == LedgerSource::kReconciler);
      CHECK(entry.detail.rfind("bill 2026-12-06: AMOUNT_DIFFERS:", 0) == 0);
      CHECK(entry.from_state == "PAID");
      CHECK(entry.to_state == "PAID");
      CHECK((*history)[before + 1].out_refund_no == "R-AMOUNT");
      CHECK((*history)[before + 1].to_state == "SUCCESS");

      // Again: the same differences, nothing written twice.
      auto const reason = order.review_reason;
      auto const version = order.version;
      auto second = MustReconcile(b.ledger, PlantedBill());
      CHECK(Lines(second) == Lines(first));
      CHECK(second.recorded == 0);
      CHECK(b.HistorySize("P-AMOUNT") == before + 2);
      CHECK(b.Order("P-AMOUNT").review_reason == reason);
      CHECK(b.Order("P-AMOUNT").version == version);

      // A person clears the review: the same day reconciled again does not flag it anew.
      REQUIRE(b.ledger->ClearReview("P-AMOUNT", "the bill is right; corrected by hand").ok());
      auto const cleared = b.HistorySize("P-AMOUNT");
      auto third = MustReconcile(b.ledger, PlantedBill());
      CHECK(third.recorded == 0);
      CHECK(b.Order("P-AMOUNT").review_reason.empty());
      CHECK(b.HistorySize("P-AMOUNT") == cleared);
    }
  }
}

TEST_CASE("Bill reconciliation: JSON lines parse, the table aligns", "[ledger]") {
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      Books b(factory);
      PlantDay(b);
      auto report = MustReconcile(b.ledger, PlantedBill(), BillReconcileOptions{false});

      auto const text = BillReconcileJsonLines(report);
      REQUIRE(!text.empty());
      REQUIRE(text.back() == '\n');
      std::vector<std::string> lines;
      for (std::size_t start = 0; start < text.size();) {
        auto const end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      REQUIRE(lines.size() == report.differences.size() + 1);
      for (std::size_t i = 0; i < report.differences.size(); ++i) {
        internal::JsonDocument doc;
        INFO(lines[i]);
        REQUIRE(doc.ParseObject(lines[i]).empty());
        auto const& d = report.differences[i];
        auto const* kind = internal::JsonMember(&doc.root(), "kind");
        REQUIRE(kind != nullptr);
        CHECK(internal::StringValue(*kind) == BillDifferenceKindName(d.kind));
        // Present, as a number or as null (JsonMember() treats null as absent).
        auto const bill_member = doc.root().FindMember("bill_fen");
        auto const ledger_member = doc.root().FindMember("ledger_fen");
        REQUIRE(bill_member != doc.root().MemberEnd());
        REQUIRE(ledger_member != doc.root().MemberEnd());
        auto const* bill = &bill_member->value;
        auto const* ledger = &ledger_member->value;
        CHECK(bill->IsNull() == !d.bill_fen.has_value());
        if (d.bill_fen) CHECK(bill->GetInt64() == *d.bill_fen);
        CHECK(ledger->IsNull() == !d.ledger_fen.has_value());
        if (d.ledger_fen) CHECK(ledger->GetInt64() == *d.ledger_fen);
        auto const* detail = internal::JsonMember(&doc.root(), "detail");
        REQUIRE(detail != nullptr);
        CHECK(internal::StringValue(*detail) == d.detail);
      }
      internal::JsonDocument summary;
      REQUIRE(summary.ParseObject(lines.back()).empty());
      auto member = [&](char const* name) {
        auto const* value = internal::JsonMember(&summary.root(), name);
        REQUIRE(value != nullptr);
        REQUIRE(value->IsInt64());
        return value->GetInt64();
      };
      CHECK(internal::JsonMember(&summary.root(), "summary")->IsTrue());
      CHECK(member("differences") == 8);
      CHECK(member("bill_payment_fen") == 1650);
      CHECK(member("ledger_refund_fen") == 110);
      CHECK(member("matched_payments") == 2);

      auto const table = BillReconcileTable(report);
      INFO(table);
      CHECK(table.rfind("bill 2026-12-06: 8 differences (amounts in fen)\n", 0) == 0);
      auto const header = table.find("KIND");
      REQUIRE(header != std::string::npos);
      auto const header_line = table.substr(header, table.find('\n', header) - header);
      auto const column = header_line.find("OUT_TRADE_NO");
      auto const bill_column = header_line.find("BILL");
      auto const amount = table.find("AMOUNT_DIFFERS");
      REQUIRE(amount != std::string::npos);
      auto const row = table.substr(amount, table.find('\n', amount) - amount);
      CHECK(row.find("P-AMOUNT") == column);
      CHECK(row.find("SUCCESS 250") == bill_column);
      CHECK(table.find("payments: bill 5 (1650 fen), ledger 4 (1400 fen), matched 2 (700 fen)") !=
            std::string::npos);
      CHECK(table.find("refunds:  bill 4 (180 fen), ledger 3 (110 fen), matched 1 (40 fen)") !=
            std::string::npos);
    }
  }
}

TEST_CASE("Bill reconciliation: a bad bill date or row is refused naming the field", "[ledger]") {
  for (auto const* bad : {"2026-02-30", "2026-12-6", "20261206", "2026-13-01", ""}) {
    auto bounds = BeijingDayBounds(bad);
    INFO(bad);
    REQUIRE_FALSE(bounds.ok());
    CHECK(bounds.status().code() == StatusCode::kInvalidArgument);
    CHECK(bounds.status().info().field == "bill_date");
  }
  auto bounds = BeijingDayBounds("2026-12-06");
  REQUIRE(bounds.ok());
  CHECK(bounds->first == 1796486400000);              // 2026-12-05T16:00:00Z
  CHECK(bounds->second == 1796486400000 + 86400000);  // 2026-12-06T16:00:00Z

  auto factory = StoreFactories().front();
  Books b(factory);
  BillReconciliation day(b.ledger, kDay);
  auto nameless = Payment("", 1);
  auto added = day.Add(nameless);
  REQUIRE_FALSE(added.ok());
  CHECK(added.info().field == "out_trade_no");
  auto refund = RefundRow("P", "", 1);
  added = day.Add(refund);
  REQUIRE_FALSE(added.ok());
  CHECK(added.info().field == "out_refund_no");
}

}  // namespace
}  // namespace wechatpay::ledger_test
