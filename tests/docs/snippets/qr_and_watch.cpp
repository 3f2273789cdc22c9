// Context of the README's QR and watcher block: what the quick start has at that point.
#include <chrono>
#include <iostream>
#include <string>

#include <wechatpay/wechatpay.hpp>

void ship(std::string const& transaction_id);

void AfterOrdering(wechatpay::StatusOr<wechatpay::NativePayClient>& client,
                   wechatpay::NativePrepayRequest const& order,
                   wechatpay::StatusOr<wechatpay::NativePrepayResponse> const& placed) {
  // SNIPPET
}
