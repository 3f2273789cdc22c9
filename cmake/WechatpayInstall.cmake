# The installed package: wechatpayConfig.cmake (+ version file, SameMajorVersion), the exported
# targets under the wechatpay:: namespace, and a relocatable pkg-config file.
include(CMakePackageConfigHelpers)

set(WECHATPAY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wechatpay)

install(EXPORT wechatpayTargets NAMESPACE wechatpay:: DESTINATION ${WECHATPAY_CMAKE_DIR})

# Optional components, each with its own targets file and a file that finds what a static build
# of it needs: qr (libqrencode, libpng), ledger (SQLite3, libpq), sandbox (cpp-httplib, via the same shim as the build)
# and testing (nothing beyond the core library).
get_property(WECHATPAY_INSTALLED_COMPONENTS GLOBAL PROPERTY WECHATPAY_INSTALLED_COMPONENTS)
if("qr" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  install(EXPORT wechatpayQrTargets NAMESPACE wechatpay:: FILE wechatpay-qr-targets.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/wechatpay-qr-dependencies.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
endif()
if("ledger" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  install(EXPORT wechatpayLedgerTargets NAMESPACE wechatpay:: FILE wechatpay-ledger-targets.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
  # Generated: it finds libpq only when the PostgreSQL store was compiled in.
  configure_file(${PROJECT_SOURCE_DIR}/cmake/wechatpay-ledger-dependencies.cmake.in
                 ${PROJECT_BINARY_DIR}/wechatpay-ledger-dependencies.cmake @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/wechatpay-ledger-dependencies.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
endif()
if("sandbox" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  install(EXPORT wechatpaySandboxTargets NAMESPACE wechatpay:: FILE wechatpay-sandbox-targets.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/wechatpay-sandbox-dependencies.cmake
                ${PROJECT_SOURCE_DIR}/cmake/FindHttplibShim.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
endif()
if("testing" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  install(EXPORT wechatpayTestingTargets NAMESPACE wechatpay:: FILE wechatpay-testing-targets.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/wechatpay-testing-dependencies.cmake
          DESTINATION ${WECHATPAY_CMAKE_DIR})
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wechatpayConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/wechatpayConfig.cmake
                              INSTALL_DESTINATION ${WECHATPAY_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wechatpayConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wechatpayConfig.cmake
              ${PROJECT_BINARY_DIR}/wechatpayConfigVersion.cmake
        DESTINATION ${WECHATPAY_CMAKE_DIR})

# pkg-config: a shared library records its own dependencies; a static one needs them on the link
# line, so a static build lists them in Libs, and a plain `pkg-config --libs wechatpay` works for
# both. (Requires.private would pull in the static dependencies of libcurl itself.)
set(WECHATPAY_PC_PRIVATE_DEPS "-lcurl -lssl -lcrypto -lz -lpthread")
if(BUILD_SHARED_LIBS)
  set(WECHATPAY_PC_STATIC_DEPS "")
  set(WECHATPAY_PC_CFLAGS "")
else()
  set(WECHATPAY_PC_STATIC_DEPS " ${WECHATPAY_PC_PRIVATE_DEPS}")
  set(WECHATPAY_PC_CFLAGS " -DWECHATPAY_STATIC_DEFINE")
endif()
# The prefix is found relative to the .pc file, so the installed tree can be moved anywhere.
file(RELATIVE_PATH WECHATPAY_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/wechatpay.pc.in ${PROJECT_BINARY_DIR}/wechatpay.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/wechatpay.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# The ledger component has a .pc file of its own, on top of wechatpay.pc; a static build lists
# SQLite (and libpq) on its Libs line, like wechatpay.pc does with curl and OpenSSL.
if("ledger" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  set(WECHATPAY_LEDGER_PC_PRIVATE_DEPS "-lsqlite3")
  if(WECHATPAY_LEDGER_POSTGRES)
    string(APPEND WECHATPAY_LEDGER_PC_PRIVATE_DEPS " -lpq")
  endif()
  if(BUILD_SHARED_LIBS)
    set(WECHATPAY_LEDGER_PC_STATIC_DEPS "")
    set(WECHATPAY_LEDGER_PC_CFLAGS "")
  else()
    set(WECHATPAY_LEDGER_PC_STATIC_DEPS " ${WECHATPAY_LEDGER_PC_PRIVATE_DEPS}")
    set(WECHATPAY_LEDGER_PC_CFLAGS " -DWECHATPAY_LEDGER_STATIC_DEFINE")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/wechatpay-ledger.pc.in
                 ${PROJECT_BINARY_DIR}/wechatpay-ledger.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/wechatpay-ledger.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
# The testing component has a .pc file of its own, on top of wechatpay.pc.
if("testing" IN_LIST WECHATPAY_INSTALLED_COMPONENTS)
  if(BUILD_SHARED_LIBS)
    set(WECHATPAY_TESTING_PC_CFLAGS "")
  else()
    set(WECHATPAY_TESTING_PC_CFLAGS " -DWECHATPAY_TESTING_STATIC_DEFINE")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/wechatpay-testing.pc.in
                 ${PROJECT_BINARY_DIR}/wechatpay-testing.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/wechatpay-testing.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
