// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Captures the sandbox's real traffic as fuzz seeds: a client runs the Native flow (orders,
// queries, payment, refunds, close, errors) against a sandbox, directly and through the
// CloudBase gateway, and every request, answer and notification is written into
// fuzz/corpus/<target>/ in the format of that target. Run it when the protocol changes:
//
//   cmake --build build --target fuzz_capture_seeds && build/bin/fuzz_capture_seeds fuzz/corpus
//
// The sandbox's identity is generated at random, so the captured text is rewritten to the
// fixed identity of the fuzz targets (sandbox_request.hpp, notification_keys.hpp): ids are
// replaced, requests are signed again with the targets' merchant key (or carry the SIGN and
// TOKEN placeholders), answers and notifications with the targets' WeChat Pay key, and
// notification resources are encrypted again under the targets' APIv3 key. Bodies and shapes
// stay exactly what the sandbox produced.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "notification_keys.hpp"
#include "notify/notification_codec.hpp"
#include "sandbox_request.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

namespace {

using namespace wechatpay;
namespace fs = std::filesystem;

struct Exchange {
  HttpRequest request;
  StatusOr<HttpResponse> response;
};

// Keeps every exchange of the client.
class RecordingTransport : public HttpTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  StatusOr<HttpResponse> Send(HttpRequest const& request) override {
    auto response = inner_->Send(request);
    std::lock_guard<std::mutex> lock(mu_);
    exchanges_.push_back(Exchange{request, response});
    return response;
  }
  std::vector<Exchange> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(exchanges_, {});
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::mutex mu_;
  std::vector<Exchange> exchanges_;
};

class Writer {
 public:
  Writer(fs::path root, sandbox::Identity identity)
      : root_(std::move(root)), identity_(std::move(identity)) {}

  // The sandbox's identity replaced with the fuzz targets' one.
  std::string Normalise(std::string text) const {
    std::pair<std::string, std::string> const replacements[] = {
        {identity_.merchant_id, fuzz::kSandboxMerchantId},
        {identity_.merchant_serial_number, fuzz::kSandboxMerchantSerial},
        {identity_.service_app_id, fuzz::kSandboxServiceAppId},
        {identity_.app_id, fuzz::kSandboxAppId},
        {identity_.function_name, fuzz::kSandboxFunction},
    };
    for (auto const& [from, to] : replacements) {
      if (from.empty()) continue;
      for (auto at = text.find(from); at != std::string::npos;
           at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
    }
    return text;
  }

  void Write(std::string const& target, std::string const& name, std::string const& bytes) {
    fs::create_directories(root_ / target);
    std::ofstream(root_ / target / ("sandbox-" + name), std::ios::binary) << bytes;
    std::printf("%s/sandbox-%s\n", target.c_str(), name.c_str());
  }

 private:
  fs::path root_;
  sandbox::Identity identity_;
};

std::string Target(std::string const& url) {
  auto const scheme = url.find("://");
  auto const slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string HeaderLines(HttpHeaders const& headers) {
  std::string out;
  for (auto const& [name, value] : headers) out += name + ": " + value + "\n";
  return out;
}

// Signs `body` with the targets' WeChat Pay key and returns the Wechatpay-* header lines.
std::string SignedHeaderLines(std::string const& timestamp, std::string const& body) {
  static PrivateKey const key = fuzz::MakeTestSigningKey();
  std::string const nonce = "capturedNonce0123456789";
  auto signature = key.SignSha256(BuildResponseSignMessage(timestamp, nonce, body)).value();
  return "Wechatpay-Timestamp: " + timestamp + "\nWechatpay-Nonce: " + nonce +
         "\nWechatpay-Signature: " + signature + "\nWechatpay-Serial: " + fuzz::kPublicKeyId + "\n";
}

std::string Now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// The exchanges of one backend ("direct" or "gateway..."), numbered in order, and the flow of
// sandbox_api steps they make.
struct Capture {
  Writer& out;
  RecordingTransport& recorder;
  std::string kind;
  std::vector<std::string> flow;
  int count = 0;
};

void WriteExchanges(Capture& capture) {
  Writer& out = capture.out;
  std::string const& kind = capture.kind;
  std::vector<std::string>& flow = capture.flow;
  static PrivateKey const merchant_key =
      PrivateKey::FromPem(fuzz::ReadTestData(fuzz::kSandboxMerchantPrivateKey)).value();
  static RequestSigner const signer =
      RequestSigner::Create(fuzz::kSandboxMerchantId, fuzz::kSandboxMerchantSerial, merchant_key)
          .value();
  for (auto const& exchange : capture.recorder.Take()) {
    std::string const name = kind + "-" + std::to_string(++capture.count);
    auto const& request = exchange.request;
    std::string const target = out.Normalise(Target(request.url));
    std::string const body = out.Normalise(request.body);
    HttpHeaders headers;
    for (auto const& [field, value] : request.headers) {
      if (field == "Authorization") continue;
      headers.Add(field, out.Normalise(value));
    }
    std::string const head = request.method + " " + target + "\n";
    if (kind == "direct") {
      auto const timestamp = std::stoll(Now());
      auto const authorization =
          signer.Authorization(request.method, target, body, timestamp, "capturedNonce").value();
      out.Write(
          "sandbox_auth", name,
          head + "Authorization: " + authorization + "\n" + HeaderLines(headers) + "\n" + body);
    }
    std::string const placeholder =
        kind == "direct" ? fuzz::kSignPlaceholder : fuzz::kTokenPlaceholder;
    flow.push_back(head + "Authorization: " + placeholder + "\n" + HeaderLines(headers) + "\n" +
                   body);
    out.Write("sandbox_api", name, flow.back());
    if (!exchange.response) continue;
    auto const& response = *exchange.response;
    std::string const answer = out.Normalise(response.body);
    if (!answer.empty()) out.Write("json_models", name, answer);
    if (kind == "direct") {
      std::string const timestamp = Now();
      out.Write("signature_verify", name,
                timestamp + "\n" + SignedHeaderLines(timestamp, answer) + "\n" + answer);
    } else {
      HttpHeaders kept;
      for (auto const& [field, value] : response.headers) {
        if (field == "X-Request-Id" || field == "Retry-After" || field == "Content-Type") {
          kept.Add(field, value);
        }
      }
      out.Write("gateway_unwrap", name,
                "HTTP " + std::to_string(response.status_code) + "\n" + HeaderLines(kept) + "\n" +
                    answer);
    }
  }
}

NativePrepayRequest Order(std::string const& out_trade_no, std::int64_t total) {
  NativePrepayRequest request;
  request.description = "Image形象店-深圳腾大-QQ公仔";
  request.out_trade_no = out_trade_no;
  request.amount.total = total;
  request.attach = "fuzz seed";
  return request;
}

CreateRefundRequest Refund(std::string const& out_trade_no, std::string const& out_refund_no,
                           std::int64_t refund, std::int64_t total) {
  CreateRefundRequest request;
  request.out_trade_no = out_trade_no;
  request.out_refund_no = out_refund_no;
  request.reason = "商品已售完";
  request.amount.refund = refund;
  request.amount.total = total;
  return request;
}

// The Native flow on one client; `prefix` keeps the orders of the two backends apart.
void RunFlow(NativePayClient const& client, sandbox::Sandbox& sandbox, std::string const& prefix,
             Capture& capture) {
  std::string const paid = prefix + "ORDER0001";
  std::string const closed = prefix + "ORDER0002";
  client.NativePrepay(Order(paid, 3));
  client.NativePrepay(Order(paid, 3));  // reentrant: the same code_url
  client.NativePrepay(Order(paid, 4));  // reentrant with other parameters: refused
  client.QueryOrderByOutTradeNo(paid);  // NOTPAY
  // The payer's step, in its place among the requests.
  WriteExchanges(capture);
  (void)sandbox.Pay(paid);
  capture.flow.push_back("PAY " + paid);
  auto paid_transaction = client.QueryOrderByOutTradeNo(paid);  // SUCCESS
  if (paid_transaction && paid_transaction->transaction_id) {
    client.QueryOrderById(*paid_transaction->transaction_id);
  }
  client.CreateRefund(Refund(paid, prefix + "REFUND01", 1, 3));
  client.CreateRefund(Refund(paid, prefix + "REFUND02", 5, 3));  // more than the order
  client.QueryRefund(prefix + "REFUND01");
  client.QueryRefund(prefix + "REFUND99");  // unknown
  client.NativePrepay(Order(closed, 1));
  client.CloseOrder(closed);
  client.QueryOrderByOutTradeNo(closed);  // CLOSED
  client.QueryOrderByOutTradeNo(prefix + "UNKNOWN1");
  WriteExchanges(capture);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR   (fuzz/corpus)\n", argv[0]);
    return 2;
  }
  sandbox::Sandbox::Options options;
  options.plain_http = true;
  options.time_scale = 0.001;
  sandbox::Sandbox sandbox(options);
  if (auto status = sandbox.Start(); !status.ok()) {
    std::fprintf(stderr, "sandbox: %s\n", status.ToString().c_str());
    return 1;
  }
  Writer out(argv[1], sandbox.identity());

  auto recorder = std::make_shared<RecordingTransport>(MakeCurlTransport());
  ClientOptions client_options;
  client_options.transport = recorder;
  client_options.retry.max_retries = 0;

  Capture direct{out, *recorder, "direct", {}, 0};
  Capture gateway{out, *recorder, "gateway", {}, 0};
  {
    auto client = NativePayClient::Create(sandbox.ClientConfig(), client_options).value();
    RunFlow(client, sandbox, "SEEDD", direct);
  }
  {
    auto client =
        NativePayClient::Create(sandbox.GatewayClientConfig().value(), client_options).value();
    RunFlow(client, sandbox, "SEEDG", gateway);
    // The gateway's refusals: an expired and an anonymous login's token.
    for (auto [name, token] :
         {std::pair<char const*, sandbox::TokenOptions>{
              "expired", sandbox::TokenOptions{false, std::chrono::seconds(0)}},
          {"anonymous", sandbox::TokenOptions{true, std::chrono::seconds(60)}}}) {
      auto refused =
          NativePayClient::Create(sandbox.GatewayClientConfig(token).value(), client_options)
              .value();
      refused.QueryOrderByOutTradeNo("SEEDGORDER0001");
      Capture capture{out, *recorder, std::string("gateway-") + name, {}, 0};
      WriteExchanges(capture);
    }
  }
  // The flows as multi-step inputs of sandbox_api.
  auto join = [](std::vector<std::string> const& steps) {
    std::string text;
    for (auto const& step : steps) text += (text.empty() ? "" : "\n%%\n") + step;
    return text;
  };
  out.Write("sandbox_api", "direct-flow", join(direct.flow));
  out.Write("sandbox_api", "gateway-flow", join(gateway.flow));

  // The callbacks (TRANSACTION.SUCCESS twice, REFUND.SUCCESS twice) arrive asynchronously.
  std::vector<std::string> bodies;
  for (int i = 0; i < 200 && bodies.size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    bodies = sandbox.NotifySinkBodies();
  }
  auto sandbox_cipher = AesGcmCipher::Create(sandbox.identity().api_v3_key).value();
  auto fuzz_cipher = AesGcmCipher::Create(fuzz::kApiV3Key).value();
  int n = 0;
  for (auto const& body : bodies) {
    std::string const name = "notify-" + std::to_string(++n);
    auto envelope = internal::ParseNotificationEnvelope(body).value();
    std::string const plaintext = out.Normalise(
        sandbox_cipher.Decrypt(envelope.nonce, envelope.associated_data, envelope.ciphertext)
            .value());
    out.Write("json_models", name, plaintext);
    char const mode = envelope.event_type == "TRANSACTION.SUCCESS" ? '\x01' : '\x03';
    out.Write("notification_signed", name + "-plaintext", std::string(1, mode) + plaintext);
    // The body as WeChat sends it, the resource under the targets' APIv3 key.
    std::string const ciphertext =
        fuzz_cipher.Encrypt(envelope.nonce, envelope.associated_data, plaintext).value();
    std::string reencrypted = body;
    reencrypted.replace(reencrypted.find(envelope.ciphertext), envelope.ciphertext.size(),
                        ciphertext);
    out.Write("notification_signed", name + "-body", std::string(1, '\0') + reencrypted);
    // Signed, but encrypted under the sandbox's key: verification passes, decryption fails.
    std::string const timestamp = Now();
    out.Write("notification_parse", name,
              timestamp + "\n" + SignedHeaderLines(timestamp, body) + "\n" + body);
  }
  sandbox.Stop();
  return bodies.size() >= 4 ? 0 : 1;
}
