# Dependencies of the installed wechatpay::testing component: only wechatpay::wechatpay itself
# (loaded by wechatpayConfig.cmake before the components) and threads.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
