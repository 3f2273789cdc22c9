// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "ledger_fixture.hpp"

#include <stdexcept>
#include <utility>

#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::testing {

LedgerFixture::LedgerFixture(LedgerOptions options, std::chrono::milliseconds busy_timeout) {
  SqliteLedgerOptions sqlite;
  sqlite.path = DatabasePath();
  sqlite.busy_timeout = busy_timeout;
  auto opened = SqliteLedgerStore::Open(sqlite);
  if (!opened) throw std::runtime_error(opened.status().ToString());
  store = *std::move(opened);
  options.clock = clock;
  ledger = std::make_shared<Ledger>(store, std::move(options));
}

OrderRecord LedgerFixture::Order(std::string const& out_trade_no) const {
  auto order = ledger->GetOrder(out_trade_no);
  if (!order) throw std::runtime_error(order.status().ToString());
  if (!*order) throw std::runtime_error("no order " + out_trade_no);
  return **order;
}

NativePrepayRequest OrderRequest(std::string const& out_trade_no, std::int64_t total) {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "账本测试";
  request.amount.total = total;
  return request;
}

Transaction PaidTransaction(std::string const& out_trade_no, std::int64_t total,
                            std::string const& transaction_id, std::string const& trade_state) {
  Transaction transaction;
  transaction.out_trade_no = out_trade_no;
  transaction.transaction_id = transaction_id;
  transaction.trade_state = trade_state;
  transaction.success_time = "2026-12-07T10:00:00+08:00";
  TransactionAmount amount;
  amount.total = total;
  amount.payer_total = total;
  amount.currency = "CNY";
  transaction.amount = amount;
  return transaction;
}

Notification PaymentNotification(std::string const& id, Transaction const& transaction) {
  Notification notification;
  notification.id = id;
  notification.event_type = std::string(kEventTransactionSuccess);
  notification.resource_type = "encrypt-resource";
  notification.original_type = "transaction";
  notification.transaction = transaction;
  return notification;
}

Notification RefundNotificationOf(std::string const& id, std::string const& status,
                                  std::string const& out_trade_no, std::string const& out_refund_no,
                                  std::int64_t refund, std::int64_t total) {
  Notification notification;
  notification.id = id;
  notification.event_type = "REFUND." + status;
  notification.resource_type = "encrypt-resource";
  notification.original_type = "refund";
  RefundNotification resource;
  resource.out_trade_no = out_trade_no;
  resource.out_refund_no = out_refund_no;
  resource.transaction_id = "4200000001202612070001";
  resource.refund_id = "50000000012026120700" + out_refund_no.substr(out_refund_no.size() - 2);
  resource.refund_status = status;
  resource.amount.refund = refund;
  resource.amount.total = total;
  resource.amount.payer_refund = refund;
  resource.amount.payer_total = total;
  notification.refund = resource;
  return notification;
}

Refund RefundAnswer(std::string const& out_trade_no, std::string const& out_refund_no,
                    std::string const& status, std::int64_t refund, std::int64_t total) {
  Refund answer;
  answer.out_trade_no = out_trade_no;
  answer.out_refund_no = out_refund_no;
  answer.refund_id = "50000000012026120700" + out_refund_no.substr(out_refund_no.size() - 2);
  answer.status = status;
  RefundAmount amount;
  amount.refund = refund;
  amount.total = total;
  answer.amount = amount;
  return answer;
}

Status ServiceError(std::string const& code, int http_status) {
  ErrorInfo info;
  info.http_status = http_status;
  info.service_code = code;
  info.service_message = "the test's answer";
  return Status(StatusCode::kServiceError, code + ": the test's answer", std::move(info));
}

Status UnknownOutcome() {
  ErrorInfo info;
  info.outcome_unknown = true;
  return Status(StatusCode::kTransport,
                "the connection dropped after the request was sent; the outcome is unknown",
                std::move(info));
}

}  // namespace wechatpay::testing
