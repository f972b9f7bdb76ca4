// Throughput of camlsym's .cmx reading over the stdlib's .cmx files (those
// directly under /usr/lib/ocaml, as `ocamlopt -where` prints on Debian).
// Files are loaded once; the loop parses them from memory.
//   bazel run -c opt //bench:marshal_bench

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/marshal_reader.h"

namespace camlsym::formats {
namespace {

constexpr char kStdlibDir[] = "/usr/lib/ocaml";

struct Corpus {
  std::vector<std::string> names, bytes;
  int64_t total_bytes = 0;
};

const Corpus& StdlibCmx() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(kStdlibDir, ec)) {
      if (entry.path().extension() != ".cmx") continue;
      absl::StatusOr<std::string> b =
          ReadFileBounded(entry.path().string(), kMaxCmxFileSizeBytes);
      if (!b.ok()) continue;
      c->names.push_back(entry.path().string());
      c->total_bytes += static_cast<int64_t>(b->size());
      c->bytes.push_back(*std::move(b));
    }
    return c;
  }();
  return *corpus;
}

// Full .cmx parsing: magic, Marshal, MD5 and unit_infos.
void BM_ParseStdlibCmx(benchmark::State& state) {
  const Corpus& c = StdlibCmx();
  if (c.bytes.empty()) {
    state.SkipWithError("no .cmx under /usr/lib/ocaml");
    return;
  }
  for (auto _ : state) {
    for (size_t i = 0; i < c.bytes.size(); ++i) {
      absl::StatusOr<CmxFile> cmx = ParseCmx(c.bytes[i], c.names[i]);
      if (!cmx.ok()) {
        state.SkipWithError(std::string(cmx.status().message()).c_str());
        return;
      }
      benchmark::DoNotOptimize(cmx);
    }
  }
  state.SetBytesProcessed(state.iterations() * c.total_bytes);
  state.counters["files"] = static_cast<double>(c.bytes.size());
}
BENCHMARK(BM_ParseStdlibCmx)->Unit(benchmark::kMillisecond);

// The Marshal reader alone (the data after the 12-byte magic).
void BM_ReadMarshalStdlibCmx(benchmark::State& state) {
  const Corpus& c = StdlibCmx();
  for (auto _ : state) {
    for (const std::string& b : c.bytes) {
      absl::StatusOr<MarshalData> d =
          ReadMarshal(std::string_view(b).substr(12), 12);
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetBytesProcessed(state.iterations() * c.total_bytes);
}
BENCHMARK(BM_ReadMarshalStdlibCmx)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace camlsym::formats
