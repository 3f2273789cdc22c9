// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file wechatpay.hpp
/// Umbrella header: everything a host application uses. The optional QR library has its own
/// header, <wechatpay/qr.hpp> (link wechatpay::qr), so it is not included here.

#include "wechatpay/channel.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/credentials.hpp"
#include "wechatpay/crypto.hpp"
#include "wechatpay/gateway.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/notification.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/signing.hpp"
#include "wechatpay/status.hpp"
#include "wechatpay/status_or.hpp"
#include "wechatpay/validation.hpp"
#include "wechatpay/version.hpp"
