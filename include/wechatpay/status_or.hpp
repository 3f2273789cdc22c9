// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file status_or.hpp
/// StatusOr<T>: a value or the Status that explains why there is none.

#include <optional>
#include <type_traits>
#include <utility>

#include "wechatpay/status.hpp"

namespace wechatpay {

/// Holds either a T or a non-OK Status.
///
/// `operator*` and `operator->` do not check (undefined when !ok()); `value()` throws
/// RuntimeStatusError for callers who prefer exceptions.
///
/// @par Thread Safety
/// Like T: const access from several threads is safe.
template <typename T>
class StatusOr {
 public:
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "StatusOr<Status> is not allowed");

  /// An error holding kInternal; prefer constructing from a value or an error Status.
  StatusOr() : status_(StatusCode::kInternal, "StatusOr default-constructed") {}
  /// Holds `status`, which must not be OK (an OK status becomes kInternal).
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status(StatusCode::kInternal, "StatusOr built from an OK Status");
  }
  /// Holds a copy of `value`.
  StatusOr(T const& value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  /// Holds `value`, moved in. An rvalue-reference overload, not a by-value parameter, so that
  /// `return local;` in a function returning StatusOr<T> moves `local` (C++17's implicit move
  /// on return applies only to a constructor taking T&&).
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)

  /// True when a value is held.
  bool ok() const noexcept { return value_.has_value(); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// OK when a value is held, the error otherwise.
  Status const& status() const noexcept { return status_; }

  /// The value; throws RuntimeStatusError when there is none.
  T& value() & {
    Check();
    return *value_;
  }
  /// The value; throws RuntimeStatusError when there is none.
  T const& value() const& {
    Check();
    return *value_;
  }
  /// The value, moved out; throws RuntimeStatusError when there is none.
  T&& value() && {
    Check();
    return std::move(*value_);
  }

  /// Unchecked access.
  T& operator*() & noexcept { return *value_; }
  /// Unchecked access.
  T const& operator*() const& noexcept { return *value_; }
  /// Unchecked access.
  T&& operator*() && noexcept { return std::move(*value_); }
  /// Unchecked access.
  T* operator->() noexcept { return &*value_; }
  /// Unchecked access.
  T const* operator->() const noexcept { return &*value_; }

 private:
  void Check() const {
    if (!value_) throw RuntimeStatusError(status_);
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace wechatpay
