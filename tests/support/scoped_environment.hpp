// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// An environment variable set for one test and restored afterwards. Catch2 runs the tests of a
// process one at a time, so changing the process environment is safe there.

#include <cstdlib>
#include <optional>
#include <string>

namespace wechatpay::testing {

/// Sets `name` to `value` (nullptr: unsets it) until destruction, then restores the old value.
class ScopedEnvironment {
 public:
  ScopedEnvironment(char const* name, char const* value) : name_(name) {
    if (char const* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnvironment(ScopedEnvironment const&) = delete;
  ScopedEnvironment& operator=(ScopedEnvironment const&) = delete;

 private:
  char const* name_;
  std::optional<std::string> old_;
};

}  // namespace wechatpay::testing
