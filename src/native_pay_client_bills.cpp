// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient's bill operations: apply for a bill, then download it through the channel
// with the digest check in the stream (the file answer is unsigned; the digest in the signed
// answer is what vouches for it), into a caller's sink or a file that appears only once the
// digest matched.

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "common/config_error.hpp"
#include "common/nonce.hpp"
#include "wechatpay/native_pay_client.hpp"

#include "client_async.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Removes the temporary file unless the download completed and it was renamed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path)) {}
  TemporaryFile(TemporaryFile const&) = delete;
  TemporaryFile& operator=(TemporaryFile const&) = delete;
  ~TemporaryFile() {
    if (!kept_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  std::filesystem::path const& path() const noexcept { return path_; }
  void Keep() noexcept { kept_ = true; }

 private:
  std::filesystem::path path_;
  bool kept_ = false;
};

// `done` with the answer's gzip flag set from the request, as the blocking calls do (the answer
// does not say how the file is compressed; the request does).
Completion<BillDownloadInfo> WithCompression(std::optional<std::string> const& tar_type,
                                             Completion<BillDownloadInfo> done) {
  return [gzip = tar_type.has_value(), done = std::move(done)](StatusOr<BillDownloadInfo> info) {
    if (info) info->gzip = gzip;
    done(std::move(info));
  };
}

Status FileError(StatusCode code, std::string message) {
  return internal::ErrorWithField(code, "path", std::move(message));
}

}  // namespace

std::chrono::system_clock::time_point NativePayClient::Now() const {
  return clock_ ? clock_() : std::chrono::system_clock::now();
}

StatusOr<BillDownloadInfo> NativePayClient::TradeBill(TradeBillRequest const& request,
                                                      CallOptions const& options) const {
  if (auto status = Validate(request, Now()); !status.ok()) return status;
  auto info = channel_->TradeBill(request, options);
  // The answer does not say how the file is compressed; the request does.
  if (info) info->gzip = request.tar_type.has_value();
  return info;
}

StatusOr<BillDownloadInfo> NativePayClient::FundFlowBill(FundFlowBillRequest const& request,
                                                         CallOptions const& options) const {
  if (auto status = Validate(request, Now()); !status.ok()) return status;
  auto info = channel_->FundFlowBill(request, options);
  if (info) info->gzip = request.tar_type.has_value();
  return info;
}

void NativePayClient::TradeBillAsync(TradeBillRequest const& request, CallOptions const& options,
                                     Completion<BillDownloadInfo> done) const {
  internal::ValidateThenStart(Validate(request, Now()), done, [&] {
    channel_->TradeBillAsync(request, options, WithCompression(request.tar_type, std::move(done)));
  });
}

std::future<StatusOr<BillDownloadInfo>> NativePayClient::TradeBillAsync(
    TradeBillRequest const& request, CallOptions const& options) const {
  return internal::FutureOf<BillDownloadInfo>(
      [&](auto done) { TradeBillAsync(request, options, std::move(done)); });
}

void NativePayClient::FundFlowBillAsync(FundFlowBillRequest const& request,
                                        CallOptions const& options,
                                        Completion<BillDownloadInfo> done) const {
  internal::ValidateThenStart(Validate(request, Now()), done, [&] {
    channel_->FundFlowBillAsync(request, options,
                                WithCompression(request.tar_type, std::move(done)));
  });
}

std::future<StatusOr<BillDownloadInfo>> NativePayClient::FundFlowBillAsync(
    FundFlowBillRequest const& request, CallOptions const& options) const {
  return internal::FutureOf<BillDownloadInfo>(
      [&](auto done) { FundFlowBillAsync(request, options, std::move(done)); });
}

StatusOr<BillDownloadResult> NativePayClient::DownloadBill(BillDownloadInfo const& info,
                                                           BillDigestCheck::Sink sink,
                                                           CallOptions const& options) const {
  if (auto status = Validate(info); !status.ok()) return status;
  BillDigestCheck check(info.gzip ? BillCompression::kGzip : BillCompression::kNone,
                        std::move(sink));
  BillDownloadResult result;
  auto meta = channel_->DownloadBill(
      info,
      [&check, &result](std::string_view chunk) {
        result.downloaded_bytes += chunk.size();
        return check.Write(chunk);
      },
      options);
  if (!meta) return meta.status();
  result.meta = *std::move(meta);
  if (auto status = check.Finish(info.hash_type, info.hash_value); !status.ok()) {
    ErrorInfo error = status.info();
    error.http_status = result.meta.http_status;
    error.request_id = result.meta.request_id;
    return Status(status.code(), status.message(), std::move(error));
  }
  result.bill_bytes = check.decompressed_bytes();
  return result;
}

StatusOr<BillDownloadResult> NativePayClient::DownloadBillToFile(BillDownloadInfo const& info,
                                                                 std::string const& path,
                                                                 CallOptions const& options) const {
  if (auto status = Validate(info); !status.ok()) return status;
  std::filesystem::path const target(path);
  if (path.empty() || !target.has_filename()) {
    return FileError(StatusCode::kInvalidArgument, "path must name a file");
  }
  // In the target's folder, so the final rename stays on one file system and is atomic.
  auto temporary_name = target;
  temporary_name.replace_filename("." + target.filename().string() + "." +
                                  internal::GenerateNonce().substr(0, 12) + ".part");
  TemporaryFile temporary(temporary_name);
  // "x": create a new file, never open one that exists (C11 exclusive mode).
  FilePtr file(std::fopen(temporary.path().string().c_str(), "wbx"));
  if (!file) {
    int const error = errno;
    temporary.Keep();  // not ours: nothing was created
    return FileError(StatusCode::kInvalidArgument, "cannot create a temporary file next to " +
                                                       path + ": " +
                                                       std::generic_category().message(error));
  }
  auto downloaded = DownloadBill(
      info,
      [&file, &path](std::string_view bytes) -> Status {
        if (std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
          return FileError(StatusCode::kInternal, "writing the bill next to " + path + " failed");
        }
        return Status();
      },
      options);
  if (!downloaded) return downloaded.status();
  if (std::fclose(file.release()) != 0) {
    return FileError(StatusCode::kInternal, "writing the bill next to " + path + " failed");
  }
  std::error_code renamed;
  std::filesystem::rename(temporary.path(), target, renamed);
  if (renamed) {
    return FileError(StatusCode::kInternal,
                     "moving the downloaded bill to " + path + " failed: " + renamed.message());
  }
  temporary.Keep();
  return downloaded;
}

}  // namespace wechatpay
