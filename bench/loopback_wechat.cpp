// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "loopback_wechat.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

namespace wechatpay::bench {
namespace {

std::int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void Fail(char const* what) {
  std::fprintf(stderr, "wechatpay_bench: loopback server: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

// The value of Content-Length in a request head (lower-case match of the name), 0 when absent.
std::size_t ContentLength(std::string_view head) {
  std::size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    constexpr std::string_view kName = "content-length:";
    if (head.size() - pos < kName.size()) break;
    bool match = true;
    for (std::size_t i = 0; i < kName.size() && match; ++i) {
      char c = head[pos + i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == kName[i];
    }
    if (match)
      return static_cast<std::size_t>(std::strtoull(head.data() + pos + kName.size(), nullptr, 10));
  }
  return 0;
}

}  // namespace

LoopbackWeChat::LoopbackWeChat(PrivateKey wechat_key)
    : wechat_key_(std::move(wechat_key)),
      connections_(std::make_shared<std::atomic<std::size_t>>(0)) {}

LoopbackWeChat::~LoopbackWeChat() {
  stopping_ = true;
  if (listener_ >= 0) ::shutdown(listener_, SHUT_RDWR);
  if (accept_thread_.joinable()) accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : connection_threads_) t.join();
  if (listener_ >= 0) ::close(listener_);
}

void LoopbackWeChat::Start() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener_ < 0) Fail("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) Fail("bind");
  if (::listen(listener_, 16) != 0) Fail("listen");
  socklen_t length = sizeof address;
  if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Fail("getsockname");
  }
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

void LoopbackWeChat::AcceptLoop() {
  while (!stopping_) {
    int const fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;  // shut down
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connections_->fetch_add(1);
    std::lock_guard<std::mutex> lock(mu_);
    open_.push_back(fd);
    connection_threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

// HTTP/1.1 keep-alive: reads one request (head, then Content-Length bytes of body) at a time and
// answers each with a single send() of head and body together, as a real server's one TLS record
// would arrive: a split answer would cost the client an extra wake-up and read per request.
void LoopbackWeChat::Serve(int fd) {
  std::string buffer;
  char chunk[16384];
  for (;;) {
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      ssize_t const got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
    std::size_t const request_end = head_end + 4 + ContentLength({buffer.data(), head_end});
    while (buffer.size() < request_end) {
      ssize_t const got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
    buffer.erase(0, request_end);

    SignedMessage const answer = CurrentAnswer();
    std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(answer.body.size()) + "\r\n";
    for (auto const& [name, value] : answer.headers) {
      if (name != "Content-Type") response += name + ": " + value + "\r\n";
    }
    response += "\r\n" + answer.body;
    std::size_t sent = 0;
    while (sent < response.size()) {
      ssize_t const n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }
}

std::string LoopbackWeChat::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

SignedMessage LoopbackWeChat::CurrentAnswer() {
  std::lock_guard<std::mutex> lock(mu_);
  auto const now = UnixSeconds();
  if (now - signed_at_ >= 30) {
    answer_ = SignAsWeChat(wechat_key_, kAnswerBody, now);
    signed_at_ = now;
  }
  return answer_;
}

}  // namespace wechatpay::bench
