// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file wechatpay.hpp
/// Umbrella header: everything a host application uses.

#include "wechatpay/channel.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/credentials.hpp"
#include "wechatpay/crypto.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/signing.hpp"
#include "wechatpay/status.hpp"
#include "wechatpay/status_or.hpp"
#include "wechatpay/validation.hpp"
#include "wechatpay/version.hpp"
