// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// One include for every test: Catch2 v2 (Debian 12) or v3 (vcpkg, Conan). Tests use only the
// subset common to both (TEST_CASE, SECTION, REQUIRE, CHECK, *_THROWS_AS, INFO, CAPTURE).
#if defined(WECHATPAY_CATCH2_V2)
#include <catch2/catch.hpp>
#else
#include <catch2/catch_test_macros.hpp>
#endif
