// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The business checks the pay-common template's hooks only ask for in comments (docs/protocol.md,
// "Callbacks and hooks"): idempotency and the amount cross-check, as errors the callback returns.

#include <string>

#include "common/config_error.hpp"
#include "wechatpay/notify/checks.hpp"
#include "wechatpay/notify/models.hpp"

namespace wechatpay {

using internal::InvalidArgument;

Status CheckAmount(Transaction const& transaction, std::int64_t expected_total_fen) {
  if (!transaction.amount || !transaction.amount->total) {
    return InvalidArgument("amount.total", "the transaction has no amount.total; expected " +
                                               std::to_string(expected_total_fen) + " fen");
  }
  auto const paid = *transaction.amount->total;
  if (paid != expected_total_fen) {
    return InvalidArgument("amount.total", "amount mismatch: the transaction's amount.total is " +
                                               std::to_string(paid) + " fen, the order's is " +
                                               std::to_string(expected_total_fen) + " fen");
  }
  return {};
}

Status CheckRefundAmount(RefundNotification const& refund, std::int64_t expected_refund_fen) {
  if (refund.amount.refund != expected_refund_fen) {
    return InvalidArgument("amount.refund",
                           "refund amount mismatch: the notification's "
                           "amount.refund is " +
                               std::to_string(refund.amount.refund) +
                               " fen, the requested refund is " +
                               std::to_string(expected_refund_fen) + " fen");
  }
  return {};
}

StatusOr<PaymentAction> CheckPayment(Transaction const& transaction, OrderSnapshot const& order) {
  if (transaction.out_trade_no.value_or("") != order.out_trade_no) {
    return InvalidArgument("out_trade_no", "the transaction is for out_trade_no \"" +
                                               transaction.out_trade_no.value_or("") +
                                               "\", not for this order's \"" + order.out_trade_no +
                                               "\"");
  }
  if (transaction.trade_state != "SUCCESS") {
    return InvalidArgument("trade_state", "the transaction's trade_state is \"" +
                                              transaction.trade_state +
                                              "\", not SUCCESS: it does not pay the order");
  }
  if (auto status = CheckAmount(transaction, order.total_fen); !status.ok()) return status;
  if (!order.paid) return PaymentAction::kApply;
  // Already paid: the usual case is a redelivery of the same payment (return early). A
  // different transaction for an order already paid is a second payment of the same order,
  // which needs a person (and usually a refund), not a silent success.
  auto const& id = transaction.transaction_id.value_or("");
  if (!order.transaction_id.empty() && order.transaction_id != id) {
    return InvalidArgument("transaction_id", "the order is already paid by transaction " +
                                                 order.transaction_id +
                                                 ", this notification is "
                                                 "for transaction " +
                                                 id);
  }
  return PaymentAction::kAlreadyApplied;
}

}  // namespace wechatpay
