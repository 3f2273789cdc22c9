// Context of a payment callback snippet: the configuration as LoadMerchantConfig returns it, the
// application's own store and the HTTP server's reply function.
#include <string>

#include <wechatpay/wechatpay.hpp>

struct Database {
  wechatpay::OrderSnapshot LoadOrder(std::string const& out_trade_no);
  wechatpay::Status MarkPaidIfUnpaid(wechatpay::Transaction const& transaction);
};
void reply(int status_code, std::string const& content_type, std::string const& body);

void Route(wechatpay::StatusOr<wechatpay::MerchantConfig> const& config, Database& db,
           wechatpay::HttpHeaders const& headers, std::string const& raw_body) {
  // SNIPPET
}
