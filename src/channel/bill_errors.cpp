// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/bill_errors.hpp"

#include <string>
#include <utility>

#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay::internal {

Status BillRequestStatus(Status status, std::string_view bill_date) {
  if (IsServiceError(status, error_codes::kStatementCreating)) {
    return Status(StatusCode::kUnavailable,
                  "the bill of " + std::string(bill_date) +
                      " is not generated yet (STATEMENT_CREATING): not yet, try after 10:00 "
                      "Beijing time the next day; " +
                      status.message(),
                  status.info());
  }
  if (IsServiceError(status, error_codes::kNoStatementExist)) {
    return Status(StatusCode::kServiceError,
                  "no bill for that day (" + std::string(bill_date) +
                      ", NO_STATEMENT_EXIST): asking again will not change it; " + status.message(),
                  status.info());
  }
  return status;
}

Status BillDownloadStatus(Status status) {
  if (IsServiceError(status, error_codes::kInvalidRequest) ||
      IsServiceError(status, error_codes::kNoAuth)) {
    return Status(status.code(),
                  "the bill download URL was refused (expired, used or not this merchant's): "
                  "apply for the bill again and download at once; " +
                      status.message(),
                  status.info());
  }
  return status;
}

}  // namespace wechatpay::internal
