// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/bill_files.hpp"

#include <openssl/sha.h>
#include <zlib.h>

#include <stdexcept>

namespace wechatpay::testing {

std::string SampleTradeBill(std::size_t rows) {
  std::string bill =
      "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
      "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
      "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
      "费率备注\r\n";
  for (std::size_t i = 0; i < rows; ++i) {
    std::string const n = std::to_string(4200000000 + i);
    bill += "`2023-11-14 10:00:00,`wxd678efh567hg6787,`1900007291,`0,`,`" + n + ",`T" + n +
            ",`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`CMC,`CNY,`1.00,`0.00,`0,`0,`0.00,"
            "`0.00,`,`,`商品,`,`0.01,`0.60%,`1.00,`0.00,`\r\n";
  }
  bill +=
      "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
      "申请退款总金额\r\n";
  bill += "`" + std::to_string(rows) + ",`" + std::to_string(rows) + ".00,`0.00,`0.00,`" +
          std::to_string(rows / 100) + "." + (rows % 100 < 10 ? "0" : "") +
          std::to_string(rows % 100) + ",`" + std::to_string(rows) + ".00,`0.00\r\n";
  return bill;
}

std::string Gzip(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper, as WeChat's tar_type GZIP.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int const result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<unsigned char const*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

}  // namespace wechatpay::testing
