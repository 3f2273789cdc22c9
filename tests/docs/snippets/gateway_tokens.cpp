// Context of docs/gateway.md's token provider block: a gateway configuration and the
// application's own sign-in.
#include <string>

#include <wechatpay/wechatpay.hpp>

struct Login {
  wechatpay::StatusOr<std::string> FreshAccessToken();
};

void UseGateway(wechatpay::MerchantConfig const& config, Login& my_login) {
  // SNIPPET
}
