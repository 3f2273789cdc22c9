// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Signs a Native order request and verifies a real WeChat Pay callback signature, with nothing
// but the public API and the published test keys:
//
//   sign_and_verify <folder with official.json's keys/ and go_notify_body.json>
//
// It prints the Authorization header a merchant would send, then checks the official callback
// vector of wechatpay-go at the time it was signed, and shows that a tampered body and a stale
// clock are refused.

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "wechatpay/wechatpay.hpp"

namespace {

std::string ReadFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int Fail(wechatpay::Status const& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

constexpr char kUsage[] =
    "usage: sign_and_verify DATA_DIR\n"
    "Signs WeChat Pay's documented example request and verifies its example callback, with the\n"
    "keys under DATA_DIR (the repository's tests/data).\n";

int main(int argc, char** argv) {
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;  // asked for: stdout, success
    return 0;
  }
  if (argc != 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string const dir = argv[1];

  // 1. Sign the official example request (mchid 1900007291, its published test key).
  wechatpay::MerchantConfig merchant;
  merchant.merchant_id = "1900007291";
  merchant.merchant_serial_number = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
  merchant.private_key = dir + "/keys/official_doc_test_key.pem";
  auto signer = wechatpay::MakeRequestSigner(merchant);
  if (!signer) return Fail(signer.status());
  std::string const body =
      R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"Image形象店-深圳腾大-QQ公仔",)"
      R"("out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",)"
      R"("amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}})";
  auto authorization = signer->Authorization("POST", "/v3/pay/transactions/jsapi", body, 1554208460,
                                             "593BEC0C930BF1AFEB40B4A08C8FB242");
  if (!authorization) return Fail(authorization.status());
  std::cout << "Authorization: " << *authorization << "\n\n";

  // 2. Verify the official callback vector with the WeChat Pay public key it was signed with.
  wechatpay::MerchantConfig wechat;
  wechat.wx_pay_public_key = dir + "/keys/go_test_public_key.pem";
  wechat.wx_pay_public_key_id = "D7CE59D1F522D701";
  auto verifier = wechatpay::MakeSignatureVerifier(wechat);
  if (!verifier) return Fail(verifier.status());
  wechatpay::SignatureHeaders headers;
  headers.timestamp = "1624523846";
  headers.nonce = "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz";
  headers.serial = "D7CE59D1F522D701";
  headers.signature =
      "tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/"
      "Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXFlbYZTOQrVdG4b6LfTnK4mikv9"
      "++ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//"
      "rxELLwXvV1VEA1IBLX70xptjL8hrfUjEE8kkry6yNJTHZR"
      "U8CAc7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/"
      "jS2laKKgYUmfdEdkNO6B2Cke5e8VTxY406ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNi"
      "KRACrFmtxw2Q==";
  std::string const callback = ReadFile(dir + "/go_notify_body.json");
  auto const signed_at = std::chrono::system_clock::time_point(std::chrono::seconds(1624523846));

  auto status = verifier->Verify(headers, callback, signed_at);
  std::cout << "official callback, at its own time:  "
            << (status.ok() ? "verified" : status.ToString()) << "\n";
  if (!status.ok()) return 1;

  auto tampered = callback;
  tampered[tampered.size() / 2] ^= 1;
  auto rejected = verifier->Verify(headers, tampered, signed_at);
  std::cout << "one bit flipped in the body:         " << rejected.ToString() << "\n";

  auto stale = verifier->Verify(headers, callback, signed_at + std::chrono::seconds(300));
  std::cout << "checked 300 s later:                 " << stale.ToString() << "\n";
  return rejected.ok() || stale.ok() ? 1 : 0;
}
