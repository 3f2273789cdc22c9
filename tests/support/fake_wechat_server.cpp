// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/fake_wechat_server.hpp"

#include "http/httplib_headers.hpp"
#include "support/test_data.hpp"

namespace wechatpay::testing {

FakeWeChatServer::FakeWeChatServer() : FakeWeChatServer(LoopbackServer::Options()) {}

FakeWeChatServer::FakeWeChatServer(LoopbackServer::Options options) : server_(std::move(options)) {
  auto handler = [this](httplib::Request const& request, httplib::Response& response) {
    Handle(request, response);
  };
  server_.http().Get(".*", handler);
  server_.http().Post(".*", handler);
  server_.Start();
}

void FakeWeChatServer::SetReply(Reply reply) {
  std::lock_guard<std::mutex> lock(mu_);
  reply_ = std::move(reply);
}

std::vector<HttpRequest> FakeWeChatServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::string FakeWeChatServer::WriteConfig(std::string const& dir) const {
  return WriteTestConfig(dir, BaseUrl());
}

std::string WriteTestConfig(std::string const& dir, std::string const& base_url) {
  auto const config = TestMerchant::Config(base_url);
  std::string const path = dir + "/config.json";
  WriteFile(path, std::string("{") + R"("appId":")" + config.app_id + R"(","merchantId":")" +
                      config.merchant_id + R"(","apiV3Key":")" + config.api_v3_key +
                      R"(","merchantSerialNumber":")" + config.merchant_serial_number +
                      R"(","privateKey":")" + config.private_key + R"(","wxPayPublicKey":")" +
                      config.wx_pay_public_key + R"(","wxPayPublicKeyId":")" +
                      config.wx_pay_public_key_id + R"(","notifyUrl":")" + config.notify_url +
                      R"(","baseUrl":")" + config.base_url + R"("})");
  return path;
}

void FakeWeChatServer::Handle(httplib::Request const& request, httplib::Response& response) {
  HttpRequest recorded;
  recorded.method = request.method;
  recorded.url = request.target;
  recorded.headers = internal::FromHttplibHeaders(request.headers);
  recorded.body = request.body;
  Reply reply;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(recorded);
    reply = reply_;
  }
  if (reply.delay.count() > 0) server_.WaitForStop(reply.delay);
  auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  HttpResponse answer;
  switch (reply.signing) {
    case Signing::kSigned:
      answer = wechat_.Signed(reply.status, reply.body, now);
      break;
    case Signing::kUnsigned:
      answer = WeChatPaySigner::Unsigned(reply.status, reply.body);
      break;
    case Signing::kTamperedBody:
      answer = wechat_.Signed(reply.status, reply.body, now);
      answer.body += " ";
      break;
    case Signing::kStale:
      answer = wechat_.Signed(reply.status, reply.body, now - 600);
      break;
  }
  response.status = answer.status_code;
  for (auto const& [name, value] : answer.headers) {
    if (name != "Content-Type") response.set_header(name, value);
  }
  if (!answer.body.empty()) response.set_content(answer.body, "application/json");
}

}  // namespace wechatpay::testing
