# vcpkg port of wechatpay-cpp. Release archives are tagged v<version>; update SHA512 on release.
vcpkg_from_github(
  OUT_SOURCE_PATH SOURCE_PATH
  REPO wechatpay-cpp/wechatpay-cpp
  REF "v${VERSION}"
  SHA512 0
  HEAD_REF main)

vcpkg_check_features(
  OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    qr WECHATPAY_WITH_QR
    ledger WECHATPAY_WITH_LEDGER
    postgres WECHATPAY_LEDGER_WITH_POSTGRES
    sandbox WECHATPAY_BUILD_SANDBOX
    tools WECHATPAY_BUILD_TOOLS)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DWECHATPAY_BUILD_TESTS=OFF
    -DWECHATPAY_BUILD_EXAMPLES=OFF
    -DWECHATPAY_INSTALL=ON)

vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/wechatpay)
vcpkg_fixup_pkgconfig()
if("tools" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES wechatpay AUTO_CLEAN)
endif()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
