// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The sandbox's bill files, written from its order book (docs/sandbox.md, "Bills"): the trade
// bill and the fund-flow bill of one Beijing day, in WeChat's format — a UTF-8 byte-order mark,
// a header line, one line per detail row with every field prefixed by a backtick, then the
// summary header and the summary row (also backticked), amounts in yuan with two decimals, CRLF
// line ends.
//
// This writer shares nothing with the library's bill reader (wechatpay/protocol/bill_format.hpp)
// on purpose: tests read what this writes with that reader, so one implementation checks the
// other.

#include <cstdint>
#include <string>
#include <string_view>

#include "state/clock.hpp"
#include "state/order_book.hpp"

namespace wechatpay::sandbox::internal {

/// Fen written as yuan with two decimals: 1 → "0.01", 1230 → "12.30", -500 → "-5.00".
std::string YuanText(std::int64_t fen);

/// One Beijing day: [begin, end).
struct BillDay {
  SystemClock::time_point begin;
  SystemClock::time_point end;
};

/// True when the day has a payment or an accepted refund: WeChat has a bill for it
/// (otherwise the answer is NO_STATEMENT_EXIST).
bool HasBillActivity(OrderBook::BillRecords const& records, BillDay const& day);

/// The trade bill of `day`: payments by their success time (交易状态 SUCCESS) and refunds by
/// the time WeChat accepted them (交易状态 REFUND, with the refund's columns and its status at
/// the time the bill is made), filtered by `bill_type` (ALL and ALL_SPECIAL: both; SUCCESS and
/// SUC_SPECIAL: payments; REFUND and REF_SPECIAL: refunds; RECHARGE_REFUND: none, the sandbox
/// has no recharge coupons). Every type has the columns of the ALL bill.
std::string TradeBillCsv(OrderBook::BillRecords const& records, BillDay const& day,
                         std::string_view bill_type);

/// The fund-flow bill of `day` for `account_type`: BASIC has an income row per payment and an
/// expense row per refund (a closed refund's money never left), with the running balance of
/// the account since the sandbox's first payment; OPERATION and FEES have no rows (the sandbox
/// charges no fee and has no operation account).
std::string FundFlowBillCsv(OrderBook::BillRecords const& records, BillDay const& day,
                            std::string_view account_type);

}  // namespace wechatpay::sandbox::internal
