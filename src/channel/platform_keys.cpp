// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The certificate manager: downloads GET /v3/certificates through the call pipeline with the
// merchant's signed request, reads it with ReadPlatformCertificates(), checks the answer's
// signature and merges the certificates into the KeySetHolder that verifiers read. Downloads
// are single-flight (one mutex-guarded flag; waiters sleep on a condition variable) and the
// on-demand ones throttled; the read path is the holder's atomic load and takes none of this.

#include "wechatpay/channel/platform_keys.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "channel/call_pipeline.hpp"
#include "channel/platform_keys_access.hpp"
#include "channel/service_failure.hpp"
#include "common/config_error.hpp"
#include "common/nonce.hpp"
#include "common/printable.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/credentials.hpp"
#include "wechatpay/protocol/platform_certificate.hpp"

namespace wechatpay {
namespace {

using internal::Attempt;
using internal::AttemptBudget;
using internal::CallPipeline;
using TimePoint = std::chrono::system_clock::time_point;

std::int64_t Ticks(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

struct PlatformKeys::Impl {
  Impl(VerificationKeys m, std::shared_ptr<KeySetHolder> h, std::optional<AesGcmCipher> c,
       std::string ca_pem, std::string url, std::string path, RequestSigner s, CallPipeline p,
       std::chrono::seconds interval)
      : mode(m),
        holder(std::move(h)),
        cipher(std::move(c)),
        ca(std::move(ca_pem)),
        base_url(std::move(url)),
        base_path(std::move(path)),
        signer(std::move(s)),
        pipeline(std::move(p)),
        refresh_interval(interval) {}

  bool downloads_enabled() const { return mode != VerificationKeys::kPublicKey; }

  // The verifier's hook: true when `serial` is (now) in the set.
  bool OnUnknownSerial(std::string_view serial) {
    if (holder->Get()->Find(serial) != nullptr) return true;  // a download just brought it
    // A serial longer than any WeChat sends is no reason to download.
    if (serial.empty() || serial.size() > 64) return false;
    // A download this caller only joined may have fetched the list before WeChat started
    // signing with `serial` (a rotation during the download): then one of its own, still
    // subject to the throttle.
    for (int round = 0; round < 2; ++round) {
      bool joined = false;
      Flight(/*throttled=*/true, &joined);
      if (holder->Get()->Find(serial) != nullptr) return true;
      if (!joined) return false;
    }
    return false;
  }

  Status RefreshIfDue() {
    if (!downloads_enabled()) return Status();
    if (Ticks(pipeline.Now()) < next_due.load(std::memory_order_acquire)) return Status();
    {
      std::lock_guard<std::mutex> lock(mu);
      if (in_flight) return Status();  // another caller is downloading; the current set serves
    }
    auto status = Flight(/*throttled=*/true);
    return status ? *status : Status();
  }

  // Runs one download, or waits for the one in flight (setting `joined`) and returns its
  // result. With
  // `throttled`, no download starts within kMinDownloadInterval of the last one started; the
  // result is then empty.
  std::optional<Status> Flight(bool throttled, bool* joined = nullptr) {
    std::unique_lock<std::mutex> lock(mu);
    if (in_flight) {
      if (joined != nullptr) *joined = true;
      auto const seen = generation;
      done.wait(lock, [&] { return generation != seen; });
      return last_status;
    }
    auto const now = pipeline.Now();
    if (throttled && last_started && now - *last_started < kMinDownloadInterval) {
      return std::nullopt;
    }
    in_flight = true;
    last_started = now;
    lock.unlock();
    Status status = DownloadAndMerge();
    auto const after = pipeline.Now();
    next_due.store(Ticks(after + (status.ok() ? std::chrono::duration_cast<std::chrono::seconds>(
                                                    refresh_interval)
                                              : kMinDownloadInterval)),
                   std::memory_order_release);
    lock.lock();
    in_flight = false;
    ++generation;
    last_status = status;
    lock.unlock();
    done.notify_all();
    return status;
  }

  StatusOr<HttpResponse> Download() {
    std::string const target(paths::kCertificates);
    std::string const canonical = base_path + target;
    std::string const label = pipeline.logging() ? "GET " + canonical : std::string();
    auto const serial = SerialToSend();
    return pipeline.Run<HttpResponse>(
        internal::Operation::kDownloadCertificates, CallOptions{}, label,
        [&](AttemptBudget const& budget) -> Attempt<HttpResponse> {
          auto const timestamp =
              std::chrono::duration_cast<std::chrono::seconds>(pipeline.Now().time_since_epoch())
                  .count();
          auto authorization =
              signer.Authorization("GET", canonical, "", timestamp, internal::GenerateNonce());
          if (!authorization) {
            return {authorization.status(), internal::FailureClass::kLocal,
                    std::chrono::milliseconds(0)};
          }
          HttpRequest request;
          request.method = "GET";
          request.url = base_url + target;
          request.headers.Add(std::string(headers::kAuthorization), *std::move(authorization));
          if (!serial.empty()) request.headers.Add(std::string(headers::kSerial), serial);
          auto sent =
              pipeline.Send(std::move(request), budget, {label, label, headers::kRequestId});
          if (!sent) return {sent.status()};
          int const code = sent->status_code;
          if (code >= 200 && code < 300 && code != 202) {
            return {StatusOr<HttpResponse>(*std::move(sent))};
          }
          ResponseMetadata const meta{
              code, internal::PrintableUntrusted(sent->headers.Get(headers::kRequestId), 128)};
          return {internal::ServiceFailureStatus(*sent, meta), std::nullopt,
                  internal::RetryAfterHint(sent->headers.Get(headers::kRetryAfter))};
        });
  }

  Status DownloadAndMerge() {
    downloads.fetch_add(1, std::memory_order_relaxed);
    auto failed = [this](Status const& status) {
      pipeline.Log(
          LogLevel::kWarning,
          "platform certificate download failed; keeping the current keys: " + status.ToString());
      return status;
    };
    auto response = Download();
    if (!response) return failed(response.status());
    auto const now = pipeline.Now();
    auto fresh =
        ReadPlatformCertificates(response->body, *cipher, PlatformCertificateCheck{now, ca});
    if (!fresh) return failed(fresh.status());
    // The answer is signed like every other: verified with the keys held and the certificates
    // it carries, which the APIv3 key's GCM tag (and the CA chain, when configured) has just
    // authenticated. That is how the very first download, and the one after a rotation (WeChat
    // signs it with the new certificate), can be checked at all (docs/security.md).
    SignatureVerifier const check(holder->Get()->MergedWith(*fresh, now));
    auto verified = check.Verify(SignatureHeaders::From(response->headers), response->body, now);
    if (!verified.ok()) {
      return failed(Status(StatusCode::kVerificationFailed,
                           "the answer of GET /v3/certificates failed verification and was not "
                           "used: " +
                               verified.message(),
                           verified.info()));
    }
    holder->Merge(*fresh, now);
    if (pipeline.logging()) {
      pipeline.Log(LogLevel::kDebug,
                   "platform certificates downloaded: " + std::to_string(fresh->size()) +
                       " listed, " + std::to_string(holder->Get()->size()) + " keys held");
    }
    return Status();
  }

  std::string SerialToSend() const { return holder->Get()->SerialToSend(pipeline.Now()); }

  VerificationKeys const mode;
  std::shared_ptr<KeySetHolder> const holder;
  std::optional<AesGcmCipher> const cipher;  // always set when downloads_enabled()
  std::string const ca;
  std::string const base_url;
  std::string const base_path;
  RequestSigner const signer;
  CallPipeline const pipeline;
  std::chrono::seconds const refresh_interval;

  std::atomic<std::int64_t> next_due{0};  // system clock ticks; 0: the first call downloads
  std::atomic<std::uint64_t> downloads{0};
  std::mutex mu;  // guards the flight state below; never taken by a verification of a known serial
  std::condition_variable done;
  bool in_flight = false;
  std::uint64_t generation = 0;  // completed flights
  std::optional<TimePoint> last_started;
  Status last_status;
};

StatusOr<std::shared_ptr<PlatformKeys>> PlatformKeys::Create(MerchantConfig const& config,
                                                             ClientOptions options) {
  auto base_path = internal::CheckServiceUrl(config.base_url, "baseUrl");
  if (!base_path) return base_path.status();
  auto signer = MakeRequestSigner(config);
  if (!signer) return signer.status();
  auto const now = options.clock ? options.clock() : std::chrono::system_clock::now();
  auto keys = LoadKeySet(config, now);
  if (!keys) return keys.status();
  std::optional<AesGcmCipher> cipher;
  bool const downloads = config.verification_keys != VerificationKeys::kPublicKey;
  if (downloads || !config.api_v3_key.empty()) {
    auto made = MakeAesGcmCipher(config);
    if (!made) return made.status();
    cipher = *std::move(made);
  }
  auto ca = LoadPlatformCertificateCa(config);
  if (!ca) return ca.status();
  options.platform_keys.reset();  // the pipeline needs none, and must not own its owner
  auto pipeline = CallPipeline::Create(config, std::move(options));
  if (!pipeline) return pipeline.status();
  std::string base_url = config.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  auto impl = std::make_shared<Impl>(
      config.verification_keys, std::make_shared<KeySetHolder>(*std::move(keys)), std::move(cipher),
      *std::move(ca), std::move(base_url), *std::move(base_path), *std::move(signer),
      *std::move(pipeline), config.certificate_refresh);
  return std::shared_ptr<PlatformKeys>(new PlatformKeys(std::move(impl)));
}

PlatformKeys::PlatformKeys(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
PlatformKeys::~PlatformKeys() = default;

VerificationKeys PlatformKeys::mode() const noexcept { return impl_->mode; }

std::shared_ptr<KeySetHolder const> PlatformKeys::holder() const noexcept { return impl_->holder; }

SignatureVerifier PlatformKeys::Verifier() const {
  if (!impl_->downloads_enabled()) return SignatureVerifier(holder());
  // The hook keeps the state alive: a parser may outlive the client that made it.
  return SignatureVerifier(
      holder(), [impl = impl_](std::string_view serial) { return impl->OnUnknownSerial(serial); });
}

AesGcmCipher const* PlatformKeys::cipher() const noexcept {
  return impl_->cipher ? &*impl_->cipher : nullptr;
}

std::string PlatformKeys::SerialToSend() const { return impl_->SerialToSend(); }

StatusOr<SensitiveField> PlatformKeys::EncryptSensitive(std::string_view plaintext) {
  // A certificate-mode client that has not made a call yet holds no certificate: fetch them
  // now, as the first call would (a failure is the download's error, not "no key").
  if (impl_->downloads_enabled() && impl_->SerialToSend().empty()) {
    Status refreshed = RefreshIfDue();
    if (!refreshed.ok()) return refreshed;
  }
  return impl_->holder->Get()->EncryptSensitive(plaintext, impl_->pipeline.Now());
}

Status PlatformKeys::Refresh() {
  if (!impl_->downloads_enabled()) {
    return internal::InvalidArgument(
        "keyMode", "keyMode is \"public-key\": there are no platform certificates to download");
  }
  return *impl_->Flight(/*throttled=*/false);
}

Status PlatformKeys::RefreshIfDue() { return impl_->RefreshIfDue(); }

std::uint64_t PlatformKeys::downloads() const noexcept {
  return impl_->downloads.load(std::memory_order_relaxed);
}

std::shared_ptr<HttpTransport> PlatformKeysAccess::Transport(PlatformKeys const& keys) {
  return keys.impl_->pipeline.transport();
}

}  // namespace wechatpay
