// Context of docs/ledger.md's set-up block: a configuration and an order to place.
#include <memory>
#include <utility>

#include <wechatpay/ledger/ledger.hpp>
#include <wechatpay/ledger/ledger_client.hpp>
#include <wechatpay/ledger/notification_applier.hpp>
#include <wechatpay/ledger/open.hpp>
#include <wechatpay/wechatpay.hpp>

void Shop(wechatpay::MerchantConfig const& config, wechatpay::NativePrepayRequest const& request) {
  // SNIPPET
}
