// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The packaging smoke test: built against an installed (static or shared) wechatpay, through
// add_subdirectory, or with flags from pkg-config. It creates a client, reproduces the official
// request signature, and verifies the official callback vector — no network.
//
//   consumer DATA_DIR     (DATA_DIR = tests/data of the source tree)

#include <wechatpay/wechatpay.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>

namespace {

std::string Read(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int Fail(std::string const& what, wechatpay::Status const& status) {
  std::cerr << what << ": " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer DATA_DIR\n";
    return 2;
  }
  std::string const dir = argv[1];

  wechatpay::MerchantConfig config;
  config.app_id = "wxd678efh567hg6787";
  config.merchant_id = "1900007291";
  config.merchant_serial_number = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
  config.private_key = dir + "/keys/official_doc_test_key.pem";
  config.wx_pay_public_key = dir + "/keys/go_test_public_key.pem";
  config.wx_pay_public_key_id = "D7CE59D1F522D701";
  config.api_v3_key = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
  config.notify_url = "https://merchant.example.com/notify";

  auto client = wechatpay::NativePayClient::Create(config);
  if (!client) return Fail("create client", client.status());

  auto signer = wechatpay::MakeRequestSigner(config);
  if (!signer) return Fail("signer", signer.status());
  auto authorization = signer->Authorization(
      "GET", "/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109", "",
      1652750623, "eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u");
  if (!authorization) return Fail("sign", authorization.status());

  auto verifier = wechatpay::MakeSignatureVerifier(config);
  if (!verifier) return Fail("verifier", verifier.status());
  wechatpay::HttpHeaders headers{
      {"Wechatpay-Timestamp", "1624523846"},
      {"Wechatpay-Nonce", "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz"},
      {"Wechatpay-Serial", "D7CE59D1F522D701"},
      {"Wechatpay-Signature",
       "tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXFlbYZT"
       "OQrVdG4b6LfTnK4mikv9++ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//rxELL"
       "wXvV1VEA1IBLX70xptjL8hrfUjEE8kkry6yNJTHZRU8CAc7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/jS2laKKg"
       "YUmfdEdkNO6B2Cke5e8VTxY406ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNiKRACrFmtxw2Q=="}};
  auto status = verifier->Verify(wechatpay::SignatureHeaders::From(headers),
                                 Read(dir + "/go_notify_body.json"),
                                 std::chrono::system_clock::time_point(std::chrono::seconds(1624523846)));
  if (!status.ok()) return Fail("verify callback", status);

  std::cout << "wechatpay " << wechatpay::VersionString() << " ok\n" << *authorization << "\n";
  return 0;
}
