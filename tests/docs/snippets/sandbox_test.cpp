// Context of docs/sandbox.md's "In a test" block: the embedded sandbox and an order.
#include <wechatpay/sandbox/sandbox.hpp>
#include <wechatpay/wechatpay.hpp>

void InATest(wechatpay::NativePrepayRequest const& order) {
  // SNIPPET
}
