// Demangling running text, as `c++filt` does: the hot path of `camlsym
// demangle` as a filter (`nm prog | camlsym demangle`, `perf script |
// camlsym demangle`), one pass over large blocks of text.
//
// A symbol in text is a maximal run of `[A-Za-z0-9_$.]` bytes that is an
// OCaml symbol (demangle.h), or that becomes one without its trailing `.`s
// (the end of a sentence; the dots are then kept after the rendering).
// Every OCaml symbol starts with `caml`, `_caml`, `_Caml` or `__Caml`, so
// the scan looks for `aml` sixteen bytes at a time (SSE2) and only looks
// closer where it finds one: whether a run starts there, where it ends, and
// whether it is a common name that is rendered directly into the output
// from bit masks of its bytes' classes (16 bytes classified at a time with
// SSE2, 32 with AVX2: TextKernel); rarer names go through Demangle() and
// AppendPlain(). Nothing is allocated once the buffers have grown to the
// size of the largest block.
//
// Mirrors: binutils c++filt (which replaces every mangled name in its
// input); the rendering is demangle.h's RenderPlain.
#ifndef CAMLSYM_SYMBOLS_DEMANGLE_TEXT_H_
#define CAMLSYM_SYMBOLS_DEMANGLE_TEXT_H_

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "camlsym/symbols/demangle.h"

namespace camlsym {

/// The bytes of a run, which a symbol in text is: `[A-Za-z0-9_$.]`.
inline constexpr std::array<bool, 256> kSymbolRunBytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.';
  }
  return t;
}();

/// True if \p c is in kSymbolRunBytes.
inline bool IsSymbolRunByte(char c) {
  return kSymbolRunBytes[static_cast<unsigned char>(c)];
}

/// A growable byte buffer that is written through raw pointers: Reserve()
/// room, write, Commit() what was written. Unlike std::string it never
/// zero-fills what it reserves. Move-only.
class TextBuffer {
 public:
  /// Room for at least \p n more bytes after size(); returns where they
  /// start. Grows (doubling) only if the room is missing. Invalidates
  /// earlier pointers.
  char* Reserve(std::size_t n) {
    if (capacity_ - size_ < n) Grow(n);
    return data_.get() + size_;
  }
  /// Counts \p n bytes written at the last Reserve() pointer as content.
  void Commit(std::size_t n) { size_ += n; }
  /// Appends \p s.
  void Append(std::string_view s);
  /// Appends \p c.
  void Append(char c) {
    *Reserve(1) = c;
    Commit(1);
  }
  std::string_view view() const { return {data_.get(), size_}; }
  std::size_t size() const { return size_; }
  /// Empties the buffer, keeping its capacity.
  void clear() { size_ = 0; }

 private:
  void Grow(std::size_t n);
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// The compilations of AppendDemangledText's loop: one for any CPU, and
/// on x86-64 with GCC one for CPUs with AVX2 and BMI2 (32 bytes classified
/// at a time). Both give the same output; AppendDemangledText takes the
/// fastest the CPU runs.
enum class TextKernel { kBaseline, kAvx2 };

/// True if this build has \p kernel and the CPU runs it.
bool TextKernelRuns(TextKernel kernel);

/// AppendDemangledText with \p kernel, or kBaseline if !TextKernelRuns(kernel):
/// for tests and benchmarks that compare them.
void AppendDemangledTextWith(TextKernel kernel, std::string_view text,
                             StampRendering stamps, std::string& scratch,
                             TextBuffer& out);

/// Appends \p text to \p out with every OCaml symbol replaced by its plain
/// rendering (demangle.h RenderPlain with \p stamps) and every other byte
/// copied, NUL bytes included. \p text must end where a run ends (after a
/// newline, or at the end of the input), since a symbol cut in two would be
/// demangled as two runs. \p scratch is a buffer for the rare names, reused
/// between calls so that nothing is allocated per symbol.
void AppendDemangledText(std::string_view text, StampRendering stamps,
                         std::string& scratch, TextBuffer& out);

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_DEMANGLE_TEXT_H_
