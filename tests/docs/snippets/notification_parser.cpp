// Context of docs/notifications.md's parser blocks: a configuration and the request as received.
#include <string>

#include <wechatpay/wechatpay.hpp>

void Route(wechatpay::MerchantConfig const& config, wechatpay::HttpHeaders const& headers,
           std::string const& raw_body) {
  // SNIPPET
}
