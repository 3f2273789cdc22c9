// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_table.hpp"

#include <algorithm>
#include <utility>

#include "common/utf8.hpp"

namespace wechatpay::internal {
namespace {

constexpr char kBacktick = '`';

bool StartsWithBacktick(std::string const& field) noexcept {
  return !field.empty() && field.front() == kBacktick;
}

}  // namespace

BillTable::BillTable(BillTableSpec spec)
    : spec_(std::move(spec)),
      splitter_(spec_.what),
      handler_([this](BillRecord&& record) { return Record(std::move(record)); }) {}

Status BillTable::Error(std::size_t line, std::string_view column, std::string_view rule) const {
  std::string message(spec_.what);
  message += " line " + std::to_string(line);
  if (!column.empty()) {
    message += ", column ";
    message += column;
  }
  message += ": ";
  message += rule;
  return Status(StatusCode::kMalformedResponse, std::move(message));
}

Status BillTable::FileError(std::string_view rule) const {
  return Status(StatusCode::kMalformedResponse, std::string(spec_.what) + ": " + std::string(rule));
}

Status BillTable::Fail(Status status) {
  if (!status.ok()) {
    state_ = State::kFailed;
    failure_ = status;
  }
  return status;
}

Status BillTable::Feed(std::string_view bytes) {
  if (state_ == State::kFailed) return failure_;
  return Fail(splitter_.Feed(bytes, handler_));
}

Status BillTable::Finish() {
  if (state_ == State::kFailed) return failure_;
  if (Status s = Fail(splitter_.Finish(handler_)); !s.ok()) return s;
  switch (state_) {
    case State::kHeader:
      return Fail(FileError("empty: no header line"));
    case State::kDetail:
      return Fail(FileError("no summary: the file ends after line " + std::to_string(last_line_) +
                            " without the summary header and row"));
    case State::kSummaryRow:
      return Fail(FileError("the file ends after the summary header, without the summary row"));
    case State::kDone:
    case State::kFailed:
      break;
  }
  return failure_;
}

// Names (header and summary header): no backtick, not empty, no name twice, UTF-8.
Status BillTable::CheckNames(BillRecord const& record) const {
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    std::string const& name = record.fields[i];
    std::string const position = "#" + std::to_string(i + 1);
    if (name.empty()) return Error(record.line, position, "an empty column name");
    if (!ScanUtf8(name).valid) return Error(record.line, position, "a name that is not UTF-8");
    if (std::find(record.fields.begin(), record.fields.begin() + static_cast<std::ptrdiff_t>(i),
                  name) != record.fields.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Error(record.line, name, "a column named twice");
    }
  }
  return Status();
}

// Every field of a detail or summary row starts with exactly one backtick, which is removed; the
// official format puts one before every field, empty ones too, so a field without it means the
// line is not what it claims to be.
Status BillTable::StripBackticks(BillRecord& record, std::vector<std::string> const& names) const {
  if (record.fields.size() != names.size()) {
    return Error(record.line, {},
                 std::to_string(record.fields.size()) + " fields where the header names " +
                     std::to_string(names.size()));
  }
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    std::string& field = record.fields[i];
    if (!StartsWithBacktick(field)) return Error(record.line, names[i], "no leading backtick");
    field.erase(0, 1);
    if (!ScanUtf8(field).valid) return Error(record.line, names[i], "a value that is not UTF-8");
  }
  return Status();
}

Status BillTable::Header(BillRecord&& record) {
  for (std::string const& field : record.fields) {
    if (StartsWithBacktick(field)) {
      return Error(record.line, {}, "a data row where the header line belongs (no header)");
    }
  }
  if (Status s = CheckNames(record); !s.ok()) return s;
  header_ = std::move(record.fields);
  state_ = State::kDetail;
  return spec_.on_header(header_);
}

Status BillTable::SummaryHeader(BillRecord&& record) {
  // A line without backticks after the header: only the summary header may be one.
  if (std::find(record.fields.begin(), record.fields.end(), spec_.summary_count_column) ==
      record.fields.end()) {
    return Error(record.line, {},
                 "a line without backticks that is not the summary header (it has no column " +
                     std::string(spec_.summary_count_column) + ")");
  }
  for (std::string const& field : record.fields) {
    if (StartsWithBacktick(field)) {
      return Error(record.line, {}, "a summary header with a backtick in one of its names");
    }
  }
  if (Status s = CheckNames(record); !s.ok()) return s;
  summary_header_ = std::move(record.fields);
  state_ = State::kSummaryRow;
  return Status();
}

Status BillTable::Record(BillRecord&& record) {
  last_line_ = record.line;
  switch (state_) {
    case State::kHeader:
      return Header(std::move(record));
    case State::kDetail: {
      if (!StartsWithBacktick(record.fields.front())) return SummaryHeader(std::move(record));
      if (Status s = StripBackticks(record, header_); !s.ok()) return s;
      return spec_.on_row(record.line, std::move(record.fields));
    }
    case State::kSummaryRow: {
      if (Status s = StripBackticks(record, summary_header_); !s.ok()) return s;
      state_ = State::kDone;
      return spec_.on_summary(record.line, summary_header_, std::move(record.fields));
    }
    case State::kDone:
      return Error(record.line, {}, "a line after the summary row");
    case State::kFailed:
      break;
  }
  return failure_;
}

}  // namespace wechatpay::internal
