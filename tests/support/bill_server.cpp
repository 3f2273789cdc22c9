// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/bill_server.hpp"

#include <algorithm>
#include <chrono>

#include "http/httplib_headers.hpp"
#include "support/bill_files.hpp"

namespace wechatpay::testing {

BillServer::BillServer() {
  auto bill = [this](httplib::Request const& request, httplib::Response& response) {
    AnswerBill(request, response);
  };
  server_.http().Get("/v3/bill/tradebill", bill);
  server_.http().Get("/v3/bill/fundflowbill", bill);
  server_.http().Get("/v3/billdownload/file",
                     [this](httplib::Request const& request, httplib::Response& response) {
                       ServeFile(request, response);
                     });
}

void BillServer::NextToken(std::string token) {
  std::lock_guard<std::mutex> lock(mu_);
  next_token_ = std::move(token);
}

std::vector<HttpRequest> BillServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

HttpRequest BillServer::Record(httplib::Request const& request) {
  HttpRequest recorded;
  recorded.method = request.method;
  recorded.url = request.target;
  recorded.headers = internal::FromHttplibHeaders(request.headers);
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(recorded);
  return recorded;
}

void BillServer::AnswerBill(httplib::Request const& request, httplib::Response& response) {
  Record(request);
  std::string token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    token = next_token_;
  }
  auto const found = files_.find(token);
  std::string const digest =
      testing::Sha1Hex(found == files_.end() ? std::string() : found->second.digest_source);
  std::string const body = R"({"hash_type":"SHA1","hash_value":")" + digest +
                           R"(","download_url":")" + server_.BaseUrl() +
                           "/v3/billdownload/file?token=" + token + R"("})";
  auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto const signed_answer = wechat_.Signed(200, body, now);
  response.status = signed_answer.status_code;
  for (auto const& [name, value] : signed_answer.headers) response.set_header(name, value);
  response.set_content(signed_answer.body, "application/json");
}

void BillServer::ServeFile(httplib::Request const& request, httplib::Response& response) {
  HttpRequest const recorded = Record(request);
  if (!CheckTestAuthorization(recorded, request.target).empty()) {
    response.status = 401;
    response.set_content(R"({"code":"SIGN_ERROR","message":"bad signature"})", "application/json");
    return;
  }
  auto const found = files_.find(request.get_param_value("token"));
  if (found == files_.end() || found->second.status != 200) {
    response.status = 400;
    response.set_content(R"({"code":"INVALID_REQUEST","message":"下载链接已过期"})",
                         "application/json");
    return;
  }
  // Streamed from the prepared bytes in 64 KiB pieces with a Content-Length, so neither side
  // needs a copy of the whole file.
  std::string const* bytes = &found->second.bytes;
  std::size_t const cut_after = found->second.cut_after;
  response.set_content_provider(
      bytes->size(), "application/octet-stream",
      [bytes, cut_after](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        if (cut_after != 0 && offset >= cut_after) return false;  // drops the connection
        std::size_t const piece = std::min<std::size_t>(length, 64 * 1024);
        return sink.write(bytes->data() + offset, piece);
      });
}

}  // namespace wechatpay::testing
