// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/channel/request_event.hpp"

#include "channel/request_event_fields.hpp"

namespace wechatpay {

std::string_view RetryDecisionName(RetryDecision decision) {
  switch (decision) {
    case RetryDecision::kNone:
      return "none";
    case RetryDecision::kRetrying:
      return "retrying";
    case RetryDecision::kNotRetryable:
      return "not_retryable";
    case RetryDecision::kOutOfRetries:
      return "out_of_retries";
    case RetryDecision::kOutOfTime:
      return "out_of_time";
  }
  return "unknown";
}

namespace internal {

std::string_view OperationName(Operation operation) {
  switch (operation) {
    case Operation::kNativePrepay:
      return "native_prepay";
    case Operation::kQueryOrderByOutTradeNo:
      return "query_order_by_out_trade_no";
    case Operation::kQueryOrderById:
      return "query_order_by_id";
    case Operation::kCloseOrder:
      return "close_order";
    case Operation::kCreateRefund:
      return "create_refund";
    case Operation::kQueryRefund:
      return "query_refund";
    case Operation::kDownloadCertificates:
      return "download_certificates";
    case Operation::kTradeBill:
      return "trade_bill";
    case Operation::kFundFlowBill:
      return "fund_flow_bill";
    case Operation::kDownloadBill:
      return "download_bill";
    case Operation::kApplyAbnormalRefund:
      return "apply_abnormal_refund";
    case Operation::kApiRead:
      return "request_read";
    case Operation::kApiWrite:
      return "request_write";
  }
  return "unknown";
}

std::string PathForEvent(std::string_view url) {
  // Skip scheme and authority: the target starts at the first '/' after "://".
  if (auto const scheme = url.find("://"); scheme != std::string_view::npos) {
    auto const slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  url = url.substr(0, url.find('#'));
  auto const question = url.find('?');
  std::string out(url.substr(0, question));
  if (question == std::string_view::npos) return out;
  std::string_view query = url.substr(question + 1);
  out += '?';
  bool first = true;
  while (true) {
    auto const amp = query.find('&');
    std::string_view const pair = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    // The name stays (it says which parameter); the value, whatever it is, does not.
    auto const equals = pair.find('=');
    out += pair.substr(0, equals);
    if (equals != std::string_view::npos) out += "=*";
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

RequestEvent MakeRequestEvent(Operation operation, AttemptRecord const& record, int attempt,
                              Status const& status) {
  RequestEvent event;
  event.operation = OperationName(operation);
  event.method = record.method;
  event.path = record.path;
  event.host = record.host;
  event.backup_host = record.backup_host;
  event.attempt = attempt;
  event.http_status = record.http_status;
  event.request_id = record.request_id;
  event.request_bytes = record.request_bytes;
  event.response_bytes = record.response_bytes;
  event.code = status.code();
  if (!status.ok()) {
    ErrorInfo const& info = status.info();
    event.service_code = info.service_code;
    if (event.http_status == 0) event.http_status = info.http_status;
    // ErrorInfo's id is already printable and bounded (the backends make it so).
    if (!info.request_id.empty()) event.request_id = info.request_id;
    event.outcome_unknown = info.outcome_unknown;
  }
  event.outcome =
      event.outcome_unknown ? std::string_view("OUTCOME_UNKNOWN") : StatusCodeName(status.code());
  return event;
}

}  // namespace internal
}  // namespace wechatpay
