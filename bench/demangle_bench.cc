// Demangler throughput over the real corpus: every `caml*` symbol defined in
// the archives under `ocamlopt -where` (OCaml units and the C runtime alike),
// gathered once with nm. One core; reports symbols per second.
//
// Run: bazel run -c opt //bench:demangle_bench
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "camlsym/symbols/demangle.h"

namespace camlsym {
namespace {

namespace fs = std::filesystem;

std::string RunCommand(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

// All defined `caml*` symbol names of the archives under `ocamlopt -where`.
const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> corpus = [] {
    std::vector<std::string> syms;
    std::string where = RunCommand("ocamlopt -where 2>/dev/null");
    while (!where.empty() && where.back() == '\n') where.pop_back();
    if (where.empty()) return syms;
    std::vector<fs::path> archives;
    for (const auto& e : fs::recursive_directory_iterator(where)) {
      if (e.is_regular_file() && e.path().extension() == ".a") {
        archives.push_back(e.path());
      }
    }
    std::sort(archives.begin(), archives.end());
    for (const fs::path& a : archives) {
      std::string text =
          RunCommand("nm --defined-only '" + a.string() + "' 2>/dev/null");
      std::size_t pos = 0;
      while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) eol = text.size();
        std::string_view line(text.data() + pos, eol - pos);
        pos = eol + 1;
        std::size_t sp = line.rfind(' ');
        if (sp == std::string_view::npos) continue;
        std::string_view name = line.substr(sp + 1);
        if (name.substr(0, 4) == "caml") syms.emplace_back(name);
      }
    }
    return syms;
  }();
  return corpus;
}

void BM_Demangle(benchmark::State& state) {
  const std::vector<std::string>& corpus = Corpus();
  if (corpus.empty()) {
    state.SkipWithError("no corpus: is ocamlopt installed?");
    return;
  }
  std::size_t recognised = 0;
  for (auto _ : state) {
    for (const std::string& s : corpus) {
      std::optional<DemangledSymbol> d = Demangle(s);
      benchmark::DoNotOptimize(d);
      recognised += d.has_value();
    }
  }
  std::int64_t items = static_cast<std::int64_t>(state.iterations()) *
                       static_cast<std::int64_t>(corpus.size());
  state.SetItemsProcessed(items);
  state.counters["symbols_per_s"] = benchmark::Counter(
      static_cast<double>(items), benchmark::Counter::kIsRate);
  state.counters["corpus"] = static_cast<double>(corpus.size());
  state.counters["ocaml"] = static_cast<double>(
      recognised / std::max<std::size_t>(1, state.iterations()));
}
BENCHMARK(BM_Demangle)->Unit(benchmark::kMillisecond);

// The c++filt path: demangle and render into a reused buffer.
void BM_DemangleAndRenderPlain(benchmark::State& state) {
  const std::vector<std::string>& corpus = Corpus();
  if (corpus.empty()) {
    state.SkipWithError("no corpus: is ocamlopt installed?");
    return;
  }
  char buf[512];
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& s : corpus) {
      if (std::optional<DemangledSymbol> d = Demangle(s)) {
        bytes += RenderPlain(*d, buf, sizeof buf);
        benchmark::DoNotOptimize(buf);
      }
    }
  }
  benchmark::DoNotOptimize(bytes);
  std::int64_t items = static_cast<std::int64_t>(state.iterations()) *
                       static_cast<std::int64_t>(corpus.size());
  state.SetItemsProcessed(items);
  state.counters["symbols_per_s"] = benchmark::Counter(
      static_cast<double>(items), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DemangleAndRenderPlain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace camlsym
