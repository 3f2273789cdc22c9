// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_csv.hpp"

#include <utility>

namespace wechatpay::internal {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

Status BillRecordSplitter::Error(std::string rule) const {
  return Status(
      StatusCode::kMalformedResponse,
      std::string(what_) + " line " + std::to_string(record_line_) + ": " + std::move(rule));
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
        if (Status s = Byte(c, handler); !s.ok()) return s;
      }
    }
  }
  for (; i < bytes.size(); ++i) {
    if (Status s = Byte(bytes[i], handler); !s.ok()) return s;
  }
  return Status();
}

Status BillRecordSplitter::Finish(Handler const& handler) {
  if (!bom_decided_) {
    bom_decided_ = true;
    std::string held;
    held.swap(bom_prefix_);
    for (char c : held) {
      if (Status s = Byte(c, handler); !s.ok()) return s;
    }
  }
  if (pending_cr_) {  // a CR at the very end ends the last line
    pending_cr_ = false;
    return EndRecord(handler);
  }
  if (in_quotes_ && !quote_seen_) return Error("the file ends inside a quoted field");
  if (in_quotes_) {  // the final '"' closed the field
    in_quotes_ = false;
    quote_seen_ = false;
  }
  if (record_open_) return EndRecord(handler);
  return Status();
}

Status BillRecordSplitter::Append(char c) {
  if (++record_bytes_ > kMaxBillRecordBytes) {
    return Error("a line longer than " + std::to_string(kMaxBillRecordBytes) + " bytes");
  }
  field_.push_back(c);
  return Status();
}

Status BillRecordSplitter::EndField() {
  if (record_.fields.size() >= kMaxBillFields) {
    return Error("more than " + std::to_string(kMaxBillFields) + " fields");
  }
  // The separator counts towards the record's size too, so that ",,,,," is bounded as well.
  if (++record_bytes_ > kMaxBillRecordBytes) {
    return Error("a line longer than " + std::to_string(kMaxBillRecordBytes) + " bytes");
  }
  record_.fields.push_back(std::move(field_));
  field_.clear();
  field_start_ = true;
  after_quote_ = false;
  return Status();
}

Status BillRecordSplitter::EndRecord(Handler const& handler) {
  bool const empty_line = record_.fields.empty() && field_.empty() && field_start_;
  Status status;
  if (!empty_line) {
    status = EndField();
    if (status.ok()) {
      record_.line = record_line_;
      status = handler(std::move(record_));
    }
  }
  record_ = BillRecord();
  field_.clear();
  field_start_ = true;
  after_quote_ = false;
  record_open_ = false;
  record_bytes_ = 0;
  ++line_;
  record_line_ = line_;
  return status;
}

Status BillRecordSplitter::Byte(char c, Handler const& handler) {
  if (in_quotes_) {
    if (quote_seen_) {
      quote_seen_ = false;
      if (c == '"') return Append('"');  // "" inside quotes: one quote
      in_quotes_ = false;                // the quote closed the field; c follows it
      after_quote_ = true;
    } else if (c == '"') {
      quote_seen_ = true;
      return Status();
    } else {
      if (c == '\n') ++line_;
      return Append(c);
    }
  }
  if (pending_cr_) {
    pending_cr_ = false;
    if (c == '\n') return EndRecord(handler);
    // A lone CR is text, not a line end (only CRLF and LF end lines).
    if (after_quote_) return Error("text after a closing quote");
    if (Status s = Append('\r'); !s.ok()) return s;
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
      return Status();
    case '"':
      if (field_start_) {
        in_quotes_ = true;
        field_start_ = false;
        return Status();
      }
      break;
    default:
      break;
  }
  if (after_quote_) return Error("text after a closing quote");
  field_start_ = false;
  return Append(c);
}

}  // namespace wechatpay::internal
