#include "camlsym/tools/demangle_command.h"

#include <sys/types.h>

#include <cstdlib>
#include <optional>

#include "camlsym/symbols/demangle.h"
#include "camlsym/tools/json.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr std::string_view kUsage =
    "usage: camlsym demangle [--json] [SYMBOL...]\n"
    "  Demangles OCaml symbols (4.x, 5.1, 5.4 and OxCaml schemes). With no\n"
    "  SYMBOL, filters standard input like c++filt.\n"
    "  --json  one JSON object per OCaml symbol: symbol, scheme, unit, name,\n"
    "          stamp, category\n";

bool IsTokenChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.';
}

// Length of the valid UTF-8 sequence at s[i], or 0.
void AppendJsonLine(const DemangledSymbol& d, std::string& scratch,
                    std::string& out) {
  out.append("{\"symbol\": ");
  AppendJsonString(d.symbol, out);
  out.append(", \"scheme\": ");
  AppendJsonString(SchemeName(d.scheme), out);
  out.append(", \"unit\": ");
  AppendJsonString(d.unit, out);
  out.append(", \"name\": ");
  scratch.clear();
  AppendLocalName(d, scratch);
  AppendJsonString(scratch, out);
  out.append(", \"stamp\": ");
  if (d.stamp) {
    fmt::format_to(std::back_inserter(out), "{}", *d.stamp);
  } else {
    out.append("null");
  }
  out.append(", \"category\": ");
  AppendJsonString(CategoryName(d.category), out);
  out.append("}\n");
}

enum class OutputMode { kPlain, kJson };

// Rewrites one chunk of text (a line) into \p out.
void FilterText(std::string_view text, OutputMode mode, std::string& scratch,
                std::string& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsTokenChar(static_cast<unsigned char>(text[i]))) {
      std::size_t j = i;
      while (j < text.size() &&
             !IsTokenChar(static_cast<unsigned char>(text[j]))) {
        ++j;
      }
      if (mode == OutputMode::kPlain) out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() &&
           IsTokenChar(static_cast<unsigned char>(text[j]))) {
      ++j;
    }
    std::string_view token = text.substr(i, j - i);
    i = j;
    std::optional<DemangledSymbol> d = Demangle(token);
    std::string_view trailing;
    if (!d) {
      std::size_t end = token.find_last_not_of('.');
      if (end != std::string_view::npos && end + 1 < token.size()) {
        d = Demangle(token.substr(0, end + 1));
        if (d) trailing = token.substr(end + 1);
      }
    }
    if (mode == OutputMode::kJson) {
      if (d) AppendJsonLine(*d, scratch, out);
      continue;
    }
    if (d) {
      AppendPlain(*d, out);
      out.append(trailing);
    } else {
      out.append(token);
    }
  }
}

bool Write(std::string_view s, std::FILE* out) {
  return std::fwrite(s.data(), 1, s.size(), out) == s.size();
}

}  // namespace

int RunDemangle(const std::vector<std::string>& args, std::FILE* in,
                std::FILE* out, std::FILE* err) {
  OutputMode mode = OutputMode::kPlain;
  std::vector<std::string_view> symbols;
  bool options_done = false;
  for (const std::string& a : args) {
    if (!options_done && a == "--") {
      options_done = true;
    } else if (!options_done && a == "--json") {
      mode = OutputMode::kJson;
    } else if (!options_done && (a == "--help" || a == "-h")) {
      Write(kUsage, out);
      return 0;
    } else if (!options_done && a.size() > 1 && a[0] == '-') {
      fmt::print(err, "camlsym demangle: unknown option '{}'\n", a);
      Write(kUsage, err);
      return 2;
    } else {
      symbols.push_back(a);
    }
  }

  std::string scratch;
  std::string buffer;
  if (!symbols.empty()) {
    for (std::string_view s : symbols) {
      buffer.clear();
      std::optional<DemangledSymbol> d = Demangle(s);
      if (mode == OutputMode::kJson) {
        if (d) AppendJsonLine(*d, scratch, buffer);
      } else {
        if (d) {
          AppendPlain(*d, buffer);
        } else {
          buffer.append(s);
        }
        buffer.push_back('\n');
      }
      if (!Write(buffer, out)) {
        fmt::print(err, "camlsym demangle: write error\n");
        return 1;
      }
    }
    return std::fflush(out) == 0 ? 0 : 1;
  }

  char* line = nullptr;
  std::size_t line_cap = 0;
  ssize_t n;
  int status = 0;
  while ((n = getline(&line, &line_cap, in)) > 0) {
    buffer.clear();
    FilterText(std::string_view(line, static_cast<std::size_t>(n)), mode,
               scratch, buffer);
    if (!Write(buffer, out)) {
      fmt::print(err, "camlsym demangle: write error\n");
      status = 1;
      break;
    }
  }
  if (status == 0 && std::ferror(in)) {
    fmt::print(err, "camlsym demangle: read error\n");
    status = 1;
  }
  std::free(line);
  if (std::fflush(out) != 0) status = 1;
  return status;
}

}  // namespace camlsym
