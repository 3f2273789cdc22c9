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
  ~TemporaryFile() { Remove(); }
  std::filesystem::path const& path() const noexcept { return path_; }
  void Keep() noexcept { kept_ = true; }
  // Removes it now rather than at destruction.
  void Remove() noexcept {
    if (kept_) return;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
    kept_ = true;
  }

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

namespace {

// A download on its way: the digest check over the caller's sink and the running result.
// Shared with the transfer's sink (the I/O thread in an asynchronous download).
struct Download {
  Download(BillDownloadInfo const& info, BillDigestCheck::Sink sink)
      : check(info.gzip ? BillCompression::kGzip : BillCompression::kNone, std::move(sink)),
        hash_type(info.hash_type),
        hash_value(info.hash_value) {}

  // What the channel streams into.
  static HttpBodySink SinkOf(std::shared_ptr<Download> const& download) {
    return [download](std::string_view chunk) {
      download->result.downloaded_bytes += chunk.size();
      return download->check.Write(chunk);
    };
  }

  // The result once the channel is done: OK only when the digest matched.
  StatusOr<BillDownloadResult> Finish(StatusOr<ResponseMetadata> meta) {
    if (!meta) return meta.status();
    result.meta = *std::move(meta);
    if (auto status = check.Finish(hash_type, hash_value); !status.ok()) {
      ErrorInfo error = status.info();
      error.http_status = result.meta.http_status;
      error.request_id = result.meta.request_id;
      return Status(status.code(), status.message(), std::move(error));
    }
    result.bill_bytes = check.decompressed_bytes();
    return std::move(result);
  }

  BillDigestCheck check;
  std::string hash_type;
  std::string hash_value;
  BillDownloadResult result;
};

// DownloadBillToFile()'s file: a new temporary file next to the target, renamed onto it once
// the download is complete and its digest matched.
class BillFile {
 public:
  // Creates the temporary file; errors name the field "path".
  static StatusOr<std::shared_ptr<BillFile>> Create(std::string const& path) {
    std::filesystem::path const target(path);
    if (path.empty() || !target.has_filename()) {
      return FileError(StatusCode::kInvalidArgument, "path must name a file");
    }
    // In the target's folder, so the final rename stays on one file system and is atomic.
    auto temporary_name = target;
    temporary_name.replace_filename("." + target.filename().string() + "." +
                                    internal::GenerateNonce().substr(0, 12) + ".part");
    auto file = std::shared_ptr<BillFile>(new BillFile(path, std::move(temporary_name)));
    // "x": create a new file, never open one that exists (C11 exclusive mode).
    file->file_.reset(std::fopen(file->temporary_.path().string().c_str(), "wbx"));
    if (!file->file_) {
      int const error = errno;
      file->temporary_.Keep();  // not ours: nothing was created
      return FileError(StatusCode::kInvalidArgument, "cannot create a temporary file next to " +
                                                         path + ": " +
                                                         std::generic_category().message(error));
    }
    return file;
  }

  // The sink that writes the bill into the temporary file.
  static BillDigestCheck::Sink SinkOf(std::shared_ptr<BillFile> const& file) {
    return [file](std::string_view bytes) -> Status {
      if (std::fwrite(bytes.data(), 1, bytes.size(), file->file_.get()) != bytes.size()) {
        return FileError(StatusCode::kInternal,
                         "writing the bill next to " + file->path_ + " failed");
      }
      return Status();
    };
  }

  // After the download: the file in place when it succeeded; else the temporary one is
  // removed at once (an asynchronous download's sink, which shares this object, may be
  // released only after the result was delivered).
  StatusOr<BillDownloadResult> Commit(StatusOr<BillDownloadResult> downloaded) {
    if (!downloaded) {
      file_.reset();
      temporary_.Remove();
      return downloaded;
    }
    if (std::fclose(file_.release()) != 0) {
      temporary_.Remove();
      return FileError(StatusCode::kInternal, "writing the bill next to " + path_ + " failed");
    }
    std::error_code renamed;
    std::filesystem::rename(temporary_.path(), path_, renamed);
    if (renamed) {
      temporary_.Remove();
      return FileError(StatusCode::kInternal,
                       "moving the downloaded bill to " + path_ + " failed: " + renamed.message());
    }
    temporary_.Keep();
    return downloaded;
  }

 private:
  BillFile(std::string path, std::filesystem::path temporary)
      : path_(std::move(path)), temporary_(std::move(temporary)) {}

  std::string const path_;
  TemporaryFile temporary_;  // destroyed after file_: the file is closed before its removal
  FilePtr file_;
};

}  // namespace

StatusOr<BillDownloadResult> NativePayClient::DownloadBill(BillDownloadInfo const& info,
                                                           BillDigestCheck::Sink sink,
                                                           CallOptions const& options) const {
  if (auto status = Validate(info); !status.ok()) return status;
  auto download = std::make_shared<Download>(info, std::move(sink));
  return download->Finish(channel_->DownloadBill(info, Download::SinkOf(download), options));
}

void NativePayClient::DownloadBillAsync(BillDownloadInfo const& info, BillDigestCheck::Sink sink,
                                        CallOptions const& options,
                                        Completion<BillDownloadResult> done) const {
  internal::ValidateThenStart(Validate(info), done, [&] {
    auto download = std::make_shared<Download>(info, std::move(sink));
    channel_->DownloadBillAsync(
        info, Download::SinkOf(download), options,
        [download, done = std::move(done)](StatusOr<ResponseMetadata> meta) {
          done(download->Finish(std::move(meta)));
        });
  });
}

std::future<StatusOr<BillDownloadResult>> NativePayClient::DownloadBillAsync(
    BillDownloadInfo const& info, BillDigestCheck::Sink sink, CallOptions const& options) const {
  return internal::FutureOf<BillDownloadResult>(
      [&](auto done) { DownloadBillAsync(info, std::move(sink), options, std::move(done)); });
}

StatusOr<BillDownloadResult> NativePayClient::DownloadBillToFile(BillDownloadInfo const& info,
                                                                 std::string const& path,
                                                                 CallOptions const& options) const {
  if (auto status = Validate(info); !status.ok()) return status;
  auto file = BillFile::Create(path);
  if (!file) return file.status();
  return (*file)->Commit(DownloadBill(info, BillFile::SinkOf(*file), options));
}

void NativePayClient::DownloadBillToFileAsync(BillDownloadInfo const& info, std::string const& path,
                                              CallOptions const& options,
                                              Completion<BillDownloadResult> done) const {
  if (auto status = Validate(info); !status.ok()) return done(status);
  auto file = BillFile::Create(path);
  if (!file) return done(file.status());
  DownloadBillAsync(info, BillFile::SinkOf(*file), options,
                    [file = *file, done = std::move(done)](StatusOr<BillDownloadResult> result) {
                      done(file->Commit(std::move(result)));
                    });
}

std::future<StatusOr<BillDownloadResult>> NativePayClient::DownloadBillToFileAsync(
    BillDownloadInfo const& info, std::string const& path, CallOptions const& options) const {
  return internal::FutureOf<BillDownloadResult>(
      [&](auto done) { DownloadBillToFileAsync(info, path, options, std::move(done)); });
}

}  // namespace wechatpay
