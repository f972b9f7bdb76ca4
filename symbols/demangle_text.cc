#include "camlsym/symbols/demangle_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace camlsym {
namespace {

bool IsRunByte(char c) { return IsSymbolRunByte(c); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Copies the first and the last `sizeof(Word)` bytes of `src[0, n)` to
// `dst`, n in [sizeof(Word), 2 * sizeof(Word)]: all of them.
template <typename Word>
void CopyEnds(char* dst, const char* src, std::size_t n) {
  Word head, tail;
  std::memcpy(&head, src, sizeof head);
  std::memcpy(&tail, src + n - sizeof tail, sizeof tail);
  std::memcpy(dst, &head, sizeof head);
  std::memcpy(dst + n - sizeof tail, &tail, sizeof tail);
}

// Copies `src[0, n)` to `dst[0, n)` (apart), reading and writing no other
// byte: overlapping moves of 16, 8, 4 or 1 bytes instead of a call, for the
// short pieces of text around and inside a rendering.
[[gnu::always_inline]] inline void CopyShort(char* dst, const char* src,
                                             std::size_t n) {
  if (n > 32) {
    std::memcpy(dst, src, n);
  } else if (n >= 16) {
    CopyEnds<__uint128_t>(dst, src, n);
  } else if (n >= 8) {
    CopyEnds<std::uint64_t>(dst, src, n);
  } else if (n >= 4) {
    CopyEnds<std::uint32_t>(dst, src, n);
  } else if (n > 0) {
    dst[0] = src[0];
    dst[n / 2] = src[n / 2];
    dst[n - 1] = src[n - 1];
  }
}

// Bits [0, k) and [k, 64), for k <= 64.
std::uint64_t BitsBelow(std::size_t k) {
  return k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1;
}
std::uint64_t BitsFrom(std::size_t k) { return ~BitsBelow(k); }
std::size_t LowestBit(std::uint64_t x) {
  return static_cast<std::size_t>(std::countr_zero(x));
}
std::size_t HighestBit(std::uint64_t x) {
  return static_cast<std::size_t>(63 - std::countl_zero(x));
}

#if defined(__SSE2__)
__m128i Load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Lanes of \p v holding a byte of [lo, lo + count): c is in the range iff
// (int8)(c + 128 - lo) < count - 128.
__m128i InRange(__m128i v, char lo, int count) {
  return _mm_cmplt_epi8(
      _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(128 - lo))),
      _mm_set1_epi8(static_cast<char>(count - 128)));
}

std::uint64_t Bits(__m128i lanes) {
  return static_cast<unsigned>(_mm_movemask_epi8(lanes));
}
#endif

// Bit masks of byte classes over at most 64 bytes: bit i stands for byte i.
struct ByteClasses {
  std::uint64_t run = 0;  // `[A-Za-z0-9_$.]`
  std::uint64_t underscore = 0;
  std::uint64_t dot = 0;
  std::uint64_t dollar = 0;
  std::uint64_t upper = 0;
  std::uint64_t digit = 0;

  // Keeps bits [0, n) only.
  void Truncate(std::size_t n) {
    const std::uint64_t keep = BitsBelow(n);
    run &= keep;
    underscore &= keep;
    dot &= keep;
    dollar &= keep;
    upper &= keep;
    digit &= keep;
  }
};

// Classifies `p[0, n)`, n <= 64, sixteen bytes at a time with SSE2 (a
// group that would cross `p + n` is first copied into a zeroed buffer),
// else one at a time, stopping after the group where the run ends. Bits at
// and above n are zero; so are those of the groups after that one, whose
// `run` bits are then not all set.
ByteClasses Classify(const char* p, std::size_t n) {
  ByteClasses m;
#if defined(__SSE2__)
  for (std::size_t i = 0; i < n; i += 16) {
    __m128i v;
    if (n - i >= 16) {
      v = Load16(p + i);
    } else {
      alignas(16) char tail[16] = {};
      std::memcpy(tail, p + i, n - i);
      v = Load16(tail);
    }
    const __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
    const __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
    const __m128i dollar = _mm_cmpeq_epi8(v, _mm_set1_epi8('$'));
    const __m128i upper = InRange(v, 'A', 26);
    const __m128i digit = InRange(v, '0', 10);
    // `c | 0x20` folds the uppercase letters onto the lowercase ones.
    const __m128i letter =
        InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
    const __m128i run =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(letter, digit), underscore),
                     _mm_or_si128(dot, dollar));
    m.run |= Bits(run) << i;
    m.underscore |= Bits(underscore) << i;
    m.dot |= Bits(dot) << i;
    m.dollar |= Bits(dollar) << i;
    m.upper |= Bits(upper) << i;
    m.digit |= Bits(digit) << i;
    if (Bits(run) != 0xffff) break;
  }
  m.Truncate(n);
#else
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    const char c = p[i];
    if (IsRunByte(c)) m.run |= bit;
    if (c == '_') m.underscore |= bit;
    if (c == '.') m.dot |= bit;
    if (c == '$') m.dollar |= bit;
    if (IsUpper(c)) m.upper |= bit;
    if (c >= '0' && c <= '9') m.digit |= bit;
  }
#endif
  return m;
}

// The first `aml` in [p, end), or null: sixteen bytes at a time with SSE2.
const char* FindAml(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i a = _mm_set1_epi8('a');
  const __m128i m = _mm_set1_epi8('m');
  const __m128i l = _mm_set1_epi8('l');
  for (; end - p >= 18; p += 16) {
    const __m128i hits =
        _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(Load16(p), a),
                                    _mm_cmpeq_epi8(Load16(p + 1), m)),
                      _mm_cmpeq_epi8(Load16(p + 2), l));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + std::countr_zero(mask);
  }
#endif
  for (; end - p >= 3; ++p) {
    if (p[0] == 'a' && p[1] == 'm' && p[2] == 'l') return p;
  }
  return nullptr;
}

#if defined(__SSE2__)
// One bit per byte of \p v that can belong to a run.
unsigned RunBytes(__m128i v) {
  const __m128i letter = InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
  const __m128i punctuation =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('$')));
  return static_cast<unsigned>(_mm_movemask_epi8(
      _mm_or_si128(_mm_or_si128(letter, InRange(v, '0', 10)), punctuation)));
}
#endif

// The end of the run going on at \p p.
const char* RunEnd(const char* p, const char* end) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    const unsigned others = ~RunBytes(Load16(p)) & 0xffffu;
    if (others != 0) return p + std::countr_zero(others);
  }
#endif
  while (p < end && IsRunByte(*p)) ++p;
  return p;
}

// Where the run holding the `aml` at \p hit starts, if it starts as an
// OCaml symbol does: `caml`, `_caml`, `_Caml`, `__Caml`. Null otherwise.
const char* SymbolStart(const char* begin, const char* hit) {
  auto starts_run = [begin](const char* q) {
    return q == begin || !IsRunByte(q[-1]);
  };
  const std::ptrdiff_t before = hit - begin;
  if (before < 1) return nullptr;
  if (hit[-1] == 'c') {
    if (starts_run(hit - 1)) return hit - 1;
    if (before >= 2 && hit[-2] == '_' && starts_run(hit - 2)) return hit - 2;
    return nullptr;
  }
  if (hit[-1] != 'C' || before < 2 || hit[-2] != '_') return nullptr;
  if (starts_run(hit - 2)) return hit - 2;
  if (before >= 3 && hit[-3] == '_' && starts_run(hit - 3)) return hit - 3;
  return nullptr;
}

// ParseCanonicalInt of demangle.cc on `b[from, to)`, as a yes or no: a
// decimal of at most 18 digits without leading zero.
bool CanonicalDigitsAt(const char* b, const ByteClasses& m, std::size_t from,
                       std::size_t to) {
  const std::size_t len = to - from;
  if (from >= to || len > 18) return false;
  const std::uint64_t range = BitsBelow(to) & BitsFrom(from);
  return (m.digit & range) == range && (len == 1 || b[from] != '0');
}

// True if `b[from, to)` names a unit marker (backend_symbol.h).
bool IsMarker(const char* b, std::size_t from, std::size_t to) {
  const std::string_view s(b + from, to - from);
  for (UnitMarker marker : kUnitMarkers) {
    if (s == UnitMarkerName(marker)) return true;
  }
  return false;
}

constexpr std::size_t kNotRendered = static_cast<std::size_t>(-1);

// What RenderCommon did with a run.
struct Rendered {
  const char* run_end;  // where the run ends
  std::size_t size;     // bytes written, or kNotRendered
};

// The common names, rendered from their bit masks as they are read: a run
// starting at \p start with `caml` and an uppercase letter, whose body (what
// follows `caml`) holds no `$`, ends within 63 bytes, and whose first reading
// is the greedy one of demangle.h's splitting rule (GreedyUnitEnd, then
// ReadAt: for a flat name without `$`, no penalty reorders the readings).
// Writes the rendering AppendPlain would give to \p out, which has room for
// the run's size + kGrowth bytes. Reads nothing at or after \p end.
constexpr std::size_t kGrowth = 8;  // `camlFoo__12` gives `Foo.<const_12>`.

Rendered RenderCommon(const char* start, const char* end, StampRendering stamps,
                      char* out) {
  const char* const b = start + 4;
  const std::size_t window =
      std::min<std::size_t>(64, static_cast<std::size_t>(end - b));
  ByteClasses m = Classify(b, window);
  const std::uint64_t others = ~m.run & BitsBelow(window);
  if (others == 0) {
    if (window == 64) return {RunEnd(b + 64, end), kNotRendered};
  }
  const std::size_t n = others == 0 ? window : LowestBit(others);
  m.Truncate(n);
  const Rendered no{b + n, kNotRendered};
  if (m.dollar != 0) return no;
  const bool dot = m.dot != 0;
  // Bit i: `__` at i.
  const std::uint64_t pairs = m.underscore & (m.underscore >> 1);
  const std::uint64_t separators = dot ? m.dot : pairs;
  const std::size_t separator_size = dot ? 1 : 2;
  // GreedyUnitEnd: components while they start with an uppercase letter,
  // except that a last one ending in a stamp is the local name.
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t unit_end = kNone;
  for (std::size_t p = 0, last_end = kNone;;) {
    if (p >= n || ((m.upper >> p) & 1) == 0) {
      unit_end = last_end;
      break;
    }
    const std::uint64_t next = separators & BitsFrom(p);
    if (next == 0) {
      unit_end = n;
      const std::uint64_t us = m.underscore & BitsFrom(p);
      if (last_end != kNone && us != 0 && HighestBit(us) != p &&
          CanonicalDigitsAt(b, m, HighestBit(us) + 1, n)) {
        unit_end = last_end;
      }
      break;
    }
    last_end = LowestBit(next);
    p = last_end + separator_size;
  }
  if (unit_end == kNone) return no;
  // Neither the unit nor (5.x) one of its components ends in `__`.
  std::uint64_t component_ends = std::uint64_t{1} << unit_end;
  if (dot) component_ends |= m.dot & BitsBelow(unit_end);
  if ((pairs & (component_ends >> 2)) != 0) return no;

  // ParseLocal.
  enum class Local { kNone, kMarker, kConstant, kName };
  Local local = Local::kNone;
  const std::size_t l0 = unit_end + separator_size;
  std::size_t local_end = n;
  if (unit_end == n) {
    // A module block, unless what follows its last `__` starts like a
    // constant.
    if (pairs != 0 && HighestBit(pairs) + 2 < n &&
        ((m.digit >> (HighestBit(pairs) + 2)) & 1) != 0) {
      return no;
    }
  } else if (l0 >= n) {
    return no;
  } else if (((m.digit >> l0) & 1) != 0) {
    if (!CanonicalDigitsAt(b, m, l0, n)) return no;
    local = Local::kConstant;
  } else if (((m.digit >> (n - 1)) & 1) == 0 && IsMarker(b, l0, n)) {
    local = Local::kMarker;  // No marker name holds a digit.
  } else {
    constexpr std::string_view kClosure = "_closure";
    const bool closure = n - l0 > kClosure.size() &&
                         std::memcmp(b + n - kClosure.size(), kClosure.data(),
                                     kClosure.size()) == 0;
    const std::size_t core_end = closure ? n - kClosure.size() : n;
    const std::uint64_t non_digits =
        ~m.digit & BitsBelow(core_end) & BitsFrom(l0);
    const std::size_t digits =
        non_digits == 0 ? l0 : HighestBit(non_digits) + 1;
    if (digits == core_end || digits - l0 < 2 || b[digits - 1] != '_') {
      return no;
    }
    // 4.x: a local name starting with an uppercase letter holds no `__`.
    if (!dot && IsUpper(b[l0]) && (pairs & BitsFrom(l0)) != 0) return no;
    if (!closure && stamps == StampRendering::kDrop &&
        CanonicalDigitsAt(b, m, digits, core_end)) {
      local_end = digits - 1;
    }
    local = Local::kName;
  }
  // WritePlain: the unit with `__` before an uppercase letter written `.`,
  // then the local part.
  char* w = out;
  auto put = [&w](const char* from, std::size_t count) {
    CopyShort(w, from, count);
    w += count;
  };
  std::uint64_t dotted = pairs & (m.upper >> 2) & BitsBelow(unit_end);
  std::size_t copied = 0;
  while (dotted != 0) {
    const std::size_t r = LowestBit(dotted);
    dotted &= dotted - 1;
    put(b + copied, r - copied);
    *w++ = '.';
    copied = r + 2;
  }
  put(b + copied, unit_end - copied);
  switch (local) {
    case Local::kNone:
      break;
    case Local::kName:
      *w++ = '.';
      put(b + l0, local_end - l0);
      break;
    case Local::kMarker:
      put(".<", 2);
      put(b + l0, n - l0);
      *w++ = '>';
      break;
    case Local::kConstant:
      put(".<const_", 8);
      put(b + l0, n - l0);
      *w++ = '>';
      break;
  }
  return {b + n, static_cast<std::size_t>(w - out)};
}

}  // namespace

void TextBuffer::Append(std::string_view s) {
  char* w = Reserve(s.size());
  CopyShort(w, s.data(), s.size());
  Commit(s.size());
}

void TextBuffer::Grow(std::size_t n) {
  const std::size_t capacity = std::max(size_ + n, 2 * capacity_);
  std::unique_ptr<char[]> data(new char[capacity]);
  if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

void AppendDemangledText(std::string_view text, StampRendering stamps,
                         std::string& scratch, TextBuffer& out) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  // Bytes before `copied` are in `out`.
  const char* copied = begin;
  const char* p = begin;
  DemangledSymbol d;
  while (const char* hit = FindAml(p, end)) {
    p = hit + 1;
    const char* const start = SymbolStart(begin, hit);
    if (start == nullptr) continue;
    // Most C names of the runtime, left as they are; any `aml` further in
    // the run starts nothing.
    if (start[0] == 'c' && end - start > 5 && start[4] == '_' &&
        !MayBeCamlUnderscoreSymbol(std::string_view(
            start + 5, static_cast<std::size_t>(end - start - 5)))) {
      continue;
    }
    const std::size_t gap = static_cast<std::size_t>(start - copied);
    const char* stop;
    if (start + 4 < end && start[0] == 'c' && IsUpper(start[4])) {
      // The common names, rendered in place after the pending text.
      char* w = out.Reserve(gap + 64 + kGrowth);
      const Rendered r = RenderCommon(start, end, stamps, w + gap);
      stop = r.run_end;
      if (r.size != kNotRendered) {
        CopyShort(w, copied, gap);
        out.Commit(gap + r.size);
        copied = stop;
        p = stop;
        continue;
      }
    } else {
      stop = RunEnd(hit + 3, end);
    }
    p = stop;
    // The others; a run ending in `.`s may be a symbol without them.
    std::string_view symbol(start, static_cast<std::size_t>(stop - start));
    bool ok = DemangleUncheckedBytes(symbol, d);
    if (!ok && symbol.back() == '.') {
      const std::size_t last = symbol.find_last_not_of('.');
      if (last != std::string_view::npos) {
        symbol = symbol.substr(0, last + 1);
        ok = DemangleUncheckedBytes(symbol, d);
      }
    }
    if (!ok) continue;
    scratch.clear();
    AppendPlain(d, scratch, stamps);
    out.Append(std::string_view(copied, gap));
    out.Append(scratch);
    copied = symbol.data() + symbol.size();
  }
  out.Append(std::string_view(copied, static_cast<std::size_t>(end - copied)));
}

}  // namespace camlsym
