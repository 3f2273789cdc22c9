// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Duplicate member names in a JSON object. RFC 8259 leaves their meaning open: the SDK's
// readers take the first value, while other tools (jq, JavaScript, Python) take the last, so an
// answer with a duplicated name means one thing to the SDK and another to whatever reads its
// raw JSON. Objects the SDK maps are refused when a name occurs twice (JsonObjectReader does it
// for every object it reads; the gateway's unwrapping for its two envelopes).

#include <rapidjson/document.h>

#include <optional>
#include <string_view>

namespace wechatpay::internal {

/// The first member name of `object` that occurs more than once, or nullopt (also when
/// `object` is not an object). Linear for the usual small objects, sorted for large ones.
std::optional<std::string_view> DuplicateMemberName(rapidjson::Value const& object);

}  // namespace wechatpay::internal
