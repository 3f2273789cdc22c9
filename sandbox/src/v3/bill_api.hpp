// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The bill APIs (docs/sandbox.md, "Bills"): applying for a trade bill
// (`GET /v3/bill/tradebill`) or a fund-flow bill (`GET /v3/bill/fundflowbill`) — the query
// checked, the day's bill generated from the order book, the answer
// `{"hash_type":"SHA1","hash_value","download_url"}` — and the download
// (`GET /v3/billdownload/file?token=…`), whose answer is the file itself. Requests reach this
// class authenticated (V3Api); the file answer is the one 2xx of API v3 that is not signed.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"
#include "state/bill_files.hpp"
#include "state/clock.hpp"
#include "state/order_book.hpp"
#include "v3/bill_writer.hpp"

namespace wechatpay::sandbox::internal {

/// The trade bill application path.
inline constexpr std::string_view kTradeBillPath = "/v3/bill/tradebill";
/// The fund-flow bill application path.
inline constexpr std::string_view kFundFlowBillPath = "/v3/bill/fundflowbill";
/// The download path of the URLs the sandbox hands out.
inline constexpr std::string_view kBillDownloadPath = "/v3/billdownload/file";

/// How bills behave (Sandbox::Options::bill_ready_hour, bill_url_lifetime).
struct BillSettings {
  /// A day's bill exists from this hour (Beijing time, 0–23) of the next day on.
  int ready_hour = 10;
  /// How long a download URL stays valid, on the sandbox clock.
  std::chrono::seconds url_lifetime{30};
};

/// The bill APIs.
///
/// @par Thread Safety
/// Safe from many threads.
class BillApi {
 public:
  /// `base_url` is read at each application (it is known once the server listens).
  BillApi(OrderBook const& orders, SandboxClock const& clock, BillFiles& files,
          std::string const& base_url, BillSettings settings)
      : orders_(orders), clock_(clock), files_(files), base_url_(base_url), settings_(settings) {}

  /// `GET /v3/bill/tradebill` from merchant `mchid`. `corrupt` (the corrupt-bill fault) changes
  /// one byte of the file after its digest was computed.
  Answer TradeBill(Inbound const& request, std::string const& mchid, bool corrupt) const;
  /// `GET /v3/bill/fundflowbill`, as TradeBill().
  Answer FundFlowBill(Inbound const& request, std::string const& mchid, bool corrupt) const;
  /// `GET /v3/billdownload/file?token=…`: the file (gzip-compressed when applied for so);
  /// 400 INVALID_REQUEST for an unknown or expired token, 403 NO_AUTH for another merchant's.
  /// `corrupt` changes one byte of the file served.
  Answer Download(Inbound const& request, std::string const& mchid, bool corrupt) const;

 private:
  // The checks every application shares and the file's issue; `bill` writes the day's file.
  using Writer = std::function<std::string(OrderBook::BillRecords const&, BillDay const&)>;
  Answer Apply(Inbound const& request, std::string const& mchid, bool corrupt,
               Writer const& bill) const;

  OrderBook const& orders_;
  SandboxClock const& clock_;
  BillFiles& files_;
  std::string const& base_url_;
  BillSettings settings_;
};

/// `content` with one byte changed: its last decimal digit (in the summary row of a bill) moves
/// to the next one, so the file still reads as a bill but its SHA-1 differs.
std::string CorruptOneByte(std::string content);

}  // namespace wechatpay::sandbox::internal
