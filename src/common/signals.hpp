// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Signal masks for the programs that serve or wait (the sandbox, the CLI): a peer closing a
// socket mid-write raises SIGPIPE, which kills the process unless it is blocked, and a stop
// signal is best taken by one thread with sigwait(). Threads inherit the mask of the thread
// that starts them, so blocking before they start covers them all. POSIX only.

#if !defined(_WIN32)

#include <signal.h>

#include <initializer_list>

namespace wechatpay::internal {

/// The set holding exactly `signals` (for sigwait()).
sigset_t SignalSet(std::initializer_list<int> signals);

/// Adds `signals` to the calling thread's blocked set, and so to that of every thread it starts
/// afterwards. Returns the mask before, for RestoreSignalMask().
sigset_t BlockSignals(std::initializer_list<int> signals);

/// Sets the calling thread's mask back to `previous` (from BlockSignals()).
void RestoreSignalMask(sigset_t const& previous);

}  // namespace wechatpay::internal

#endif  // !defined(_WIN32)
