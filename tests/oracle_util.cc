#include "tests/oracle_util.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace camlsym::testing {

CommandResult Run(const std::string& command) {
  CommandResult r{"", -1};
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

std::string MakeTempDir(std::string_view name) {
  const char* t = std::getenv("TEST_TMPDIR");
  std::string dir = fmt::format("{}/{}", t != nullptr ? t : "/tmp", name);
  Run(fmt::format("rm -rf {0} && mkdir -p {0}", ShellQuote(dir)));
  return dir;
}

bool WriteFile(const std::string& path, std::string_view contents) {
  std::ofstream f(path, std::ios::binary);
  f.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  return static_cast<bool>(f);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string HostStdlibDir() {
  std::string out = Run("ocamlopt -where").out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

}  // namespace camlsym::testing
