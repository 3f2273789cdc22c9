// Context of docs/ledger.md's and docs/checkout.md's block wiring the ledger to a PaymentWatcher:
// the instance's ledger, client and parser, and an order to watch.
#include <memory>
#include <string>

#include <wechatpay/ledger/ledger.hpp>
#include <wechatpay/ledger/notification_applier.hpp>
#include <wechatpay/wechatpay.hpp>

void Instance(std::shared_ptr<wechatpay::Ledger> const& ledger,
              wechatpay::NativePayClient const& client, wechatpay::NotificationParser const& parser,
              std::string const& out_trade_no) {
  // SNIPPET
}
