// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/raw_socket_peers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace wechatpay::testing {
namespace {

sockaddr_in LoopbackAddress(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

// POSIX takes every address family through `sockaddr*`.
sockaddr* AsSockaddr(sockaddr_in* address) { return reinterpret_cast<sockaddr*>(address); }

// A socket bound to 127.0.0.1 on an ephemeral port; stores the port. Throws on failure.
int BindLoopback(int* port) {
  int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address = LoopbackAddress(0);
  socklen_t length = sizeof(address);
  if (::bind(fd, AsSockaddr(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, AsSockaddr(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1");
  }
  *port = ntohs(address.sin_port);
  return fd;
}

int ListenLoopback(int backlog, int* port) {
  int const fd = BindLoopback(port);
  if (::listen(fd, backlog) != 0) {
    ::close(fd);
    throw std::runtime_error("listen() failed");
  }
  return fd;
}

std::string BaseUrlFor(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// The Content-Length of a request header block, 0 when absent or unreadable.
std::size_t ContentLength(std::string_view head) {
  std::size_t position = 0;
  while (position < head.size()) {
    auto const end = head.find("\r\n", position);
    auto const line = head.substr(position, end == std::string_view::npos ? end : end - position);
    position = end == std::string_view::npos ? head.size() : end + 2;
    auto const colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "content-length") {
      return static_cast<std::size_t>(
          std::strtoull(std::string(line.substr(colon + 1)).c_str(), nullptr, 10));
    }
  }
  return 0;
}

// Reads one request (headers plus Content-Length body, or the headers only) into `data`. False
// on EOF, error or timeout.
bool ReadOneRequest(int fd, std::string& data, bool headers_only = false) {
  char buffer[4096];
  std::size_t wanted = std::string::npos;
  while (wanted == std::string::npos || data.size() < wanted) {
    ssize_t const n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(n));
    if (wanted == std::string::npos) {
      auto const head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        wanted = head_end + 4;
        if (!headers_only) wanted += ContentLength(std::string_view(data).substr(0, head_end));
      }
    }
  }
  return true;
}

}  // namespace

int ClosedLoopbackPort() {
  int port = 0;
  ::close(BindLoopback(&port));
  return port;
}

DropAfterRequestServer::DropAfterRequestServer(Drop when) : when_(when) {
  // Assigned here, not in the initializer list: port_'s default initializer would run after
  // listen_fd_'s and reset it.
  listen_fd_ = BindLoopback(&port_);
  if (when_ == Drop::kResetAfterHeaders) {
    // A small receive window (inherited by accepted sockets): a large body fills it and the
    // client's send buffer long before it is all sent.
    int const buffer = 4096;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
  }
  if (::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("listen() failed");
  }
  thread_ = std::thread([this] { Run(); });
}

DropAfterRequestServer::~DropAfterRequestServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::string DropAfterRequestServer::BaseUrl() const { return BaseUrlFor(port_); }

std::string DropAfterRequestServer::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_request_;
}

void DropAfterRequestServer::Run() {
  while (!stop_.load()) {
    // Short polls so the destructor is never kept waiting.
    pollfd listener{listen_fd_, POLLIN, 0};
    if (::poll(&listener, 1, 20) <= 0) continue;
    int const fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // Never hang on a client that sends less than it announced.
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string request;
    bool const headers_only = when_ == Drop::kResetAfterHeaders;
    if (ReadOneRequest(fd, request, headers_only)) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_request_ = std::move(request);
      }
      requests_received_.fetch_add(1);
    }
    if (headers_only) {
      // A reset (RST) with the body unread, as a server that gave up on the connection.
      linger reset{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    }
    // kAfterRequest: everything sent was read, so this is an orderly close (FIN).
    ::close(fd);
  }
}

AnswerOnceThenDropServer::AnswerOnceThenDropServer() {
  listen_fd_ = ListenLoopback(1, &port_);
  thread_ = std::thread([this] { Run(); });
}

AnswerOnceThenDropServer::~AnswerOnceThenDropServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string AnswerOnceThenDropServer::BaseUrl() const { return BaseUrlFor(port_); }

void AnswerOnceThenDropServer::Run() {
  int fd = -1;
  while (!stop_.load() && fd < 0) {
    pollfd listener{listen_fd_, POLLIN, 0};
    if (::poll(&listener, 1, 20) <= 0) continue;
    fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  if (fd < 0) return;
  // From now on a connection to the port is refused.
  ::close(listen_fd_);
  listen_fd_ = -1;
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string request;
  if (ReadOneRequest(fd, request)) {
    requests_received_.fetch_add(1);
    std::string_view const answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(answer.size())) {
      request.clear();
      if (ReadOneRequest(fd, request)) requests_received_.fetch_add(1);
    }
  }
  ::close(fd);  // the second request is read whole: an orderly close (FIN)
}

ScriptedAnswerServer::ScriptedAnswerServer(Script script) : script_(std::move(script)) {
  listen_fd_ = ListenLoopback(16, &port_);
  thread_ = std::thread([this] { Run(); });
}

ScriptedAnswerServer::~ScriptedAnswerServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::string ScriptedAnswerServer::BaseUrl() const { return BaseUrlFor(port_); }

void ScriptedAnswerServer::Run() {
  while (!stop_.load()) {
    pollfd listener{listen_fd_, POLLIN, 0};
    if (::poll(&listener, 1, 20) <= 0) continue;
    int const fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // Small buffers keep "bytes written" close to "bytes the client read"; the timeouts keep a
    // client that stops reading (or never sends) from blocking the destructor for long.
    int const buffer = 64 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof(buffer));
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    std::string request;
    if (ReadOneRequest(fd, request)) Answer(fd);
    ::close(fd);
  }
}

void ScriptedAnswerServer::Answer(int fd) {
  // Writes as much of `data` as the client takes; the count falls short once the client is gone
  // (MSG_NOSIGNAL: EPIPE or ECONNRESET, not SIGPIPE).
  auto const write = [fd](std::string_view data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t const n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    return sent;
  };
  std::size_t written = 0;
  bool hung_up = write(script_.head) < script_.head.size();
  // Body, then repeats, each cut to what max_bytes still allows.
  for (bool first = true; !hung_up && written < script_.max_bytes && !stop_.load(); first = false) {
    std::string_view piece = first ? std::string_view(script_.body) : script_.repeat;
    if (!first && piece.empty()) break;
    piece = piece.substr(0, script_.max_bytes - written);
    std::size_t const sent = write(piece);
    written += sent;
    hung_up = sent < piece.size();
  }
  last_body_bytes_.store(written);
  last_hung_up_.store(hung_up);
  answers_.fetch_add(1);
  // Until the client closes (EOF or error), with short polls for the destructor's sake.
  for (int waited = 0; script_.hold_open && !hung_up && !stop_.load() && waited < 10000;
       waited += 20) {
    pollfd client{fd, POLLIN, 0};
    if (::poll(&client, 1, 20) <= 0) continue;
    char byte = 0;
    if (::recv(fd, &byte, 1, 0) <= 0) break;
  }
}

UnresponsiveListener::UnresponsiveListener() {
  listen_fd_ = ListenLoopback(0, &port_);
  // Fill the accept queue. Non-blocking connects: the first completes into the queue, the next
  // ones stay in SYN-SENT, which is all that is needed.
  for (int i = 0; i < 2; ++i) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    sockaddr_in address = LoopbackAddress(port_);
    (void)::connect(fd, AsSockaddr(&address), sizeof(address));
    fillers_.push_back(fd);
  }
  // Let the first handshake complete so the queue is full before the caller connects.
  pollfd filler{fillers_.empty() ? -1 : fillers_.front(), POLLOUT, 0};
  (void)::poll(&filler, 1, 1000);
}

UnresponsiveListener::~UnresponsiveListener() {
  for (int fd : fillers_) ::close(fd);
  ::close(listen_fd_);
}

std::string UnresponsiveListener::BaseUrl() const { return BaseUrlFor(port_); }

int ConnectLoopback(int port) {
  int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address = LoopbackAddress(port);
  if (::connect(fd, AsSockaddr(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  return fd;
}

std::string ReadUntil(int fd, std::string_view marker, std::chrono::milliseconds timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  std::string data;
  char buffer[4096];
  while (data.find(marker) == std::string::npos) {
    auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t const n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  return data;
}

PacedClients::PacedClients(int port, std::size_t count, std::string script, std::size_t chunk,
                           std::chrono::milliseconds interval)
    : script_(std::move(script)), chunk_(std::max<std::size_t>(chunk, 1)), interval_(interval) {
  try {
    for (std::size_t i = 0; i < count; ++i) {
      fds_.push_back(ConnectLoopback(port));
      sent_.push_back(0);
      // The first chunk at once, so that no connection sits idle while the others connect.
      next_send_.push_back(std::chrono::steady_clock::now());
      SendNext(i);
      // Spaced out: a burst of connections would overflow the server's listen backlog (5 in
      // cpp-httplib), and a dropped SYN is retried only after a second.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  } catch (...) {
    for (int fd : fds_) ::close(fd);
    throw;
  }
  thread_ = std::thread([this] { Run(); });
}

PacedClients::~PacedClients() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

bool PacedClients::SendNext(std::size_t i) {
  if (script_.empty() || std::chrono::steady_clock::now() < next_send_[i]) return true;
  next_send_[i] += interval_;
  std::size_t const size = std::min(chunk_, script_.size() - sent_[i]);
  ssize_t const n = ::send(fds_[i], script_.data() + sent_[i], size, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n > 0) {
    sent_[i] = (sent_[i] + static_cast<std::size_t>(n)) % script_.size();
    return true;
  }
  return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

void PacedClients::Run() {
  char buffer[4096];
  while (!stop_.load()) {
    for (std::size_t i = 0; i < fds_.size(); ++i) {
      int& fd = fds_[i];
      if (fd < 0) continue;
      bool gone = false;
      // Drain whatever the server sent; 0 means it closed the connection.
      while (true) {
        ssize_t const n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n > 0) {
          bytes_received_.fetch_add(static_cast<std::size_t>(n));
          continue;
        }
        gone = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
        break;
      }
      if (gone || !SendNext(i)) {
        ::close(fd);
        fd = -1;
        closed_.fetch_add(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ConnectProxy::ConnectProxy(std::string required_authorization)
    : required_authorization_(std::move(required_authorization)) {
  listen_fd_ = ListenLoopback(16, &port_);
  thread_ = std::thread([this] { Run(); });
}

ConnectProxy::~ConnectProxy() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
  ::close(listen_fd_);
}

std::string ConnectProxy::Url(std::string const& user_info) const {
  return "http://" + (user_info.empty() ? std::string() : user_info + "@") +
         "127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> ConnectProxy::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void ConnectProxy::Run() {
  while (!stop_.load()) {
    pollfd listener{listen_fd_, POLLIN, 0};
    if (::poll(&listener, 1, 20) <= 0) continue;
    int const fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void ConnectProxy::Serve(int fd) {
  auto refuse = [fd](std::string_view answer) {
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    ::close(fd);
  };
  std::string head = ReadUntil(fd, "\r\n\r\n", std::chrono::seconds(5));
  auto const end = head.find("\r\n\r\n");
  if (end == std::string::npos) return refuse("HTTP/1.1 400 Bad Request\r\n\r\n");
  head.resize(end + 4);  // a client waits for the answer before it sends TLS bytes
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(head);
  }
  // "CONNECT host:port HTTP/1.1": the port after the last ':' of the authority.
  std::string_view line(head);
  line = line.substr(0, line.find("\r\n"));
  auto const first_space = line.find(' ');
  auto const last_space = line.rfind(' ');
  if (line.substr(0, first_space) != "CONNECT" || last_space <= first_space) {
    return refuse("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
  }
  auto const authority = line.substr(first_space + 1, last_space - first_space - 1);
  int const port = std::atoi(std::string(authority.substr(authority.rfind(':') + 1)).c_str());
  if (!required_authorization_.empty() &&
      head.find("\r\nProxy-Authorization: " + required_authorization_ + "\r\n") ==
          std::string::npos) {
    return refuse(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
        "realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
  }
  int upstream = -1;
  try {
    upstream = ConnectLoopback(port);
  } catch (std::exception const&) {
    return refuse("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  }
  constexpr std::string_view kEstablished = "HTTP/1.1 200 Connection established\r\n\r\n";
  ::send(fd, kEstablished.data(), kEstablished.size(), MSG_NOSIGNAL);
  tunnels_.fetch_add(1);
  // Relay until either side closes (or the proxy stops); short polls keep Stop() prompt.
  pollfd ends[2] = {{fd, POLLIN, 0}, {upstream, POLLIN, 0}};
  char buffer[16384];
  while (!stop_.load()) {
    if (::poll(ends, 2, 20) <= 0) continue;
    bool closed = false;
    for (int i = 0; i < 2 && !closed; ++i) {
      if ((ends[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      auto const n = ::recv(ends[i].fd, buffer, sizeof(buffer), 0);
      closed =
          n <= 0 || ::send(ends[1 - i].fd, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n;
    }
    if (closed) break;
  }
  ::close(upstream);
  ::close(fd);
}

}  // namespace wechatpay::testing
