// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_csv.hpp"

#include <utility>

namespace wechatpay::internal {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

// The per-byte steps return bool and leave their error in error_: a Status built and destroyed
// per byte was most of the reader's time.
bool BillRecordSplitter::Fail(std::string rule) {
  error_ =
      Status(StatusCode::kMalformedResponse,
             std::string(what_) + " line " + std::to_string(record_line_) + ": " + std::move(rule));
  return false;
}

bool BillRecordSplitter::TooLong() {
  return Fail("a line longer than " + std::to_string(kMaxBillRecordBytes) + " bytes");
}

Status BillRecordSplitter::Feed(std::string_view bytes, Handler const& handler) {
  std::size_t i = 0;
  // The byte-order mark may itself arrive split over chunks: hold the first bytes until they
  // either are the whole mark (dropped) or cannot be (replayed as text).
  while (!bom_decided_ && i < bytes.size()) {
    bom_prefix_.push_back(bytes[i++]);
    if (bom_prefix_ == kBom) {
      bom_prefix_.clear();
      bom_decided_ = true;
    } else if (kBom.substr(0, bom_prefix_.size()) != bom_prefix_) {
      bom_decided_ = true;
      std::string held;
      held.swap(bom_prefix_);
      for (char c : held) {
        if (!Byte(c, handler)) return error_;
      }
    }
  }
  while (i < bytes.size()) {
    // Fast path: a run of ordinary bytes is appended at once; only the bytes that change the
    // state (separators, quotes, line ends) go through Byte() one at a time.
    std::size_t const run = OrdinaryRun(bytes.substr(i));
    if (run > 0) {
      if (!AppendRun(bytes.substr(i, run))) return error_;
      i += run;
      continue;
    }
    if (!Byte(bytes[i++], handler)) return error_;
  }
  return Status();
}

Status BillRecordSplitter::Finish(Handler const& handler) {
  if (!bom_decided_) {
    bom_decided_ = true;
    std::string held;
    held.swap(bom_prefix_);
    for (char c : held) {
      if (!Byte(c, handler)) return error_;
    }
  }
  if (pending_cr_) {  // a CR at the very end ends the last line
    pending_cr_ = false;
    return EndRecord(handler) ? Status() : error_;
  }
  if (in_quotes_ && !quote_seen_) {
    Fail("the file ends inside a quoted field");
    return error_;
  }
  if (in_quotes_) {  // the final '"' closed the field
    in_quotes_ = false;
    quote_seen_ = false;
  }
  if (record_open_ && !EndRecord(handler)) return error_;
  return Status();
}

std::size_t BillRecordSplitter::OrdinaryRun(std::string_view bytes) const noexcept {
  // Where Byte() would do nothing but append: inside quotes any byte but '"' and '\n' (which
  // counts a line); outside, any byte but the separators, once the field has started (a '"'
  // at a field's start opens quotes) and with no CR or closed quote pending.
  if (in_quotes_) {
    if (quote_seen_) return 0;
    std::size_t n = 0;
    while (n < bytes.size() && bytes[n] != '"' && bytes[n] != '\n') ++n;
    return n;
  }
  if (pending_cr_ || after_quote_ || field_start_ || !record_open_) return 0;
  std::size_t n = 0;
  while (n < bytes.size()) {
    char const c = bytes[n];
    if (c == ',' || c == '\n' || c == '\r' || c == '"') break;
    ++n;
  }
  return n;
}

bool BillRecordSplitter::AppendRun(std::string_view run) {
  record_bytes_ += run.size();
  if (record_bytes_ > kMaxBillRecordBytes) return TooLong();
  field_.append(run);
  return true;
}

bool BillRecordSplitter::Append(char c) {
  if (++record_bytes_ > kMaxBillRecordBytes) return TooLong();
  field_.push_back(c);
  return true;
}

bool BillRecordSplitter::EndField() {
  if (record_.fields.size() >= kMaxBillFields) {
    return Fail("more than " + std::to_string(kMaxBillFields) + " fields");
  }
  // The separator counts towards the record's size too, so that ",,,,," is bounded as well.
  if (++record_bytes_ > kMaxBillRecordBytes) return TooLong();
  record_.fields.push_back(std::move(field_));
  field_ = std::string();
  field_start_ = true;
  after_quote_ = false;
  return true;
}

bool BillRecordSplitter::EndRecord(Handler const& handler) {
  bool const empty_line = record_.fields.empty() && field_.empty() && field_start_;
  bool ok = true;
  if (!empty_line) {
    ok = EndField();
    if (ok) {
      record_.line = record_line_;
      error_ = handler(std::move(record_));
      ok = error_.ok();
    }
  }
  // The next line likely has as many fields as this one: one allocation instead of a few.
  std::size_t const fields = record_.fields.size();
  record_ = BillRecord();
  record_.fields.reserve(fields);
  field_.clear();
  field_start_ = true;
  after_quote_ = false;
  record_open_ = false;
  record_bytes_ = 0;
  ++line_;
  record_line_ = line_;
  return ok;
}

bool BillRecordSplitter::Byte(char c, Handler const& handler) {
  if (in_quotes_) {
    if (quote_seen_) {
      quote_seen_ = false;
      if (c == '"') return Append('"');  // "" inside quotes: one quote
      in_quotes_ = false;                // the quote closed the field; c follows it
      after_quote_ = true;
    } else if (c == '"') {
      quote_seen_ = true;
      return true;
    } else {
      if (c == '\n') ++line_;
      return Append(c);
    }
  }
  if (pending_cr_) {
    pending_cr_ = false;
    if (c == '\n') return EndRecord(handler);
    // A lone CR is text, not a line end (only CRLF and LF end lines).
    if (after_quote_) return Fail("text after a closing quote");
    if (!Append('\r')) return false;
    field_start_ = false;
  }
  if (!record_open_) {
    record_open_ = true;
    record_line_ = line_;
  }
  switch (c) {
    case ',':
      return EndField();
    case '\n':
      return EndRecord(handler);
    case '\r':
      pending_cr_ = true;
      return true;
    case '"':
      if (field_start_) {
        in_quotes_ = true;
        field_start_ = false;
        return true;
      }
      break;
    default:
      break;
  }
  if (after_quote_) return Fail("text after a closing quote");
  field_start_ = false;
  return Append(c);
}

}  // namespace wechatpay::internal
