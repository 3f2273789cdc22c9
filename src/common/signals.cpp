// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/signals.hpp"

#if !defined(_WIN32)

#include <pthread.h>

namespace wechatpay::internal {

sigset_t SignalSet(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int signal_number : signals) sigaddset(&set, signal_number);
  return set;
}

sigset_t BlockSignals(std::initializer_list<int> signals) {
  sigset_t const blocked = SignalSet(signals);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  return previous;
}

void RestoreSignalMask(sigset_t const& previous) {
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace wechatpay::internal

#endif  // !defined(_WIN32)
