// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/bill_writer.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kZero = "0.00";

// The column names, as WeChat's bill files spell them (docs/sandbox.md, "Bills", gives the
// sources).
constexpr std::string_view kTradeColumns[] = {
    "交易时间",     "公众账号ID",   "商户号",       "特约商户号",   "设备号",   "微信订单号",
    "商户订单号",   "用户标识",     "交易类型",     "交易状态",     "付款银行", "货币种类",
    "应结订单金额", "代金券金额",   "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额",
    "退款类型",     "退款状态",     "商品名称",     "商户数据包",   "手续费",   "费率",
    "订单金额",     "申请退款金额", "费率备注"};
constexpr std::string_view kTradeSummaryColumns[] = {
    "总交易单数",   "应结订单总金额", "退款总金额",    "充值券退款总金额",
    "手续费总金额", "订单总金额",     "申请退款总金额"};
constexpr std::string_view kFundFlowColumns[] = {
    "记账时间",     "微信支付业务单号", "资金流水单号",       "业务名称", "业务类型",  "收支类型",
    "收支金额(元)", "账户结余(元)",     "资金变更提交申请人", "备注",     "业务凭证号"};
constexpr std::string_view kFundFlowSummaryColumns[] = {"资金流水总笔数", "收入笔数", "收入金额",
                                                        "支出笔数", "支出金额"};

// Builds the file line by line.
class CsvText {
 public:
  CsvText() { text_.append(kByteOrderMark); }

  // A header line: the names as they are, no backticks.
  template <std::size_t N>
  void Header(std::string_view const (&names)[N]) {
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) text_.push_back(',');
      text_.append(names[i]);
    }
    text_.append(kLineEnd);
  }

  // A detail or summary line: each field behind a backtick; a field holding a comma, a quote or
  // a line break is quoted (RFC 4180: the whole field, backtick included, inner quotes doubled).
  void Row(std::vector<std::string> const& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) text_.push_back(',');
      std::string const& field = fields[i];
      if (field.find_first_of(",\"\r\n") == std::string::npos) {
        text_.push_back('`');
        text_.append(field);
        continue;
      }
      text_.append("\"`");
      for (char c : field) {
        if (c == '"') text_.push_back('"');
        text_.push_back(c);
      }
      text_.push_back('"');
    }
    text_.append(kLineEnd);
  }

  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

std::optional<SystemClock::time_point> TimeOf(std::string const& rfc3339) {
  if (rfc3339.empty()) return std::nullopt;
  return ParseRfc3339(rfc3339);
}

bool InDay(std::optional<SystemClock::time_point> t, BillDay const& day) {
  return t && *t >= day.begin && *t < day.end;
}

// A detail row with the instant it is sorted by.
struct TimedRow {
  SystemClock::time_point at;
  std::string id;  // ties broken by the row's own number, so the file is the same every time
  std::vector<std::string> fields;
};

void SortRows(std::vector<TimedRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](TimedRow const& a, TimedRow const& b) {
    return std::tie(a.at, a.id) < std::tie(b.at, b.id);
  });
}

}  // namespace

std::string YuanText(std::int64_t fen) {
  bool const negative = fen < 0;
  // Unsigned so that the most negative value has a magnitude too.
  std::uint64_t const magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(fen)
                                           : static_cast<std::uint64_t>(fen);
  std::uint64_t const cents = magnitude % 100;
  std::string text = negative ? "-" : "";
  text += std::to_string(magnitude / 100);
  text += '.';
  text += static_cast<char>('0' + cents / 10);
  text += static_cast<char>('0' + cents % 10);
  return text;
}

bool HasBillActivity(OrderBook::BillRecords const& records, BillDay const& day) {
  for (auto const& order : records.paid_orders) {
    if (InDay(TimeOf(order.success_time), day)) return true;
  }
  for (auto const& refund : records.refunds) {
    if (InDay(TimeOf(refund.create_time), day)) return true;
  }
  return false;
}

std::string TradeBillCsv(OrderBook::BillRecords const& records, BillDay const& day,
                         std::string_view bill_type) {
  bool const payments = bill_type == "ALL" || bill_type == "ALL_SPECIAL" ||
                        bill_type == "SUCCESS" || bill_type == "SUC_SPECIAL";
  bool const refunds = bill_type == "ALL" || bill_type == "ALL_SPECIAL" || bill_type == "REFUND" ||
                       bill_type == "REF_SPECIAL";
  std::map<std::string, OrderRecord const*> by_out_trade_no;
  for (auto const& order : records.paid_orders) by_out_trade_no[order.out_trade_no] = &order;

  std::vector<TimedRow> rows;
  std::int64_t settlement = 0, refunded = 0, order_total = 0, requested = 0;
  if (payments) {
    for (auto const& order : records.paid_orders) {
      auto const at = TimeOf(order.success_time);
      if (!InDay(at, day)) continue;
      settlement += order.total;
      order_total += order.total;
      // The sandbox charges no fee: 手续费 0.00 at a rate of 0.00%.
      rows.push_back(TimedRow{*at,
                              order.transaction_id,
                              {BeijingDateTime(*at),
                               order.appid,
                               order.mchid,
                               "0",
                               "",
                               order.transaction_id,
                               order.out_trade_no,
                               order.openid,
                               "NATIVE",
                               "SUCCESS",
                               order.bank_type,
                               order.currency,
                               YuanText(order.total),
                               std::string(kZero),
                               "0",
                               "0",
                               std::string(kZero),
                               std::string(kZero),
                               "",
                               "",
                               order.description,
                               order.attach.value_or(""),
                               std::string(kZero),
                               "0.00%",
                               YuanText(order.total),
                               std::string(kZero),
                               ""}});
    }
  }
  if (refunds) {
    for (auto const& refund : records.refunds) {
      auto const at = TimeOf(refund.create_time);
      auto const order = by_out_trade_no.find(refund.out_trade_no);
      if (!InDay(at, day) || order == by_out_trade_no.end()) continue;
      OrderRecord const& paid = *order->second;
      refunded += refund.refund;
      requested += refund.refund;
      rows.push_back(TimedRow{*at,
                              refund.refund_id,
                              {BeijingDateTime(*at),
                               paid.appid,
                               paid.mchid,
                               "0",
                               "",
                               paid.transaction_id,
                               paid.out_trade_no,
                               paid.openid,
                               "NATIVE",
                               "REFUND",
                               paid.bank_type,
                               refund.currency,
                               std::string(kZero),
                               std::string(kZero),
                               refund.refund_id,
                               refund.out_refund_no,
                               YuanText(refund.refund),
                               std::string(kZero),
                               "ORIGINAL",
                               refund.status,
                               paid.description,
                               paid.attach.value_or(""),
                               std::string(kZero),
                               "0.00%",
                               std::string(kZero),
                               YuanText(refund.refund),
                               ""}});
    }
  }
  SortRows(rows);
  CsvText csv;
  csv.Header(kTradeColumns);
  for (auto const& row : rows) csv.Row(row.fields);
  csv.Header(kTradeSummaryColumns);
  csv.Row({std::to_string(rows.size()), YuanText(settlement), YuanText(refunded),
           std::string(kZero), std::string(kZero), YuanText(order_total), YuanText(requested)});
  return csv.Take();
}

std::string FundFlowBillCsv(OrderBook::BillRecords const& records, BillDay const& day,
                            std::string_view account_type) {
  struct Flow {
    SystemClock::time_point at;
    std::string id;
    bool income = true;
    std::int64_t fen = 0;
    std::vector<std::string> fields;  // without the amount and the balance
  };
  std::vector<Flow> flows;
  if (account_type == "BASIC") {
    std::map<std::string, OrderRecord const*> paid_order;
    for (auto const& order : records.paid_orders) {
      auto const at = TimeOf(order.success_time);
      if (!at) continue;
      paid_order[order.out_trade_no] = &order;
      flows.push_back(Flow{
          *at,
          order.transaction_id,
          true,
          order.total,
          {order.transaction_id, order.transaction_id, "交易", "交易", "收入", "system",
           "结算总金额 " + YuanText(order.total) + " 元;含手续费 0.00 元", order.out_trade_no}});
    }
    for (auto const& refund : records.refunds) {
      auto const at = TimeOf(refund.create_time);
      // A closed refund gives its amount back: in the sandbox it never leaves the account.
      auto const order = paid_order.find(refund.out_trade_no);
      if (!at || refund.status == "CLOSED" || order == paid_order.end()) continue;
      flows.push_back(Flow{
          *at,
          refund.refund_id,
          false,
          refund.refund,
          {refund.refund_id, order->second->transaction_id, "退款", "退款", "支出",
           order->second->mchid + "API",
           "退款总金额" + YuanText(refund.refund) + "元;含手续费0.00元", refund.out_refund_no}});
    }
  }
  std::sort(flows.begin(), flows.end(), [](Flow const& a, Flow const& b) {
    return std::tie(a.at, a.id) < std::tie(b.at, b.id);
  });
  CsvText csv;
  csv.Header(kFundFlowColumns);
  std::int64_t balance = 0, income = 0, expense = 0;
  std::size_t rows = 0, incomes = 0, expenses = 0;
  for (auto const& flow : flows) {
    balance += flow.income ? flow.fen : -flow.fen;
    if (flow.at < day.begin || flow.at >= day.end) continue;
    ++rows;
    (flow.income ? incomes : expenses) += 1;
    (flow.income ? income : expense) += flow.fen;
    auto const& f = flow.fields;
    csv.Row({BeijingDateTime(flow.at), f[0], f[1], f[2], f[3], f[4], YuanText(flow.fen),
             YuanText(balance), f[5], f[6], f[7]});
  }
  csv.Header(kFundFlowSummaryColumns);
  csv.Row({std::to_string(rows), std::to_string(incomes), YuanText(income),
           std::to_string(expenses), YuanText(expense)});
  return csv.Take();
}

}  // namespace wechatpay::sandbox::internal
