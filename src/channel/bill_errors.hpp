// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the bill operations' documented errors mean for an application (docs/bills.md, "Errors"):
// "not yet" (STATEMENT_CREATING) must be told apart from "never" (NO_STATEMENT_EXIST), and an
// expired download URL from a broken download.

#include <string_view>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// A failed bill request (trade or fund flow) for `bill_date`: STATEMENT_CREATING becomes
/// kUnavailable (the bill is not generated yet; try after 10:00 Beijing time the next day),
/// NO_STATEMENT_EXIST stays kServiceError with a message saying there is no bill for that day;
/// both keep WeChat's code, HTTP status and Request-ID. Anything else is returned as is.
Status BillRequestStatus(Status status, std::string_view bill_date);

/// A failed bill file download: INVALID_REQUEST and NO_AUTH get the advice to apply for the
/// bill again (the download URL expires within seconds); anything else is returned as is.
Status BillDownloadStatus(Status status);

}  // namespace wechatpay::internal
