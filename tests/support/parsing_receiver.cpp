// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/parsing_receiver.hpp"

#include <utility>

#include "http/httplib_headers.hpp"

namespace wechatpay::testing {

ParsingReceiver::ParsingReceiver() {
  server_.http().Post("/notify", [this](httplib::Request const& req, httplib::Response& res) {
    HttpHeaders const headers = internal::FromHttplibHeaders(req.headers);
    std::lock_guard<std::mutex> lock(mu_);
    if (parser_) {
      auto parsed = parser_->Parse(headers, req.body);
      if (parsed) parsed_.push_back(*std::move(parsed));
    }
    res.status = 204;
  });
  server_.Start();
}

void ParsingReceiver::Attach(NotificationParser parser) {
  std::lock_guard<std::mutex> lock(mu_);
  parser_ = std::move(parser);
}

std::vector<Notification> ParsingReceiver::Parsed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return parsed_;
}

std::vector<std::string> ParsingReceiver::Events() const {
  std::vector<std::string> events;
  for (auto const& notification : Parsed()) events.push_back(notification.event_type);
  return events;
}

}  // namespace wechatpay::testing
