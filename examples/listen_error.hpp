// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Why an example server could not listen (callback_server, cashier). cpp-httplib's
// bind_to_port() only says false; a merchant who starts a second copy, or whose port 8080 is
// taken by another program, needs to read "address already in use", not guess. POSIX only.

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace examples {

/// The reason binding `host`:`port` fails, found by trying it again the way cpp-httplib does
/// (SO_REUSEADDR, every address the host resolves to): "address already in use (...)" when
/// another socket holds the port, the system's words otherwise (e.g. "Permission denied" below
/// port 1024), "" when the port is free by now.
inline std::string ListenFailure(std::string const& host, int port) {
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
    return "address already in use (another program, or another copy of this one, listens on "
           "port " +
           service + "; stop it or choose another port with --listen HOST:PORT, 0 for a free one)";
  }
  return error == 0 ? std::string() : std::string(std::strerror(error));
}

}  // namespace examples
