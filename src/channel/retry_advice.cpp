// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The public face of the one retry table (retry_table.hpp): a reading, not a second table.

#include "wechatpay/channel/retry_advice.hpp"

#include "channel/retry_table.hpp"

namespace wechatpay {

RetryAdvice AdviseRetry(Status const& status) {
  RetryAdvice advice;
  if (status.ok()) return advice;
  auto const failure = internal::ClassifyStatus(status);
  advice.retry_later = internal::RuleFor(failure).retry_later;
  advice.rate_limited = failure == internal::FailureClass::kRateLimited ||
                        failure == internal::FailureClass::kGatewayRateLimited;
  return advice;
}

}  // namespace wechatpay
