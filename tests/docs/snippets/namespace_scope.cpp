// Context of a block that defines functions: the block is the whole file after the includes.
#include <chrono>
#include <string>

#include <wechatpay/wechatpay.hpp>

// SNIPPET
