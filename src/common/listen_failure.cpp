// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/listen_failure.hpp"

#if !defined(_WIN32)

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace wechatpay::internal {

std::string ListenFailure(std::string const& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string const service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return std::string("cannot resolve the host: ") + gai_strerror(rc);
  }
  int error = 0;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    int const fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    int const yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    int const rc = bind(fd, address->ai_addr, address->ai_addrlen);
    error = rc == 0 ? 0 : errno;
    close(fd);
    if (rc == 0) break;
  }
  freeaddrinfo(found);
  if (error == EADDRINUSE) {
    return "address already in use (another program, or another sandbox, listens on port " +
           service + ")";
  }
  return error == 0 ? std::string() : std::string(std::strerror(error));
}

}  // namespace wechatpay::internal

#endif  // !defined(_WIN32)
