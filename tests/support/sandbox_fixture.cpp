// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/sandbox_fixture.hpp"
#include "common/nonce.hpp"

#include <curl/curl.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace wechatpay::testing {
namespace {

// The identity every fixture copies: generated once, by starting a sandbox on the folder.
std::string const& TemplateStateDir() {
  static TempDir dir;  // removed when the test process exits
  static bool const generated = [] {
    sandbox::Sandbox::Options options;
    options.state_dir = dir.path();
    sandbox::Sandbox generator(options);
    auto status = generator.Start();
    if (!status.ok()) throw std::runtime_error("sandbox template: " + status.ToString());
    generator.Stop();
    return true;
  }();
  (void)generated;
  return dir.path();
}

void CopyIdentity(std::string const& to) {
  namespace fs = std::filesystem;
  for (auto const& entry : fs::directory_iterator(TemplateStateDir())) {
    auto const name = entry.path().filename().string();
    // The identity, keys and certificates only: orders and tokens start empty, and each
    // fixture listens on a port of its own (a recorded one would be reused by every fixture,
    // meeting connections that libcurl kept open to an earlier one).
    if (name == "state.json" || name == "tokens.json" || name == "port" ||
        name == "written_configs") {
      continue;
    }
    fs::copy_file(entry.path(), fs::path(to) / name, fs::copy_options::overwrite_existing);
  }
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto* headers = static_cast<HttpHeaders*>(user);
  if (line.rfind("HTTP/", 0) == 0) {
    *headers = HttpHeaders();
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    headers->Add(line.substr(0, colon), value);
  }
  return size * count;
}

}  // namespace

SandboxFixture::SandboxFixture(double time_scale, bool plain_http,
                               std::function<void(sandbox::Sandbox::Options&)> const& adjust) {
  CopyIdentity(dir_.path());
  sandbox::Sandbox::Options options;
  options.state_dir = dir_.path();
  options.time_scale = time_scale;
  options.plain_http = plain_http;
  options.keep_alive_timeout = std::chrono::seconds(1);
  if (adjust) adjust(options);
  sandbox_ = std::make_unique<sandbox::Sandbox>(options);
  auto status = sandbox_->Start();
  if (!status.ok()) throw std::runtime_error("sandbox: " + status.ToString());
}

SandboxFixture::~SandboxFixture() { sandbox_->Stop(); }

NativePayClient SandboxFixture::Client(ClientOptions options) const {
  if (!options.sleep) options.sleep = [](std::chrono::milliseconds) {};
  return NativePayClient::Create(Config(), std::move(options)).value();
}

std::string SandboxFixture::Order(NativePayClient const& client, std::string const& out_trade_no,
                                  std::int64_t total) const {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "沙箱测试-可乐";
  request.amount.total = total;
  return client.NativePrepay(request).value().code_url;
}

RawResponse RawRequest(std::string const& method, std::string const& url,
                       std::vector<std::string> const& headers, std::string const& body,
                       std::string const& ca_file) {
  GlobalInit();
  RawResponse response;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_slist* list = nullptr;
  for (auto const& header : headers) list = curl_slist_append(list, header.c_str());
  // libcurl adds "Expect: 100-continue" to larger POSTs; WeChat clients do not.
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  // An empty body is sent without Content-Length, as `curl -X POST URL` does.
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, static_cast<void*>(&response.body));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, static_cast<void*>(&response.headers));
  CURLcode const result = curl_easy_perform(curl);
  if (result == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
  } else {
    response.error = curl_easy_strerror(result);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return response;
}

std::string SandboxAuthorization(sandbox::Identity const& identity, std::string const& method,
                                 std::string const& target, std::string const& body,
                                 std::int64_t timestamp) {
  auto key = PrivateKey::FromPem(ReadFile(identity.merchant_private_key_file)).value();
  auto signer =
      RequestSigner::Create(identity.merchant_id, identity.merchant_serial_number, key).value();
  return signer
      .Authorization(method, target, body, timestamp != 0 ? timestamp : NowSeconds(),
                     internal::GenerateNonce())
      .value();
}

RawResponse SignedRequest(SandboxFixture const& fixture, std::string const& method,
                          std::string const& target, std::string const& body) {
  return RawRequest(
      method, fixture.BaseUrl() + target,
      {"Authorization: " + SandboxAuthorization(fixture.identity(), method, target, body),
       "Accept: application/json", "Content-Type: application/json",
       "User-Agent: sandbox-test/1.0"},
      body, fixture.identity().ca_file);
}

bool Eventually(std::function<bool()> const& condition, std::chrono::milliseconds timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int PostSandboxControl(std::string const& sandbox_url, std::string const& ca_file,
                       std::string const& path) {
  CurlTransportOptions options;
  options.ca_file = ca_file;
  HttpRequest request;
  request.method = "POST";
  request.url = sandbox_url + "/sandbox/v1/" + path;
  request.headers.Add("Content-Type", "application/json");
  request.body = "{}";
  auto answer = MakeCurlTransport(options)->Send(request);
  return answer.ok() ? answer->status_code : -1;
}

}  // namespace wechatpay::testing
