// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/gzip.hpp"

#include <zlib.h>

#include <limits>

namespace wechatpay::sandbox::internal {
namespace {

// deflateInit2's window bits: 15 (the largest window) + 16 asks for a gzip header and trailer
// instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;  // zlib's default

}  // namespace

StatusOr<std::string> Gzip(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max() / 2) {
    return Status(StatusCode::kInternal, "sandbox: a bill over 2 GiB cannot be gzipped at once");
  }
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status(StatusCode::kInternal, "sandbox: zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  // zlib's interface is not const-correct; deflate never writes to its input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int const result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return Status(StatusCode::kInternal, "sandbox: zlib deflate did not finish");
  }
  return out;
}

}  // namespace wechatpay::sandbox::internal
