#include "camlsym/symbols/demangle_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// GCC on x86-64 also compiles the filter for AVX2 and BMI2
// (`#pragma GCC target`), chosen at run time by the CPU.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CAMLSYM_TEXT_KERNEL_HAS_AVX2 1
#include <immintrin.h>
#else
#define CAMLSYM_TEXT_KERNEL_HAS_AVX2 0
#endif

namespace camlsym {
namespace {

namespace baseline {
#define CAMLSYM_TEXT_KERNEL_AVX2 0
#include "symbols/demangle_text_kernel.inc"
#undef CAMLSYM_TEXT_KERNEL_AVX2
}  // namespace baseline

#if CAMLSYM_TEXT_KERNEL_HAS_AVX2
#pragma GCC push_options
#pragma GCC target("avx2,bmi,bmi2,lzcnt,popcnt")
namespace avx2 {
#define CAMLSYM_TEXT_KERNEL_AVX2 1
#include "symbols/demangle_text_kernel.inc"
#undef CAMLSYM_TEXT_KERNEL_AVX2
}  // namespace avx2
#pragma GCC pop_options
#endif

}  // namespace

void TextBuffer::Append(std::string_view s) {
  char* w = Reserve(s.size());
  baseline::CopyShort(w, s.data(), s.size());
  Commit(s.size());
}

void TextBuffer::Grow(std::size_t n) {
  const std::size_t capacity = std::max(size_ + n, 2 * capacity_);
  std::unique_ptr<char[]> data(new char[capacity]);
  if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

bool TextKernelRuns(TextKernel kernel) {
  switch (kernel) {
    case TextKernel::kBaseline:
      return true;
    case TextKernel::kAvx2:
#if CAMLSYM_TEXT_KERNEL_HAS_AVX2
      __builtin_cpu_init();  // Also when called before libgcc's constructor.
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
             __builtin_cpu_supports("bmi2") &&
             __builtin_cpu_supports("lzcnt") &&
             __builtin_cpu_supports("popcnt");
#else
      return false;
#endif
  }
  return false;
}

void AppendDemangledTextWith(TextKernel kernel, std::string_view text,
                             StampRendering stamps, std::string& scratch,
                             TextBuffer& out) {
#if CAMLSYM_TEXT_KERNEL_HAS_AVX2
  if (kernel == TextKernel::kAvx2 && TextKernelRuns(TextKernel::kAvx2)) {
    avx2::AppendDemangledTextKernel(text, stamps, scratch, out);
    return;
  }
#endif
  baseline::AppendDemangledTextKernel(text, stamps, scratch, out);
}

void AppendDemangledText(std::string_view text, StampRendering stamps,
                         std::string& scratch, TextBuffer& out) {
  static const TextKernel best = TextKernelRuns(TextKernel::kAvx2)
                                     ? TextKernel::kAvx2
                                     : TextKernel::kBaseline;
  AppendDemangledTextWith(best, text, stamps, scratch, out);
}

}  // namespace camlsym
