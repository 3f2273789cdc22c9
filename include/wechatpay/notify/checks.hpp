// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/checks.hpp
/// The business checks to run inside a notification callback before applying a payment or a
/// refund: CheckAmount(), CheckRefundAmount() and CheckPayment().

#include <cstdint>
#include <optional>
#include <string>
#include "wechatpay/export.hpp"

#include "wechatpay/models.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Checks that a paid transaction's amount.total equals the order's expected total (fen).
/// A mismatch is an error, never just a log line: do not ship, flag the order for review.
/// Errors: kInvalidArgument, field "amount.total", naming both amounts (missing amount too).
WECHATPAY_EXPORT Status CheckAmount(Transaction const& transaction,
                                    std::int64_t expected_total_fen);

/// Checks that a refund notification's amount.refund equals the refund the merchant requested
/// (fen). Errors: kInvalidArgument, field "amount.refund", naming both amounts.
WECHATPAY_EXPORT Status CheckRefundAmount(RefundNotification const& refund,
                                          std::int64_t expected_refund_fen);

/// The application's view of an order, for CheckPayment().
struct WECHATPAY_EXPORT OrderSnapshot {
  /// The order's out_trade_no.
  std::string out_trade_no;
  /// The total the order was created with, in fen.
  std::int64_t total_fen = 0;
  /// True when the application has already recorded the order as paid.
  bool paid = false;
  /// The transaction_id recorded with the payment ("" when unknown or unpaid).
  std::string transaction_id;
};

/// What the application should do with a TRANSACTION.SUCCESS after CheckPayment().
enum class PaymentAction {
  /// Record the payment (atomically: only if the order is still unpaid).
  kApply,
  /// The order is already recorded as paid by this transaction: return OK at once.
  kAlreadyApplied,
};

/// The checks the callback of a payment must do before shipping: the transaction is for this
/// order (out_trade_no), in state SUCCESS, for the expected total (CheckAmount()); and if the
/// order is already paid, by the same transaction (an early return, kAlreadyApplied).
/// Errors: kInvalidArgument naming the field that does not match (out_trade_no, trade_state,
/// amount.total, transaction_id).
WECHATPAY_EXPORT StatusOr<PaymentAction> CheckPayment(Transaction const& transaction,
                                                      OrderSnapshot const& order);

}  // namespace wechatpay
