// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The line Sandbox::Options::request_log gets per request (docs/sandbox.md, --log-requests):
// what a merchant debugging their own signing code needs to see why a request was refused,
// and nothing that could be a secret.

#include <string>
#include <string_view>

#include "http/exchange.hpp"

namespace wechatpay::sandbox::internal {

/// `target` (path and query as sent) with every query value replaced by `***`, so that a
/// token or an id in the query never reaches a log: "/v3/bill?token=***&type=***".
std::string MaskQueryValues(std::string_view target);

/// `METHOD MASKED_TARGET STATUS`, then for an answer of 400 or more `refused: REASON` when
/// the refusing check set Answer::refusal, else the `code` of the JSON error body.
/// `faulted`: an injected fault shaped the answer (the line says so).
std::string RequestLogLine(Inbound const& request, Answer const& answer, bool faulted);

}  // namespace wechatpay::sandbox::internal
