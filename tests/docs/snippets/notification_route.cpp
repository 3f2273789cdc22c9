// Context of docs/notifications.md's blocks: a configuration, a parser, the request as received
// and the application's store.
#include <string>

#include <wechatpay/wechatpay.hpp>

struct App {
  wechatpay::Status RecordDurably(wechatpay::Transaction const& transaction);
};

void Route(wechatpay::MerchantConfig const& config, wechatpay::NotificationParser const& parser,
           App& app, wechatpay::HttpHeaders const& headers, std::string const& raw_body) {
  // SNIPPET
}
