// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/call_outcome.hpp"

#include <string>
#include <utility>

namespace wechatpay::internal {

bool IsWrite(Operation operation) {
  switch (operation) {
    case Operation::kNativePrepay:
    case Operation::kCloseOrder:
    case Operation::kCreateRefund:
    case Operation::kApiWrite:
    case Operation::kApplyAbnormalRefund:
      return true;
    case Operation::kApiRead:
    case Operation::kQueryOrderByOutTradeNo:
    case Operation::kQueryOrderById:
    case Operation::kQueryRefund:
    case Operation::kDownloadCertificates:
    case Operation::kTradeBill:
    case Operation::kFundFlowBill:
    case Operation::kDownloadBill:
      return false;
  }
  return true;  // unreachable; a write is the safe assumption
}

std::string_view UnknownOutcomeAdvice(Operation operation) {
  switch (operation) {
    case Operation::kNativePrepay:
      return "query the order by out_trade_no before ordering again with the same parameters";
    case Operation::kCloseOrder:
      return "query the order by out_trade_no to learn whether it is closed";
    case Operation::kCreateRefund:
      return "query the refund by out_refund_no before retrying with the same out_refund_no";
    case Operation::kApiWrite:
      return "query the resource the request changes before sending it again";
    case Operation::kApplyAbnormalRefund:
      return "query the refund by out_refund_no: PROCESSING or SUCCESS means the application "
             "arrived; apply again only while it is still ABNORMAL";
    case Operation::kApiRead:
    case Operation::kQueryOrderByOutTradeNo:
    case Operation::kQueryOrderById:
    case Operation::kQueryRefund:
    case Operation::kDownloadCertificates:
    case Operation::kTradeBill:
    case Operation::kFundFlowBill:
    case Operation::kDownloadBill:
      return {};
  }
  return {};
}

Status WithUnknownOutcome(Status const& status, Operation operation) {
  ErrorInfo info = status.info();
  info.outcome_unknown = true;
  std::string message = status.message();
  message += "; the outcome is unknown: ";
  message += UnknownOutcomeAdvice(operation);
  return Status(status.code(), std::move(message), std::move(info));
}

Status WithKnownOutcome(Status const& status) {
  if (!status.info().outcome_unknown) return status;
  ErrorInfo info = status.info();
  info.outcome_unknown = false;
  return Status(status.code(), status.message(), std::move(info));
}

Status ApplyOutcome(Status const& failed, Operation operation, RetryRule const& rule) {
  if (IsWrite(operation) && (rule.write_outcome_unknown || failed.info().outcome_unknown)) {
    return WithUnknownOutcome(failed, operation);
  }
  return WithKnownOutcome(failed);
}

Status UnmappedAnswer(Status const& parse_error, ResponseMetadata const& meta,
                      Operation operation) {
  ErrorInfo info = parse_error.info();
  info.http_status = meta.http_status;
  info.request_id = meta.request_id;
  info.gateway_request_id = meta.gateway_request_id;
  Status status(parse_error.code(), parse_error.message(), std::move(info));
  return ApplyOutcome(status, operation, RuleFor(FailureClass::kUnreadableAnswer));
}

}  // namespace wechatpay::internal
