// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `wechatpay` binary's protocol tools against the official vectors: sign, verify, decrypt,
// with configuration from a file and from the environment, and the exit codes of docs/cli.md.

#include <rapidjson/document.h>

#include "catch.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::DataPath;
using testing::ReadData;
using testing::RunCli;
using testing::TempDir;
using testing::WriteFile;

constexpr char kJsapiSignature[] =
    "jnks4dlrPw3ZX+ozVvSK39oa0t7OMBsg83BHAwd8BRdUFiVaQNTLTvci+"
    "wURgP1OQBbKYhFGvt7iqYpDSTQkp7Uq1sltaQKyncCyrA1g88m5bsKE"
    "RQfPyT0ahSwKTYJ1CAn9QiJuSJRq1QsQs07eehbU/k9BCS51jTyc1Jpsi2H77HF9f/BnjXAOP3/"
    "sPObg6V5Ee4EzwLox684hhuMuIwHo7D8KFk3L"
    "IHOKDcNI4It1aCXydFWNpNK+"
    "SG86VUDe5kwoDpw4Ulqfu9z8OFDGbDs9TCxEv8iqQzbpxOlEVoOe2kalSYM5kApQb3nZcxdUtoE0liJGW3RGUNE0"
    "t4v01A==";
constexpr char kJsapiBody[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"Image形象店-深圳腾大-QQ公仔",)"
    R"("out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",)"
    R"("amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}})";
constexpr char kNotifySignature[] =
    "tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/"
    "Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXFlbYZTOQrVdG4b6LfTnK4mikv9++"
    "ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//"
    "rxELLwXvV1VEA1IBLX70xptjL8hrfUjEE8kkry6yNJTHZRU8CA"
    "c7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/"
    "jS2laKKgYUmfdEdkNO6B2Cke5e8VTxY406ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNiKRACrF"
    "mtxw2Q==";

std::vector<std::string> JsapiSignArgs(std::string const& config) {
  return {"--config",
          config,
          "sign",
          "--method",
          "POST",
          "--url",
          "/v3/pay/transactions/jsapi",
          "--body",
          kJsapiBody,
          "--timestamp",
          "1554208460",
          "--nonce",
          "593BEC0C930BF1AFEB40B4A08C8FB242"};
}

std::string const kExpectedAuthorization =
    std::string(
        R"(WECHATPAY2-SHA256-RSA2048 mchid="1900007291",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",)") +
    R"(timestamp="1554208460",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",signature=")" +
    kJsapiSignature + "\"\n";

TEST_CASE("wechatpay sign reproduces the official signature byte for byte") {
  TempDir dir;
  // A relative key path is resolved against the configuration file's folder.
  WriteFile(dir.File("apiclient_key.pem"), ReadData("keys/official_doc_test_key.pem"));
  WriteFile(
      dir.File("config.json"),
      R"({"merchantId":"1900007291","merchantSerialNumber":"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",)"
      R"("privateKey":"apiclient_key.pem"})");
  auto result = RunCli(JsapiSignArgs(dir.File("config.json")));
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == kExpectedAuthorization);

  SECTION("from the environment alone, with the PEM inline and literal \\n") {
    auto pem = ReadData("keys/official_doc_test_key.pem");
    std::string escaped;
    for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    auto args = JsapiSignArgs("");
    args.erase(args.begin(), args.begin() + 2);
    auto env_result = RunCli(
        args, {{"WECHATPAY_MERCHANT_ID", "1900007291"},
               {"WECHATPAY_MERCHANT_SERIAL_NUMBER", "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB"},
               {"WECHATPAY_PRIVATE_KEY", escaped}});
    INFO(env_result.err);
    CHECK(env_result.exit_code == 0);
    CHECK(env_result.out == kExpectedAuthorization);
  }
  SECTION("the environment overrides the file") {
    auto env_result =
        RunCli(JsapiSignArgs(dir.File("config.json")), {{"WECHATPAY_MERCHANT_ID", "1230000109"}});
    CHECK(env_result.exit_code == 0);
    CHECK(env_result.out.find(R"(mchid="1230000109")") != std::string::npos);
  }
  SECTION("a fresh nonce and timestamp by default") {
    auto a = RunCli({"--config", dir.File("config.json"), "sign", "--method", "GET", "--url",
                     "/v3/certificates"});
    auto b = RunCli({"--config", dir.File("config.json"), "sign", "--method", "GET", "--url",
                     "/v3/certificates"});
    CHECK(a.exit_code == 0);
    CHECK(a.out != b.out);
  }
}

TEST_CASE("wechatpay sign reports configuration and usage problems with exit 2") {
  TempDir dir;
  WriteFile(dir.File("config.json"), R"({"merchantId":"1900007291","merchantSerialNumber":"XYZ",)"
                                     R"("privateKey":"missing.pem"})");
  auto result = RunCli(JsapiSignArgs(dir.File("config.json")));
  CHECK(result.exit_code == 2);
  CHECK(result.err.rfind("error: ", 0) == 0);
  CHECK(result.err.find("privateKey") != std::string::npos);

  WriteFile(dir.File("config.json"), R"({"merchantId":"1900007291","merchantSerialNumber":"XYZ",)"
                                     R"("privateKey":")" +
                                         DataPath("keys/official_doc_test_key.pem") + R"("})");
  result = RunCli(JsapiSignArgs(dir.File("config.json")));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("merchantSerialNumber") != std::string::npos);

  WriteFile(dir.File("config.json"), R"({"merchantID":"1900007291"})");
  result = RunCli(JsapiSignArgs(dir.File("config.json")));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(R"(unknown configuration key "merchantID")") != std::string::npos);

  result = RunCli({"sign", "--url", "/v3/x"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--method") != std::string::npos);
  result = RunCli({"sign", "--method", "GET", "--url", "/v3/x", "--bogus", "1"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--bogus") != std::string::npos);
  CHECK(RunCli({"frobnicate"}).exit_code == 2);
  CHECK(RunCli({"sign", "--help"}).exit_code == 0);
  CHECK(RunCli({"--help"}).out.find("refund-query") != std::string::npos);
}

TEST_CASE("wechatpay sign --method takes only HTTP methods") {
  TempDir dir;
  WriteFile(dir.File("apiclient_key.pem"), ReadData("keys/official_doc_test_key.pem"));
  WriteFile(
      dir.File("config.json"),
      R"({"merchantId":"1900007291","merchantSerialNumber":"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",)"
      R"("privateKey":"apiclient_key.pem"})");
  auto sign = [&](std::string const& method) {
    return RunCli({"--config", dir.File("config.json"), "sign", "--method", method, "--url",
                   "/v3/certificates"});
  };
  for (std::string const method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    CAPTURE(method);
    CHECK(sign(method).exit_code == 0);
  }
  for (std::string const method : {"get", "Post", "GTE", "FOO", "", "GET /v3"}) {
    CAPTURE(method);
    auto r = sign(method);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--method must be GET, POST, PUT, PATCH or DELETE") != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("wechatpay sign --url takes a full URL and signs its path and query") {
  TempDir dir;
  WriteFile(dir.File("apiclient_key.pem"), ReadData("keys/official_doc_test_key.pem"));
  WriteFile(
      dir.File("config.json"),
      R"({"merchantId":"1900007291","merchantSerialNumber":"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",)"
      R"("privateKey":"apiclient_key.pem"})");
  // The official vector, with the URL as the documentation shows it.
  auto args = JsapiSignArgs(dir.File("config.json"));
  args[6] = "https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi";
  auto full = RunCli(args);
  INFO(full.err);
  CHECK(full.exit_code == 0);
  CHECK(full.out == kExpectedAuthorization);
  // The query is signed as written; the host and port are not signed.
  auto with_query = [&](std::string const& url) {
    return RunCli({"--config", dir.File("config.json"), "sign", "--method", "GET", "--url", url,
                   "--timestamp", "1554208460", "--nonce", "593BEC0C930BF1AFEB40B4A08C8FB242"});
  };
  auto const target = with_query("/v3/refund/domestic/refunds/R1?sub_mchid=1900000109");
  REQUIRE(target.exit_code == 0);
  CHECK(
      with_query("https://api.mch.weixin.qq.com/v3/refund/domestic/refunds/R1?sub_mchid=1900000109")
          .out == target.out);
  CHECK(
      with_query("http://127.0.0.1:8443/v3/refund/domestic/refunds/R1?sub_mchid=1900000109").out ==
      target.out);
  CHECK(with_query("https://api.mch.weixin.qq.com/v3/x").out != target.out);
  // What cannot be a request: exit 2.
  for (std::string const url : {"v3/x", "ftp://api.mch.weixin.qq.com/v3/x",
                                "https://api.mch.weixin.qq.com/v3/x#part", "https:///v3/x", ""}) {
    CAPTURE(url);
    auto r = with_query(url);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--url") != std::string::npos);
  }
}

struct VerifyCase {
  std::string body_file = DataPath("go_notify_body.json");
  std::string serial = "D7CE59D1F522D701";
  std::string signature = kNotifySignature;
  std::string now = "1624523846";
};

testing::ProcessResult RunVerify(std::string const& config, VerifyCase const& c) {
  return RunCli({"--config", config, "verify", "--timestamp", "1624523846", "--nonce",
                 "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz", "--signature", c.signature, "--serial",
                 c.serial, "--body-file", c.body_file, "--now", c.now});
}

TEST_CASE("wechatpay verify accepts the official callback vector and refuses every forgery") {
  TempDir dir;
  WriteFile(dir.File("config.json"), R"({"wxPayPublicKey":")" +
                                         DataPath("keys/go_test_public_key.pem") +
                                         R"(","wxPayPublicKeyId":"D7CE59D1F522D701"})");
  auto const config = dir.File("config.json");
  VerifyCase c;
  auto ok = RunVerify(config, c);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "ok\n");

  SECTION("with the platform certificate instead of the bare key") {
    WriteFile(
        dir.File("cert.json"),
        R"({"wxPayPublicKey":")" + DataPath("keys/go_test_cert_D7CE59D1F522D701.pem") + R"("})");
    CHECK(RunVerify(dir.File("cert.json"), c).exit_code == 0);
  }
  SECTION("299 s later is still fine") {
    c.now = "1624524145";
    CHECK(RunVerify(config, c).exit_code == 0);
  }
  SECTION("300 s later") {
    c.now = "1624524146";
    auto r = RunVerify(config, c);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("300") != std::string::npos);
  }
  SECTION("300 s earlier") {
    c.now = "1624523546";
    CHECK(RunVerify(config, c).exit_code == 3);
  }
  SECTION("tampered body") {
    auto body = ReadData("go_notify_body.json");
    body.replace(body.find("签约成功"), std::string("签约成功").size(), "签约失败");
    WriteFile(dir.File("tampered.json"), body);
    c.body_file = dir.File("tampered.json");
    CHECK(RunVerify(config, c).exit_code == 3);
  }
  SECTION("a trailing newline added to the body") {
    WriteFile(dir.File("newline.json"), ReadData("go_notify_body.json") + "\n");
    c.body_file = dir.File("newline.json");
    CHECK(RunVerify(config, c).exit_code == 3);
  }
  SECTION("unknown serial") {
    c.serial = "F5765756002FDD77";
    auto r = RunVerify(config, c);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("F5765756002FDD77") != std::string::npos);
  }
  SECTION("SIGNTEST probe") {
    c.signature = std::string("WECHATPAY/SIGNTEST/") + kNotifySignature;
    auto r = RunVerify(config, c);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("SIGNTEST") != std::string::npos);
  }
  SECTION("missing key configuration is a usage error") {
    WriteFile(dir.File("empty.json"), "{}");
    CHECK(RunVerify(dir.File("empty.json"), c).exit_code == 2);
  }
}

TEST_CASE("wechatpay decrypt prints exactly the plaintext") {
  TempDir dir;
  WriteFile(dir.File("config.json"), R"({"apiV3Key":"a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"})");
  auto args = [&](std::string ad, std::string nonce) {
    return std::vector<std::string>{"--config",
                                    dir.File("config.json"),
                                    "decrypt",
                                    "--nonce",
                                    nonce,
                                    "--associated-data",
                                    ad,
                                    "--ciphertext",
                                    "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI="};
  };
  auto ok = RunCli(args("associatedData", "uluk4a9R25RW"));
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "message");
  CHECK(RunCli(args("bad-associatedData", "uluk4a9R25RW")).exit_code == 3);
  CHECK(RunCli(args("associatedData", "bad-4a9R25RW")).exit_code == 3);

  SECTION("the certificate download vector decrypts to the PEM byte for byte") {
    rapidjson::Document vectors;
    vectors.Parse(ReadData("official.json").c_str());
    std::string ciphertext;
    for (auto const& v : vectors["aes_256_gcm"].GetArray()) {
      if (std::string(v["id"].GetString()) == "java-certificate-download")
        ciphertext = v["ciphertext"].GetString();
    }
    REQUIRE_FALSE(ciphertext.empty());
    auto r = RunCli({"--config", dir.File("config.json"), "decrypt", "--nonce", "14b16c03dc1b",
                     "--associated-data", "certificate", "--ciphertext", ciphertext});
    CHECK(r.exit_code == 0);
    CHECK(r.out == ReadData("keys/java_dl_cert_plaintext.pem"));
    // Not Base64 at all: bad input, not a decryption failure.
    CHECK(RunCli({"--config", dir.File("config.json"), "decrypt", "--nonce", "14b16c03dc1b",
                  "--associated-data", "certificate", "--ciphertext", "not*base64"})
              .exit_code == 2);
  }
  SECTION("a nonce or ciphertext of the wrong shape is bad input: exit 2, not 3") {
    for (std::string const nonce : {"", "uluk4a9R25R", "uluk4a9R25RWx", "uluk4a9R25RW\n"}) {
      CAPTURE(nonce);
      auto r = RunCli(args("associatedData", nonce));
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("--nonce must be the 12 characters") != std::string::npos);
    }
    auto args_with = [&](std::string const& ciphertext) {
      auto a = args("associatedData", "uluk4a9R25RW");
      a.back() = ciphertext;
      return a;
    };
    CHECK(RunCli(args_with("AAAA")).exit_code == 2);  // Base64 of 3 bytes: shorter than the tag
    // Well-formed but wrong: still a decryption failure.
    CHECK(RunCli(args_with("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).exit_code == 3);
  }
  SECTION("a 16-byte key is a configuration error") {
    auto r = RunCli(args("associatedData", "uluk4a9R25RW"),
                    {{"WECHATPAY_API_V3_KEY", "testMchAPIv3Key0"}});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("apiV3Key") != std::string::npos);
    CHECK(r.err.find("testMchAPIv3Key0") == std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
