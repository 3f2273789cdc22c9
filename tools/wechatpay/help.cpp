// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Renders the help table (help_table.cpp): the same entry gives `COMMAND --help` and
// `help COMMAND`.

#include "help.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "cli.hpp"

namespace wechatpay::cli {
namespace {

constexpr std::size_t kWidth = 100;        // wrap column of the explanations
constexpr std::size_t kOptionColumn = 30;  // where an option's explanation starts

// `text` wrapped at kWidth, every line but the first indented by `indent` columns; `column` is
// where the first line starts.
std::string Wrap(std::string_view text, std::size_t indent, std::size_t column) {
  std::string out;
  std::size_t position = column;
  std::istringstream words{std::string(text)};
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && position + 1 + word.size() > kWidth) {
      out += "\n" + std::string(indent, ' ');
      position = indent;
    } else if (!first) {
      out += ' ';
      ++position;
    }
    out += word;
    position += word.size();
    first = false;
  }
  return out;
}

std::string OptionLabel(OptionHelp const& option) {
  std::string label = std::string("--") + option.name;
  if (*option.value != '\0') label += std::string(" ") + option.value;
  return label;
}

// "  LABEL   explanation", the explanation wrapped and aligned at kOptionColumn.
std::string Row(std::string const& label, std::string_view text) {
  std::string line = "  " + label;
  if (line.size() + 2 > kOptionColumn) {
    line += "\n" + std::string(kOptionColumn, ' ');
  } else {
    line += std::string(kOptionColumn - line.size(), ' ');
  }
  return line + Wrap(text, kOptionColumn, kOptionColumn) + "\n";
}

// The subcommands of `name`: the entries named "NAME WORD".
std::vector<CommandHelp const*> Subcommands(std::string_view name) {
  std::vector<CommandHelp const*> out;
  std::string const prefix = std::string(name) + " ";
  for (auto const& entry : CommandHelpTable()) {
    if (std::string_view(entry.name).rfind(prefix, 0) == 0) out.push_back(&entry);
  }
  return out;
}

std::string Paragraphs(std::string_view text) {
  // A blank line ("\n\n") separates paragraphs; each is wrapped on its own.
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (!out.empty()) out += "\n";
    out += Wrap(text.substr(start, end - start), 0, 0) + "\n";
    start = end + 2;
  }
  return out;
}

}  // namespace

CommandHelp const* FindCommandHelp(std::string_view name) {
  for (auto const& entry : CommandHelpTable()) {
    if (name == entry.name) return &entry;
  }
  return nullptr;
}

std::string RenderCommandHelp(CommandHelp const& entry) {
  std::string out = std::string("usage: wechatpay [GLOBAL OPTIONS] ") + entry.synopsis + "\n\n";
  // The summary is written for the command list ("create a Native order ..."): a sentence here.
  std::string summary = entry.summary;
  if (!summary.empty()) summary[0] = static_cast<char>(std::toupper(summary[0]));
  out += Paragraphs(summary + ".");
  if (*entry.details != '\0') out += "\n" + Paragraphs(entry.details);
  if (!entry.options.empty()) {
    out += "\nOptions:\n";
    for (auto const& option : entry.options) out += Row(OptionLabel(option), option.text);
  }
  auto const subcommands = Subcommands(entry.name);
  if (!subcommands.empty()) {
    out += "\nSubcommands:\n";
    for (auto const* sub : subcommands) {
      out +=
          Row(std::string(sub->name).substr(std::string_view(entry.name).size() + 1), sub->summary);
    }
    out += std::string("\nRun 'wechatpay help ") + entry.name +
           " SUBCOMMAND' for a subcommand's options.\n";
  }
  out += "\n" + Paragraphs(
                    "Global options (any command): --config FILE, --timeout SECONDS, --proxy URL, "
                    "--verbose, --json-errors; see 'wechatpay help'.");
  out += std::string("\nExample:\n  ") + entry.example + "\n";
  return out;
}

std::string RenderOverview(std::vector<std::string_view> const& names) {
  auto const* self = FindCommandHelp("");
  std::string out = std::string("usage: wechatpay [GLOBAL OPTIONS] COMMAND [OPTIONS]\n\n") +
                    Paragraphs(std::string(self->summary) + ". This is wechatpay-cpp " +
                               std::string(VersionString()) + ", documented in docs/cli.md.") +
                    "\nCommands:\n";
  for (auto name : names) {
    auto const* entry = FindCommandHelp(name);
    out += Row(std::string(name), entry != nullptr ? entry->summary : "");
  }
  out += "\nGlobal options (before or after the command):\n";
  for (auto const& option : self->options) out += Row(OptionLabel(option), option.text);
  out += "\n" + Paragraphs(self->details);
  out += std::string("\nExample:\n  ") + self->example + "\n";
  return out;
}

bool HelpRequested(std::vector<std::string> const& argv) {
  return std::any_of(argv.begin(), argv.end(),
                     [](std::string const& arg) { return arg == "--help" || arg == "-h"; });
}

std::vector<std::string> HelpMismatches(CommandSpec const& spec) {
  std::set<std::string> accepted(spec.value_options.begin(), spec.value_options.end());
  accepted.insert(spec.flag_options.begin(), spec.flag_options.end());
  std::set<std::string> const values(spec.value_options.begin(), spec.value_options.end());
  std::set<std::string> explained;
  std::vector<std::string> out;
  if (auto const* entry = FindCommandHelp(spec.name)) {
    for (auto const& option : entry->options) {
      explained.insert(option.name);
      bool const explained_as_value = *option.value != '\0';
      if (accepted.count(option.name) != 0 &&
          explained_as_value != (values.count(option.name) != 0)) {
        out.push_back(std::string("--") + option.name +
                      (explained_as_value ? " is explained with a value but is a flag"
                                          : " is explained as a flag but takes a value"));
      }
    }
  }
  for (auto const& name : accepted) {
    if (explained.count(name) == 0) out.push_back("--" + name + " is accepted but not explained");
  }
  for (auto const& name : explained) {
    if (accepted.count(name) == 0) out.push_back("--" + name + " is explained but not accepted");
  }
  return out;
}

}  // namespace wechatpay::cli
