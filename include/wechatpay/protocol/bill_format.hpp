// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file bill_format.hpp
/// WeChat Pay's bill files as typed rows: the trade bill (`GET /v3/bill/tradebill`) and the
/// fund-flow bill (`GET /v3/bill/fundflowbill`), once downloaded and decompressed. The format
/// (docs/bills.md gives the sources): UTF-8 text with an optional byte-order mark, CRLF or LF line
/// ends, a header line naming the detail columns, one line per detail row, then a summary header
/// and one summary row; every detail and summary field starts with a backtick "`" (so that a
/// spreadsheet keeps long numbers as text); amounts are in **yuan** and are converted to fen
/// exactly, never through floating point.
///
/// Columns are found by their header name, not their position, so WeChat may reorder them; a
/// column this version does not know is kept by name in `other`, so a new column never breaks
/// parsing. A column this version needs that is missing from the header is an error.
///
/// The readers are push parsers: feed the decompressed bytes in chunks of any size (a chunk may
/// end inside a line or inside a UTF-8 character) and each detail row is handed to the caller as
/// soon as its line is complete, so a bill never has to be held in memory. Rows handed out before
/// Finish() are provisional: only Finish() checks the summary against them (count and totals), and
/// only a download whose digest matched (bill_digest.hpp) is WeChat's bill at all.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// An amount in yuan as a bill writes it ("0.01", "1234567.89", "0.10", "0", "0.0", "-0.05")
/// converted to fen exactly. At most two decimals; an optional leading '-'; no exponent, no
/// grouping, no spaces. Errors: kInvalidArgument naming `field` (the column) and the rule.
WECHATPAY_EXPORT StatusOr<std::int64_t> ParseYuanToFen(std::string_view text,
                                                       std::string_view field);

/// A column of a row that this version does not map to a member: its header name and value
/// (the leading backtick removed).
struct WECHATPAY_EXPORT BillColumn {
  /// The header name, as in the file.
  std::string name;
  /// The value, as in the file without its backtick.
  std::string value;
};

/// One detail row of a trade bill (bill_type ALL, SUCCESS or REFUND; a SUCCESS bill has no refund
/// columns, which are then empty or zero). Times are as written in the file: Beijing time,
/// "yyyy-MM-dd HH:mm:ss". Amounts in fen.
struct WECHATPAY_EXPORT TradeBillRow {
  std::string trade_time;      ///< 交易时间
  std::string appid;           ///< 公众账号ID
  std::string mchid;           ///< 商户号
  std::string sub_mchid;       ///< 特约商户号 ("0" or empty for a direct merchant)
  std::string device_info;     ///< 设备号
  std::string transaction_id;  ///< 微信订单号
  std::string out_trade_no;    ///< 商户订单号
  std::string openid;          ///< 用户标识
  std::string trade_type;      ///< 交易类型 (NATIVE, JSAPI, ...)
  /// 交易状态: SUCCESS for a payment row, REFUND for a refund row, REVOKED for a revoked payment.
  std::string trade_state;
  std::string bank_type;                        ///< 付款银行
  std::string currency;                         ///< 货币种类 (CNY)
  std::int64_t settlement_total_fen = 0;        ///< 应结订单金额
  std::int64_t coupon_fen = 0;                  ///< 代金券金额
  std::string refund_id;                        ///< 微信退款单号 (refund rows)
  std::string out_refund_no;                    ///< 商户退款单号 (refund rows)
  std::int64_t refund_fen = 0;                  ///< 退款金额 (refund rows)
  std::int64_t recharge_coupon_refund_fen = 0;  ///< 充值券退款金额
  std::string refund_type;                      ///< 退款类型
  std::string refund_status;                    ///< 退款状态 (SUCCESS, PROCESSING, ...)
  std::string description;                      ///< 商品名称
  std::string attach;                           ///< 商户数据包
  std::int64_t fee_fen = 0;               ///< 手续费 (negative on a refund row: fee returned)
  std::string fee_rate;                   ///< 费率, as written ("0.60%")
  std::int64_t order_total_fen = 0;       ///< 订单金额
  std::int64_t refund_requested_fen = 0;  ///< 申请退款金额
  std::string fee_rate_note;              ///< 费率备注
  std::vector<BillColumn> other;          ///< columns this version does not know, by name
};

/// The summary row of a trade bill, in fen.
struct WECHATPAY_EXPORT TradeBillSummary {
  std::int64_t row_count = 0;                   ///< 总交易单数
  std::int64_t settlement_total_fen = 0;        ///< 应结订单总金额
  std::int64_t refund_fen = 0;                  ///< 退款总金额
  std::int64_t recharge_coupon_refund_fen = 0;  ///< 充值券退款总金额
  std::int64_t fee_fen = 0;                     ///< 手续费总金额
  std::int64_t order_total_fen = 0;             ///< 订单总金额
  std::int64_t refund_requested_fen = 0;        ///< 申请退款总金额
  std::vector<BillColumn> other;                ///< summary columns not known by name
};

/// One detail row of a fund-flow bill. Amounts in fen.
struct WECHATPAY_EXPORT FundFlowBillRow {
  std::string booking_time;       ///< 记账时间
  std::string transaction_id;     ///< 微信支付业务单号
  std::string flow_id;            ///< 资金流水单号
  std::string business_name;      ///< 业务名称
  std::string business_type;      ///< 业务类型
  std::string direction;          ///< 收支类型 (收入 or 支出, as written)
  std::int64_t amount_fen = 0;    ///< 收支金额(元)
  std::int64_t balance_fen = 0;   ///< 账户结余(元)
  std::string applicant;          ///< 资金变更提交申请人
  std::string remark;             ///< 备注
  std::string voucher_no;         ///< 业务凭证号
  std::vector<BillColumn> other;  ///< columns this version does not know, by name
};

/// The summary row of a fund-flow bill, in fen.
struct WECHATPAY_EXPORT FundFlowBillSummary {
  std::int64_t row_count = 0;      ///< 资金流水总笔数
  std::int64_t income_count = 0;   ///< 收入笔数
  std::int64_t income_fen = 0;     ///< 收入金额
  std::int64_t expense_count = 0;  ///< 支出笔数
  std::int64_t expense_fen = 0;    ///< 支出金额
  std::vector<BillColumn> other;   ///< summary columns not known by name
};

/// A whole trade bill in memory (ParseTradeBill), for bills small enough to hold.
struct WECHATPAY_EXPORT TradeBill {
  std::vector<TradeBillRow> rows;  ///< the detail rows in file order
  TradeBillSummary summary;        ///< the checked summary
};

/// A whole fund-flow bill in memory (ParseFundFlowBill).
struct WECHATPAY_EXPORT FundFlowBill {
  std::vector<FundFlowBillRow> rows;  ///< the detail rows in file order
  FundFlowBillSummary summary;        ///< the checked summary
};

/// Reads a trade bill pushed in chunks. Not thread-safe; one reader per file.
class WECHATPAY_EXPORT TradeBillReader {
 public:
  /// Receives each detail row once its line is complete; an error it returns stops the reader
  /// and is returned by the Feed() call that produced the row.
  using RowHandler = std::function<Status(TradeBillRow&& row)>;
  /// A reader handing its rows to `on_row`.
  explicit TradeBillReader(RowHandler on_row);
  ~TradeBillReader();
  /// Moves the state; a moved-from reader answers Feed() and Finish() with kInternal.
  TradeBillReader(TradeBillReader&&) noexcept;
  /// Moves the state; a moved-from reader answers Feed() and Finish() with kInternal.
  TradeBillReader& operator=(TradeBillReader&&) noexcept;
  /// Consumes the next bytes of the decompressed file. Errors: kMalformedResponse naming the
  /// line number and the column (never quoting more than the column name), after which every
  /// call fails.
  Status Feed(std::string_view bytes);
  /// Ends the file: the last line, the summary present and equal to the rows (count and every
  /// total). Errors: kMalformedResponse (no summary, a summary that disagrees with the rows,
  /// a file cut inside a line).
  StatusOr<TradeBillSummary> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads a fund-flow bill pushed in chunks; as TradeBillReader.
class WECHATPAY_EXPORT FundFlowBillReader {
 public:
  /// As TradeBillReader::RowHandler.
  using RowHandler = std::function<Status(FundFlowBillRow&& row)>;
  /// A reader handing its rows to `on_row`.
  explicit FundFlowBillReader(RowHandler on_row);
  ~FundFlowBillReader();
  /// Moves the state; a moved-from reader answers Feed() and Finish() with kInternal.
  FundFlowBillReader(FundFlowBillReader&&) noexcept;
  /// Moves the state; a moved-from reader answers Feed() and Finish() with kInternal.
  FundFlowBillReader& operator=(FundFlowBillReader&&) noexcept;
  /// As TradeBillReader::Feed().
  Status Feed(std::string_view bytes);
  /// As TradeBillReader::Finish(): the summary's counts (all, income, expense) and totals.
  StatusOr<FundFlowBillSummary> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Parses a whole decompressed trade bill. Errors: as TradeBillReader.
WECHATPAY_EXPORT StatusOr<TradeBill> ParseTradeBill(std::string_view text);

/// Parses a whole decompressed fund-flow bill. Errors: as FundFlowBillReader.
WECHATPAY_EXPORT StatusOr<FundFlowBill> ParseFundFlowBill(std::string_view text);

}  // namespace wechatpay
