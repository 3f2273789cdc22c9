// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file wechatpay.hpp
/// Umbrella header: everything a host application uses. The optional QR library has its own
/// header, <wechatpay/qr.hpp> (link wechatpay::qr), so it is not included here.

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/channel/gateway.hpp"
#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/channel/request_event.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/http/curl_stats.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/notify/answer.hpp"
#include "wechatpay/notify/checks.hpp"
#include "wechatpay/notify/deduplicator.hpp"
#include "wechatpay/notify/handler.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/credentials.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/protocol/validation.hpp"
#include "wechatpay/status.hpp"
#include "wechatpay/status_or.hpp"
#include "wechatpay/version.hpp"
