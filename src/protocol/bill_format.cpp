// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The trade and fund-flow bill readers: the columns of each bill (docs/bills.md gives the
// official names and their sources) on top of the shared layout (bill_table.hpp), and the
// summary checked against the rows.
#include "wechatpay/protocol/bill_format.hpp"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "protocol/bill_amount.hpp"
#include "protocol/bill_columns.hpp"
#include "protocol/bill_table.hpp"

namespace wechatpay {
namespace {

using internal::BillColumnMap;
using internal::BillColumnSpec;
using internal::BillTable;
using internal::BillTableSpec;

// a += b, refusing int64 overflow (a hostile bill could otherwise wrap a total into agreement).
bool AddChecked(std::int64_t& a, std::int64_t b) noexcept {
  if ((b > 0 && a > std::numeric_limits<std::int64_t>::max() - b) ||
      (b < 0 && a < std::numeric_limits<std::int64_t>::min() - b)) {
    return false;
  }
  a += b;
  return true;
}

// A summary column: the member it fills, whether it is a count, and for a total the detail column
// it sums (which the header must then have).
template <class Summary>
struct SummaryColumnSpec {
  std::string_view name;
  std::int64_t Summary::*member;
  bool is_count;
  std::string_view detail_column;
};

// Reads the summary row into `summary` and compares every known column with `computed` (the
// rows' count and sums); unknown summary columns go to `other`.
template <class Summary, class Row>
Status CheckSummary(BillTable const& table, BillColumnMap<Row> const& columns,
                    std::vector<SummaryColumnSpec<Summary>> const& specs, std::size_t line,
                    std::vector<std::string> const& names,
                    std::vector<std::string_view> const& values, Summary const& computed,
                    Summary& summary) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string const name = internal::NormalizeBillColumnName(names[i]);
    SummaryColumnSpec<Summary> const* spec = nullptr;
    for (auto const& candidate : specs) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      summary.other.push_back(BillColumn{names[i], std::string(values[i])});
      continue;
    }
    if (spec->is_count) {
      std::optional<std::int64_t> count = internal::ParseBillCount(values[i]);
      if (!count) return table.Error(line, names[i], "not a count");
      summary.*(spec->member) = *count;
    } else {
      if (!columns.Has(spec->detail_column)) {
        return table.Error(line, names[i],
                           "a total of the column " + std::string(spec->detail_column) +
                               ", which the header does not have");
      }
      StatusOr<std::int64_t> fen = internal::ParseBillAmount(values[i], names[i]);
      if (!fen.ok()) {
        return table.Error(line, names[i],
                           "not an amount in yuan (" + fen.status().message() + ")");
      }
      summary.*(spec->member) = *fen;
    }
    if (summary.*(spec->member) != computed.*(spec->member)) {
      std::string rule =
          spec->is_count ? "differs from the number of rows it counts"
                         : "differs from the sum of the rows' " + std::string(spec->detail_column);
      return table.Error(line, names[i], rule + " (no row of this bill can be trusted)");
    }
  }
  return Status();
}

// ---- trade bill -----------------------------------------------------------------------------

std::vector<BillColumnSpec<TradeBillRow>> const& TradeColumns() {
  using R = TradeBillRow;
  static auto const* columns = new std::vector<BillColumnSpec<R>>{
      {"交易时间", &R::trade_time, nullptr},
      {"公众账号ID", &R::appid, nullptr},
      {"商户号", &R::mchid, nullptr},
      {"特约商户号", &R::sub_mchid, nullptr},
      {"设备号", &R::device_info, nullptr},
      {"微信订单号", &R::transaction_id, nullptr},
      {"商户订单号", &R::out_trade_no, nullptr},
      {"用户标识", &R::openid, nullptr},
      {"交易类型", &R::trade_type, nullptr},
      {"交易状态", &R::trade_state, nullptr},
      {"付款银行", &R::bank_type, nullptr},
      {"货币种类", &R::currency, nullptr},
      {"应结订单金额", nullptr, &R::settlement_total_fen},
      {"代金券金额", nullptr, &R::coupon_fen},
      {"微信退款单号", &R::refund_id, nullptr},
      {"商户退款单号", &R::out_refund_no, nullptr},
      {"退款金额", nullptr, &R::refund_fen},
      {"充值券退款金额", nullptr, &R::recharge_coupon_refund_fen},
      {"退款类型", &R::refund_type, nullptr},
      {"退款状态", &R::refund_status, nullptr},
      {"商品名称", &R::description, nullptr},
      {"商户数据包", &R::attach, nullptr},
      {"手续费", nullptr, &R::fee_fen},
      {"费率", &R::fee_rate, nullptr},
      {"订单金额", nullptr, &R::order_total_fen},
      {"申请退款金额", nullptr, &R::refund_requested_fen},
      {"费率备注", &R::fee_rate_note, nullptr},
  };
  return *columns;
}

// What a reconciliation cannot do without: which order, which state, when, and how much. Every
// other column (refund columns are absent from a SUCCESS bill) reads as empty or zero.
std::vector<std::string_view> const& TradeRequiredColumns() {
  static auto const* required = new std::vector<std::string_view>{
      "交易时间", "微信订单号", "商户订单号", "交易状态", "订单金额"};
  return *required;
}

std::vector<SummaryColumnSpec<TradeBillSummary>> const& TradeSummaryColumns() {
  using S = TradeBillSummary;
  static auto const* columns = new std::vector<SummaryColumnSpec<S>>{
      {"总交易单数", &S::row_count, true, {}},
      {"应结订单总金额", &S::settlement_total_fen, false, "应结订单金额"},
      {"退款总金额", &S::refund_fen, false, "退款金额"},
      {"充值券退款总金额", &S::recharge_coupon_refund_fen, false, "充值券退款金额"},
      {"手续费总金额", &S::fee_fen, false, "手续费"},
      {"订单总金额", &S::order_total_fen, false, "订单金额"},
      {"申请退款总金额", &S::refund_requested_fen, false, "申请退款金额"},
  };
  return *columns;
}

constexpr std::string_view kTradeBill = "trade bill";
constexpr std::string_view kTradeCount = "总交易单数";

}  // namespace

struct TradeBillReader::Impl {
  explicit Impl(RowHandler handler)
      : on_row(std::move(handler)),
        table(BillTableSpec{kTradeBill, kTradeCount,
                            [this](std::vector<std::string> const& names) {
                              return columns.Build(table, names, TradeColumns(),
                                                   TradeRequiredColumns());
                            },
                            [this](std::size_t line, std::vector<std::string_view> const& fields) {
                              return Row(line, fields);
                            },
                            [this](std::size_t line, std::vector<std::string> const& names,
                                   std::vector<std::string_view> const& values) {
                              return CheckSummary(table, columns, TradeSummaryColumns(), line,
                                                  names, values, computed, summary);
                            }}) {}

  Status Row(std::size_t line, std::vector<std::string_view> const& fields) {
    // One row, refilled for every line (BillColumnMap::Fill()).
    TradeBillRow& row = current;
    if (Status error; !columns.Fill(table, line, fields, row, error)) return error;
    TradeBillSummary& c = computed;
    if (!AddChecked(c.row_count, 1) ||
        !AddChecked(c.settlement_total_fen, row.settlement_total_fen) ||
        !AddChecked(c.refund_fen, row.refund_fen) ||
        !AddChecked(c.recharge_coupon_refund_fen, row.recharge_coupon_refund_fen) ||
        !AddChecked(c.fee_fen, row.fee_fen) ||
        !AddChecked(c.order_total_fen, row.order_total_fen) ||
        !AddChecked(c.refund_requested_fen, row.refund_requested_fen)) {
      return table.Error(line, {}, "the rows' totals overflow");
    }
    return on_row ? on_row(std::move(row)) : Status();
  }

  RowHandler on_row;
  BillColumnMap<TradeBillRow> columns;
  TradeBillRow current;
  TradeBillSummary computed;
  TradeBillSummary summary;
  BillTable table;
};

TradeBillReader::TradeBillReader(RowHandler on_row)
    : impl_(std::make_unique<Impl>(std::move(on_row))) {}
TradeBillReader::~TradeBillReader() = default;
TradeBillReader::TradeBillReader(TradeBillReader&&) noexcept = default;
TradeBillReader& TradeBillReader::operator=(TradeBillReader&&) noexcept = default;

Status TradeBillReader::Feed(std::string_view bytes) {
  if (!impl_) return Status(StatusCode::kInternal, "trade bill reader used after a move");
  return impl_->table.Feed(bytes);
}

StatusOr<TradeBillSummary> TradeBillReader::Finish() {
  if (!impl_) return Status(StatusCode::kInternal, "trade bill reader used after a move");
  if (Status s = impl_->table.Finish(); !s.ok()) return s;
  return impl_->summary;
}

StatusOr<TradeBill> ParseTradeBill(std::string_view text) {
  TradeBill bill;
  TradeBillReader reader([&bill](TradeBillRow&& row) {
    bill.rows.push_back(std::move(row));
    return Status();
  });
  if (Status s = reader.Feed(text); !s.ok()) return s;
  StatusOr<TradeBillSummary> summary = reader.Finish();
  if (!summary.ok()) return summary.status();
  bill.summary = std::move(*summary);
  return bill;
}

// ---- fund-flow bill -------------------------------------------------------------------------

namespace {

std::vector<BillColumnSpec<FundFlowBillRow>> const& FundFlowColumns() {
  using R = FundFlowBillRow;
  static auto const* columns = new std::vector<BillColumnSpec<R>>{
      {"记账时间", &R::booking_time, nullptr},
      {"微信支付业务单号", &R::transaction_id, nullptr},
      {"资金流水单号", &R::flow_id, nullptr},
      {"业务名称", &R::business_name, nullptr},
      {"业务类型", &R::business_type, nullptr},
      {"收支类型", &R::direction, nullptr},
      {"收支金额(元)", nullptr, &R::amount_fen},
      {"账户结余(元)", nullptr, &R::balance_fen},
      {"资金变更提交申请人", &R::applicant, nullptr},
      {"备注", &R::remark, nullptr},
      {"业务凭证号", &R::voucher_no, nullptr},
  };
  return *columns;
}

constexpr std::string_view kFundFlowAmount = "收支金额(元)";
constexpr std::string_view kFundFlowDirection = "收支类型";
constexpr std::string_view kIncome = "收入";
constexpr std::string_view kExpense = "支出";

std::vector<std::string_view> const& FundFlowRequiredColumns() {
  static auto const* required = new std::vector<std::string_view>{
      "记账时间", "资金流水单号", kFundFlowDirection, kFundFlowAmount};
  return *required;
}

std::vector<SummaryColumnSpec<FundFlowBillSummary>> const& FundFlowSummaryColumns() {
  using S = FundFlowBillSummary;
  static auto const* columns = new std::vector<SummaryColumnSpec<S>>{
      {"资金流水总笔数", &S::row_count, true, {}},
      {"收入笔数", &S::income_count, true, {}},
      {"收入金额", &S::income_fen, false, kFundFlowAmount},
      {"支出笔数", &S::expense_count, true, {}},
      {"支出金额", &S::expense_fen, false, kFundFlowAmount},
  };
  return *columns;
}

constexpr std::string_view kFundFlowBill = "fund-flow bill";
constexpr std::string_view kFundFlowCount = "资金流水总笔数";

}  // namespace

struct FundFlowBillReader::Impl {
  explicit Impl(RowHandler handler)
      : on_row(std::move(handler)),
        table(BillTableSpec{kFundFlowBill, kFundFlowCount,
                            [this](std::vector<std::string> const& names) {
                              return columns.Build(table, names, FundFlowColumns(),
                                                   FundFlowRequiredColumns());
                            },
                            [this](std::size_t line, std::vector<std::string_view> const& fields) {
                              return Row(line, fields);
                            },
                            [this](std::size_t line, std::vector<std::string> const& names,
                                   std::vector<std::string_view> const& values) {
                              return CheckSummary(table, columns, FundFlowSummaryColumns(), line,
                                                  names, values, computed, summary);
                            }}) {}

  Status Row(std::size_t line, std::vector<std::string_view> const& fields) {
    // One row, refilled for every line (BillColumnMap::Fill()).
    FundFlowBillRow& row = current;
    if (Status error; !columns.Fill(table, line, fields, row, error)) return error;
    FundFlowBillSummary& c = computed;
    bool ok = AddChecked(c.row_count, 1);
    // The summary splits the rows by 收支类型; a row that is neither could not be counted.
    if (row.direction == kIncome) {
      ok = ok && AddChecked(c.income_count, 1) && AddChecked(c.income_fen, row.amount_fen);
    } else if (row.direction == kExpense) {
      ok = ok && AddChecked(c.expense_count, 1) && AddChecked(c.expense_fen, row.amount_fen);
    } else {
      return table.Error(line, kFundFlowDirection, "neither 收入 (income) nor 支出 (expense)");
    }
    if (!ok) return table.Error(line, {}, "the rows' totals overflow");
    return on_row ? on_row(std::move(row)) : Status();
  }

  RowHandler on_row;
  BillColumnMap<FundFlowBillRow> columns;
  FundFlowBillRow current;
  FundFlowBillSummary computed;
  FundFlowBillSummary summary;
  BillTable table;
};

FundFlowBillReader::FundFlowBillReader(RowHandler on_row)
    : impl_(std::make_unique<Impl>(std::move(on_row))) {}
FundFlowBillReader::~FundFlowBillReader() = default;
FundFlowBillReader::FundFlowBillReader(FundFlowBillReader&&) noexcept = default;
FundFlowBillReader& FundFlowBillReader::operator=(FundFlowBillReader&&) noexcept = default;

Status FundFlowBillReader::Feed(std::string_view bytes) {
  if (!impl_) return Status(StatusCode::kInternal, "fund-flow bill reader used after a move");
  return impl_->table.Feed(bytes);
}

StatusOr<FundFlowBillSummary> FundFlowBillReader::Finish() {
  if (!impl_) return Status(StatusCode::kInternal, "fund-flow bill reader used after a move");
  if (Status s = impl_->table.Finish(); !s.ok()) return s;
  return impl_->summary;
}

StatusOr<FundFlowBill> ParseFundFlowBill(std::string_view text) {
  FundFlowBill bill;
  FundFlowBillReader reader([&bill](FundFlowBillRow&& row) {
    bill.rows.push_back(std::move(row));
    return Status();
  });
  if (Status s = reader.Feed(text); !s.ok()) return s;
  StatusOr<FundFlowBillSummary> summary = reader.Finish();
  if (!summary.ok()) return summary.status();
  bill.summary = std::move(*summary);
  return bill;
}

}  // namespace wechatpay
