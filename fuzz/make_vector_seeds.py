#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes those fuzz/corpus/ seeds that come from tests/data (the official vectors and keys)
and a few hand-written shapes, in the input format of each target (see the comment at the top
of each fuzz/<target>.cpp). The sandbox's traffic is captured by capture_seeds.cpp.

    python3 fuzz/make_vector_seeds.py        # rewrites fuzz/corpus/*/vector-*
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (folder / ("vector-" + name)).write_bytes(data)


def message(start, headers, body):
    lines = [start] + ["%s: %s" % (k, v) for k, v in headers.items()]
    return "\n".join(lines) + "\n\n" + body


def main():
    vectors = json.loads((DATA / "official.json").read_text(encoding="utf-8"))

    # The official notification (Go SDK): verifies at its own instant.
    notify = vectors["verify"][0]
    body = (DATA / notify["body_file"]).read_text(encoding="utf-8")
    signed = message(str(notify["now"]), notify["headers"], body)
    write("signature_verify", "go-notify", signed)
    write("notification_parse", "go-notify", signed)
    write("notification_parse", "go-notify-stale", message("1700000000", notify["headers"], body))
    probe = dict(notify["headers"], **{"Wechatpay-Signature": "WECHATPAY/SIGNTEST/AAAA"})
    write("notification_parse", "go-notify-signtest", message(str(notify["now"]), probe, body))
    write("notification_signed", "go-notify-body", b"\x00" + body.encode("utf-8"))
    plaintext = notify["decrypt"]["plaintext"]
    write("notification_signed", "go-notify-plaintext", b"\x09" + plaintext.encode("utf-8"))
    write("json_models", "go-notify-plaintext", plaintext)
    write("json_models", "go-notify-envelope", body)

    # The signing guide's request (mchid 1900007291), as the sandbox receives it.
    request = next(v for v in vectors["sign"] if v["id"] == "official-jsapi-prepay")
    authorization = (
        'WECHATPAY2-SHA256-RSA2048 mchid="%s",nonce_str="%s",timestamp="%s",serial_no="%s",'
        'signature="%s"' % (request["mchid"], request["nonce"], request["timestamp"],
                            request["serial_no"], request["signature"]))
    headers = {"Authorization": authorization, "Accept": "application/json",
               "User-Agent": "fuzz", "Content-Type": "application/json"}
    write("sandbox_auth", "official-jsapi-prepay",
          message("%s %s" % (request["method"], request["url"]), headers, request["body"]))

    # AEAD_AES_256_GCM: line 1 nonce, line 2 associated data, then the Base64 ciphertext.
    for aead in vectors["aes_256_gcm"]:
        write("crypto_decode", aead["id"],
              "%s\n%s\n%s" % (aead["nonce"], aead["associated_data"], aead["ciphertext"]))
    oaep = vectors["rsa_oaep"][0]
    write("crypto_decode", oaep["id"], "\n\n" + oaep["ciphertext"])
    for sign in vectors["sign"]:
        write("crypto_decode", "base64-" + sign["id"], sign["signature"])

    # Every key and certificate, and a chain of two blocks.
    keys = sorted((DATA / "keys").glob("*.pem"))
    for key in keys:
        write("pem_load", key.stem, key.read_bytes())
    write("pem_load", "two-blocks",
          (DATA / "keys" / "go_test_cert_D7CE59D1F522D701.pem").read_bytes() +
          (DATA / "keys" / "go_test_private_key.pem").read_bytes())

    # A configuration file with every key (docs/cli.md), and the smallest one.
    config = {
        "_comment": "fuzz seed",
        "appId": "wxd678efh567hg6787",
        "merchantId": "1900007291",
        "apiV3Key": "fuzzApiV3Key0123456789abcdefABCD",
        "merchantSerialNumber": "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",
        "privateKey": "keys/apiclient_key.pem",
        "wxPayPublicKey": (DATA / "keys" / "go_test_public_key.pem").read_text(),
        "wxPayPublicKeyId": "PUB_KEY_ID_0114232134912410000000000000",
        "notifyUrl": "https://merchant.example.com/notify",
        "allowHttpNotifyUrl": False,
        "baseUrl": "https://api.mch.weixin.qq.com",
        "caFile": "/etc/ssl/certs/ca-certificates.crt",
        "connectTimeoutMs": 5000,
        "timeoutMs": 30000,
        "gateway": {"envId": "env-1", "functionName": "pay-common",
                    "accessToken": "token", "url": "https://env-1.api.tcloudbasegateway.com"},
    }
    write("config_load", "full", json.dumps(config, indent=2))
    write("config_load", "minimal", '{"merchantId":"1900007291"}')

    # The CloudBase gateway's answer shapes (gateway_unwrap.hpp).
    shapes = {
        "success": ("HTTP 200", {"X-Request-Id": "gw-1"},
                    '{"code":0,"msg":"success","data":{"status":200,"data":{"code_url":'
                    '"weixin://wxpay/bizpayurl?pr=abc"}}}'),
        "close-204": ("HTTP 200", {}, '{"code":0,"msg":"success","data":{"status":204}}'),
        "wechat-error": ("HTTP 200", {},
                         '{"code":0,"msg":"success","data":{"status":404,"error":"{\\"code\\":'
                         '\\"ORDER_NOT_EXIST\\",\\"message\\":\\"订单不存在\\"}","errRaw":'
                         '{"status":404,"response":{"text":"{}","header":{"request-id":"r-1"}}}}}'),
        "network-failure": ("HTTP 200", {},
                            '{"code":0,"msg":"success","data":{"errRaw":{"code":"ECONNRESET"}}}'),
        "pay-common-failure": ("HTTP 400", {}, '{"code":-1,"msg":"out_trade_no 不能为空",'
                               '"data":null}'),
        "token-expired": ("HTTP 401", {"X-Request-Id": "gw-2"},
                          '{"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"gw-2"}'),
        "rate-limited": ("HTTP 429", {"Retry-After": "2"}, '{"code":"TOO_MANY_REQUESTS"}'),
    }
    for name, (start, headers, text) in shapes.items():
        write("gateway_unwrap", name, message(start, headers, text))

    # json_roundtrip reads FuzzedDataProvider bytes: any bytes are a valid input.
    write("json_roundtrip", "empty", b"")
    write("json_roundtrip", "prepay", bytes(range(0, 256, 3)))
    write("json_roundtrip", "refund", bytes([1]) + bytes(range(255, 0, -2)))


if __name__ == "__main__":
    main()
