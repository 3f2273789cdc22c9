// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The bill_download row of wechatpay_bench (docs/performance.md): a trade bill of N rows seeded
// into a sandbox (Sandbox::SeedPaidOrders) is applied for with NativePayClient::TradeBill(),
// downloaded gzip-compressed with DownloadBill() over HTTPS, its digest verified, and parsed
// with TradeBillReader as the bytes arrive. Measured: the client's peak RSS growth during the
// download and parse, and its throughput in decompressed MB/s next to a floor taken in the same
// run on the same gzip bytes: zlib inflate + SHA-1 in memory (no network, no parsing).
//
// The sandbox runs in a child process: it builds the whole bill in memory (hundreds of MB for a
// million rows) and its memory and CPU are the server's, not the client's.

#include <cstdint>
#include <string>

namespace wechatpay::bench {

struct BillBenchResult {
  std::int64_t rows = 0;
  std::uint64_t gzip_bytes = 0;
  std::uint64_t bill_bytes = 0;
  int runs = 0;
  /// Per run (ours then floor, alternating): decompressed MB/s of the client thread's CPU time.
  /// Min, median and max over the runs.
  double ours_mb_s[3] = {0, 0, 0};
  double floor_mb_s[3] = {0, 0, 0};
  /// Min, median and max over the runs of ours / floor (throughput) within the run.
  double ratio[3] = {0, 0, 0};
  /// Median wall-clock MB/s of ours (the sandbox's serving included).
  double ours_wall_mb_s = 0;
  /// Peak RSS growth of the client process during one download and parse, max over the runs.
  long peak_growth_kib = 0;
  long rss_start_kib = 0;
  bool peak_reset = false;
};

/// Runs `runs` alternating rounds of ours and the floor on a bill of `rows` rows.
BillBenchResult MeasureBillDownload(std::int64_t rows, int runs);

}  // namespace wechatpay::bench
