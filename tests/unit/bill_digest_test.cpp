// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// BillDigestCheck (protocol/bill_digest.hpp): the SHA-1 of the decompressed bill compared with
// the signed hash_value, for plain and gzip files fed in any chunks; a changed, truncated or
// extended file refused; the decompressed size bounded. The gzip data is made here with zlib and
// the expected digests with OpenSSL's one-shot EVP_Digest, independently of the streaming code.

#include "wechatpay/protocol/bill_digest.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace wechatpay {
namespace {

std::string Gzip(std::string_view plain) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(plain.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Sha1Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha1(), nullptr) == 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

std::string const kBill =
    "交易时间,微信订单号,商户订单号,交易状态,订单金额\n"
    "`2026-12-06 10:00:00,`4200000001,`ORDER-1,`SUCCESS,`0.01\n"
    "总交易单数,订单总金额\n"
    "`1,`0.01\n";

// Runs a check over `file` in chunks of `chunk` bytes; the decompressed bytes land in `out`.
Status Check(BillCompression compression, std::string_view file, std::size_t chunk,
             std::string_view hash_value, std::string* out = nullptr,
             std::uint64_t max_bytes = kDefaultMaxBillBytes, std::string_view hash_type = "SHA1") {
  std::string sink_bytes;
  BillDigestCheck check(
      compression,
      [&sink_bytes](std::string_view bytes) {
        sink_bytes.append(bytes);
        return Status();
      },
      max_bytes);
  Status status;
  for (std::size_t at = 0; at < file.size() && status.ok(); at += chunk) {
    status = check.Write(file.substr(at, chunk));
  }
  if (status.ok()) status = check.Finish(hash_type, hash_value);
  if (status.ok()) CHECK(check.decompressed_bytes() == sink_bytes.size());
  if (out != nullptr) *out = sink_bytes;
  return status;
}

TEST_CASE("A plain bill's digest is the SHA-1 of its bytes, fed in any chunks", "[bills]") {
  std::string const hash = Sha1Hex(kBill);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, kBill.size()}) {
    std::string out;
    REQUIRE(Check(BillCompression::kNone, kBill, chunk, hash, &out).ok());
    CHECK(out == kBill);
  }
}

TEST_CASE("A gzip bill's digest is over the decompressed bytes", "[bills]") {
  std::string const gz = Gzip(kBill);
  std::string const hash = Sha1Hex(kBill);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, gz.size()}) {
    std::string out;
    REQUIRE(Check(BillCompression::kGzip, gz, chunk, hash, &out).ok());
    CHECK(out == kBill);
  }
  // The digest of the compressed bytes is not the bill's digest.
  Status over_compressed = Check(BillCompression::kGzip, gz, gz.size(), Sha1Hex(gz));
  CHECK(over_compressed.code() == StatusCode::kVerificationFailed);
  // A large bill crosses zlib's output buffer several times.
  std::string large;
  for (int i = 0; i < 20000; ++i)
    large += "`2026-12-06 10:00:00,`ORDER-" + std::to_string(i) + "\n";
  std::string out;
  REQUIRE(Check(BillCompression::kGzip, Gzip(large), 4096, Sha1Hex(large), &out).ok());
  CHECK(out == large);
}

TEST_CASE("The hash is compared case-insensitively; only SHA1 is known", "[bills]") {
  std::string upper = Sha1Hex(kBill);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(Check(BillCompression::kNone, kBill, 3, upper).ok());
  CHECK(
      Check(BillCompression::kNone, kBill, 3, Sha1Hex(kBill), nullptr, kDefaultMaxBillBytes, "sha1")
          .ok());
  for (char const* type : {"SHA256", "MD5", "", "SHA1 "}) {
    INFO(type);
    Status status = Check(BillCompression::kNone, kBill, 3, Sha1Hex(kBill), nullptr,
                          kDefaultMaxBillBytes, type);
    CHECK(status.code() == StatusCode::kVerificationFailed);
    CHECK(status.message().find("hash_type") != std::string::npos);
  }
}

TEST_CASE("A wrong hash is refused", "[bills]") {
  std::string wrong = Sha1Hex(kBill);
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  for (std::string const& hash :
       {wrong, std::string(), Sha1Hex(kBill) + "00", Sha1Hex(kBill).substr(0, 39)}) {
    Status status = Check(BillCompression::kNone, kBill, 4, hash);
    CHECK(status.code() == StatusCode::kVerificationFailed);
    CHECK(status.message().find("no row") != std::string::npos);
  }
  CHECK(Check(BillCompression::kGzip, Gzip(kBill), 4, wrong).code() ==
        StatusCode::kVerificationFailed);
}

TEST_CASE("A one-byte change anywhere in the bill is refused", "[bills]") {
  std::string const hash = Sha1Hex(kBill);
  for (std::size_t i = 0; i < kBill.size(); ++i) {
    INFO("byte " << i);
    std::string changed = kBill;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    CHECK(Check(BillCompression::kNone, changed, 16, hash).code() ==
          StatusCode::kVerificationFailed);
    CHECK(Check(BillCompression::kGzip, Gzip(changed), 16, hash).code() ==
          StatusCode::kVerificationFailed);
  }
  // A change in the compressed stream either is refused or leaves the bill unchanged (gzip's
  // header has bytes, such as its time stamp, that no check covers and that change nothing).
  std::string const gz = Gzip(kBill);
  for (std::size_t i = 0; i < gz.size(); ++i) {
    INFO("compressed byte " << i);
    std::string changed = gz;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    std::string out;
    Status status = Check(BillCompression::kGzip, changed, 16, hash, &out);
    if (status.ok()) CHECK(out == kBill);
  }
}

TEST_CASE("A truncated gzip stream is refused", "[bills]") {
  std::string const gz = Gzip(kBill);
  for (std::size_t size = 0; size < gz.size(); ++size) {
    INFO("first " << size << " bytes");
    Status status = Check(BillCompression::kGzip, gz.substr(0, size), 3, Sha1Hex(kBill));
    CHECK(status.code() == StatusCode::kMalformedResponse);
  }
}

TEST_CASE("Bytes after the end of the gzip stream are refused", "[bills]") {
  std::string const gz = Gzip(kBill);
  for (std::string const& tail : {std::string("x"), std::string(1, '\0'), Gzip(kBill)}) {
    Status status = Check(BillCompression::kGzip, gz + tail, 1000, Sha1Hex(kBill));
    CHECK(status.code() == StatusCode::kMalformedResponse);
    CHECK(status.message().find("after the end") != std::string::npos);
  }
  // Also when the extra bytes come in a later write.
  BillDigestCheck check(BillCompression::kGzip, nullptr);
  REQUIRE(check.Write(gz).ok());
  CHECK(check.Write("x").code() == StatusCode::kMalformedResponse);
  CHECK(check.Finish("SHA1", Sha1Hex(kBill)).code() == StatusCode::kMalformedResponse);
}

TEST_CASE("max_bytes bounds the decompressed size (a gzip bomb)", "[bills]") {
  std::string const zeros(16 * 1024 * 1024, '0');
  std::string const bomb = Gzip(zeros);
  REQUIRE(bomb.size() < 64 * 1024);
  std::uint64_t const limit = 1024 * 1024;
  std::string out;
  Status status = Check(BillCompression::kGzip, bomb, bomb.size(), Sha1Hex(zeros), &out, limit);
  CHECK(status.code() == StatusCode::kMalformedResponse);
  CHECK(status.message().find("decompressed bytes") != std::string::npos);
  CHECK(out.size() <= limit);
  // Exactly at the limit passes; one byte over does not (plain files too).
  CHECK(Check(BillCompression::kNone, kBill, 5, Sha1Hex(kBill), nullptr, kBill.size()).ok());
  CHECK(Check(BillCompression::kNone, kBill, 5, Sha1Hex(kBill), nullptr, kBill.size() - 1).code() ==
        StatusCode::kMalformedResponse);
}

TEST_CASE("Garbage is not a gzip stream; errors stick; the sink's error is returned", "[bills]") {
  BillDigestCheck garbage(BillCompression::kGzip, nullptr);
  CHECK(garbage.Write("this is not gzip").code() == StatusCode::kMalformedResponse);
  CHECK(garbage.Write(Gzip(kBill)).code() == StatusCode::kMalformedResponse);
  CHECK(garbage.Finish("SHA1", Sha1Hex(kBill)).code() == StatusCode::kMalformedResponse);

  BillDigestCheck refusing(BillCompression::kNone, [](std::string_view) {
    return Status(StatusCode::kAborted, "disk full");
  });
  CHECK(refusing.Write(kBill).code() == StatusCode::kAborted);
  CHECK(refusing.Finish("SHA1", Sha1Hex(kBill)).code() == StatusCode::kAborted);

  // An empty plain file is hashed like any other; an empty gzip file is cut short.
  CHECK(Check(BillCompression::kNone, "", 1, Sha1Hex("")).ok());
  CHECK(Check(BillCompression::kGzip, "", 1, Sha1Hex("")).code() == StatusCode::kMalformedResponse);
}

}  // namespace
}  // namespace wechatpay
