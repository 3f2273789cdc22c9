// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Authentication both ways. The sandbox refuses requests that are not signed the way WeChat
// requires, with WeChat's status and body; and the `openssl` command-line tool — not this
// project's code — checks one sandbox answer signature and one SDK request signature, so a
// mistake made the same way on both sides cannot pass.

#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "common/nonce.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::NowSeconds;
using testing::RawRequest;
using testing::RawResponse;
using testing::SandboxAuthorization;
using testing::SandboxFixture;
using testing::SignedRequest;
using testing::TempDir;

constexpr char kOpenSsl[] = "/usr/bin/openssl";

std::string PrepayBody(SandboxFixture const& f, std::string const& out_trade_no,
                       std::string const& mchid = "") {
  return R"({"appid":")" + f.identity().app_id + R"(","mchid":")" +
         (mchid.empty() ? f.identity().merchant_id : mchid) +
         R"(","description":"raw","out_trade_no":")" + out_trade_no + R"(","notify_url":")" +
         f.sandbox().NotifyUrl() + R"(","amount":{"total":1}})";
}

RawResponse Send(SandboxFixture const& f, std::string const& method, std::string const& target,
                 std::string const& body, std::vector<std::string> headers) {
  return RawRequest(method, f.BaseUrl() + target, headers, body, f.identity().ca_file);
}

// WeChat's error answer: status, code, Request-ID, and never signed.
void CheckRefused(RawResponse const& response, int status, std::string const& code) {
  INFO(response.body << response.error);
  CHECK(response.status == status);
  CHECK(response.body.find("\"code\":\"" + code + "\"") != std::string::npos);
  CHECK(response.headers.Has("Request-ID"));
  CHECK_FALSE(response.headers.Has("Wechatpay-Signature"));
}

std::map<std::string, std::string> AuthorizationFields(std::string const& header) {
  std::map<std::string, std::string> fields;
  std::regex const pair(R"re(([a-z_]+)="([^"]*)")re");
  for (std::sregex_iterator it(header.begin(), header.end(), pair), end; it != end; ++it) {
    fields[(*it)[1]] = (*it)[2];
  }
  return fields;
}

// `openssl dgst -sha256 -verify` of a Base64 signature over `message` with `public_key_file`.
testing::ProcessResult OpenSslVerify(std::string const& message, std::string const& signature,
                                     std::string const& public_key_file) {
  TempDir dir;
  testing::WriteFile(dir.File("msg.txt"), message);
  testing::WriteFile(dir.File("sig.b64"), signature);
  auto decoded = testing::RunProcess(
      kOpenSsl, {"base64", "-d", "-A", "-in", dir.File("sig.b64"), "-out", dir.File("sig.bin")});
  REQUIRE(decoded.exit_code == 0);
  return testing::RunProcess(kOpenSsl, {"dgst", "-sha256", "-verify", public_key_file, "-signature",
                                        dir.File("sig.bin"), dir.File("msg.txt")});
}

// Passes everything to the curl transport and keeps a copy of each exchange.
class RecordingTransport : public HttpTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  StatusOr<HttpResponse> Send(HttpRequest const& request) override {
    auto response = inner_->Send(request);
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    responses_.push_back(response ? *response : HttpResponse{});
    return response;
  }
  HttpRequest LastRequest() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.back();
  }
  HttpResponse LastResponse() {
    std::lock_guard<std::mutex> lock(mu_);
    return responses_.back();
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::mutex mu_;
  std::vector<HttpRequest> requests_;
  std::vector<HttpResponse> responses_;
};

TEST_CASE("sandbox: a correctly signed raw request is answered and signed") {
  SandboxFixture f;
  auto ok = SignedRequest(f, "POST", "/v3/pay/transactions/native", PrepayBody(f, "SBXRAW00001"));
  INFO(ok.body << ok.error);
  CHECK(ok.status == 200);
  CHECK(ok.headers.Get("Wechatpay-Serial") == f.identity().wechatpay_public_key_id);
  CHECK(ok.headers.Get("Wechatpay-Signature-Type") == "WECHATPAY2-SHA256-RSA2048");
  CHECK(ok.headers.Get("Wechatpay-Nonce").size() == 32);
  CHECK(ok.headers.Has("Request-ID"));

  auto query = SignedRequest(
      f, "GET", "/v3/pay/transactions/out-trade-no/SBXRAW00001?mchid=" + f.identity().merchant_id);
  CHECK(query.status == 200);
  CHECK(query.headers.Has("Wechatpay-Signature"));
}

TEST_CASE("sandbox: requests not signed the way WeChat requires are refused like WeChat does") {
  SandboxFixture f;
  std::string const target = "/v3/pay/transactions/native";
  std::string const body = PrepayBody(f, "SBXREFUSED001");
  std::vector<std::string> const common = {
      "Accept: application/json", "Content-Type: application/json", "User-Agent: sandbox-test/1.0"};
  auto with = [&](std::string const& authorization) {
    auto headers = common;
    headers.push_back("Authorization: " + authorization);
    return headers;
  };

  SECTION("signed with another key: 401 SIGN_ERROR") {
    auto other_key =
        PrivateKey::FromPem(testing::ReadData("keys/official_doc_test_key.pem")).value();
    auto signer = RequestSigner::Create(f.identity().merchant_id,
                                        f.identity().merchant_serial_number, other_key)
                      .value();
    auto authorization =
        signer.Authorization("POST", target, body, NowSeconds(), internal::GenerateNonce()).value();
    auto response = Send(f, "POST", target, body, with(authorization));
    CheckRefused(response, 401, "SIGN_ERROR");
    CHECK(response.body.find("sign_information") != std::string::npos);
  }
  SECTION("a timestamp five minutes old: 401 SIGN_ERROR") {
    auto authorization =
        SandboxAuthorization(f.identity(), "POST", target, body, NowSeconds() - 300);
    CheckRefused(Send(f, "POST", target, body, with(authorization)), 401, "SIGN_ERROR");
  }
  SECTION("a body changed after signing: 401 SIGN_ERROR") {
    auto authorization = SandboxAuthorization(f.identity(), "POST", target, body);
    std::string tampered = body;
    tampered.replace(tampered.find("\"total\":1"), 9, "\"total\":2");
    CheckRefused(Send(f, "POST", target, tampered, with(authorization)), 401, "SIGN_ERROR");
  }
  SECTION("a signed target that is not the one sent: 401 SIGN_ERROR") {
    std::string const query =
        "/v3/pay/transactions/out-trade-no/SBXREFUSED001?mchid=" + f.identity().merchant_id;
    auto authorization = SandboxAuthorization(
        f.identity(), "GET", "/v3/pay/transactions/out-trade-no/SBXREFUSED001", "");
    CheckRefused(Send(f, "GET", query, "", with(authorization)), 401, "SIGN_ERROR");
  }
  SECTION("another certificate serial: 401 SIGN_ERROR") {
    auto key =
        PrivateKey::FromPem(testing::ReadFile(f.identity().merchant_private_key_file)).value();
    auto signer = RequestSigner::Create(f.identity().merchant_id,
                                        "0000000000000000000000000000000000000000", key)
                      .value();
    auto authorization =
        signer.Authorization("POST", target, body, NowSeconds(), internal::GenerateNonce()).value();
    CheckRefused(Send(f, "POST", target, body, with(authorization)), 401, "SIGN_ERROR");
  }
  SECTION("a body mchid other than the signer's: 401 SIGN_ERROR") {
    std::string const other = PrepayBody(f, "SBXREFUSED001", "1900000109");
    auto authorization = SandboxAuthorization(f.identity(), "POST", target, other);
    CheckRefused(Send(f, "POST", target, other, with(authorization)), 401, "SIGN_ERROR");
  }
  SECTION("a malformed or missing Authorization: 401 SIGN_ERROR") {
    auto malformed = Send(f, "POST", target, body, with("WECHATPAY2-SHA256-RSA2048 mchid=1"));
    CheckRefused(malformed, 401, "SIGN_ERROR");
    CHECK(malformed.body.find("Authorization值格式错误") != std::string::npos);
    CheckRefused(Send(f, "POST", target, body, with("Bearer abc")), 401, "SIGN_ERROR");
    CheckRefused(Send(f, "POST", target, body, common), 401, "SIGN_ERROR");
  }
  SECTION("no Accept or no User-Agent: 400 INVALID_REQUEST") {
    auto authorization = SandboxAuthorization(f.identity(), "POST", target, body);
    auto no_accept =
        Send(f, "POST", target, body,
             {"Authorization: " + authorization, "Accept:", "Content-Type: application/json",
              "User-Agent: sandbox-test/1.0"});
    CheckRefused(no_accept, 400, "INVALID_REQUEST");
    CHECK(no_accept.body.find("Http头缺少Accept或User-Agent") != std::string::npos);
    CheckRefused(Send(f, "POST", target, body,
                      {"Authorization: " + authorization, "Accept: application/json",
                       "Content-Type: application/json"}),
                 400, "INVALID_REQUEST");
  }
}

TEST_CASE("sandbox: body and parameter rules answer 400 PARAM_ERROR naming the source") {
  SandboxFixture f;
  std::string const base = R"({"appid":")" + f.identity().app_id + R"(","mchid":")" +
                           f.identity().merchant_id + R"(","notify_url":")" +
                           f.sandbox().NotifyUrl() + R"(",)";
  auto prepay = [&](std::string const& rest) {
    return SignedRequest(f, "POST", "/v3/pay/transactions/native", base + rest);
  };
  // WeChat names the offending member in the message: 输入源“/body/amount/total”….
  auto field_of = [](RawResponse const& r) {
    std::smatch match;
    std::regex const field(R"re("message":"输入源“([^”]*)”)re");
    return std::regex_search(r.body, match, field) ? match[1].str() : std::string();
  };

  auto no_amount = prepay(R"("description":"d","out_trade_no":"SBXPARAM0001"})");
  CheckRefused(no_amount, 400, "PARAM_ERROR");
  CHECK(field_of(no_amount) == "/body/amount");
  auto zero = prepay(R"("description":"d","out_trade_no":"SBXPARAM0001","amount":{"total":0}})");
  CheckRefused(zero, 400, "PARAM_ERROR");
  CHECK(field_of(zero) == "/body/amount/total");
  CHECK(zero.body.find(R"("value":0)") != std::string::npos);
  auto text_total =
      prepay(R"("description":"d","out_trade_no":"SBXPARAM0001","amount":{"total":"1"}})");
  CHECK(field_of(text_total) == "/body/amount/total");
  auto short_no = prepay(R"("description":"d","out_trade_no":"SBX1","amount":{"total":1}})");
  CHECK(field_of(short_no) == "/body/out_trade_no");
  auto null_attach = prepay(
      R"("description":"d","out_trade_no":"SBXPARAM0001","attach":null,"amount":{"total":1}})");
  CHECK(field_of(null_attach) == "/body/attach");
  auto unknown =
      prepay(R"("description":"d","out_trade_no":"SBXPARAM0001","amount":{"total":1},"foo":1})");
  CHECK(field_of(unknown) == "/body/foo");
  auto long_description = prepay(R"("description":")" + std::string(128, 'x') +
                                 R"(","out_trade_no":"SBXPARAM0001","amount":{"total":1}})");
  CHECK(field_of(long_description) == "/body/description");

  auto no_mchid = SignedRequest(f, "GET", "/v3/pay/transactions/out-trade-no/SBXPARAM0001");
  CheckRefused(no_mchid, 400, "PARAM_ERROR");
  CHECK(field_of(no_mchid) == "/query/mchid");
  CHECK(no_mchid.body.find(R"("location":"query")") != std::string::npos);
  auto other_mchid =
      SignedRequest(f, "GET", "/v3/pay/transactions/out-trade-no/SBXPARAM0001?mchid=1900000109");
  CheckRefused(other_mchid, 401, "SIGN_ERROR");
}

TEST_CASE("sandbox: the openssl tool verifies a sandbox answer and an SDK request signature") {
  SandboxFixture f;
  CurlTransportOptions transport_options;
  transport_options.ca_file = f.identity().ca_file;
  auto recorder = std::make_shared<RecordingTransport>(MakeCurlTransport(transport_options));
  ClientOptions options;
  options.transport = recorder;
  auto client = f.Client(options);

  NativePrepayRequest order;
  order.out_trade_no = "SBXOPENSSL001";
  order.description = "openssl 交叉验证";
  order.amount.total = 1;
  REQUIRE(client.NativePrepay(order).ok());

  SECTION("the sandbox's signature over its answer, with WeChat Pay's public key") {
    auto response = recorder->LastResponse();
    std::string const message = std::string(response.headers.Get("Wechatpay-Timestamp")) + "\n" +
                                std::string(response.headers.Get("Wechatpay-Nonce")) + "\n" +
                                response.body + "\n";
    auto verified = OpenSslVerify(message, std::string(response.headers.Get("Wechatpay-Signature")),
                                  f.identity().wechatpay_public_key_file);
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("Verified OK") != std::string::npos);
    auto forged =
        OpenSslVerify(message + " ", std::string(response.headers.Get("Wechatpay-Signature")),
                      f.identity().wechatpay_public_key_file);
    CHECK(forged.exit_code != 0);
  }
  SECTION("the signature over a 204 answer covers an empty body") {
    REQUIRE(client.CloseOrder("SBXOPENSSL001").ok());
    auto response = recorder->LastResponse();
    REQUIRE(response.status_code == 204);
    std::string const message = std::string(response.headers.Get("Wechatpay-Timestamp")) + "\n" +
                                std::string(response.headers.Get("Wechatpay-Nonce")) + "\n\n";
    auto verified = OpenSslVerify(message, std::string(response.headers.Get("Wechatpay-Signature")),
                                  f.identity().wechatpay_public_key_file);
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
  }
  SECTION("the SDK's signature over its request, with the merchant's public key") {
    auto request = recorder->LastRequest();
    auto fields = AuthorizationFields(std::string(request.headers.Get("Authorization")));
    std::string const target = request.url.substr(f.BaseUrl().size());
    CHECK(target == "/v3/pay/transactions/native");
    std::string const message = request.method + "\n" + target + "\n" + fields["timestamp"] + "\n" +
                                fields["nonce_str"] + "\n" + request.body + "\n";
    auto verified =
        OpenSslVerify(message, fields["signature"], f.identity().merchant_public_key_file);
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("Verified OK") != std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
