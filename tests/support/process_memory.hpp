// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// This process's resident memory, for the tests that prove a transfer is bounded (Linux).

#include <cstddef>
#include <string>

namespace wechatpay::testing {

/// This process's VmHWM or VmRSS (`key`) in bytes, 0 when /proc/self/status does not say.
std::size_t ProcStatusBytes(std::string const& key);

/// Linux (4.0+): writing 5 to clear_refs resets VmHWM to the current RSS. Memory that earlier
/// tests freed is handed back to the system first (glibc keeps it resident for reuse otherwise,
/// and the transfer would be served from it without raising the peak). False when the peak
/// cannot be reset.
bool ResetPeakRss();

}  // namespace wechatpay::testing
