// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

// The default HttpTransport: libcurl over a bounded pool of reused easy handles, blocking or
// asynchronous.
//
// Decisions worth knowing (see also curl_transport_detail.hpp):
// - Two ways to run a request, one implementation: Prepare() (validation, headers, handle lease,
//   options) and Finish() (CURLcode to response or error) around an Exchange on the heap. The
//   blocking Send() runs the transfer on its caller's thread with Perform() on the pooled pair's
//   own multi handle; SendAsync() hands an AsyncExchange to the transport's CurlIoLoop, which
//   adds the pair's easy handle to its single shared multi handle (curl_io_loop.hpp).
// - Connection reuse: each request leases one easy handle (one thread at a time), which keeps
//   its keep-alive connections between requests; see curl_handle_pool.hpp. Handles are not
//   reset between requests: the constant options are set once per handle
//   (ConfigureNewHandle()) and every other option on every request.
// - Extra CA file: CURLOPT_CAINFO replaces libcurl's default bundle, so when ca_file is set we
//   also point CURLOPT_CAPATH at the system certificate directory (libcurl's built-in one, or
//   /etc/ssl/certs when it exists). With the OpenSSL backend both are loaded into the same
//   store, so the extra file is trusted *in addition to* the system store. Where no such
//   directory exists only ca_file is trusted.
// - Proxies: CurlTransportOptions::proxy and no_proxy are the only sources; an empty proxy
//   means no proxy, and libcurl's http_proxy/https_proxy environment variables are ignored
//   (CURLOPT_PROXY ""), as is no_proxy/NO_PROXY (CURLOPT_NOPROXY is always set), so where
//   payment traffic goes is decided by configuration alone. Loopback hosts are always reached
//   directly.
// - "Was the request sent?": CURLOPT_PREREQFUNCTION runs once the connection is established or
//   reused, right before the request goes out. If it never ran, the failure happened during
//   DNS, connect, proxy or TLS setup and the server cannot have seen the request, so
//   outcome_unknown is false (a connect timeout included); otherwise it is true.
//   CURLINFO_REQUEST_SIZE > 0 (bytes handed to the socket) is checked as well, and with
//   libcurl < 7.80 (no PREREQFUNCTION) it and CURLINFO_PRETRANSFER_TIME are the evidence.
//   One exception makes a failed write's outcome known: a connection that failed while the
//   body was going out (CURLE_SEND_ERROR or CURLE_RECV_ERROR with CURLINFO_SIZE_UPLOAD_T below
//   the body's length: "Send failure: Broken pipe" on a keep-alive connection the server had
//   just closed, a reset before the body was read). The server cannot have the whole request,
//   so it cannot have applied it, and outcome_unknown is false — unless libcurl had already
//   sent the request once (next point): PREREQFUNCTION ran twice, or a socket was opened after
//   it ran (a re-send whose reconnect failed; the re-send resets the counter, and a failure to
//   resolve or connect again ends with another code).
// - libcurl itself re-sends a request once, on a fresh connection, when a *reused* connection
//   turns out dead before any response byte arrives. There is no option to turn that off; it is
//   the usual keep-alive client behaviour and WeChat Pay's out_trade_no / out_refund_no make
//   such a repeat safe.
// - Size limits: libcurl would buffer whatever a server sends until the timeout (an endless
//   answer reached 2 GB in 4 s). The write callback refuses a body whose Content-Length
//   announces more than the request's limit before storing a byte of it, and any chunk that
//   would take the body past the limit; the header callback counts every header line against
//   kMaxResponseHeaderBytes. Refusing a chunk makes libcurl abort the transfer at once
//   (CURLE_WRITE_ERROR). libcurl refuses a single header line over 100 KiB on its own, before
//   the header callback sees it, and reports that as CURLE_OUT_OF_MEMORY (CURLE_TOO_LARGE from
//   8.6.0): while the response headers are arriving that code is taken as the header limit.
//   Both limits are kMalformedResponse, which no client retries: a GET's retries would only
//   download the same oversized answer again.
// - Streaming (HttpRequest::body_sink): once the final response block's headers are complete
//   the transfer knows its status; a 2xx body then goes chunk by chunk to the sink under the
//   request's limit and nothing is kept, any other body is buffered under the smaller of the
//   request's and the transport's default limit. A sink error is a short write as well: libcurl
//   aborts and Send() returns the sink's Status.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/text.hpp"
#include "common/url.hpp"
#include "http/async_transport.hpp"
#include "http/curl_handle_pool.hpp"
#include "http/curl_io_loop.hpp"
#include "http/curl_transport_detail.hpp"
#include "wechatpay/http/curl_stats.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {
namespace internal {
namespace {

std::once_flag global_init_once;
// Written once inside std::call_once and read only after it returned (call_once synchronizes).
CURLcode global_init_result = CURLE_OK;

Status Error(StatusCode code, std::string message, std::string field = {}) {
  ErrorInfo info;
  info.field = std::move(field);
  return Status(code, std::move(message), std::move(info));
}

// RFC 9110 token characters: what a method or a header name may contain. Anything else (in
// particular CR, LF, space or ':') could smuggle extra header lines into the request.
bool IsTokenChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

bool HasLineBreakOrNul(std::string_view s) {
  // A plain loop: find_first_of() with a three-character set calls memchr() once per byte of
  // the value, which made this check cost microseconds on a 600-byte Authorization header.
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

// Timeouts as libcurl wants them; <= 0 becomes 0 (libcurl's "no limit" / "its default").
long ToCurlMillis(std::chrono::milliseconds value) {
  auto const count = value.count();
  if (count <= 0) return 0;
  return static_cast<long>(std::min<std::int64_t>(count, std::numeric_limits<long>::max()));
}

// The host and port as a message names them: "api.mch.weixin.qq.com", "127.0.0.1:8080",
// "[::1]:8080".
std::string HostLabel(ParsedUrl const& url) {
  std::string label = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
  if (url.port != 0) label += ":" + std::to_string(url.port);
  return label;
}

// The system CA directory used next to CurlTransportOptions::ca_file (see the file comment).
std::string SystemCaPath() {
#if LIBCURL_VERSION_NUM >= 0x074600  // curl_version_info_data::capath: 7.70.0
  auto const* info = curl_version_info(CURLVERSION_NOW);
  if (info != nullptr && info->age >= CURLVERSION_SEVENTH && info->capath != nullptr &&
      *info->capath != '\0') {
    return info->capath;
  }
#endif
  std::error_code ec;
  if (std::filesystem::is_directory("/etc/ssl/certs", ec)) return "/etc/ssl/certs";
  return {};
}

struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

bool Append(SlistPtr& list, char const* line) {
  curl_slist* head = curl_slist_append(list.get(), line);
  if (head == nullptr) return false;  // the old list is untouched and still owned
  (void)list.release();
  list.reset(head);
  return true;
}

// What the callbacks of one transfer write into. Part of an Exchange, on the heap, so that an
// asynchronous transfer can outlive the call that queued it.
struct Transfer {
  CURL* handle = nullptr;
  std::vector<HttpHeaders::Field> header_fields;
  std::string body;
  // The body limit of the answer being received: the request's (resolved against the
  // transport's default) or, for an error answer to a streamed request, error_body_limit.
  std::size_t body_limit = 0;
  // A streamed request (HttpRequest::body_sink): its limits and what the sink did.
  HttpBodySink const* sink = nullptr;
  std::size_t stream_limit = 0;      // the request's limit: bounds what a 2xx streams
  std::size_t error_body_limit = 0;  // min(request's, transport's default): a buffered error
  bool streaming = false;            // the final answer is a 2xx going to the sink
  std::uint64_t streamed = 0;
  Status sink_error;
  bool sink_failed = false;
  // Header bytes received so far, every response block included.
  std::size_t header_bytes = 0;
  // The Content-Length that exceeded body_limit, -1 when none did.
  std::int64_t announced_length = -1;
  // The status code of the response block whose headers are arriving.
  int block_status = 0;
  bool head_request = false;
  bool request_started = false;
  int requests_started = 0;  // PREREQFUNCTION calls: more than one when libcurl re-sent
  // A connection was opened after the request had started: libcurl's own re-send (whose
  // reconnect may have failed before PREREQFUNCTION ran again).
  bool reconnected = false;
  bool body_started = false;
  bool out_of_memory = false;
  bool body_too_large = false;
  bool headers_too_large = false;

  // Decides, once a response block's headers are complete, where its body goes and its limit.
  void StartBlock() {
    if (sink == nullptr) return;
    streaming = block_status >= 200 && block_status < 300;
    body_limit = streaming ? stream_limit : error_body_limit;
  }
};

// Hands one chunk of a 2xx answer to the request's sink, within the limit. False ends the
// transfer (the reason is recorded in `transfer`).
bool StreamChunk(Transfer& transfer, std::string_view chunk) {
  if (transfer.streamed > transfer.body_limit ||
      chunk.size() > transfer.body_limit - transfer.streamed) {
    transfer.body_too_large = true;
    return false;
  }
  transfer.streamed += chunk.size();
  Status status = (*transfer.sink)(chunk);
  if (!status.ok()) {
    transfer.sink_error = std::move(status);
    transfer.sink_failed = true;
    return false;
  }
  return true;
}

// libcurl callbacks: no exception may unwind through C code, so allocation failures are
// recorded and reported to libcurl as a short write (CURLE_WRITE_ERROR), as is a limit
// exceeded. Neither callback is called with zero bytes here: libcurl calls the write callback
// with nothing only for an empty body, which is within every limit.
std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t const bytes = size * count;
  try {
    if (!transfer->body_started) {
      transfer->body_started = true;
      // libcurl's own reading of the Content-Length (-1 when there is none, or for a chunked
      // answer) sizes the buffer once. OnHeader() refused an oversized announcement already;
      // the check here only guards against a reading that differs from AnnouncedBodyLength().
      curl_off_t length = -1;
      if (curl_easy_getinfo(transfer->handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) ==
              CURLE_OK &&
          length > 0) {
        if (static_cast<std::uint64_t>(length) > transfer->body_limit) {
          transfer->announced_length = static_cast<std::int64_t>(length);
          transfer->body_too_large = true;
          return 0;
        }
        // At most the default limit up front: a request without a limit (a download) must not
        // reserve whatever a server announces. A streamed body is not kept at all.
        if (!transfer->streaming)
          transfer->body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(
              static_cast<std::uint64_t>(length), kDefaultMaxResponseBodyBytes)));
      }
    }
    if (transfer->streaming) {
      if (!StreamChunk(*transfer, std::string_view(data, bytes))) return 0;
      return bytes;
    }
    if (!AppendWithinLimit(transfer->body, std::string_view(data, bytes), transfer->body_limit)) {
      transfer->body_too_large = true;
      return 0;
    }
  } catch (std::exception const&) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t const bytes = size * count;
  if (bytes > kMaxResponseHeaderBytes - transfer->header_bytes) {
    transfer->headers_too_large = true;
    return 0;
  }
  transfer->header_bytes += bytes;
  std::string_view const line(data, bytes);
  if (int const code = StatusLineCode(line); code != 0) transfer->block_status = code;
  try {
    AddResponseHeaderLine(line, transfer->header_fields);
  } catch (std::exception const&) {
    transfer->out_of_memory = true;
    return 0;
  }
  if (line == "\r\n" || line == "\n") {
    transfer->StartBlock();
    // The block is complete: an announced oversized body is refused now, without waiting for
    // (or storing) any of it.
    std::int64_t const announced = AnnouncedBodyLength(
        transfer->header_fields, transfer->block_status, transfer->head_request);
    if (announced >= 0 && static_cast<std::uint64_t>(announced) > transfer->body_limit) {
      transfer->announced_length = announced;
      transfer->body_too_large = true;
      return 0;
    }
  }
  return bytes;
}

// CURLOPT_SOCKOPTFUNCTION: runs for every socket libcurl opens for the transfer.
int OnSocketOpened(void* user, curl_socket_t /*socket*/, curlsocktype purpose) {
  auto* transfer = static_cast<Transfer*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && transfer->request_started) transfer->reconnected = true;
  return CURL_SOCKOPT_OK;
}

#if LIBCURL_VERSION_NUM >= 0x075000  // CURLOPT_PREREQFUNCTION: 7.80.0
int OnPrereq(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
             int /*local_port*/) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->request_started = true;
  ++transfer->requests_started;
  return CURL_PREREQFUNC_OK;
}
#endif

// True when `result` is libcurl refusing a response header line longer than it accepts (see
// the file comment): the code it uses for that, while the response headers were arriving.
bool LibcurlRefusedHeaderLine(CURLcode result, Transfer const& transfer, bool request_sent) {
  if (!request_sent || transfer.body_started || transfer.out_of_memory) return false;
#if LIBCURL_VERSION_NUM >= 0x080600  // CURLE_TOO_LARGE: 8.6.0
  if (result == CURLE_TOO_LARGE) return true;
#endif
  return result == CURLE_OUT_OF_MEMORY;
}

// True when the request has a body and it provably did not leave whole, on the only attempt
// libcurl made (see the file comment): the server cannot have applied it. Only a connection
// that failed while the body was going out proves it (a send or receive error on it): other
// codes may come from a reconnect after libcurl re-sent a request that had left whole (the
// re-send resets the upload counter before it resolves and connects again).
bool BodyNotSentWhole(CURLcode result, CURL* handle, Transfer const& transfer,
                      HttpRequest const& request) {
#if LIBCURL_VERSION_NUM >= 0x075000  // PREREQFUNCTION counts libcurl's own re-sends
  if ((result != CURLE_SEND_ERROR && result != CURLE_RECV_ERROR) || request.body.empty()) {
    return false;
  }
  if (transfer.requests_started != 1 || transfer.reconnected) return false;
  curl_off_t uploaded = 0;
  if (curl_easy_getinfo(handle, CURLINFO_SIZE_UPLOAD_T, &uploaded) != CURLE_OK) return false;
  return uploaded >= 0 && static_cast<std::uint64_t>(uploaded) < request.body.size();
#else
  (void)result;
  (void)handle;
  (void)transfer;
  (void)request;
  return false;
#endif
}

bool RequestMayHaveBeenSent(CURL* handle, Transfer const& transfer) {
  if (transfer.request_started) return true;
  long request_size = 0;
  if (curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &request_size) == CURLE_OK &&
      request_size > 0) {
    return true;
  }
#if LIBCURL_VERSION_NUM < 0x075000
  // Without PREREQFUNCTION: a non-zero pre-transfer time means the connection was ready and the
  // request was about to be written.
  curl_off_t pretransfer = 0;
  if (curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &pretransfer) == CURLE_OK &&
      pretransfer > 0) {
    return true;
  }
#endif
  return false;
}

// Runs one transfer of `easy` on `multi`: what curl_easy_perform() does with the multi handle
// it keeps inside an easy handle, except for the order of the first two steps. easy_perform()
// waits in curl_multi_poll() before it lets libcurl work, and on a reused keep-alive connection
// there is nothing to wait for: one wasted poll(2) per request. Here libcurl works first and
// the loop waits only when a transfer is still running.
CURLcode Perform(CURLM* multi, CURL* easy) {
#if LIBCURL_VERSION_NUM >= 0x074200  // curl_multi_poll(): 7.66.0
  CURLMcode code = curl_multi_add_handle(multi, easy);
  if (code != CURLM_OK) return FromMultiCode(code);
  CURLcode result = CURLE_OK;
  for (;;) {
    int running = 0;
    code = curl_multi_perform(multi, &running);
    if (code != CURLM_OK) break;
    if (running == 0) {
      int queued = 0;
      CURLMsg const* message = curl_multi_info_read(multi, &queued);
      if (message != nullptr && message->msg == CURLMSG_DONE) {
        result = message->data.result;
        break;
      }
    }
    // Returns early when the socket is ready or libcurl's next timeout (connect, total) is due.
    code = curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    if (code != CURLM_OK) break;
  }
  curl_multi_remove_handle(multi, easy);
  return code == CURLM_OK ? result : FromMultiCode(code);
#else
  (void)multi;  // older libcurl: its own multi handle inside the easy handle
  return curl_easy_perform(easy);
#endif
}

// Sets options in order and remembers the first failure, so Send() checks once.
class OptionSetter {
 public:
  explicit OptionSetter(CURL* handle) : handle_(handle) {}

  template <typename T>
  void operator()(CURLoption option, T value) {
    if (result_ == CURLE_OK) result_ = curl_easy_setopt(handle_, option, value);
  }

  CURLcode result() const { return result_; }

 private:
  CURL* handle_;
  CURLcode result_ = CURLE_OK;
};

// One request from preparation to completion: everything the transfer's callbacks and options
// point at, so it must stay put (heap-owned, never moved) until the handle is done with it. The
// blocking Send() keeps it for the duration of the call; SendAsync() until its transfer ends.
struct Exchange {
  Exchange() = default;
  Exchange(Exchange const&) = delete;
  Exchange& operator=(Exchange const&) = delete;
  // Detaches the error buffer before the handle goes back to the pool: libcurl may report
  // failures while closing cached connections (eviction, cleanup), long after this request.
  ~Exchange() {
    if (lease && lease->get() != nullptr) {
      curl_easy_setopt(lease->get(), CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
    }
  }

  // The request: the caller's (Send()) or `owned` (SendAsync(), which moved it in).
  HttpRequest const* request = nullptr;
  HttpRequest owned;
  ParsedUrl url;
  bool loopback = false;
  SlistPtr header_list;
  std::optional<CurlHandlePool::Lease> lease;
  CURL* handle = nullptr;
  Transfer transfer;
  char error_buffer[CURL_ERROR_SIZE] = {};

  // Only error messages name the host: built when one is needed.
  std::string host() const { return HostLabel(url); }
};

class CurlTransport final : public HttpTransport, public AsyncHttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : options_(std::move(options)),
        system_ca_path_(options_.ca_file.empty() ? std::string() : SystemCaPath()),
        pool_(options_.max_idle_handles),
        loop_(options_.max_concurrent_transfers) {}

  StatusOr<HttpResponse> Send(HttpRequest const& request) override;

  AsyncTicket SendAsync(HttpRequest request, HttpCompletion done) override;
  AsyncTicket RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) override {
    return loop_.RunAfter(delay, std::move(fn));
  }
  bool Cancel(AsyncTicket ticket) override { return loop_.Cancel(ticket); }
  std::size_t InFlight() const override { return loop_.InFlight(); }

  CurlTransportStats Stats() const {
    CurlTransportStats stats;
    stats.requests = requests_.load(std::memory_order_relaxed);
    stats.new_connections = new_connections_.load(std::memory_order_relaxed);
    return stats;
  }

  // The two halves of every request, shared by Send() and SendAsync() (see AsyncExchange).
  // Prepare(): validation, the header list, the handle lease and the per-request options;
  // an error means nothing was sent. Finish(): the transfer's CURLcode and what the callbacks
  // collected, turned into the response or the error. Abandon(): a transfer cut off by the
  // destruction of the transport.
  Status Prepare(Exchange& exchange);
  StatusOr<HttpResponse> Finish(Exchange& exchange, CURLcode result);
  static Status Abandon(Exchange const& exchange);

  // The whole-request timeout `request` gets: its own, or the transport's default.
  std::chrono::milliseconds TimeoutOf(HttpRequest const& request) const {
    return request.timeout.count() > 0 ? request.timeout : options_.timeout;
  }
  // The connect timeout `request` gets: its own, or the transport's default.
  std::chrono::milliseconds ConnectTimeoutOf(HttpRequest const& request) const {
    return request.connect_timeout.count() > 0 ? request.connect_timeout : options_.connect_timeout;
  }

 private:
  CURLcode ConfigureNewHandle(CURL* handle) const;

  CurlTransportOptions const options_;
  std::string const system_ca_path_;
  CurlHandlePool pool_;
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> new_connections_{0};
  // Last: destroyed first, so every asynchronous request has returned its handle lease to
  // pool_ (and stopped using options_) before those go.
  CurlIoLoop loop_;
};

// An asynchronous request: the Exchange that the blocking Send() keeps for the duration of the
// call, owned by the I/O loop until the transfer ends. A member, not a second allocation: the
// loop owns the job through a pointer and never moves it, so the Exchange stays put.
class AsyncExchange final : public CurlIoJob {
 public:
  AsyncExchange(CurlTransport& transport, HttpRequest request)
      : transport_(transport), queued_at_(std::chrono::steady_clock::now()) {
    exchange_.owned = std::move(request);
    exchange_.request = &exchange_.owned;
  }

  StatusOr<CURL*> Start() override {
    // The request's time counts from SendAsync(), not from the moment a transfer slot freed
    // up: a call's deadline holds however long it waited behind max_concurrent_transfers.
    HttpRequest& request = exchange_.owned;
    auto const timeout = transport_.TimeoutOf(request);
    auto const waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - queued_at_);
    if (timeout.count() > 0) {
      if (waited >= timeout) {
        return Status(StatusCode::kDeadlineExceeded,
                      "the request's " + std::to_string(timeout.count()) +
                          " ms ran out while it waited " + std::to_string(waited.count()) +
                          " ms for a transfer slot (CurlTransportOptions::"
                          "max_concurrent_transfers); nothing was sent");
      }
      request.timeout = timeout - waited;
      if (transport_.ConnectTimeoutOf(request) > request.timeout) {
        request.connect_timeout = request.timeout;
      }
    }
    Status prepared = transport_.Prepare(exchange_);
    if (!prepared.ok()) return prepared;
    return exchange_.handle;
  }
  StatusOr<HttpResponse> Finish(CURLcode result) override {
    return transport_.Finish(exchange_, result);
  }
  Status Abandon() override { return CurlTransport::Abandon(exchange_); }

 private:
  CurlTransport& transport_;
  std::chrono::steady_clock::time_point const queued_at_;
  Exchange exchange_;
};

// The options that are the same for every request of this transport, set once per handle. The
// callbacks are constant too; their user data (the Transfer of an Exchange) is per request.
CURLcode CurlTransport::ConfigureNewHandle(CURL* handle) const {
  OptionSetter set(handle);
  set(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500  // CURLOPT_PROTOCOLS_STR: 7.85.0
  set(CURLOPT_PROTOCOLS_STR, "http,https");
#else
  set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  set(CURLOPT_FOLLOWLOCATION, 0L);
  // The configured proxy applies to every non-loopback host but the configured no_proxy list:
  // a no_proxy environment variable must not route payment traffic around it (nor cost a
  // getenv() per request). An empty list still overrides the environment.
  set(CURLOPT_NOPROXY, options_.no_proxy.c_str());
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!options_.ca_file.empty()) {
    set(CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!system_ca_path_.empty()) set(CURLOPT_CAPATH, system_ca_path_.c_str());
  }
  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_HEADERFUNCTION, &OnHeader);
#if LIBCURL_VERSION_NUM >= 0x075000
  set(CURLOPT_PREREQFUNCTION, &OnPrereq);
#endif
  set(CURLOPT_SOCKOPTFUNCTION, &OnSocketOpened);
  return set.result();
}

Status CurlTransport::Prepare(Exchange& exchange) {
  HttpRequest const& request = *exchange.request;
  // Everything that can be checked without the network is checked first, so these errors
  // guarantee that nothing was sent.
  auto url = ParseUrl(request.url);
  if (!url) {
    return Error(StatusCode::kInvalidArgument,
                 "the request URL is not an absolute http:// or https:// URL", "url");
  }
  if (url->has_userinfo) {
    // Never echo it: user information in a URL is a credential.
    return Error(StatusCode::kInvalidArgument,
                 "the request URL must not contain user information (user@host)", "url");
  }
  exchange.url = std::move(*url);
  auto const host = [&exchange] { return exchange.host(); };
  bool const loopback = IsLoopbackHost(exchange.url.host);
  exchange.loopback = loopback;
  if (exchange.url.scheme == "http" && !loopback) {
    return Error(StatusCode::kConfiguration,
                 "refusing http://" + host() +
                     ": plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, "
                     "localhost); use https",
                 "url");
  }
  std::string const& method = request.method;
  if (!IsToken(method)) {
    return Error(StatusCode::kInvalidArgument, "the HTTP method is empty or not a token", "method");
  }
  bool const head = method == "HEAD";
  if (head && !request.body.empty()) {
    return Error(StatusCode::kInvalidArgument, "a HEAD request cannot carry a body", "body");
  }
  // POST, PUT and PATCH always frame a body, so an empty one still sends Content-Length: 0.
  bool const send_body =
      !head && (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH");

  SlistPtr& header_list = exchange.header_list;
  auto const out_of_memory = [] {
    return Error(StatusCode::kInternal, "out of memory while building the request");
  };
  std::string line;  // one buffer for every "Name: value" line; libcurl copies each
  for (auto const& [name, value] : request.headers) {
    if (!IsToken(name)) {
      return Error(StatusCode::kInvalidArgument, "a request header name is empty or not a token",
                   "headers");
    }
    if (HasLineBreakOrNul(value)) {
      // Name the header but never quote its value: it may be the Authorization header.
      return Error(StatusCode::kInvalidArgument,
                   "the value of request header " + name + " contains CR, LF or NUL", "headers");
    }
    // Framing is the transport's job: a stale Content-Length would desynchronize the
    // keep-alive connection, so libcurl computes it from the body.
    if (EqualsIgnoreCase(name, "Content-Length")) continue;
    // "Name:" would tell libcurl to *remove* the header; "Name;" sends it with an empty value.
    line.assign(name);
    if (value.empty()) {
      line.push_back(';');
    } else {
      line.append(": ").append(value);
    }
    if (!Append(header_list, line.c_str())) return out_of_memory();
  }
  // Suppress what libcurl would add on its own, so the request carries only what the caller
  // set plus Host and Content-Length. An "Expect: 100-continue" round trip would only add
  // latency (and a second response block) to every large POST.
  if (!request.headers.Has("Expect") && !Append(header_list, "Expect:")) return out_of_memory();
  if (!request.headers.Has("Accept") && !Append(header_list, "Accept:")) return out_of_memory();
  if (send_body && !request.headers.Has("Content-Type") && !Append(header_list, "Content-Type:")) {
    return out_of_memory();
  }

  GlobalInit();
  if (global_init_result != CURLE_OK) {
    ErrorInfo info;
    info.transport_code = static_cast<int>(global_init_result);
    return Status(StatusCode::kInternal, "curl_global_init failed", std::move(info));
  }
  exchange.lease.emplace(pool_.Acquire());
  CURL* const handle = exchange.lease->get();
  if (handle == nullptr) return Error(StatusCode::kInternal, "curl_easy_init failed");
  if (exchange.lease->fresh()) {
    CURLcode const configured = ConfigureNewHandle(handle);
    if (configured != CURLE_OK) {
      exchange.lease->Discard();  // half-configured: never reuse it
      return CurlErrorStatus(configured, false, host(), "setting the transfer options failed");
    }
  }
  exchange.handle = handle;

  Transfer& transfer = exchange.transfer;
  transfer.handle = handle;
  transfer.head_request = head;
  transfer.header_fields.reserve(16);
  transfer.body_limit = request.max_response_body_bytes != 0    ? request.max_response_body_bytes
                        : options_.max_response_body_bytes != 0 ? options_.max_response_body_bytes
                                                                : kDefaultMaxResponseBodyBytes;
  if (request.body_sink) {
    std::size_t const default_limit = options_.max_response_body_bytes != 0
                                          ? options_.max_response_body_bytes
                                          : kDefaultMaxResponseBodyBytes;
    transfer.sink = &request.body_sink;
    transfer.stream_limit = transfer.body_limit;
    transfer.error_body_limit = std::min(transfer.body_limit, default_limit);
  }

  // The per-request options. A pooled handle still carries its previous request's options (the
  // pool does not reset handles), so every option below is set on every request, whatever the
  // method: none of them may be set conditionally.
  OptionSetter set(handle);
  set(CURLOPT_ERRORBUFFER, static_cast<char*>(exchange.error_buffer));
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_CONNECTTIMEOUT_MS,
      ToCurlMillis(request.connect_timeout.count() > 0 ? request.connect_timeout
                                                       : options_.connect_timeout));
  set(CURLOPT_TIMEOUT_MS,
      ToCurlMillis(request.timeout.count() > 0 ? request.timeout : options_.timeout));
  set(CURLOPT_PROXY, loopback ? "" : options_.proxy.c_str());
  // The method. Order matters: setting CURLOPT_POSTFIELDS (even to null) makes the request a
  // POST, so it comes first and NOBODY / POST / HTTPGET then decide.
  // Explicit size: the body is binary and may contain NUL bytes. libcurl does not copy it;
  // `request` outlives the transfer.
  set(CURLOPT_POSTFIELDS, send_body ? request.body.data() : nullptr);
  set(CURLOPT_POSTFIELDSIZE_LARGE,
      send_body ? static_cast<curl_off_t>(request.body.size()) : curl_off_t{-1});
  if (head) {
    set(CURLOPT_NOBODY, 1L);
  } else if (send_body) {
    set(CURLOPT_POST, 1L);  // also clears NOBODY
  } else {
    set(CURLOPT_HTTPGET, 1L);  // also clears NOBODY and UPLOAD
  }
  bool const native_method = method == "GET" || method == "HEAD" || method == "POST";
  set(CURLOPT_CUSTOMREQUEST, native_method ? nullptr : method.c_str());
  set(CURLOPT_HTTPHEADER, header_list.get());
  set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
  set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
#if LIBCURL_VERSION_NUM >= 0x075000
  set(CURLOPT_PREREQDATA, static_cast<void*>(&transfer));
#endif
  set(CURLOPT_SOCKOPTDATA, static_cast<void*>(&transfer));
  if (set.result() != CURLE_OK) {
    return CurlErrorStatus(set.result(), false, host(), "setting the transfer options failed");
  }
  return Status();
}

StatusOr<HttpResponse> CurlTransport::Finish(Exchange& exchange, CURLcode result) {
  CURL* const handle = exchange.handle;
  Transfer& transfer = exchange.transfer;
  auto const host = [&exchange] { return exchange.host(); };
  requests_.fetch_add(1, std::memory_order_relaxed);
  long connects = 0;
  if (curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0) {
    new_connections_.fetch_add(static_cast<std::size_t>(connects), std::memory_order_relaxed);
  }

  if (result != CURLE_OK) {
    auto const http_status = [handle] {
      long code = 0;
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
      return static_cast<int>(code);
    };
    bool const sent = RequestMayHaveBeenSent(handle, transfer);
    if (transfer.headers_too_large || LibcurlRefusedHeaderLine(result, transfer, sent)) {
      return HeadersTooLargeStatus(host(), kMaxResponseHeaderBytes, !transfer.headers_too_large,
                                   http_status(), result);
    }
    if (transfer.sink_failed) return std::move(transfer.sink_error);
    if (transfer.body_too_large) {
      return BodyTooLargeStatus(host(), transfer.body_limit, transfer.announced_length,
                                http_status(), result);
    }
    if (transfer.out_of_memory) {
      ErrorInfo info;
      info.transport_code = static_cast<int>(result);
      info.outcome_unknown = true;  // the server was already answering
      return Status(StatusCode::kInternal,
                    "out of memory while receiving the response from " + host(), std::move(info));
    }
    return CurlErrorStatus(
        result, sent, host(),
        WithoutProxyCredentials(exchange.error_buffer, exchange.loopback ? "" : options_.proxy),
        BodyNotSentWhole(result, handle, transfer, *exchange.request));
  }

  long status_code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status_code);
  HttpResponse response;
  response.status_code = static_cast<int>(status_code);
  for (auto& field : transfer.header_fields) {
    response.headers.Add(std::move(field.first), std::move(field.second));
  }
  response.body = std::move(transfer.body);
  return response;
}

Status CurlTransport::Abandon(Exchange const& exchange) {
  // The same evidence as for a failed transfer decides whether the server may have the request.
  bool const sent = RequestMayHaveBeenSent(exchange.handle, exchange.transfer);
  ErrorInfo info;
  info.outcome_unknown = sent;
  std::string message =
      "the transport was destroyed while the request to " + exchange.host() + " was in progress";
  if (sent) message += "; the request may have reached the server";
  return Status(StatusCode::kCancelled, std::move(message), std::move(info));
}

StatusOr<HttpResponse> CurlTransport::Send(HttpRequest const& request) {
  // On the heap like an asynchronous one (one allocation): the same code prepares and finishes
  // both. The pair's own multi handle runs the transfer on the caller's thread.
  auto exchange = std::make_unique<Exchange>();
  exchange->request = &request;
  Status prepared = Prepare(*exchange);
  if (!prepared.ok()) return prepared;
  CURLcode const result = Perform(exchange->lease->multi(), exchange->handle);
  return Finish(*exchange, result);
}

AsyncTicket CurlTransport::SendAsync(HttpRequest request, HttpCompletion done) {
  return loop_.Submit(std::make_unique<AsyncExchange>(*this, std::move(request)), std::move(done));
}

}  // namespace

void AddResponseHeaderLine(std::string_view line, std::vector<HttpHeaders::Field>& fields) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return;
  if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
    fields.clear();
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    // Obsolete line folding (RFC 9110 5.5): the line continues the previous field's value.
    if (fields.empty()) return;
    auto const more = Trim(line);
    if (more.empty()) return;
    auto& value = fields.back().second;
    if (!value.empty()) value.push_back(' ');
    value.append(more);
    return;
  }
  auto const colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  fields.emplace_back(std::string(line.substr(0, colon)),
                      std::string(Trim(line.substr(colon + 1))));
}

std::string_view WithoutProxyCredentials(std::string_view curl_text, std::string_view proxy) {
  // The user info is what lies between the scheme (when there is one) and the last '@'; in a
  // malformed setting that may run past where a URL parser would stop, which only makes the
  // test stricter.
  auto const at = proxy.rfind('@');
  if (at == std::string_view::npos || curl_text.empty()) return curl_text;
  auto const scheme = proxy.find("://");
  auto const start = scheme == std::string_view::npos || scheme > at ? 0 : scheme + 3;
  auto const user_info = proxy.substr(start, at - start);
  auto const colon = user_info.find(':');
  auto const password =
      colon == std::string_view::npos ? std::string_view() : user_info.substr(colon + 1);
  for (auto secret : {user_info, password}) {
    if (!secret.empty() && curl_text.find(secret) != std::string_view::npos) return {};
  }
  return curl_text;
}

Status CurlErrorStatus(CURLcode code, bool request_may_have_been_sent, std::string_view host,
                       std::string_view curl_text, bool body_not_sent_whole) {
  StatusCode status_code = StatusCode::kTransport;
  bool outcome_unknown = request_may_have_been_sent;
  std::string what;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      what = "could not resolve host";
      break;
    case CURLE_COULDNT_RESOLVE_PROXY:
      what = "could not resolve the proxy for";
      break;
    case CURLE_COULDNT_CONNECT:
      what = "could not connect to";
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074D00  // CURLE_SSL_CLIENTCERT: 7.77.0
    case CURLE_SSL_CLIENTCERT:
#endif
      what = "TLS handshake or certificate verification failed with";
      break;
    case CURLE_OPERATION_TIMEDOUT:
      status_code = StatusCode::kDeadlineExceeded;
      what = request_may_have_been_sent ? "timed out waiting for the response from"
                                        : "timed out before the request was sent to";
      break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      // These happen once the request is (being) written: the server may have applied it.
      outcome_unknown = true;
      what = "the connection failed before a complete response arrived from";
      break;
    case CURLE_FAILED_INIT:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
      status_code = StatusCode::kInternal;
      what = "libcurl failed internally talking to";
      break;
    default:
      what = "the HTTP transfer failed with";
      break;
  }
  // Whatever failed, a request whose body did not leave whole was not applied.
  if (body_not_sent_whole) outcome_unknown = false;
  std::string message = what;
  message += ' ';
  message += host;
  message += ": ";
  message += curl_text.empty() ? std::string_view(curl_easy_strerror(code)) : curl_text;
  message += " (CURLcode ";
  message += std::to_string(static_cast<int>(code));
  message += ')';
  if (outcome_unknown) message += "; the request may have reached the server";
  if (body_not_sent_whole)
    message += "; the request's body was not sent whole, so it was not applied";
  ErrorInfo info;
  info.transport_code = static_cast<int>(code);
  info.outcome_unknown = outcome_unknown;
  return Status(status_code, std::move(message), std::move(info));
}

int StatusLineCode(std::string_view line) {
  if (line.substr(0, 5) != "HTTP/") return 0;
  auto const space = line.find(' ');
  if (space == std::string_view::npos || line.size() < space + 4) return 0;
  auto const digits = line.substr(space + 1, 3);
  if (!IsAllDigits(digits) || (line.size() > space + 4 && line[space + 4] != ' ' &&
                               line[space + 4] != '\r' && line[space + 4] != '\n')) {
    return 0;
  }
  return (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
}

std::int64_t AnnouncedBodyLength(std::vector<HttpHeaders::Field> const& fields, int status_code,
                                 bool head_request) {
  if (head_request || status_code < 200 || status_code == 204 || status_code == 304) return -1;
  std::int64_t length = -1;
  for (auto const& [name, value] : fields) {
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) return -1;
    if (length < 0 && EqualsIgnoreCase(name, "Content-Length")) {
      auto const parsed = ParseInt64(value);
      if (parsed && *parsed >= 0) length = *parsed;
    }
  }
  return length;
}

bool AppendWithinLimit(std::string& body, std::string_view chunk, std::size_t limit) {
  if (body.size() > limit || chunk.size() > limit - body.size()) return false;
  std::size_t const needed = body.size() + chunk.size();
  if (needed > body.capacity()) {
    // Doubling keeps appends amortised O(1). A buffer of half the limit or more, though, could
    // only be outgrown by copying it into a buffer of the limit's size, and for a moment both
    // would be there (twice the limit, measured): such a buffer is made the limit's size at
    // once. Untouched capacity costs address space, not memory. A fresh string is reserved and
    // swapped in because reserve() on a non-empty one may round the request up to twice the old
    // capacity (libstdc++ does), past the limit.
    std::size_t capacity = std::max(needed, 2 * body.capacity());
    if (capacity >= limit / 2) capacity = limit;
    std::string grown;
    grown.reserve(capacity);
    grown.append(body);
    body.swap(grown);
  }
  body.append(chunk.data(), chunk.size());
  return true;
}

namespace {

// The common tail of the size-limit errors: the request arrived, the server was answering.
Status SizeLimitStatus(std::string message, std::string field, int http_status, CURLcode code) {
  message += "; the request may have reached the server";
  ErrorInfo info;
  info.field = std::move(field);
  info.http_status = http_status;
  info.transport_code = static_cast<int>(code);
  info.outcome_unknown = true;
  return Status(StatusCode::kMalformedResponse, std::move(message), std::move(info));
}

}  // namespace

Status BodyTooLargeStatus(std::string_view host, std::size_t limit, std::int64_t announced,
                          int http_status, CURLcode code) {
  std::string message = "the response body from ";
  message += host;
  if (announced >= 0) {
    message += " announces " + std::to_string(announced) + " bytes (Content-Length), more than";
  } else {
    message += " exceeds";
  }
  message += " the limit of " + std::to_string(limit) +
             " bytes (HttpRequest::max_response_body_bytes, by default "
             "CurlTransportOptions::max_response_body_bytes); the transfer was abandoned";
  return SizeLimitStatus(std::move(message), "body", http_status, code);
}

Status HeadersTooLargeStatus(std::string_view host, std::size_t limit, bool libcurl_refused_line,
                             int http_status, CURLcode code) {
  std::string message = "the response headers from ";
  message += host;
  message += " exceed " + std::to_string(limit) + " bytes";
  if (libcurl_refused_line) message += " (one header line is longer than libcurl accepts)";
  message += "; the transfer was abandoned";
  return SizeLimitStatus(std::move(message), "headers", http_status, code);
}

}  // namespace internal

void GlobalInit() {
  std::call_once(internal::global_init_once,
                 [] { internal::global_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::shared_ptr<HttpTransport> MakeCurlTransport(CurlTransportOptions options) {
  GlobalInit();
  return std::make_shared<internal::CurlTransport>(std::move(options));
}

namespace internal {

AsyncHttpTransport* AsAsync(HttpTransport& transport) {
  return dynamic_cast<CurlTransport*>(&transport);
}

}  // namespace internal

CurlTransportStats GetCurlTransportStats(HttpTransport const& transport) {
  auto const* curl = dynamic_cast<internal::CurlTransport const*>(&transport);
  return curl != nullptr ? curl->Stats() : CurlTransportStats{};
}

}  // namespace wechatpay
