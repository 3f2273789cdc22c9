// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The CloudBase pay-common template (docs/protocol.md, "pay-common (CloudBase)") in front of the
// sandbox's WeChat side:
// `_action` routing, its own validation, appid/mchid/notify_url injection into orders and the
// refund notify URL into refunds, node-v3's call to WeChat (in-process, through the same v3
// entry points as /v3/), and the three-layer answer.

#include <rapidjson/document.h>

#include <string>

#include "http/exchange.hpp"
#include "v3/v3_api.hpp"

namespace wechatpay::sandbox::internal {

/// What pay-common's environment holds.
struct PayCommonSettings {
  std::string app_id;
  std::string service_app_id;
  std::string merchant_id;
  /// The payment notify URL (pay-common's `notifyURLPayURL`).
  std::string notify_url;
  /// The refund notify URL (pay-common's `notifyURLRefundsURL`).
  std::string refund_notify_url;
};

/// pay-common.
///
/// @par Thread Safety
/// Immutable; safe from many threads.
class PayCommon {
 public:
  PayCommon(PayCommonSettings settings, V3Api const& wechat)
      : settings_(std::move(settings)), wechat_(wechat) {}

  /// Answers one call whose body is the JSON object `request_body`: HTTP 200 with
  /// `{code:0,msg:"success",data:{status,data}}` (WeChat errors included, as data.status ≥ 400
  /// with errRaw and error), HTTP 400 `{code:-1,msg,data:null}` for its own validation and
  /// unknown actions, HTTP 404 for a call without a route.
  Answer Handle(rapidjson::Value const& request_body) const;

 private:
  // `body` is the request body without its routing members, as the route sees it.
  Answer Dispatch(std::string const& action, rapidjson::Document& body) const;
  Answer OrderNative(rapidjson::Document& body) const;
  Answer Refund(rapidjson::Document& body) const;

  PayCommonSettings settings_;
  V3Api const& wechat_;
};

}  // namespace wechatpay::sandbox::internal
