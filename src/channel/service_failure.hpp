// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The Status of a non-2xx API v3 answer (or a 202), shared by the direct channel's calls and
// the platform certificate download: WeChat's error body read into ErrorInfo.

#include "wechatpay/http/types.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// kServiceError with the HTTP status, Request-ID and WeChat's code, message and detail.
Status ServiceFailureStatus(HttpResponse const& response, ResponseMetadata const& meta);

}  // namespace wechatpay::internal
