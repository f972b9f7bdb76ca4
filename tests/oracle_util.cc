#include "camlsym/tests/oracle_util.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace camlsym::testing {

CommandResult RunShell(const std::string& command) {
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
  RunShell(fmt::format("rm -rf {0} && mkdir -p {0}", ShellQuote(dir)));
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

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Decodes the C-style string literal of a `.ascii` directive.
void AppendAscii(std::string_view lit, std::string& out) {
  size_t i = lit.find('"');
  if (i == std::string_view::npos) return;
  for (++i; i < lit.size() && lit[i] != '"'; ++i) {
    if (lit[i] != '\\') {
      out += lit[i];
      continue;
    }
    ++i;
    if (i >= lit.size()) break;
    char c = lit[i];
    if (c >= '0' && c <= '7') {
      int v = 0;
      for (int k = 0; k < 3 && i < lit.size() && lit[i] >= '0' && lit[i] <= '7';
           ++k, ++i) {
        v = v * 8 + (lit[i] - '0');
      }
      --i;
      out += static_cast<char>(v);
    } else if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else {
      out += c;
    }
  }
}

void AppendInts(std::string_view operands, int size, std::string& out) {
  std::istringstream in{std::string(operands)};
  std::string tok;
  while (std::getline(in, tok, ',')) {
    uint64_t v = static_cast<uint64_t>(std::stoll(Trim(tok), nullptr, 0));
    for (int b = 0; b < size; ++b) out += static_cast<char>(v >> (8 * b));
  }
}

}  // namespace

std::string AsmDataAfterLabel(const std::string& asm_text,
                              std::string_view label) {
  std::string out;
  std::istringstream in(asm_text);
  std::string line;
  const std::string want = std::string(label) + ":";
  bool on = false;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (!on) {
      on = t == want;
      continue;
    }
    auto directive = [&](std::string_view d) {
      return t.rfind(d, 0) == 0 && t.size() > d.size() &&
             (t[d.size()] == ' ' || t[d.size()] == '\t');
    };
    if (directive(".ascii")) {
      AppendAscii(std::string_view(t).substr(6), out);
    } else if (directive(".byte")) {
      AppendInts(std::string_view(t).substr(5), 1, out);
    } else if (directive(".word") || directive(".short")) {
      AppendInts(std::string_view(t).substr(t.find_first_of(" \t")), 2, out);
    } else if (directive(".long")) {
      AppendInts(std::string_view(t).substr(5), 4, out);
    } else if (directive(".quad")) {
      AppendInts(std::string_view(t).substr(5), 8, out);
    } else if (directive(".space")) {
      out.append(static_cast<size_t>(std::stoll(Trim(t.substr(6)))), '\0');
    } else {
      break;
    }
  }
  return out;
}

std::string AsmOcamlString(const std::string& asm_text,
                           std::string_view label) {
  std::string bytes = AsmDataAfterLabel(asm_text, label);
  if (bytes.empty()) return bytes;
  size_t pad = static_cast<unsigned char>(bytes.back());
  if (pad + 1 > bytes.size()) return "";
  bytes.resize(bytes.size() - 1 - pad);
  return bytes;
}

std::string HostStdlibDir() {
  std::string out = RunShell("ocamlopt -where").out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

std::string CacheDir() {
  if (const char* cache = std::getenv("CAMLSYM_CACHE");
      cache != nullptr && *cache != '\0') {
    return cache;
  }
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.cache/camlsym", home != nullptr ? home : "/root");
}

std::string Ocaml5Tree::Tool(std::string_view tool) const {
  return fmt::format("{}/bin/{}", root, tool);
}

std::optional<Ocaml5Tree> FindOcaml5Tree(std::string_view suite,
                                         std::string_view arch,
                                         std::string& why_missing) {
  Ocaml5Tree t;
  t.suite = std::string(suite);
  t.arch = std::string(arch);
  t.root = fmt::format("{}/ocaml5/{}/{}", CacheDir(), suite, arch);
  const std::string env = ReadFile(t.root + "/oracle.env");
  for (size_t at = 0; at < env.size();) {
    size_t end = env.find('\n', at);
    if (end == std::string::npos) end = env.size();
    const std::string line = env.substr(at, end - at);
    at = end + 1;
    if (line.rfind("VERSION=", 0) == 0) t.version = line.substr(8);
    if (line.rfind("STDLIB=", 0) == 0) t.stdlib = line.substr(7);
    if (line.rfind("CCOPTS=", 0) == 0) {
      t.ccopts = line.substr(7);
      if (t.ccopts.size() >= 2 && t.ccopts.front() == '"' &&
          t.ccopts.back() == '"') {
        t.ccopts = t.ccopts.substr(1, t.ccopts.size() - 2);
      }
    }
  }
  if (t.version.empty() || t.stdlib.empty()) {
    why_missing = fmt::format(
        "{}/oracle.env is missing or incomplete: run scripts/install-ocaml5.sh "
        "(Debian's OCaml 5.x for {} {})",
        t.root, suite, arch);
    return std::nullopt;
  }
  return t;
}

}  // namespace camlsym::testing
