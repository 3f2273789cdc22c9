// Context of docs/checkout.md's block: a client and a parser, the application's order store.
#include <chrono>
#include <string>

#include <wechatpay/wechatpay.hpp>

struct Orders {
  wechatpay::Status ApplyPaymentDurably(wechatpay::Transaction const& transaction);
};

void Checkout(wechatpay::NativePayClient& client, wechatpay::NotificationParser const& parser,
              Orders& orders, std::string const& out_trade_no,
              std::chrono::system_clock::time_point placed_at) {
  // SNIPPET
}
