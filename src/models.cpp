// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/models.hpp"

namespace wechatpay {

bool IsTerminalTradeState(std::string const& trade_state) {
  // NOTPAY, USERPAYING and ACCEPT can still move on; unknown future states are treated as not
  // terminal so that a watcher keeps asking rather than reporting an outcome it cannot know.
  // (SUCCESS can still become REFUND, but only by a merchant action, not "by itself".)
  return trade_state == "SUCCESS" || trade_state == "REFUND" || trade_state == "CLOSED" ||
         trade_state == "REVOKED" || trade_state == "PAYERROR";
}

}  // namespace wechatpay
