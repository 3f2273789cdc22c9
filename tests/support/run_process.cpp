// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/run_process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

#include "common/signals.hpp"

extern char** environ;

namespace wechatpay::testing {
namespace {

void ReadBoth(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      auto n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else {
        (i == 0 ? out : err).append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
}

}  // namespace

namespace {

// `input`: the child's stdin, or nullptr to leave it the test's own.
ProcessResult Run(std::string const& program, std::vector<std::string> const& args,
                  std::string const* input, std::map<std::string, std::string> const& env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto name = entry.substr(0, entry.find('='));
    if (name.rfind("WECHATPAY_", 0) == 0 || env.count(name) != 0) continue;
    env_strings.push_back(entry);
  }
  for (auto const& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  int in_pipe[2] = {-1, -1};
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  if (input != nullptr && pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (input != nullptr) {
      dup2(in_pipe[0], STDIN_FILENO);
      close(in_pipe[0]);
      close(in_pipe[1]);
    }
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Written by a thread while the output is read, so that neither side can fill a pipe and wait
  // for the other. SIGPIPE, blocked in this thread only (write() raises it in the writing
  // thread): a child that stops reading early must not kill the test; write() fails instead.
  std::thread writer;
  if (input != nullptr) {
    close(in_pipe[0]);
    writer = std::thread([fd = in_pipe[1], input] {
      internal::BlockSignals({SIGPIPE});
      std::size_t written = 0;
      while (written < input->size()) {
        auto n = write(fd, input->data() + written, input->size() - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
      }
      close(fd);
    });
  }
  ProcessResult result;
  ReadBoth(out_pipe[0], err_pipe[0], result.out, result.err);
  if (writer.joinable()) writer.join();
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

ProcessResult RunProcess(std::string const& program, std::vector<std::string> const& args,
                         std::map<std::string, std::string> const& env) {
  return Run(program, args, nullptr, env);
}

ProcessResult RunProcessWithInput(std::string const& program, std::vector<std::string> const& args,
                                  std::string const& input,
                                  std::map<std::string, std::string> const& env) {
  return Run(program, args, &input, env);
}

ProcessResult RunCli(std::vector<std::string> const& args,
                     std::map<std::string, std::string> const& env) {
  return RunProcess(WECHATPAY_CLI_PATH, args, env);
}

}  // namespace wechatpay::testing
