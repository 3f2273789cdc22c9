// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The help of the `wechatpay` tool, produced from one table (help_table.cpp) so that
// `wechatpay COMMAND --help`, `wechatpay help COMMAND` and the command list of `wechatpay help`
// can never say different things. A command added to main.cpp gets an entry in the table; the
// CLI's help test walks every command listed and fails for one without.

#include <string>
#include <string_view>
#include <vector>

namespace wechatpay::cli {

struct CommandSpec;

/// One option of a command, as its --help explains it.
struct OptionHelp {
  char const* name;   // without the leading "--"
  char const* value;  // the value's placeholder ("FEN", "SECONDS"); "" for a flag
  char const* text;   // what it does, its unit, range and default
};

/// One command or subcommand ("ledger list") of the tool.
struct CommandHelp {
  char const* name;      // as typed after `wechatpay`: "order", "ledger list"
  char const* summary;   // one line, for the command list
  char const* synopsis;  // the usage line after "wechatpay [GLOBAL OPTIONS] "
  char const* details;   // what it does and prints, its exit codes ("" when the summary says all)
  std::vector<OptionHelp> options;  // every option its parser accepts, globals excepted
  char const* example;              // one complete command line
};

/// Every entry, commands before their subcommands.
std::vector<CommandHelp> const& CommandHelpTable();

/// The entry named `name` ("order", "ledger list"), or nullptr.
CommandHelp const* FindCommandHelp(std::string_view name);

/// The help text of `entry`: usage, description, options, subcommands, global options and the
/// example, as `wechatpay NAME --help` and `wechatpay help NAME` print it.
std::string RenderCommandHelp(CommandHelp const& entry);

/// The text of `wechatpay --help` and `wechatpay help`: the commands `names` (those this build
/// dispatches, in that order) with their summaries, the global options and the exit codes.
std::string RenderOverview(std::vector<std::string_view> const& names);

/// True when `argv` asks for help (`--help` or `-h`).
bool HelpRequested(std::vector<std::string> const& argv);

/// Where the table's entry for `spec.name` and `spec` (what the parser accepts) disagree, one
/// sentence each: an option accepted but not explained, explained but not accepted, or a value
/// option explained as a flag (or the reverse); empty when they agree. Without an entry every
/// option of `spec` is unexplained.
std::vector<std::string> HelpMismatches(CommandSpec const& spec);

}  // namespace wechatpay::cli
