#include "camlsym/tools/ocaml_config.h"

#include <cctype>
#include <map>

#include "absl/status/status.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/tools/program_path.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

using Definitions = std::map<std::string, std::string, std::less<>>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

// `NAME = value` and `NAME ?= value` lines (continuations joined); the
// first ?= definition and the last = definition win, as make does for a
// file read once with an empty environment.
Definitions ParseDefinitions(std::string_view text) {
  Definitions defs;
  std::string line;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view part = text.substr(pos, nl - pos);
    pos = nl + 1;
    // A backslash-newline and the blanks around it are one space.
    if (!line.empty()) part = Trim(part);
    if (!part.empty() && part.back() == '\\') {
      line.append(Trim(part.substr(0, part.size() - 1)));
      line += ' ';
      continue;
    }
    line.append(part);
    std::string_view l = Trim(line);
    if (!l.empty() && l[0] != '#') {
      size_t eq = l.find('=');
      if (eq != std::string_view::npos && eq > 0) {
        bool conditional = l[eq - 1] == '?';
        bool immediate = l[eq - 1] == ':';
        std::string_view name =
            Trim(l.substr(0, eq - (conditional || immediate ? 1 : 0)));
        if (IsName(name)) {
          std::string value(Trim(l.substr(eq + 1)));
          if (!conditional || !defs.contains(name)) {
            defs.insert_or_assign(std::string(name), std::move(value));
          }
        }
      }
    }
    line.clear();
  }
  return defs;
}

bool MatchPattern(std::string_view pattern, std::string_view word) {
  size_t pct = pattern.find('%');
  if (pct == std::string_view::npos) return pattern == word;
  std::string_view pre = pattern.substr(0, pct);
  std::string_view post = pattern.substr(pct + 1);
  return word.size() >= pre.size() + post.size() && word.starts_with(pre) &&
         word.ends_with(post);
}

absl::StatusOr<std::string> Expand(std::string_view s, const Definitions& defs,
                                   int depth);

// The text between the parentheses of `$(...)` starting at \p s[open].
absl::StatusOr<size_t> MatchingClose(std::string_view s, size_t open) {
  const char o = s[open];
  const char c = o == '(' ? ')' : '}';
  int level = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == o) ++level;
    if (s[i] == c && --level == 0) return i;
  }
  return absl::InvalidArgumentError(
      fmt::format("unbalanced reference in '{}'", s));
}

absl::StatusOr<std::string> ExpandReference(std::string_view inner,
                                            const Definitions& defs,
                                            int depth) {
  if (size_t sp = inner.find(' '); sp != std::string_view::npos) {
    std::string_view function = inner.substr(0, sp);
    if (function != "filter-out") {
      return absl::InvalidArgumentError(
          fmt::format("unsupported make function $({} ...)", function));
    }
    std::string_view args = inner.substr(sp + 1);
    size_t comma = args.find(',');
    if (comma == std::string_view::npos) {
      return absl::InvalidArgumentError("$(filter-out) needs two arguments");
    }
    absl::StatusOr<std::string> patterns =
        Expand(args.substr(0, comma), defs, depth + 1);
    if (!patterns.ok()) return patterns.status();
    absl::StatusOr<std::string> text =
        Expand(args.substr(comma + 1), defs, depth + 1);
    if (!text.ok()) return text.status();
    std::vector<std::string> pats = SplitWords(*patterns);
    std::string out;
    for (const std::string& w : SplitWords(*text)) {
      bool drop = false;
      for (const std::string& p : pats) drop |= MatchPattern(p, w);
      if (drop) continue;
      if (!out.empty()) out += ' ';
      out += w;
    }
    return out;
  }
  auto it = defs.find(inner);
  if (it == defs.end()) return std::string();  // Undefined: empty, as make.
  return Expand(it->second, defs, depth + 1);
}

absl::StatusOr<std::string> Expand(std::string_view s, const Definitions& defs,
                                   int depth) {
  if (depth > 32) {
    return absl::InvalidArgumentError("recursive variable reference");
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') {
      out += s[i];
      continue;
    }
    if (i + 1 >= s.size()) break;
    const char next = s[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
    } else if (next == '(' || next == '{') {
      absl::StatusOr<size_t> close = MatchingClose(s, i + 1);
      if (!close.ok()) return close.status();
      absl::StatusOr<std::string> v =
          ExpandReference(s.substr(i + 2, *close - i - 2), defs, depth);
      if (!v.ok()) return v.status();
      out += *v;
      i = *close;
    } else {
      // $X: a one-letter variable.
      auto it = defs.find(std::string_view(&s[i + 1], 1));
      if (it != defs.end()) {
        absl::StatusOr<std::string> v = Expand(it->second, defs, depth + 1);
        if (!v.ok()) return v.status();
        out += *v;
      }
      ++i;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

absl::StatusOr<std::string> EvaluateMakeVariable(std::string_view makefile_text,
                                                 std::string_view name) {
  Definitions defs = ParseDefinitions(makefile_text);
  auto it = defs.find(name);
  if (it == defs.end()) {
    return absl::NotFoundError(fmt::format("{} is not defined", name));
  }
  absl::StatusOr<std::string> v = Expand(it->second, defs, 0);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("{}: {}", name, std::string(v.status().message())));
  }
  return v;
}

absl::StatusOr<CToolchainConfig> ReadCToolchainConfig(
    const std::string& stdlib_dir) {
  const std::string path = stdlib_dir + "/Makefile.config";
  absl::StatusOr<std::string> text =
      formats::ReadFileBounded(path, uint64_t{1} << 20);
  if (!text.ok()) {
    return absl::Status(
        text.status().code(),
        fmt::format("cannot read the C toolchain of {} ({}); pass -cc CMD",
                    stdlib_dir, std::string(text.status().message())));
  }
  // OCaml 5.x's MKEXE names $(OC_LDFLAGS), which it defines in
  // Makefile.build_config, a file it does not install; Config.mkexe was
  // expanded with it at configure time. On the ELF systems (configure.ac of
  // 5.3 and 5.4, "*-*-linux*|...") configure adds the same flags to
  // oc_ldflags as to natdynlinkopts, which the installed file keeps as
  // NATDYNLINKOPTS: `-Wl,-E`, without which a main program exports nothing
  // to Dynlink's plugins. (4.13's Makefile.config defines OC_LDFLAGS.)
  if (absl::IsNotFound(EvaluateMakeVariable(*text, "OC_LDFLAGS").status())) {
    text->append("\nOC_LDFLAGS=$(NATDYNLINKOPTS)\n");
  }
  CToolchainConfig config;
  const std::pair<std::string_view, std::vector<std::string>*> vars[] = {
      {"MKEXE", &config.mkexe},
      {"MKDLL", &config.mkdll},
      {"MKMAINDLL", &config.mkmaindll},
      {"PACKLD", &config.pack_linker},
      {"NATIVECCLIBS", &config.native_c_libraries}};
  for (const auto& [name, out] : vars) {
    absl::StatusOr<std::string> v = EvaluateMakeVariable(*text, name);
    if (!v.ok()) {
      return absl::Status(
          v.status().code(),
          fmt::format("{}: {}", path, std::string(v.status().message())));
    }
    *out = SplitWords(*v);
  }
  if (config.mkexe.empty() || config.mkdll.empty() ||
      config.pack_linker.empty()) {
    return absl::NotFoundError(
        fmt::format("{}: MKEXE, MKDLL or PACKLD is empty", path));
  }
  return config;
}

std::optional<std::string> StdlibDirBesideOcamlopt(
    const std::string& ocamlopt) {
  const size_t slash = ocamlopt.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string bin_dir = slash == 0 ? "/" : ocamlopt.substr(0, slash);
  const std::string lib_dir = bin_dir + "/../lib/ocaml";
  absl::StatusOr<std::string> text =
      formats::ReadFileBounded(lib_dir + "/Makefile.config", uint64_t{1} << 20);
  if (!text.ok()) return std::nullopt;
  absl::StatusOr<std::string> libdir = EvaluateMakeVariable(*text, "LIBDIR");
  absl::StatusOr<std::string> bindir = EvaluateMakeVariable(*text, "BINDIR");
  if (!libdir.ok() || !bindir.ok() || libdir->empty() || bindir->empty()) {
    return std::nullopt;
  }
  const std::optional<std::string> here_lib = ResolvedPath(lib_dir);
  const std::optional<std::string> here_bin = ResolvedPath(bin_dir);
  if (!here_lib || !here_bin || ResolvedPath(*libdir) != here_lib ||
      ResolvedPath(*bindir) != here_bin) {
    return std::nullopt;
  }
  return *libdir;
}

}  // namespace camlsym
