// Context of docs/testing.md's signed-callback block: the test key pair and APIv3 key.
#include <string>

#include <wechatpay/testing/wechatpay_signer.hpp>
#include <wechatpay/wechatpay.hpp>

void MakeCallback(std::string const& test_private_key_pem, std::string const& api_v3_key) {
  using namespace wechatpay;
  // SNIPPET
}
