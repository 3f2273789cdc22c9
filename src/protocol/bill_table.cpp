// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_table.hpp"

#include <algorithm>
#include <utility>

#include "common/utf8.hpp"

namespace wechatpay::internal {
namespace {

constexpr char kBacktick = '`';

bool StartsWithBacktick(std::string_view field) noexcept {
  return !field.empty() && field.front() == kBacktick;
}

}  // namespace

BillTable::BillTable(BillTableSpec spec)
    : spec_(std::move(spec)),
      splitter_(spec_.what),
      handler_([this](std::size_t line, std::vector<std::string_view>& fields, bool utf8) {
        return Record(line, fields, utf8);
      }) {}

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
Status BillTable::CheckNames(std::size_t line, Fields const& fields) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view const name = fields[i];
    std::string const position = "#" + std::to_string(i + 1);
    if (name.empty()) return Error(line, position, "an empty column name");
    if (!ScanUtf8(name).valid) return Error(line, position, "a name that is not UTF-8");
    if (std::find(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        fields.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Error(line, name, "a column named twice");
    }
  }
  return Status();
}

// Every field of a detail or summary row starts with exactly one backtick, which is removed; the
// official format puts one before every field, empty ones too, so a field without it means the
// line is not what it claims to be.
// `utf8`: the splitter checked the whole line already (one scan instead of one per field).
Status BillTable::StripBackticks(std::size_t line, Fields& fields,
                                 std::vector<std::string> const& names, bool utf8) const {
  if (fields.size() != names.size()) {
    return Error(line, {},
                 std::to_string(fields.size()) + " fields where the header names " +
                     std::to_string(names.size()));
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view& field = fields[i];
    if (!StartsWithBacktick(field)) return Error(line, names[i], "no leading backtick");
    field.remove_prefix(1);
    if (!utf8 && !ScanUtf8(field).valid) {
      return Error(line, names[i], "a value that is not UTF-8");
    }
  }
  return Status();
}

// StripBackticks() for the common case, a bool instead of a Status built per row: true when the
// count matches, the line is known UTF-8 and every field has its backtick (then removed); false,
// nothing changed, otherwise, and StripBackticks() finds the error.
bool BillTable::StripBackticksFast(Fields& fields, std::size_t names, bool utf8) noexcept {
  if (!utf8 || fields.size() != names) return false;
  for (std::string_view field : fields) {
    if (!StartsWithBacktick(field)) return false;
  }
  for (std::string_view& field : fields) field.remove_prefix(1);
  return true;
}

Status BillTable::Header(std::size_t line, Fields const& fields) {
  for (std::string_view field : fields) {
    if (StartsWithBacktick(field)) {
      return Error(line, {}, "a data row where the header line belongs (no header)");
    }
  }
  if (Status s = CheckNames(line, fields); !s.ok()) return s;
  header_.assign(fields.begin(), fields.end());
  state_ = State::kDetail;
  return spec_.on_header(header_);
}

Status BillTable::SummaryHeader(std::size_t line, Fields const& fields) {
  // A line without backticks after the header: only the summary header may be one.
  if (std::find(fields.begin(), fields.end(), spec_.summary_count_column) == fields.end()) {
    return Error(line, {},
                 "a line without backticks that is not the summary header (it has no column " +
                     std::string(spec_.summary_count_column) + ")");
  }
  for (std::string_view field : fields) {
    if (StartsWithBacktick(field)) {
      return Error(line, {}, "a summary header with a backtick in one of its names");
    }
  }
  if (Status s = CheckNames(line, fields); !s.ok()) return s;
  summary_header_.assign(fields.begin(), fields.end());
  state_ = State::kSummaryRow;
  return Status();
}

Status BillTable::Record(std::size_t line, Fields& fields, bool utf8) {
  last_line_ = line;
  switch (state_) {
    case State::kHeader:
      return Header(line, fields);
    case State::kDetail: {
      if (!StartsWithBacktick(fields.front())) return SummaryHeader(line, fields);
      if (!StripBackticksFast(fields, header_.size(), utf8)) {
        if (Status s = StripBackticks(line, fields, header_, utf8); !s.ok()) return s;
      }
      return spec_.on_row(line, fields);
    }
    case State::kSummaryRow: {
      if (Status s = StripBackticks(line, fields, summary_header_, utf8); !s.ok()) return s;
      state_ = State::kDone;
      return spec_.on_summary(line, summary_header_, fields);
    }
    case State::kDone:
      return Error(line, {}, "a line after the summary row");
    case State::kFailed:
      break;
  }
  return failure_;
}

}  // namespace wechatpay::internal
