// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// BillDigestCheck: zlib inflates a gzip stream (windowBits 15 + 16: the gzip wrapper only) as it
// arrives, OpenSSL hashes the inflated bytes (SHA-1, what WeChat's hash_value is), and the
// bytes go on to the caller's sink, so a bill is never held whole.
#include "wechatpay/protocol/bill_digest.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <utility>

#include "common/openssl.hpp"
#include "common/text.hpp"

namespace wechatpay {
namespace {

constexpr std::size_t kInflateChunk = 64 * 1024;
constexpr std::string_view kSha1 = "SHA1";

Status Malformed(std::string rule) {
  return Status(StatusCode::kMalformedResponse, "bill file: " + std::move(rule));
}

Status DigestFailure(std::string rule) {
  return Status(StatusCode::kVerificationFailed, "bill file: " + std::move(rule));
}

std::string Hex(unsigned char const* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

}  // namespace

struct BillDigestCheck::Impl {
  Impl(BillCompression c, Sink s, std::uint64_t max)
      : compression(c), sink(std::move(s)), max_bytes(max) {}
  ~Impl() {
    if (inflating) inflateEnd(&stream);
  }
  Impl(Impl const&) = delete;
  Impl& operator=(Impl const&) = delete;

  Status Start() {
    md.reset(EVP_MD_CTX_new());
    if (!md || EVP_DigestInit_ex(md.get(), EVP_sha1(), nullptr) != 1) {
      internal::ClearOpenSslErrors();
      return Status(StatusCode::kInternal, "bill file: SHA-1 is not available");
    }
    if (compression == BillCompression::kGzip) {
      stream = z_stream{};
      // 15 + 16: a 32 KiB window and the gzip wrapper (header, CRC-32, length) only.
      if (inflateInit2(&stream, 15 + 16) != Z_OK) {
        return Status(StatusCode::kInternal, "bill file: zlib could not start inflating");
      }
      inflating = true;
    }
    return Status();
  }

  // The decompressed bytes: bounded, hashed, passed on.
  Status Pass(std::string_view bytes) {
    if (bytes.empty()) return Status();
    if (bytes.size() > max_bytes - decompressed) {
      return Malformed("more than " + std::to_string(max_bytes) +
                       " decompressed bytes (the limit of this download)");
    }
    decompressed += bytes.size();
    if (EVP_DigestUpdate(md.get(), bytes.data(), bytes.size()) != 1) {
      internal::ClearOpenSslErrors();
      return Status(StatusCode::kInternal, "bill file: SHA-1 update failed");
    }
    return sink ? sink(bytes) : Status();
  }

  Status Inflate(std::string_view input) {
    while (!input.empty()) {
      if (stream_ended) return Malformed("bytes after the end of the gzip stream");
      // zlib's avail_in is 32-bit: feed a huge chunk in slices.
      auto const slice =
          static_cast<uInt>(std::min<std::size_t>(input.size(), std::numeric_limits<uInt>::max()));
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
      stream.avail_in = slice;
      // Until the input is used up and the output buffer was not filled (a full buffer may mean
      // more output is pending inside zlib).
      do {
        stream.next_out = out.data();
        stream.avail_out = static_cast<uInt>(out.size());
        int const rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
          // Z_DATA_ERROR (corrupt data, a CRC or length mismatch), Z_NEED_DICT, Z_MEM_ERROR.
          // zlib's msg describes the stream, never its content.
          return Malformed(std::string("not a valid gzip stream (zlib: ") +
                           (stream.msg != nullptr ? stream.msg : "error") + ")");
        }
        std::size_t const produced = out.size() - stream.avail_out;
        if (Status s = Pass(std::string_view(reinterpret_cast<char const*>(out.data()), produced));
            !s.ok()) {
          return s;
        }
        if (rc == Z_STREAM_END) {
          stream_ended = true;
          break;
        }
        if (rc == Z_BUF_ERROR && produced == 0) break;  // no progress: zlib wants more input
      } while (stream.avail_in > 0 || stream.avail_out == 0);
      if (stream_ended && stream.avail_in > 0) {
        return Malformed("bytes after the end of the gzip stream");
      }
      std::size_t const used = slice - stream.avail_in;
      // zlib never stalls with input and output space; refuse rather than loop if it did.
      if (used == 0) return Malformed("the gzip stream makes no progress");
      input.remove_prefix(used);
    }
    return Status();
  }

  BillCompression compression;
  Sink sink;
  std::uint64_t max_bytes;
  std::uint64_t decompressed = 0;
  internal::MdCtxPtr md;
  z_stream stream{};
  bool inflating = false;
  bool stream_ended = false;
  bool finished = false;
  Status failure;
  std::array<Bytef, kInflateChunk> out{};
};

BillDigestCheck::BillDigestCheck(BillCompression compression, Sink sink, std::uint64_t max_bytes)
    : impl_(std::make_unique<Impl>(compression, std::move(sink), max_bytes)) {
  impl_->failure = impl_->Start();
}

BillDigestCheck::~BillDigestCheck() = default;
BillDigestCheck::BillDigestCheck(BillDigestCheck&&) noexcept = default;
BillDigestCheck& BillDigestCheck::operator=(BillDigestCheck&&) noexcept = default;

Status BillDigestCheck::Write(std::string_view downloaded) {
  if (!impl_) return Status(StatusCode::kInternal, "bill digest check used after a move");
  Impl& impl = *impl_;
  if (!impl.failure.ok()) return impl.failure;
  if (impl.finished) return Status(StatusCode::kInternal, "bill digest check already finished");
  Status status =
      impl.compression == BillCompression::kGzip ? impl.Inflate(downloaded) : impl.Pass(downloaded);
  if (!status.ok()) impl.failure = status;
  return status;
}

Status BillDigestCheck::Finish(std::string_view hash_type, std::string_view hash_value) {
  if (!impl_) return Status(StatusCode::kInternal, "bill digest check used after a move");
  Impl& impl = *impl_;
  if (!impl.failure.ok()) return impl.failure;
  if (impl.finished) return Status(StatusCode::kInternal, "bill digest check already finished");
  impl.finished = true;
  Status status;
  if (impl.compression == BillCompression::kGzip && !impl.stream_ended) {
    status = Malformed("the gzip stream is cut short (no end of stream)");
  } else if (!internal::EqualsIgnoreCase(hash_type, kSha1)) {
    status = DigestFailure("hash_type is not SHA1, the only digest WeChat Pay documents");
  } else {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(impl.md.get(), digest.data(), &size) != 1) {
      internal::ClearOpenSslErrors();
      status = Status(StatusCode::kInternal, "bill file: SHA-1 final failed");
    } else if (!internal::EqualsIgnoreCase(Hex(digest.data(), size), hash_value)) {
      status = DigestFailure(
          "the SHA-1 of the decompressed file differs from the signed hash_value: the file is "
          "not the bill WeChat Pay described, and no row of it may be trusted");
    }
  }
  if (!status.ok()) impl.failure = status;
  return status;
}

std::uint64_t BillDigestCheck::decompressed_bytes() const noexcept {
  return impl_ ? impl_->decompressed : 0;
}

}  // namespace wechatpay
