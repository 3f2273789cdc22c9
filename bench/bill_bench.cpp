// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "bill_bench.hpp"

#include <openssl/evp.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "fixtures.hpp"
#include "harness.hpp"
#include "wechatpay/protocol/bill_format.hpp"
#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::bench {
namespace {

[[noreturn]] void Die(char const* what) {
  std::fprintf(stderr, "wechatpay_bench: bill_download: %s\n", what);
  std::exit(2);
}

// The Beijing date two days ago: its bill is ready whatever the hour (bills of day D exist from
// 10:00 on D + 1) and within the three months WeChat keeps.
std::string BillDate() {
  std::time_t const t = std::time(nullptr) + 8 * 3600 - 2 * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

// The sandbox in a child process, seeded with `rows` paid orders on `date`; its client
// configuration written to `config_path`. The child stops when the parent closes its pipe.
class SandboxChild {
 public:
  SandboxChild(std::int64_t rows, std::string const& date, std::string const& config_path) {
    int ready[2];
    int hold[2];
    if (pipe(ready) != 0 || pipe(hold) != 0) Die("pipe");
    pid_ = fork();
    if (pid_ < 0) Die("fork");
    if (pid_ == 0) {
      close(ready[0]);
      close(hold[1]);
      sandbox::Sandbox sb;
      char ok = sb.Start().ok() && sb.SeedPaidOrders(date, rows).ok() &&
                        sb.WriteClientConfig(config_path).ok()
                    ? '1'
                    : '0';
      if (write(ready[1], &ok, 1) != 1) _exit(3);
      char byte;
      while (read(hold[0], &byte, 1) > 0) {
      }
      sb.Stop();
      _exit(0);
    }
    close(ready[1]);
    close(hold[0]);
    hold_ = hold[1];
    char ok = '0';
    if (read(ready[0], &ok, 1) != 1 || ok != '1') Die("the sandbox child failed to start");
    close(ready[0]);
  }
  ~SandboxChild() {
    close(hold_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  SandboxChild(SandboxChild const&) = delete;
  SandboxChild& operator=(SandboxChild const&) = delete;

 private:
  pid_t pid_ = -1;
  int hold_ = -1;
};

// Keeps a copy of every streamed 2xx body: the gzip bytes the floor works on.
class CapturingTransport : public HttpTransport {
 public:
  CapturingTransport(std::shared_ptr<HttpTransport> inner, std::string& bytes)
      : inner_(std::move(inner)), bytes_(bytes) {}

  StatusOr<HttpResponse> Send(HttpRequest const& request) override {
    if (!request.body_sink) return inner_->Send(request);
    HttpRequest copy = request;
    copy.body_sink = [this, &request](std::string_view chunk) {
      bytes_.append(chunk);
      return request.body_sink(chunk);
    };
    return inner_->Send(copy);
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::string& bytes_;
};

// The floor: zlib inflate of the gzip stream and SHA-1 of what it yields, in memory. Returns the
// decompressed size.
std::uint64_t InflateAndSha1(std::string const& gzip, std::string const& expected_hex) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) Die("inflateInit2");
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  if (md == nullptr || EVP_DigestInit_ex(md, EVP_sha1(), nullptr) != 1) Die("SHA-1");
  static std::array<unsigned char, 64 * 1024> out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  std::uint64_t total = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) Die("inflate");
    std::size_t const n = out.size() - stream.avail_out;
    total += n;
    EVP_DigestUpdate(md, out.data(), n);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(md, digest, &length);
  EVP_MD_CTX_free(md);
  inflateEnd(&stream);
  char hex[2 * EVP_MAX_MD_SIZE + 1];
  for (unsigned int i = 0; i < length; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  if (expected_hex.size() != 2 * length ||
      strncasecmp(hex, expected_hex.c_str(), expected_hex.size()) != 0) {
    Die("the floor's digest differs from the signed answer's");
  }
  return total;
}

struct Spread {
  double min = 0, median = 0, max = 0;
};
Spread Of(std::vector<double> const& v) {
  return {*std::min_element(v.begin(), v.end()), Median(v), *std::max_element(v.begin(), v.end())};
}

}  // namespace

BillBenchResult MeasureBillDownload(std::int64_t rows, int runs) {
  BillBenchResult result;
  result.rows = rows;
  result.runs = runs;
  std::string const date = BillDate();
  char dir_template[] = "/tmp/wechatpay-bench-bill-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  std::string const dir = dir_template;
  std::string const config_path = dir + "/config.json";
  std::fprintf(stderr,
               "wechatpay_bench: bill_download: seeding %lld orders in a sandbox child...\n",
               static_cast<long long>(rows));
  SandboxChild child(rows, date, config_path);
  auto config = Must(LoadMerchantConfigFile(config_path), "client configuration");
  // The sandbox builds the whole bill while it answers TradeBill(): over 30 s (the default
  // bound) for a million rows on a loaded 2-core machine.
  config.timeouts.total = std::chrono::minutes(5);
  CurlTransportOptions transport_options;
  transport_options.ca_file = config.ca_file;
  transport_options.timeout = std::chrono::minutes(5);
  auto const curl = MakeCurlTransport(transport_options);
  std::string gzip;
  ClientOptions capture_options;
  capture_options.transport = std::make_shared<CapturingTransport>(curl, gzip);
  capture_options.retry.max_retries = 0;
  ClientOptions options;
  options.transport = curl;
  options.retry.max_retries = 0;
  auto const capture_client = Must(NativePayClient::Create(config, capture_options), "client");
  auto const client = Must(NativePayClient::Create(config, options), "client");
  TradeBillRequest request;
  request.bill_date = date;
  request.tar_type = "GZIP";

  // The download and parse; returns (thread CPU ns, wall ns).
  auto const download = [&](NativePayClient const& c, bool measure_rss) {
    auto const info = Must(c.TradeBill(request), "TradeBill (the sandbox builds the bill)");
    std::int64_t count = 0;
    TradeBillReader reader([&count](TradeBillRow&& row) {
      count += row.order_total_fen > 0 ? 1 : 0;
      return Status();
    });
    long rss_start = 0;
    if (measure_rss) {
      result.peak_reset = ResetPeakRss();
      rss_start = StatusKib("VmRSS:");
    }
    auto const cpu = ThreadCpuNanos();
    auto const wall = WallNanos();
    auto const downloaded =
        Must(c.DownloadBill(info, [&reader](std::string_view bytes) { return reader.Feed(bytes); }),
             "DownloadBill");
    auto const summary = Must(reader.Finish(), "TradeBillReader::Finish");
    auto const cpu_ns = ThreadCpuNanos() - cpu;
    auto const wall_ns = WallNanos() - wall;
    if (measure_rss) {
      result.rss_start_kib = rss_start;
      result.peak_growth_kib = std::max(result.peak_growth_kib, StatusKib("VmHWM:") - rss_start);
    }
    if (summary.row_count != rows || count != rows) Die("the bill does not hold every row");
    result.bill_bytes = downloaded.bill_bytes;
    return std::make_pair(cpu_ns, wall_ns);
  };

  // Unmeasured: keeps the gzip bytes for the floor (and warms the connection and the caches).
  auto const info_for_floor = Must(capture_client.TradeBill(request), "TradeBill");
  {
    TradeBillReader reader(nullptr);
    Must(capture_client.DownloadBill(
             info_for_floor, [&reader](std::string_view bytes) { return reader.Feed(bytes); }),
         "DownloadBill (capture)");
    Must(reader.Finish(), "TradeBillReader::Finish (capture)");
  }
  result.gzip_bytes = gzip.size();

  std::vector<double> ours, floor, ratio, wall;
  for (int i = 0; i < runs; ++i) {
    auto const [cpu_ns, wall_ns] = download(client, true);
    auto const start = ThreadCpuNanos();
    std::uint64_t const inflated = InflateAndSha1(gzip, info_for_floor.hash_value);
    auto const floor_ns = ThreadCpuNanos() - start;
    double const mb = static_cast<double>(result.bill_bytes) / 1e6;
    ours.push_back(mb / (static_cast<double>(cpu_ns) / 1e9));
    wall.push_back(mb / (static_cast<double>(wall_ns) / 1e9));
    floor.push_back(static_cast<double>(inflated) / 1e6 / (static_cast<double>(floor_ns) / 1e9));
    ratio.push_back(ours.back() / floor.back());
  }
  auto const fill = [](double(&out)[3], Spread s) {
    out[0] = s.min;
    out[1] = s.median;
    out[2] = s.max;
  };
  fill(result.ours_mb_s, Of(ours));
  fill(result.floor_mb_s, Of(floor));
  fill(result.ratio, Of(ratio));
  result.ours_wall_mb_s = Median(wall);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result;
}

}  // namespace wechatpay::bench
