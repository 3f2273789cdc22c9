// Context of docs/async.md's block: a client, and an order placed by the application.
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <string>

#include <wechatpay/wechatpay.hpp>

void Async(wechatpay::NativePayClient const& client, wechatpay::NativePrepayRequest const& order) {
  // SNIPPET
}
