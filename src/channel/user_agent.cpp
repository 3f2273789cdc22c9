// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/user_agent.hpp"

#include "wechatpay/version.hpp"

namespace wechatpay::internal {
namespace {

constexpr char const* kOs =
#if defined(__linux__)
    "Linux";
#elif defined(__APPLE__)
    "Darwin";
#elif defined(_WIN32)
    "Windows";
#else
    "Unknown";
#endif

constexpr char const* kArch =
#if defined(__x86_64__) || defined(_M_X64)
    "x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
    "aarch64";
#else
    "unknown";
#endif

}  // namespace

std::string const& UserAgent() {
  static std::string const value = std::string("wechatpay-cpp/") + WECHATPAY_VERSION_STRING + " (" +
                                   kOs + "; " + kArch + ") C++/" + std::to_string(__cplusplus);
  return value;
}

}  // namespace wechatpay::internal
