#include "camlsym/tools/demangle_command.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include "camlsym/symbols/demangle.h"
#include "camlsym/symbols/demangle_text.h"
#include "camlsym/tools/demangle_units.h"
#include "camlsym/tools/json.h"
#include "camlsym/tools/write_all.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr std::string_view kUsage =
    "usage: camlsym demangle [--json] [--keep-stamps] [--units PATH]... "
    "[--] [SYMBOL...]\n"
    "  Demangles OCaml symbols (4.x, 5.1-5.3 and 5.4 on Linux, 5.4 on macOS\n"
    "  and Windows, OxCaml). With no SYMBOL, filters standard input like\n"
    "  c++filt: every OCaml symbol in the text is replaced, other bytes are\n"
    "  copied (`nm prog | camlsym demangle`, `perf script | camlsym "
    "demangle`).\n"
    "  --json         one JSON object per OCaml symbol (fields in README,\n"
    "                 section `camlsym demangle`), with its byte offsets in\n"
    "                 filter mode and every reading of an ambiguous name\n"
    "  --keep-stamps  keep identifier stamps: Stdlib.List.map_289. Without\n"
    "                 them, distinct symbols (closures, shadowed or local\n"
    "                 functions of one module) can print alike, e.g. every\n"
    "                 `fun_NNN` of a unit; such collisions in the plain "
    "output\n"
    "                 are yours to resolve with this flag\n"
    "  --units PATH   units of a .cmx, .cmxa or .cmxs file, a folder of them,\n"
    "                 or an OCaml executable (its caml_globals_map); of the\n"
    "                 readings of an ambiguous 4.x name (`camlA_b__c__f_83`),\n"
    "                 the one whose unit exists is chosen. Repeatable.\n"
    "  --             end of the options: every later argument is a SYMBOL\n"
    "  -h, --help     print this help and exit\n";

// Input is read, rewritten and written in blocks of 256 KiB: few system
// calls, and a block and its output stay in the core's cache.
constexpr std::size_t kBlockBytes = std::size_t{1} << 18;

enum class OutputMode { kPlain, kJson };

struct Options {
  OutputMode mode = OutputMode::kPlain;
  StampRendering stamps = StampRendering::kDrop;
  /// Null without --units.
  const KnownUnits* units = nullptr;
};

// Where a symbol was found in filter mode.
struct Location {
  std::size_t line;    // 1-based
  std::size_t offset;  // byte offset in the line
};

// Buffers reused for every symbol, so that no line allocates once they have
// grown.
struct Scratch {
  DemangledReadings readings;
  std::string text;
  std::string json;
};

void AppendReadingFields(const DemangledSymbol& d, StampRendering stamps,
                         std::string& scratch, std::string& out) {
  out.append("\"scheme\": ");
  AppendJsonString(SchemeName(d.scheme), out);
  out.append(", \"schemes\": [");
  bool first = true;
  for (DemangledScheme s :
       {DemangledScheme::kOcaml413, DemangledScheme::kOcaml51,
        DemangledScheme::kOcaml54, DemangledScheme::kOxCamlStructured}) {
    if (!IsSpelledBy(d, s)) continue;
    if (!first) out.append(", ");
    first = false;
    AppendJsonString(SchemeName(s), out);
  }
  out.append("], \"category\": ");
  AppendJsonString(CategoryName(d.category), out);
  out.append(", \"unit\": ");
  scratch.clear();
  AppendUnitName(d, scratch);
  AppendJsonString(scratch, out);
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
  out.append(", \"plain\": ");
  scratch.clear();
  AppendPlain(d, scratch, stamps);
  AppendJsonString(scratch, out);
}

// The readings to show for \p symbol, chosen one first: with --units, those
// KeepKnownReadings keeps. Returns their number (0: not an OCaml symbol) and
// sets \p unit_known.
// Where a symbol comes from: a token of FilterLine holds only
// `[A-Za-z0-9_$.]` bytes, an argument anything.
enum class Source { kToken, kArgument };

std::size_t Resolve(std::string_view symbol, const Options& options,
                    Scratch& scratch, bool& unit_known, Source source) {
  DemangledReadings& r = scratch.readings;
  if (options.units == nullptr) {
    unit_known = false;
    if (options.mode == OutputMode::kPlain) {
      // Only `caml...`, `_caml...`, `_Caml...` and `__Caml...` can be.
      if (symbol[0] != 'c' && symbol[0] != '_') return 0;
      const bool ok = source == Source::kToken
                          ? DemangleUncheckedBytes(symbol, r.readings[0])
                          : Demangle(symbol, r.readings[0]);
      r.count = ok ? 1 : 0;
      return r.count;
    }
    return DemangleAll(symbol, r);
  }
  if (DemangleAll(symbol, r) == 0) return 0;
  unit_known = KeepKnownReadings(symbol, *options.units, r, scratch.text);
  return r.count;
}

void AppendJsonObject(std::string_view symbol, std::size_t count,
                      bool unit_known, const Options& options,
                      const Location* where, Scratch& scratch,
                      std::string& out) {
  const DemangledReadings& r = scratch.readings;
  out.append("{\"symbol\": ");
  AppendJsonString(symbol, out);
  if (where != nullptr) {
    fmt::format_to(std::back_inserter(out),
                   ", \"line\": {}, \"offset\": {}, \"length\": {}",
                   where->line, where->offset, symbol.size());
  }
  out.append(", ");
  AppendReadingFields(r.readings[0], options.stamps, scratch.text, out);
  out.append(count > 1 ? ", \"ambiguous\": true" : ", \"ambiguous\": false");
  out.append(", \"readings\": [");
  for (std::size_t i = 1; i < count; ++i) {
    out.append(i > 1 ? ", {" : "{");
    AppendReadingFields(r.readings[i], options.stamps, scratch.text, out);
    out.push_back('}');
  }
  out.push_back(']');
  if (options.units != nullptr) {
    out.append(unit_known ? ", \"unit_known\": true"
                          : ", \"unit_known\": false");
  }
  out.append("}\n");
}

// Demangles one symbol given as an argument.
void OneSymbol(std::string_view s, const Options& options, Scratch& scratch,
               std::string& out) {
  bool unit_known = false;
  std::size_t n = Resolve(s, options, scratch, unit_known, Source::kArgument);
  if (options.mode == OutputMode::kJson) {
    if (n > 0)
      AppendJsonObject(s, n, unit_known, options, nullptr, scratch, out);
    return;
  }
  if (n > 0) {
    AppendPlain(scratch.readings.readings[0], out, options.stamps);
  } else {
    out.append(s);
  }
  out.push_back('\n');
}

// Rewrites one line of text (with its newline, if any) into \p out, in
// JSON mode or with --units (plain mode without them is
// AppendDemangledText's): every maximal run of token bytes that is an OCaml
// symbol (possibly followed by `.`s, as at the end of a sentence) is
// described in JSON mode, or replaced in plain mode; other bytes are copied
// in plain mode.
void FilterLine(std::string_view text, std::size_t line_number,
                const Options& options, Scratch& scratch, TextBuffer& out) {
  const bool plain = options.mode == OutputMode::kPlain;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  // Plain mode copies unchanged text in one piece, from `copied` up to the
  // next symbol replaced.
  const char* copied = begin;
  const char* p = begin;
  while (p < end) {
    while (p < end && !IsSymbolRunByte(*p)) ++p;
    if (p == end) break;
    const char* q = p;
    while (q < end && IsSymbolRunByte(*q)) ++q;
    std::string_view token(p, static_cast<std::size_t>(q - p));
    const std::size_t offset = static_cast<std::size_t>(p - begin);
    p = q;
    bool unit_known = false;
    std::size_t n =
        Resolve(token, options, scratch, unit_known, Source::kToken);
    std::string_view trailing;
    if (n == 0 && token.back() == '.') {
      std::size_t last = token.find_last_not_of('.');
      if (last != std::string_view::npos) {
        n = Resolve(token.substr(0, last + 1), options, scratch, unit_known,
                    Source::kToken);
        if (n > 0) {
          trailing = token.substr(last + 1);
          token = token.substr(0, last + 1);
        }
      }
    }
    if (n == 0) continue;
    if (!plain) {
      Location where{line_number, offset};
      scratch.json.clear();
      AppendJsonObject(token, n, unit_known, options, &where, scratch,
                       scratch.json);
      out.Append(scratch.json);
      continue;
    }
    out.Append(std::string_view(
        copied, static_cast<std::size_t>(token.data() - copied)));
    scratch.text.clear();
    AppendPlain(scratch.readings.readings[0], scratch.text, options.stamps);
    out.Append(scratch.text);
    copied = token.data() + token.size();
  }
  if (plain) {
    out.Append(
        std::string_view(copied, static_cast<std::size_t>(end - copied)));
  }
}

bool Write(std::string_view s, std::FILE* out) {
  return std::fwrite(s.data(), 1, s.size(), out) == s.size();
}

// Reads up to \p cap bytes of \p in: with read(2) when the stream has a
// descriptor, so that a line is handled as soon as it arrives (a pipe from
// `perf script`), else with fread. Returns the count, 0 at end of input, -1
// on error.
long ReadSome(std::FILE* in, char* buf, std::size_t cap) {
  int fd = fileno(in);
  if (fd < 0) {
    std::size_t n = std::fread(buf, 1, cap, in);
    if (n == 0 && std::ferror(in)) return -1;
    return static_cast<long>(n);
  }
  while (true) {
    ssize_t n = read(fd, buf, cap);
    if (n >= 0) return static_cast<long>(n);
    if (errno != EINTR) return -1;
  }
}

// The descriptor of standard input while it is mapped, for OnSigbus.
volatile std::sig_atomic_t mapped_error_fd = -1;

// SIGBUS while standard input is mapped: the file shrank under the mapping
// (another process truncated it). Reported like a read error; the output
// written so far stays.
void OnSigbus(int) {
  constexpr std::string_view kMessage =
      "camlsym demangle: read error: standard input was truncated while "
      "being read\n";
  if (mapped_error_fd >= 0) {
    [[maybe_unused]] ssize_t n =
        write(mapped_error_fd, kMessage.data(), kMessage.size());
  }
  _exit(1);
}

// A read-only mapping of the rest of a regular file from its current
// offset, or none (`text()` empty) if \p fd is not a regular file, has no
// bytes left or cannot be mapped. SIGBUS is reported as a read error on
// \p error_fd while the mapping lives. Move-less.
class MappedInput {
 public:
  MappedInput(int fd, int error_fd) {
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    const off_t offset = lseek(fd, 0, SEEK_CUR);
    if (offset < 0 || offset >= st.st_size) return;
    const long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return;
    const off_t base = offset - offset % page;
    const std::size_t size = static_cast<std::size_t>(st.st_size - base);
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, base);
    if (map == MAP_FAILED) return;
    madvise(map, size, MADV_SEQUENTIAL);
    map_ = map;
    map_size_ = size;
    text_ = std::string_view(static_cast<const char*>(map) + (offset - base),
                             static_cast<std::size_t>(st.st_size - offset));
    mapped_error_fd = error_fd;
    struct sigaction on_sigbus = {};
    on_sigbus.sa_handler = OnSigbus;
    sigemptyset(&on_sigbus.sa_mask);
    sigaction(SIGBUS, &on_sigbus, &previous_sigbus_);
  }
  MappedInput(const MappedInput&) = delete;
  MappedInput& operator=(const MappedInput&) = delete;
  ~MappedInput() {
    if (map_ == nullptr) return;
    munmap(map_, map_size_);
    sigaction(SIGBUS, &previous_sigbus_, nullptr);
    mapped_error_fd = -1;
  }
  /// The bytes from the file's offset to its end when mapped.
  std::string_view text() const { return text_; }

 private:
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::string_view text_;
  struct sigaction previous_sigbus_ = {};
};

int Filter(std::FILE* in, std::FILE* out, std::FILE* err,
           const Options& options) {
  const int in_fd = fileno(in);
  const int out_fd = fileno(out);
  const bool flush_each_line = out_fd >= 0 && isatty(out_fd) == 1;
  // Plain output to a file or pipe needs no line boundaries.
  const bool whole_blocks =
      options.mode == OutputMode::kPlain && !flush_each_line;
  TextBuffer output;
  // Less than a block waiting, and the rendering of a block (at most 11
  // bytes for 8: `camlA__1` gives `A.<const_1>`).
  output.Reserve(3 * kBlockBytes);
  Scratch scratch;
  scratch.text.reserve(256);
  std::size_t line_number = 0;
  // Output goes to the descriptor directly, after what the stream holds.
  if (out_fd >= 0 && std::fflush(out) != 0) {
    fmt::print(err, "camlsym demangle: write error\n");
    return 1;
  }
  auto emit = [&](bool force) {
    if (!force && output.size() < kBlockBytes) return true;
    const bool ok = out_fd >= 0 ? WriteAll(out_fd, output.view())
                                : Write(output.view(), out);
    output.clear();
    return ok;
  };
  // Plain output without --units is the common case, in one pass over
  // whole blocks.
  auto rewrite = [&](std::string_view text, std::size_t line_number) {
    if (options.mode == OutputMode::kPlain && options.units == nullptr) {
      AppendDemangledText(text, options.stamps, scratch.text, output);
    } else {
      FilterLine(text, line_number, options, scratch, output);
    }
  };
  // Rewrites the complete lines at the start of `text` (all of it if
  // `eof`: the last line may lack its newline): in blocks of about
  // kBlockBytes cut after a newline, or a line at a time. Returns the bytes
  // used, or npos on a write error.
  constexpr std::size_t kWriteError = std::string_view::npos;
  auto consume = [&](std::string_view text, bool eof) -> std::size_t {
    const char* const begin = text.data();
    const std::size_t size = text.size();
    // The end of the line holding byte `from`, newline included, or `size`
    // if it has none and `eof`, else npos.
    auto line_end = [&](std::size_t from) -> std::size_t {
      const void* nl = std::memchr(begin + from, '\n', size - from);
      if (nl != nullptr) {
        return static_cast<std::size_t>(static_cast<const char*>(nl) - begin) +
               1;
      }
      return eof ? size : std::string_view::npos;
    };
    std::size_t start = 0;
    while (start < size) {
      std::size_t stop;
      if (whole_blocks) {
        // Symbols never span a newline: a block ends after the last newline
        // of its kBlockBytes, or after the line that holds them all.
        const std::size_t want = std::min(size, start + kBlockBytes);
        const void* nl = memrchr(begin + start, '\n', want - start);
        if (want == size && eof) {
          stop = size;
        } else if (nl != nullptr) {
          stop =
              static_cast<std::size_t>(static_cast<const char*>(nl) - begin) +
              1;
        } else {
          stop = line_end(want);
        }
      } else {
        stop = line_end(start);
      }
      if (stop == std::string_view::npos) break;
      rewrite(std::string_view(begin + start, stop - start), ++line_number);
      start = stop;
      if (!emit(flush_each_line)) return kWriteError;
    }
    return start;
  };
  auto write_error = [&] {
    fmt::print(err, "camlsym demangle: write error\n");
    return 1;
  };
  {
    // A regular file is read through a mapping, up to its last newline;
    // what follows (a last line without newline, bytes appended since) is
    // read below.
    MappedInput mapped(in_fd, fileno(err));
    if (!mapped.text().empty()) {
      const std::size_t used = consume(mapped.text(), false);
      if (used == kWriteError) return write_error();
      if (lseek(in_fd, static_cast<off_t>(used), SEEK_CUR) < 0) {
        fmt::print(err, "camlsym demangle: read error: {}\n",
                   std::strerror(errno));
        return 1;
      }
    }
  }
  std::string input(kBlockBytes, '\0');
  std::size_t have = 0;
  bool eof = false;
  while (!eof) {
    if (have == input.size()) input.resize(input.size() * 2);  // Long line.
    long n = ReadSome(in, input.data() + have, input.size() - have);
    if (n < 0) {
      fmt::print(err, "camlsym demangle: read error: {}\n",
                 std::strerror(errno));
      return 1;
    }
    eof = n == 0;
    have += static_cast<std::size_t>(n);
    const std::size_t used = consume(std::string_view(input.data(), have), eof);
    if (used == kWriteError) return write_error();
    if (used > 0) {
      std::memmove(input.data(), input.data() + used, have - used);
      have -= used;
    }
  }
  if (!emit(true) || std::fflush(out) != 0) return write_error();
  return 0;
}

}  // namespace

int RunDemangle(const std::vector<std::string>& args, std::FILE* in,
                std::FILE* out, std::FILE* err) {
  Options options;
  std::vector<std::string_view> symbols;
  std::vector<std::string> unit_paths;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      symbols.push_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "--json") {
      options.mode = OutputMode::kJson;
    } else if (a == "--keep-stamps") {
      options.stamps = StampRendering::kKeep;
    } else if (a == "--units" && i + 1 < args.size()) {
      unit_paths.push_back(args[++i]);
    } else if (a.rfind("--units=", 0) == 0) {
      unit_paths.push_back(a.substr(8));
    } else if (a == "--help" || a == "-h") {
      Write(kUsage, out);
      return 0;
    } else {
      fmt::print(err, "camlsym demangle: {} '{}'\n",
                 a == "--units" ? "missing PATH after" : "unknown option", a);
      Write(kUsage, err);
      return 2;
    }
  }
  KnownUnits units;
  if (!unit_paths.empty()) {
    if (absl::Status s = units.AddPaths(unit_paths); !s.ok()) {
      fmt::print(err, "camlsym demangle: --units: {}\n",
                 std::string(s.message()));
      return 1;
    }
    options.units = &units;
  }
  if (symbols.empty()) return Filter(in, out, err, options);
  Scratch scratch;
  std::string buffer;
  for (std::string_view s : symbols) {
    buffer.clear();
    OneSymbol(s, options, scratch, buffer);
    if (!Write(buffer, out)) {
      fmt::print(err, "camlsym demangle: write error\n");
      return 1;
    }
  }
  return std::fflush(out) == 0 ? 0 : 1;
}

}  // namespace camlsym
