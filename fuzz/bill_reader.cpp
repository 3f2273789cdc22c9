// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the bill readers (TradeBillReader, FundFlowBillReader, ParseYuanToFen) and
// BillDigestCheck on the same bytes. Properties: fed whole or in chunks (of a size taken from the
// input's length), a reader reaches the same verdict, rows and summary; an accepted bill's summary
// counts exactly its rows; an accepted amount prints back to itself; the digest check never
// passes on more decompressed bytes than its limit.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "wechatpay/protocol/bill_digest.hpp"
#include "wechatpay/protocol/bill_format.hpp"

namespace {

using namespace wechatpay;

// What a reader saw, as one comparable string.
template <class Reader, class Row>
std::string Read(std::string_view text, std::size_t chunk, std::int64_t* rows_out) {
  std::string seen;
  std::int64_t rows = 0;
  Reader reader([&seen, &rows](Row&& row) {
    ++rows;
    seen += std::to_string(row.other.size()) + ";";
    return Status();
  });
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    Status status = reader.Feed(text.substr(at, chunk));
    if (!status.ok()) return "error " + status.message();
  }
  auto summary = reader.Finish();
  if (!summary.ok()) return "error " + summary.status().message();
  fuzz::Check(summary->row_count == rows, "an accepted bill's summary counts its rows");
  *rows_out = rows;
  return seen + "summary " + std::to_string(summary->row_count);
}

template <class Reader, class Row>
void CheckReader(std::string_view text, std::size_t chunk) {
  std::int64_t whole_rows = -1;
  std::int64_t chunked_rows = -1;
  std::string const whole = Read<Reader, Row>(text, text.size() + 1, &whole_rows);
  std::string const chunked = Read<Reader, Row>(text, chunk, &chunked_rows);
  fuzz::Check(whole == chunked, "a bill fed in chunks reads as the bill fed whole");
  fuzz::Check(whole_rows == chunked_rows, "the same rows whole and chunked");
}

std::string FenToYuan(std::int64_t fen) {
  bool const negative = fen < 0;
  std::uint64_t const magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(fen)
                                           : static_cast<std::uint64_t>(fen);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const text = fuzz::AsText(data, size);
  std::size_t const chunk = size % 13 + 1;

  CheckReader<TradeBillReader, TradeBillRow>(text, chunk);
  CheckReader<FundFlowBillReader, FundFlowBillRow>(text, chunk);

  if (size <= 64) {
    auto fen = ParseYuanToFen(text, "amount");
    if (fen.ok()) {
      auto again = ParseYuanToFen(FenToYuan(*fen), "amount");
      fuzz::Check(again.ok() && *again == *fen, "an accepted amount prints back to itself");
    }
  }

  for (BillCompression compression : {BillCompression::kNone, BillCompression::kGzip}) {
    std::uint64_t const limit = 1024 * 1024;
    std::uint64_t passed = 0;
    BillDigestCheck check(
        compression,
        [&passed](std::string_view bytes) {
          passed += bytes.size();
          return Status();
        },
        limit);
    Status status;
    for (std::size_t at = 0; at < size && status.ok(); at += chunk) {
      status = check.Write(text.substr(at, chunk));
    }
    if (status.ok()) status = check.Finish("SHA1", "0000000000000000000000000000000000000000");
    fuzz::Check(passed <= limit && check.decompressed_bytes() == passed,
                "the digest check passes on at most its limit");
  }
  return 0;
}
