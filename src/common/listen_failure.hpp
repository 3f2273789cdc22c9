// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Why a server could not listen on a port (the sandbox). cpp-httplib's bind_to_port() only says
// false; "address already in use" is what a developer who started a second sandbox, or whose
// port is taken, needs to read. POSIX only. (The examples carry their own copy,
// examples/listen_error.hpp: they are built against the installed package alone.)

#if !defined(_WIN32)

#include <string>

namespace wechatpay::internal {

/// The reason binding `host`:`port` fails, found by trying it again as cpp-httplib does
/// (SO_REUSEADDR, every address the host resolves to): "address already in use (...)" when
/// another socket holds the port, the system's words otherwise (e.g. "Permission denied" below
/// port 1024), "" when the port is free by now.
std::string ListenFailure(std::string const& host, int port);

}  // namespace wechatpay::internal

#endif  // !defined(_WIN32)
