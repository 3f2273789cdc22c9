// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The layout every WeChat Pay bill shares (docs/bills.md), independent of its columns: a header
// line of column names (no backticks), detail rows whose every field starts with one backtick,
// then a summary header (names again, no backticks) and exactly one summary row (backticks).
// Since the file streams, the summary header is recognised when it arrives: the first line
// after the header whose fields carry no backtick, which must name the bill's count column.
// The trade and fund-flow readers (bill_format.cpp) add the columns' meaning.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/bill_csv.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// What a bill reader tells the table about its bill.
struct BillTableSpec {
  /// Names the file in errors: "trade bill".
  std::string_view what;
  /// The summary header's count column: how a summary header is told from a broken line.
  std::string_view summary_count_column;
  /// The header (names as in the file); may refuse it (a required column missing).
  std::function<Status(std::vector<std::string> const& names)> on_header;
  /// A detail row, backticks removed, as many fields as the header has names; the views are
  /// valid during the call only.
  std::function<Status(std::size_t line, std::vector<std::string_view> const& fields)> on_row;
  /// The summary header's names and the summary row's values (backticks removed; views valid
  /// during the call only).
  std::function<Status(std::size_t line, std::vector<std::string> const& names,
                       std::vector<std::string_view> const& values)>
      on_summary;
};

/// Pushes bytes through the record splitter and the bill layout. Not thread-safe.
class BillTable {
 public:
  explicit BillTable(BillTableSpec spec);

  /// Consumes the next bytes. After an error every call returns that error.
  Status Feed(std::string_view bytes);
  /// Ends the file: the summary must have been read.
  Status Finish();

  /// The bill's error for `line` and `column` (a name, never a value): kMalformedResponse.
  Status Error(std::size_t line, std::string_view column, std::string_view rule) const;
  /// The bill's error about the whole file.
  Status FileError(std::string_view rule) const;

 private:
  enum class State { kHeader, kDetail, kSummaryRow, kDone, kFailed };

  using Fields = std::vector<std::string_view>;
  Status Record(std::size_t line, Fields& fields, bool utf8);
  Status Header(std::size_t line, Fields const& fields);
  Status SummaryHeader(std::size_t line, Fields const& fields);
  Status StripBackticks(std::size_t line, Fields& fields, std::vector<std::string> const& names,
                        bool utf8) const;
  static bool StripBackticksFast(Fields& fields, std::size_t names, bool utf8) noexcept;
  Status CheckNames(std::size_t line, Fields const& fields) const;
  Status Fail(Status status);

  BillTableSpec spec_;
  BillRecordSplitter splitter_;
  BillRecordSplitter::Handler handler_;
  State state_ = State::kHeader;
  Status failure_;
  std::vector<std::string> header_;
  std::vector<std::string> summary_header_;
  std::size_t last_line_ = 0;
};

}  // namespace wechatpay::internal
