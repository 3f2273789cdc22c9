// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_csv.hpp"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <utility>

#include "common/utf8.hpp"

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
    // Fastest path: a whole plain line split where it lies (WholeLine()).
    if (!record_open_) {
      std::size_t consumed = 0;
      if (!WholeLine(bytes.substr(i), handler, consumed)) return error_;
      if (consumed > 0) {
        i += consumed;
        continue;
      }
    }
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

// At a record's start, a line that ends within `bytes` and holds no '"' and no CR but its CRLF's,
// within the limits, reads the same byte by byte: its fields are then handed out as views into
// `bytes`, neither copied nor allocated. With the refilled row of BillColumnMap::Fill() it took
// the bench's bill_download row from 202 to 351 MB/s (100 000 rows). `consumed` stays 0 when the
// line does not qualify (quotes, a lone CR, an empty or overlong line, too many fields, no line
// end yet): Byte() then reads it, errors included.
bool BillRecordSplitter::WholeLine(std::string_view bytes, Handler const& handler,
                                   std::size_t& consumed) {
  consumed = 0;
  void const* const newline = std::memchr(bytes.data(), '\n', bytes.size());
  if (newline == nullptr) return true;
  std::size_t const end =
      static_cast<std::size_t>(static_cast<char const*>(newline) - bytes.data());
  std::size_t length = end;
  if (length > 0 && bytes[length - 1] == '\r') --length;
  // Byte() counts each field's bytes and one per field end: length + 1 for an unquoted line.
  if (length == 0 || length + 1 > kMaxBillRecordBytes) return true;
  char const* const line = bytes.data();
  fields_.clear();
  std::size_t start = 0;
  unsigned high = 0;  // the bytes' top bits: 0 for an ASCII line
  std::size_t k = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: a quote or a CR sends the line to Byte(), each comma ends a field.
  // Byte by byte, this loop was the reader's hottest (half again as slow on the bench's bill).
  __m128i const comma = _mm_set1_epi8(',');
  __m128i const quote = _mm_set1_epi8('"');
  __m128i const cr = _mm_set1_epi8('\r');
  for (; k + 16 <= length; k += 16) {
    __m128i const v = _mm_loadu_si128(reinterpret_cast<__m128i const*>(line + k));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr))) != 0) {
      return true;
    }
    high |= static_cast<unsigned>(_mm_movemask_epi8(v));
    auto commas = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    while (commas != 0) {
      std::size_t const at = k + static_cast<std::size_t>(__builtin_ctz(commas));
      commas &= commas - 1;
      if (fields_.size() >= kMaxBillFields) return true;
      fields_.emplace_back(line + start, at - start);
      start = at + 1;
    }
  }
#endif
  for (; k < length; ++k) {
    char const c = line[k];
    high |= static_cast<unsigned char>(c) & 0x80U;
    if (c == ',') {
      if (fields_.size() >= kMaxBillFields) return true;
      fields_.emplace_back(line + start, k - start);
      start = k + 1;
    } else if (c == '"' || c == '\r') {
      return true;
    }
  }
  if (fields_.size() >= kMaxBillFields) return true;
  fields_.emplace_back(line + start, length - start);
  std::size_t const record_line = line_;
  ++line_;
  record_line_ = line_;
  consumed = end + 1;
  // One UTF-8 check of the whole line instead of one per field (the table's): a field cut inside
  // a multi-byte sequence would leave a ',' where a continuation byte belongs, so a well-formed
  // line has well-formed fields. An ASCII line needs no scan at all.
  bool const utf8 = high == 0 || ScanUtf8(std::string_view(line, length)).valid;
  Status status = handler(record_line, fields_, utf8);
  if (!status.ok()) {
    error_ = std::move(status);
    return false;
  }
  return true;
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
  buffer_.append(run);
  return true;
}

bool BillRecordSplitter::Append(char c) {
  if (++record_bytes_ > kMaxBillRecordBytes) return TooLong();
  buffer_.push_back(c);
  return true;
}

bool BillRecordSplitter::EndField() {
  if (ends_.size() >= kMaxBillFields) {
    return Fail("more than " + std::to_string(kMaxBillFields) + " fields");
  }
  // The separator counts towards the record's size too, so that ",,,,," is bounded as well.
  if (++record_bytes_ > kMaxBillRecordBytes) return TooLong();
  ends_.push_back(buffer_.size());
  field_start_ = true;
  after_quote_ = false;
  return true;
}

bool BillRecordSplitter::EndRecord(Handler const& handler) {
  bool const empty_line = ends_.empty() && buffer_.empty() && field_start_;
  bool ok = true;
  if (!empty_line) {
    ok = EndField();
    if (ok) {
      fields_.clear();
      std::size_t begin = 0;
      for (std::size_t field_end : ends_) {
        fields_.emplace_back(buffer_.data() + begin, field_end - begin);
        begin = field_end;
      }
      error_ = handler(record_line_, fields_, false);
      ok = error_.ok();
    }
  }
  buffer_.clear();
  ends_.clear();
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
