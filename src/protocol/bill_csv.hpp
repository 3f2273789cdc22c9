// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The record layer of the bill readers (bill_format.hpp): bytes pushed in chunks of any size
// become CSV records (RFC 4180: fields separated by commas, a field may be quoted with "..." and
// then hold commas, line breaks and "" for a quote). Also strips the optional UTF-8 byte-order
// mark, accepts CRLF and LF, skips empty lines and bounds what one record may hold, so that a
// hostile file cannot make a reader buffer without limit. Knows nothing of backticks or columns.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The longest record a bill may hold, in bytes: far above any real bill line (27 short columns
/// and a description), low enough to bound memory.
inline constexpr std::size_t kMaxBillRecordBytes = 64 * 1024;
/// The most fields one record may hold.
inline constexpr std::size_t kMaxBillFields = 256;

/// Splits a byte stream into records. Not thread-safe.
class BillRecordSplitter {
 public:
  /// Receives each non-empty record: the line it starts on (1-based) and its fields, quotes
  /// removed. The views point into the fed bytes or the splitter's buffer and are valid during
  /// the call only; the handler may shorten them in place. `utf8` true means every field is
  /// known to be well-formed UTF-8 (the whole line was checked at once); false, not checked.
  /// An error it returns stops the splitter.
  using Handler =
      std::function<Status(std::size_t line, std::vector<std::string_view>& fields, bool utf8)>;

  /// `what` names the file in errors ("trade bill").
  explicit BillRecordSplitter(std::string_view what) : what_(what) {}

  /// Consumes the next bytes, handing out every record completed by them.
  Status Feed(std::string_view bytes, Handler const& handler);
  /// Ends the input: the last record, even without a line break, is handed out. An error for a
  /// file that ends inside a quoted field.
  Status Finish(Handler const& handler);

  /// The number of the line the next byte belongs to (1-based).
  std::size_t line() const noexcept { return line_; }

 private:
  bool Byte(char c, Handler const& handler);
  bool WholeLine(std::string_view bytes, Handler const& handler, std::size_t& consumed);
  std::size_t OrdinaryRun(std::string_view bytes) const noexcept;
  bool AppendRun(std::string_view run);
  bool Append(char c);
  bool EndField();
  bool EndRecord(Handler const& handler);
  bool Fail(std::string rule);
  bool TooLong();

  std::string_view what_;
  std::string bom_prefix_;  // the first bytes, until they are known to be a BOM or not
  bool bom_decided_ = false;
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  std::size_t record_bytes_ = 0;
  // The current record's unquoted bytes, and where each of its completed fields ends in them: one
  // buffer reused record after record instead of a std::string per field.
  std::string buffer_;
  std::vector<std::size_t> ends_;
  std::vector<std::string_view> fields_;  // what the handler gets
  bool field_start_ = true;               // nothing of the current field read yet
  bool in_quotes_ = false;                // inside a quoted field
  bool quote_seen_ = false;   // a '"' inside a quoted field: closes it unless another follows
  bool after_quote_ = false;  // a quoted field closed: only ',' or a line end may follow
  bool pending_cr_ = false;   // a '\r' outside quotes: a line end if '\n' follows
  bool record_open_ = false;  // some byte of the current record was read
  Status error_;              // what the last failing step found
};

}  // namespace wechatpay::internal
