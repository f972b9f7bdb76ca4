#include "camlsym/symbols/demangle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <utility>

#include "camlsym/symbols/middle_end_symbol.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr std::string_view kSepDoubleUnderscore = "__";
constexpr std::string_view kSepDot = ".";
constexpr std::string_view kSepDollar = "$";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnumUnderscore(char c) {
  return IsDigit(c) || IsUpper(c) || IsLower(c) || c == '_';
}
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// Byte classes of flat symbols, as bits ORed over a name in one pass:
// kClassInvalid for bytes outside `[A-Za-z0-9_.$]`, kClassDot, kClassDollar.
constexpr std::uint8_t kClassInvalid = 1;
constexpr std::uint8_t kClassDot = 2;
constexpr std::uint8_t kClassDollar = 4;
constexpr std::array<std::uint8_t, 256> kFlatClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    char ch = static_cast<char>(c);
    if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= 'a' && ch <= 'z') || ch == '_')) {
      t[c] = kClassInvalid;
    }
  }
  t['.'] = kClassDot;
  t['$'] = kClassDollar;
  return t;
}();
int HexValue(char c) { return IsDigit(c) ? c - '0' : c - 'a' + 10; }

// A capitalized OCaml module identifier as it appears unescaped in a symbol.
bool IsCapitalizedIdent(std::string_view s) {
  if (s.empty() || !IsUpper(s[0])) return false;
  for (char c : s) {
    if (!IsAlnumUnderscore(c)) return false;
  }
  return true;
}

// Decimal without sign or leading zero ("0" itself is fine) that fits in
// int64, so that printing the value gives back exactly \p s.
std::optional<std::int64_t> ParseCanonicalInt(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// True if \p s ends with `_<canonical digits>` preceded by something.
bool EndsWithStamp(std::string_view s) {
  std::size_t us = s.rfind('_');
  if (us == std::string_view::npos || us == 0) return false;
  return ParseCanonicalInt(s.substr(us + 1)).has_value();
}

// How escapes are spelled in a flat scheme.
enum class EscapeStyle {
  // `$xx`; every `$` starts one (4.13, 5.1).
  kDollarHex,
  // `$$xx`; any other `$` is the separator, or a literal `$` inside a name
  // (5.4 with `$` separator).
  kDoubleDollarHexOrLiteral,
};

bool DoubleDollarEscapeAt(std::string_view s, std::size_t i) {
  return i + 3 < s.size() && s[i] == '$' && s[i + 1] == '$' &&
         IsLowerHex(s[i + 2]) && IsLowerHex(s[i + 3]);
}

bool SingleDollarEscapeAt(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '$' && IsLowerHex(s[i + 1]) &&
         IsLowerHex(s[i + 2]);
}

// Walks \p raw, calling \p emit for every decoded byte. Returns false on a
// malformed escape (nothing useful was emitted then).
template <typename Emit>
bool DecodeFlat(std::string_view raw, EscapeStyle style, Emit&& emit) {
  std::size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c != '$') {
      emit(c);
      ++i;
      continue;
    }
    switch (style) {
      case EscapeStyle::kDollarHex:
        if (!SingleDollarEscapeAt(raw, i)) return false;
        emit(static_cast<char>(HexValue(raw[i + 1]) * 16 +
                               HexValue(raw[i + 2])));
        i += 3;
        break;
      case EscapeStyle::kDoubleDollarHexOrLiteral:
        if (DoubleDollarEscapeAt(raw, i)) {
          emit(static_cast<char>(HexValue(raw[i + 2]) * 16 +
                                 HexValue(raw[i + 3])));
          i += 4;
        } else {
          emit('$');
          ++i;
        }
        break;
    }
  }
  return true;
}

// Output sinks: a bounded char buffer (snprintf semantics) or a string.
class BufferSink {
 public:
  BufferSink(char* buf, std::size_t cap) : buf_(buf), cap_(cap) {}
  void Put(char c) {
    if (n_ < cap_) buf_[n_] = c;
    ++n_;
  }
  void Put(std::string_view s) {
    if (n_ < cap_) {
      std::size_t k = std::min(s.size(), cap_ - n_);
      if (k > 0) std::memcpy(buf_ + n_, s.data(), k);
    }
    n_ += s.size();
  }
  std::size_t size() const { return n_; }

 private:
  char* buf_;
  std::size_t cap_;
  std::size_t n_ = 0;
};

class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void Put(char c) { out_.push_back(c); }
  void Put(std::string_view s) { out_.append(s.data(), s.size()); }

 private:
  std::string& out_;
};

// ---------------------------------------------------------------------------
// Flat schemes.

// Position of the first `__` in \p s at or after \p from, or npos. Eight
// positions at a time: a byte of `(w ^ k) | (w' ^ k)` (w the bytes at i,
// w' those at i + 1, k eight `_`) is zero where both are `_`; the lowest
// zero byte is found exactly by the classic has-zero-byte test (the borrow
// it may carry only affects higher bytes). Names hold many single `_`, on
// each of which string_view::find would call memchr again.
std::size_t FindDoubleUnderscore(std::string_view s, std::size_t from) {
  static_assert(std::endian::native == std::endian::little,
                "the lowest-address byte must be the low byte");
  constexpr std::uint64_t kUnderscores = 0x5f5f5f5f5f5f5f5fULL;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = from;
  for (; i + 9 <= n; i += 8) {
    std::uint64_t w, w1;
    std::memcpy(&w, p + i, 8);
    std::memcpy(&w1, p + i + 1, 8);
    const std::uint64_t z = (w ^ kUnderscores) | (w1 ^ kUnderscores);
    const std::uint64_t t = (z - kOnes) & ~z & kHighs;
    if (t != 0) return i + static_cast<std::size_t>(__builtin_ctzll(t) >> 3);
  }
  for (; i + 1 < n; ++i) {
    if (p[i] == '_' && p[i + 1] == '_') return i;
  }
  return std::string_view::npos;
}

struct FlatSpec {
  std::string_view separator;
  /// The separator as one character for 5.x (`.`, `$`), which passes through
  /// escaping there; '\0' for 4.13.
  char separator_char;
  DemangledScheme scheme;
  EscapeStyle style;
};

constexpr FlatSpec kSpec413{kSepDoubleUnderscore, '\0',
                            DemangledScheme::kOcaml413,
                            EscapeStyle::kDollarHex};
constexpr FlatSpec kSpec51{kSepDot, '.', DemangledScheme::kOcaml51,
                           EscapeStyle::kDollarHex};
constexpr FlatSpec kSpec54{kSepDollar, '$', DemangledScheme::kOcaml54,
                           EscapeStyle::kDoubleDollarHexOrLiteral};

EscapeStyle StyleOf(const DemangledSymbol& d) {
  return d.scheme == DemangledScheme::kOcaml54
             ? EscapeStyle::kDoubleDollarHexOrLiteral
             : EscapeStyle::kDollarHex;
}

// True if the compiler writes byte \p c as an escape (emitaux.ml
// `emit_symbol`, x86_proc.ml `string_of_symbol`): a byte outside
// `[A-Za-z0-9_]` that is not the separator (5.x) and that can be part of a
// unit or value name: printable ASCII punctuation, or a byte >= 0x80.
bool IsEscapedByte(unsigned char c, char separator_char) {
  if (c < 0x21 || c == 0x7f) return false;
  if (c >= 0x80) return true;
  if (IsAlnumUnderscore(static_cast<char>(c))) return false;
  return static_cast<char>(c) != separator_char;
}

// What ScanEscapes found.
struct EscapeScan {
  bool any = false;   // at least one escape
  bool high = false;  // an escape decodes to a byte >= 0x80
};

// Checks every escape of \p text under \p spec; false if one is malformed
// or decodes to a byte the compiler would not have escaped.
bool ScanEscapes(std::string_view text, const FlatSpec& spec,
                 EscapeScan& scan) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') continue;
    unsigned char c;
    if (spec.style == EscapeStyle::kDollarHex) {
      if (!SingleDollarEscapeAt(text, i)) return false;
      c = static_cast<unsigned char>(HexValue(text[i + 1]) * 16 +
                                     HexValue(text[i + 2]));
      i += 2;
    } else {
      if (!DoubleDollarEscapeAt(text, i)) continue;  // A separator.
      c = static_cast<unsigned char>(HexValue(text[i + 2]) * 16 +
                                     HexValue(text[i + 3]));
      i += 3;
    }
    if (!IsEscapedByte(c, spec.separator_char)) return false;
    scan.any = true;
    scan.high = scan.high || c >= 0x80;
  }
  return true;
}

// Position of the next separator in \p body at or after \p from, or npos.
std::size_t FindSeparator(std::string_view body, std::size_t from,
                          const FlatSpec& spec) {
  if (spec.separator == kSepDoubleUnderscore) {
    return FindDoubleUnderscore(body, from);
  }
  if (spec.separator == kSepDot) return body.find('.', from);
  for (std::size_t i = from; i < body.size(); ++i) {
    if (body[i] != '$') continue;
    if (DoubleDollarEscapeAt(body, i)) {
      i += 3;
      continue;
    }
    return i;
  }
  return std::string_view::npos;
}

// Position of the next separator between unit components in \p unit at or
// after \p from, or npos: `__` followed by an uppercase letter for 4.13 and
// OxCaml (a unit named `A_b__c` is one component), the separator for 5.x.
std::size_t FindUnitSeparator(std::string_view unit, std::size_t from,
                              DemangledScheme scheme) {
  switch (scheme) {
    case DemangledScheme::kOcaml51:
      return unit.find('.', from);
    case DemangledScheme::kOcaml54:
      return FindSeparator(unit, from, kSpec54);
    default:
      for (std::size_t i = FindDoubleUnderscore(unit, from);
           i != std::string_view::npos; i = FindDoubleUnderscore(unit, i + 1)) {
        if (i + 2 < unit.size() && IsUpper(unit[i + 2])) return i;
      }
      return std::string_view::npos;
  }
}

std::size_t UnitSeparatorSize(DemangledScheme scheme) {
  return scheme == DemangledScheme::kOcaml51 ||
                 scheme == DemangledScheme::kOcaml54
             ? 1
             : 2;
}

// The markers' names, computed once from UnitMarkerName().
constexpr auto kMarkerNames = [] {
  std::array<std::pair<std::string_view, UnitMarker>, std::size(kUnitMarkers)>
      names{};
  for (std::size_t i = 0; i < names.size(); ++i) {
    names[i] = {UnitMarkerName(kUnitMarkers[i]), kUnitMarkers[i]};
  }
  return names;
}();

// The marker named \p s, if any.
std::optional<UnitMarker> MarkerOf(std::string_view s) {
  for (const auto& [name, marker] : kMarkerNames) {
    if (s == name) return marker;
  }
  return std::nullopt;
}

// A unit component as spelled: an uppercase letter, then letters, digits,
// `_` and escapes (Collect() has checked the bytes, ScanEscapes the escapes).
bool IsCapitalizedComponent(std::string_view s) {
  return !s.empty() && IsUpper(s[0]);
}

// The unit end chosen by the splitting rule of demangle.h: the longest run
// of leading capitalized components, except that a last component ending in
// a stamp is the local name (a functor). npos if the first component is not
// capitalized. Sets \p components to the number of components of the unit
// (each starts with an uppercase letter, so each separator crossed is a
// unit separator).
std::size_t GreedyUnitEnd(std::string_view body, const FlatSpec& spec,
                          unsigned& components) {
  const std::size_t sep_len = spec.separator.size();
  std::size_t p = 0;
  std::size_t end = std::string_view::npos;
  components = 0;
  while (true) {
    std::size_t q = FindSeparator(body, p, spec);
    std::string_view comp =
        body.substr(p, q == std::string_view::npos ? body.size() - p : q - p);
    if (!IsCapitalizedComponent(comp)) return end;
    if (q == std::string_view::npos) {
      if (end != std::string_view::npos && EndsWithStamp(comp)) return end;
      ++components;
      return body.size();
    }
    ++components;
    end = q;
    p = q + sep_len;
  }
}

// Checks that \p unit is a unit symbol under \p spec and counts its
// components. 4.13: starts with an uppercase letter, does not end in `__`.
// 5.x: every component starts with an uppercase letter.
// The caller has checked that \p unit holds only `[A-Za-z0-9_$.]` (no `.`
// for 4.13), and \p has_dollar tells whether it holds a `$`. A nonzero
// \p components on entry is the count GreedyUnitEnd found for a 4.13 unit,
// which is then not counted again.
bool CheckUnit(std::string_view unit, const FlatSpec& spec, bool has_dollar,
               EscapeScan& scan, unsigned& components) {
  if (unit.empty() || !IsUpper(unit[0])) return false;
  if (unit.size() >= 2 && unit[unit.size() - 1] == '_' &&
      unit[unit.size() - 2] == '_') {
    return false;
  }
  if (has_dollar && !ScanEscapes(unit, spec, scan)) return false;
  if (spec.scheme == DemangledScheme::kOcaml413) {
    if (components != 0) return components <= 255;
    components = 1;
    for (std::size_t i = FindUnitSeparator(unit, 0, spec.scheme);
         i != std::string_view::npos;
         i = FindUnitSeparator(unit, i + 2, spec.scheme)) {
      ++components;
    }
    return components <= 255;
  }
  components = 1;
  std::size_t p = 0;
  while (true) {
    std::size_t q = FindSeparator(unit, p, spec);
    std::string_view comp =
        unit.substr(p, q == std::string_view::npos ? unit.size() - p : q - p);
    if (!IsCapitalizedComponent(comp)) return false;
    if (comp.size() >= 2 && comp.substr(comp.size() - 2) == "__") return false;
    if (q == std::string_view::npos) break;
    ++components;
    p = q + 1;
  }
  return components <= 255;
}

// Fills the local part of \p d from \p local (the text after the unit's
// separator). False if it is not a local name the compiler produces: a
// marker, a constant number, or a name with a `_<digits>` stamp (flambda's
// `<name>_<digits>_closure` too). A stamp is only taken out of the name if
// it is canonical (no leading zero). In 4.13, a local starting with an
// uppercase letter (a functor or module) holds no `__`, stamp included.
bool ParseLocal(std::string_view local, const FlatSpec& spec, bool has_dollar,
                DemangledSymbol& d, EscapeScan& scan) {
  if (local.empty()) return false;
  if (std::optional<UnitMarker> m = MarkerOf(local)) {
    d.category = SymbolCategory::kUnitMarker;
    d.marker = m;
    d.local_raw = local;
    return true;
  }
  if (IsDigit(local[0])) {
    std::optional<std::int64_t> n = ParseCanonicalInt(local);
    if (!n) return false;
    d.category = SymbolCategory::kAnonymousConstant;
    d.stamp = n;
    return true;
  }
  constexpr std::string_view kClosure = "_closure";
  std::string_view core = local;
  const bool closure = core.size() > kClosure.size() &&
                       core.substr(core.size() - kClosure.size()) == kClosure;
  if (closure) core.remove_suffix(kClosure.size());
  std::size_t digits = core.size();
  while (digits > 0 && IsDigit(core[digits - 1])) --digits;
  if (digits == core.size() || digits < 2 || core[digits - 1] != '_') {
    return false;
  }
  std::string_view name = local;
  if (!closure) {
    if (std::optional<std::int64_t> n =
            ParseCanonicalInt(core.substr(digits))) {
      d.stamp = n;
      name = core.substr(0, digits - 1);
    }
  }
  if (spec.scheme == DemangledScheme::kOcaml413 && IsUpper(name[0]) &&
      FindDoubleUnderscore(local, 0) != std::string_view::npos) {
    return false;
  }
  EscapeScan local_scan;
  if (has_dollar && !ScanEscapes(name, spec, local_scan)) return false;
  scan.high = scan.high || local_scan.high;
  d.category = SymbolCategory::kFunctionOrValue;
  d.local_raw = name;
  d.local_needs_decoding = local_scan.any;
  return true;
}

// Bit of \p scheme in DemangledSymbol::schemes.
constexpr std::uint8_t SchemeBit(DemangledScheme scheme) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(scheme));
}
constexpr std::uint8_t kAllFlatSchemes = SchemeBit(DemangledScheme::kOcaml413) |
                                         SchemeBit(DemangledScheme::kOcaml51) |
                                         SchemeBit(DemangledScheme::kOcaml54);

// Reads \p body as unit `body[0, unit_end)` and, unless unit_end is the
// end, the local name after the separator. \p d holds the symbol and macOS
// flag on entry. \p penalty ranks readings of different schemes (lower is
// likelier): escapes to bytes >= 0x80, and a module block whose unit looks
// like a stamped name.
bool ReadAt(std::string_view body, std::size_t unit_end, const FlatSpec& spec,
            bool has_dollar, unsigned known_components, DemangledSymbol& d,
            int& penalty) {
  EscapeScan scan;
  unsigned components = known_components;
  std::string_view unit = body.substr(0, unit_end);
  if (!CheckUnit(unit, spec, has_dollar, scan, components)) return false;
  d.scheme = spec.scheme;
  d.separator = spec.separator;
  d.unit_separator = spec.separator;
  d.unit = unit;
  d.unit_component_count = static_cast<std::uint8_t>(components);
  d.unit_needs_decoding = scan.any;
  d.schemes = SchemeBit(spec.scheme);
  penalty = 0;
  if (unit_end == body.size()) {
    d.category = SymbolCategory::kModuleBlock;
    // No separator: the 5.x schemes spell it alike unless escapes differ.
    if (spec.scheme != DemangledScheme::kOcaml54) {
      d.schemes = SchemeBit(DemangledScheme::kOcaml413) |
                  SchemeBit(DemangledScheme::kOcaml51);
      if (!has_dollar) d.schemes = kAllFlatSchemes;
    }
    if (EndsWithStamp(unit)) penalty += 2;
    // What follows the last `__` starts like a constant: not a unit name.
    std::size_t last = unit.rfind("__");
    if (last != std::string_view::npos && last + 2 < unit.size() &&
        IsDigit(unit[last + 2])) {
      return false;
    }
  } else {
    if (!ParseLocal(body.substr(unit_end + spec.separator.size()), spec,
                    has_dollar, d, scan)) {
      return false;
    }
  }
  if (scan.high) penalty += 1;
  // `__` before a lowercase letter inside a unit: legal, but rare (dune's
  // `Lib__Mod` has an uppercase letter there), while such names are common
  // in values (`constraint__898` is `constraint_`, stamp 898). A greedy
  // 4.13 unit (known_components) has an uppercase letter after each `__`.
  if (known_components != 0 && spec.scheme == DemangledScheme::kOcaml413) {
    return true;
  }
  for (std::size_t i = FindDoubleUnderscore(unit, 0);
       i != std::string_view::npos; i = FindDoubleUnderscore(unit, i + 1)) {
    if (i + 2 < unit.size() && IsLower(unit[i + 2])) {
      penalty += 1;
      break;
    }
  }
  return true;
}

// Where CollectFlat puts readings: `out[0, cap)`, `count` used so far, with
// a penalty each.
struct ReadingSink {
  DemangledSymbol* out;
  std::size_t cap;
  const DemangledSymbol& base;
  bool has_dollar;  // the body holds a `$`
  std::size_t count = 0;
  int penalties[kMaxDemangledReadings] = {};
};

// Collects the readings of a flat \p body under \p spec into \p sink, in
// the order of demangle.h's rule (the greedy split; 4.13: the other `__`
// positions left to right; the module block if nothing else is valid), then
// stably by penalty. If \p all is false, keeps only the first reading of
// least penalty (stopping at the first of penalty 0). Returns the number
// kept.
std::size_t CollectFlat(std::string_view body, const FlatSpec& spec, bool all,
                        ReadingSink& sink) {
  const std::size_t first = sink.count;
  std::size_t found = 0;
  DemangledSymbol other;
  auto done = [&] { return !all && found > 0 && sink.penalties[first] == 0; };
  auto try_at = [&](std::size_t unit_end, unsigned known_components = 0) {
    const bool replace = !all && found > 0;
    if (!replace && sink.count >= sink.cap) return;
    DemangledSymbol& d = replace ? other : sink.out[sink.count];
    d = sink.base;
    int penalty = 0;
    if (!ReadAt(body, unit_end, spec, sink.has_dollar, known_components, d,
                penalty)) {
      return;
    }
    if (!replace) {
      sink.penalties[sink.count++] = penalty;
      ++found;
    } else if (penalty < sink.penalties[first]) {
      sink.out[first] = other;
      sink.penalties[first] = penalty;
    }
  };
  unsigned greedy_components = 0;
  const std::size_t greedy = GreedyUnitEnd(body, spec, greedy_components);
  if (greedy != std::string_view::npos) try_at(greedy, greedy_components);
  if (spec.scheme == DemangledScheme::kOcaml413) {
    for (std::size_t q = FindDoubleUnderscore(body, 0);
         q != std::string_view::npos && !done();
         q = FindDoubleUnderscore(body, q + 1)) {
      if (q == greedy || q == 0) continue;
      try_at(q);
    }
  }
  if (found == 0 && greedy != body.size()) try_at(body.size());
  // Insertion sort by penalty, stable.
  for (std::size_t i = first + 1; i < first + found; ++i) {
    for (std::size_t j = i;
         j > first && sink.penalties[j] < sink.penalties[j - 1]; --j) {
      std::swap(sink.out[j], sink.out[j - 1]);
      std::swap(sink.penalties[j], sink.penalties[j - 1]);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------
// `caml_*` names.

// Parses a canonical non-negative decimal that fits uint32 at the start of
// \p s; returns its length or 0.
std::size_t ParseArity(std::string_view s, std::uint32_t& value) {
  std::size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0 || n > 9 || (n > 1 && s[0] == '0')) return 0;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v * 10 + (s[i] - '0');
  value = v;
  return n;
}

// The generic functions' names (cmm_helpers.ml), before their arity.
struct GenericKind {
  std::string_view prefix;
  GenericFunctionKind kind;
};
constexpr std::array<GenericKind, 4> kGenericKinds = {{
    {"curry", GenericFunctionKind::kCurry},
    {"tuplify", GenericFunctionKind::kTuplify},
    {"apply", GenericFunctionKind::kApply},
    {"send", GenericFunctionKind::kSend},
}};

constexpr std::string_view kExceptionPrefix = "exn_";

// Up to eight leading bytes of a name, as a little-endian word and the mask
// of the bytes it holds.
struct WordPrefix {
  std::uint64_t value = 0;
  std::uint64_t mask = 0;
};

constexpr WordPrefix WordPrefixOf(std::string_view s) {
  WordPrefix w;
  for (std::size_t i = 0; i < s.size() && i < 8; ++i) {
    w.value |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    w.mask |= std::uint64_t{0xff} << (8 * i);
  }
  return w;
}

// How every name ParseCamlUnderscore takes starts after `caml_`: a
// predefined exception, a generic function, a startup symbol, a pseudo-unit.
constexpr auto kCamlUnderscorePrefixes = [] {
  std::array<WordPrefix, 1 + std::size(kGenericKinds) +
                             std::size(kStartupSymbols) +
                             std::size(kPseudoUnits)>
      t{};
  std::size_t n = 0;
  t[n++] = WordPrefixOf(kExceptionPrefix);
  for (const GenericKind& k : kGenericKinds) t[n++] = WordPrefixOf(k.prefix);
  for (StartupSymbol s : kStartupSymbols) {
    t[n++] = WordPrefixOf(StartupSymbolName(s).substr(5));  // After `caml_`.
  }
  for (PseudoUnit u : kPseudoUnits) {
    t[n++] = WordPrefixOf(PseudoUnitName(u).substr(1));  // After `_`.
  }
  return t;
}();

// Bit `b - 'a'` of entry `a - 'a'`: some prefix of kCamlUnderscorePrefixes
// starts with the lowercase letters a, b (as all of them do).
struct FirstTwoLetters {
  std::array<std::uint32_t, 26> table{};
  bool all_letters = true;
};
constexpr FirstTwoLetters kCamlUnderscoreFirstTwo = [] {
  FirstTwoLetters t;
  for (const WordPrefix& p : kCamlUnderscorePrefixes) {
    const std::uint64_t a = (p.value & 0xff) - 'a';
    const std::uint64_t b = ((p.value >> 8) & 0xff) - 'a';
    if (a >= 26 || b >= 26) {
      t.all_letters = false;
    } else {
      t.table[a] |= std::uint32_t{1} << b;
    }
  }
  return t;
}();
static_assert(kCamlUnderscoreFirstTwo.all_letters);

// False if \p rest (a name after `caml_`) starts as none of them: most C
// names of the runtime (`caml_alloc`) are told apart in a few instructions,
// by their first two letters.
bool MayBeCamlUnderscoreName(std::string_view rest) {
  if (rest.size() < 2) return false;
  const unsigned a = static_cast<unsigned char>(rest[0]) - unsigned{'a'};
  const unsigned b = static_cast<unsigned char>(rest[1]) - unsigned{'a'};
  if (a >= 26 || b >= 26 ||
      ((kCamlUnderscoreFirstTwo.table[a] >> b) & 1) == 0) {
    return false;
  }
  std::uint64_t w = 0;
  if (rest.size() >= 8) {
    std::memcpy(&w, rest.data(), 8);
  } else {
    std::memcpy(&w, rest.data(), rest.size());
  }
  for (const WordPrefix& p : kCamlUnderscorePrefixes) {
    if ((w & p.mask) == p.value) return true;
  }
  return false;
}

bool ParseGeneric(std::string_view rest, DemangledSymbol& d) {
  for (const GenericKind& k : kGenericKinds) {
    if (rest.substr(0, k.prefix.size()) != k.prefix) continue;
    std::string_view tail = rest.substr(k.prefix.size());
    std::uint32_t arity = 0;
    std::size_t n = ParseArity(tail, arity);
    if (n == 0) return false;
    tail = tail.substr(n);
    GenericFunctionKind kind = k.kind;
    std::uint32_t applied = 0;
    if (!tail.empty()) {
      if (kind != GenericFunctionKind::kCurry || tail[0] != '_') return false;
      std::size_t m = ParseArity(tail.substr(1), applied);
      if (m == 0 || applied == 0 || applied >= arity) return false;
      tail = tail.substr(1 + m);
      kind = GenericFunctionKind::kCurryPartial;
      if (tail == "_app") {
        kind = GenericFunctionKind::kCurryPartialApp;
      } else if (!tail.empty()) {
        return false;
      }
    }
    d.category = SymbolCategory::kGenericFunction;
    d.generic_kind = kind;
    d.generic_arity = arity;
    d.generic_applied = applied;
    return true;
  }
  return false;
}

// \p name is the symbol after any macOS prefix, starting with `caml_`, and
// MayBeCamlUnderscoreName holds for what follows `caml_`.
bool ParseCamlUnderscore(std::string_view name, DemangledSymbol& d) {
  std::string_view rest = name.substr(5);
  d.scheme = DemangledScheme::kOcaml413;
  d.schemes = kAllFlatSchemes;
  if (rest.substr(0, kExceptionPrefix.size()) == kExceptionPrefix) {
    std::string_view exn = rest.substr(kExceptionPrefix.size());
    for (PredefinedException e : kPredefinedExceptions) {
      if (exn == PredefinedExceptionName(e)) {
        d.category = SymbolCategory::kPredefinedException;
        d.local_raw = exn;
        return true;
      }
    }
    return false;
  }
  if (ParseGeneric(rest, d)) {
    d.local_raw = name;
    return true;
  }
  for (StartupSymbol t : kStartupSymbols) {
    if (name == StartupSymbolName(t)) {
      d.category = SymbolCategory::kRuntime;
      d.local_raw = name;
      return true;
    }
  }
  const std::string_view unit = name.substr(4);  // `_startup__entry`
  for (PseudoUnit pseudo : kPseudoUnits) {
    const std::string_view pu = PseudoUnitName(pseudo);
    if (unit.substr(0, pu.size()) != pu) continue;
    std::string_view after = unit.substr(pu.size());
    for (auto [sep, scheme] :
         {std::pair{kSepDoubleUnderscore, DemangledScheme::kOcaml413},
          std::pair{kSepDot, DemangledScheme::kOcaml51},
          std::pair{kSepDollar, DemangledScheme::kOcaml54}}) {
      if (after.substr(0, sep.size()) != sep) continue;
      std::optional<UnitMarker> m = MarkerOf(after.substr(sep.size()));
      if (!m) continue;
      d.scheme = scheme;
      d.category = SymbolCategory::kRuntime;
      d.separator = sep;
      d.unit_separator = sep;
      d.unit = unit.substr(0, pu.size());
      d.unit_component_count = 1;
      d.schemes = SchemeBit(scheme);
      // The runtime's `caml_system__code_begin` and `__code_end` keep `__`
      // in 5.x: C code refers to them (PR #13050).
      if (pseudo == PseudoUnit::kSystem && sep == kSepDoubleUnderscore &&
          (*m == UnitMarker::kCodeBegin || *m == UnitMarker::kCodeEnd)) {
        d.schemes = kAllFlatSchemes;
      }
      d.marker = m;
      d.local_raw = after.substr(sep.size());
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// OxCaml structured scheme.

constexpr std::string_view kOxCamlPrefix = "_Caml";

bool IsNamedTag(char c) { return c == 'U' || c == 'M' || c == 'O' || c == 'F'; }
bool IsLocatedTag(char c) {
  return c == 'L' || c == 'S' || c == 'P' || c == 'Z';
}

// One length-prefixed item payload: `[u]<len><payload>`.
struct EncodedIdent {
  bool escaped = false;
  std::string_view payload;
  std::size_t total = 0;  // bytes consumed, flag and length included
};

bool ReadEncodedIdent(std::string_view s, std::size_t pos, EncodedIdent& out) {
  std::size_t i = pos;
  out.escaped = i < s.size() && s[i] == 'u';
  if (out.escaped) ++i;
  std::size_t digits_start = i;
  std::size_t len = 0;
  while (i < s.size() && IsDigit(s[i])) {
    len = len * 10 + static_cast<std::size_t>(s[i] - '0');
    if (len > s.size()) return false;  // Also stops overflow.
    ++i;
  }
  if (i == digits_start || len == 0 || len > s.size() - i) return false;
  out.payload = s.substr(i, len);
  out.total = i + len - pos;
  return true;
}

// Decodes the payload of a `u` item (escaped chunks, `_`, raw chars),
// calling \p emit per byte. False if malformed.
template <typename Emit>
bool DecodeEscapedPayload(std::string_view p, Emit&& emit) {
  std::size_t us = p.find('_');
  if (us == std::string_view::npos) return false;
  std::size_t esc = 0;
  std::size_t raw = us + 1;
  while (p[esc] != '_') {
    if (!IsUpper(p[esc])) return false;
    std::size_t nb = 0;
    while (IsUpper(p[esc])) {
      nb = nb * 26 + static_cast<std::size_t>(p[esc] - 'A');
      if (nb > p.size()) return false;
      ++esc;
    }
    if (nb > p.size() - raw) return false;
    for (std::size_t k = 0; k < nb; ++k) emit(p[raw + k]);
    raw += nb;
    while (IsLowerHex(p[esc])) {
      if (!IsLowerHex(p[esc + 1])) return false;  // p[us] == '_' stops it.
      emit(static_cast<char>(HexValue(p[esc]) * 16 + HexValue(p[esc + 1])));
      esc += 2;
    }
  }
  for (; raw < p.size(); ++raw) emit(p[raw]);
  return true;
}

template <typename Emit>
bool DecodeIdent(const EncodedIdent& id, Emit&& emit) {
  if (!id.escaped) {
    for (char c : id.payload) emit(c);
    return true;
  }
  return DecodeEscapedPayload(id.payload, emit);
}

std::optional<DemangledSymbol> ParseStructured(std::string_view symbol,
                                               bool macos) {
  std::string_view s = symbol.substr(macos ? 1 : 0);
  for (char c : s) {
    if (!IsAlnumUnderscore(c)) return std::nullopt;
  }
  DemangledSymbol d;
  d.symbol = symbol;
  d.scheme = DemangledScheme::kOxCamlStructured;
  d.has_macos_prefix = macos;
  d.separator = kSepDoubleUnderscore;
  d.unit_separator = kSepDoubleUnderscore;
  std::size_t pos = kOxCamlPrefix.size();
  if (pos >= s.size() || s[pos] != 'U') return std::nullopt;
  EncodedIdent unit;
  if (!ReadEncodedIdent(s, pos + 1, unit) || unit.escaped) return std::nullopt;
  if (!IsCapitalizedIdent(unit.payload)) return std::nullopt;
  d.unit = unit.payload;
  pos += 1 + unit.total;
  std::size_t local_begin = pos;
  while (pos < s.size() && s[pos] != '_') {
    char tag = s[pos];
    if (tag == 'I') {
      ++pos;
      continue;
    }
    if (!IsNamedTag(tag) && !IsLocatedTag(tag)) return std::nullopt;
    EncodedIdent id;
    if (!ReadEncodedIdent(s, pos + 1, id)) return std::nullopt;
    if (!DecodeIdent(id, [](char) {})) return std::nullopt;
    pos += 1 + id.total;
  }
  d.local_raw = s.substr(local_begin, pos - local_begin);
  d.local_needs_decoding = !d.local_raw.empty();
  d.oxcaml_suffix = s.substr(pos);
  d.category = d.local_raw.empty() ? SymbolCategory::kModuleBlock
                                   : SymbolCategory::kFunctionOrValue;
  if (!d.oxcaml_suffix.empty()) {
    std::string_view digits = d.oxcaml_suffix.substr(1);
    std::size_t end = digits.find('_');
    if (end == std::string_view::npos || digits.substr(end) == "_code") {
      d.stamp = ParseCanonicalInt(digits.substr(0, end));
    }
  }
  // Unit components split on `__` before an uppercase letter.
  d.schemes = SchemeBit(DemangledScheme::kOxCamlStructured);
  unsigned count = 1;
  for (std::size_t i = FindUnitSeparator(d.unit, 0, d.scheme);
       i != std::string_view::npos;
       i = FindUnitSeparator(d.unit, i + 2, d.scheme)) {
    ++count;
  }
  if (count > 255) return std::nullopt;
  d.unit_component_count = static_cast<std::uint8_t>(count);
  return d;
}

// Renders a `file_line_col` location payload as `file:line:col`; falls back
// to the decoded payload if it does not have that shape.
template <typename Sink>
void RenderLocation(const EncodedIdent& id, Sink& sink) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t index = 0;
  std::size_t last_us = kNone, prev_us = kNone;
  std::size_t seg_len = 0;  // bytes since last_us
  bool seg_digits = true;   // ... all of them digits
  bool prev_segment_ok = false;
  DecodeIdent(id, [&](char c) {
    if (c == '_') {
      prev_segment_ok = last_us != kNone && seg_len > 0 && seg_digits;
      prev_us = last_us;
      last_us = index;
      seg_len = 0;
      seg_digits = true;
    } else {
      ++seg_len;
      seg_digits = seg_digits && IsDigit(c);
    }
    ++index;
  });
  bool shaped =
      prev_us != kNone && prev_segment_ok && seg_len > 0 && seg_digits;
  index = 0;
  DecodeIdent(id, [&](char c) {
    sink.Put(shaped && (index == prev_us || index == last_us) ? ':' : c);
    ++index;
  });
}

template <typename Sink>
void RenderStructuredLocal(std::string_view local, Sink& sink) {
  std::size_t pos = 0;
  bool first = true;
  while (pos < local.size()) {
    if (!first) sink.Put('.');
    first = false;
    char tag = local[pos];
    if (tag == 'I') {
      sink.Put("<specialization_of>");
      ++pos;
      continue;
    }
    EncodedIdent id;
    if (!ReadEncodedIdent(local, pos + 1, id)) return;  // Validated before.
    pos += 1 + id.total;
    if (IsNamedTag(tag)) {
      DecodeIdent(id, [&](char c) { sink.Put(c); });
      continue;
    }
    switch (tag) {
      case 'L':
        sink.Put("fn(");
        break;
      case 'S':
        sink.Put("mod(");
        break;
      case 'P':
        sink.Put("partial(");
        break;
      default:
        sink.Put("lazy(");
        break;
    }
    RenderLocation(id, sink);
    sink.Put(')');
  }
}

// ---------------------------------------------------------------------------
// Rendering.

template <typename Sink>
void WriteLocalName(const DemangledSymbol& d, Sink& sink) {
  if (d.scheme == DemangledScheme::kOxCamlStructured) {
    RenderStructuredLocal(d.local_raw, sink);
    return;
  }
  if (d.category == SymbolCategory::kFunctionOrValue &&
      d.local_needs_decoding) {
    DecodeFlat(d.local_raw, StyleOf(d), [&](char c) { sink.Put(c); });
    return;
  }
  if (d.category == SymbolCategory::kModuleBlock ||
      d.category == SymbolCategory::kAnonymousConstant) {
    return;
  }
  sink.Put(d.local_raw);
}

// Writes \p d's unit with escapes decoded, every separator between unit
// components written \p separator (nullopt: as spelled) and, if \p dotted,
// also every `__` before an uppercase letter inside a 5.x component written
// `.` (`Stdlib__List` is shown `Stdlib.List` whatever the scheme).
template <typename Sink>
void WriteUnit(const DemangledSymbol& d,
               std::optional<std::string_view> separator, bool dotted,
               Sink& sink) {
  const std::string_view unit = d.unit;
  if (!d.unit_needs_decoding && !separator && !dotted) {
    sink.Put(unit);
    return;
  }
  const EscapeStyle style = StyleOf(d);
  const std::size_t sep_size = UnitSeparatorSize(d.scheme);
  const bool flat_5x = d.scheme == DemangledScheme::kOcaml51 ||
                       d.scheme == DemangledScheme::kOcaml54;
  std::size_t p = 0;
  while (p < unit.size()) {
    std::size_t q = FindUnitSeparator(unit, p, d.scheme);
    std::string_view comp =
        unit.substr(p, q == std::string_view::npos ? unit.size() - p : q - p);
    if (dotted && flat_5x) {
      // Split the component itself at `__` + uppercase.
      std::size_t r = 0;
      for (std::size_t k =
               FindUnitSeparator(comp, 0, DemangledScheme::kOcaml413);
           k != std::string_view::npos;
           k = FindUnitSeparator(comp, r, DemangledScheme::kOcaml413)) {
        DecodeFlat(comp.substr(r, k - r), style, [&](char c) { sink.Put(c); });
        sink.Put('.');
        r = k + 2;
      }
      comp = comp.substr(r);
    }
    if (d.unit_needs_decoding) {
      DecodeFlat(comp, style, [&](char c) { sink.Put(c); });
    } else {
      sink.Put(comp);
    }
    if (q == std::string_view::npos) break;
    if (dotted) {
      sink.Put('.');
    } else if (separator) {
      sink.Put(*separator);
    } else {
      sink.Put(unit.substr(q, sep_size));
    }
    p = q + sep_size;
  }
}

template <typename Sink>
void WriteUnitDotted(const DemangledSymbol& d, Sink& sink) {
  WriteUnit(d, std::nullopt, /*dotted=*/true, sink);
}

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

template <typename Sink>
void WritePlain(const DemangledSymbol& d, StampRendering stamps, Sink& sink) {
  switch (d.category) {
    case SymbolCategory::kPredefinedException:
    case SymbolCategory::kGenericFunction:
      sink.Put(d.local_raw);
      return;
    case SymbolCategory::kRuntime:
      sink.Put(d.symbol.substr(d.has_macos_prefix ? 1 : 0));
      return;
    case SymbolCategory::kModuleBlock:
      WriteUnitDotted(d, sink);
      return;
    case SymbolCategory::kUnitMarker:
      WriteUnitDotted(d, sink);
      sink.Put(".<");
      sink.Put(UnitMarkerName(*d.marker));
      sink.Put('>');
      return;
    case SymbolCategory::kAnonymousConstant: {
      WriteUnitDotted(d, sink);
      sink.Put(".<const_");
      char buf[24];
      auto [end, ec] =
          std::to_chars(buf, buf + sizeof buf, d.stamp.value_or(0));
      sink.Put(std::string_view(buf, static_cast<std::size_t>(end - buf)));
      sink.Put('>');
      return;
    }
    case SymbolCategory::kFunctionOrValue:
      WriteUnitDotted(d, sink);
      sink.Put('.');
      WriteLocalName(d, sink);
      if (stamps == StampRendering::kKeep) {
        if (d.scheme == DemangledScheme::kOxCamlStructured) {
          sink.Put(d.oxcaml_suffix);
        } else if (d.stamp) {
          char buf[24];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d.stamp);
          sink.Put('_');
          sink.Put(std::string_view(buf, static_cast<std::size_t>(end - buf)));
        }
      }
      return;
  }
}

}  // namespace

namespace {

// Demangle() and DemangleAll(): all readings if \p all, else only the
// first one of each candidate scheme (enough to know the primary).
// Whether Collect checks the bytes of a flat name.
enum class ByteCheck { kCheck, kCallerChecked };

std::size_t Collect(std::string_view symbol, bool all, DemangledSymbol* out,
                    std::size_t cap, ByteCheck check = ByteCheck::kCheck) {
  std::string_view s = symbol;
  bool macos = false;
  if (s.size() >= 2 && s[0] == '_') {
    std::optional<DemangledSymbol> structured;
    if (s[1] == '_' && s.substr(1, kOxCamlPrefix.size()) == kOxCamlPrefix) {
      structured = ParseStructured(symbol, /*macos=*/true);
    } else if (s.substr(0, kOxCamlPrefix.size()) == kOxCamlPrefix) {
      structured = ParseStructured(symbol, /*macos=*/false);
    } else if (s[1] == 'c') {
      macos = true;
      s.remove_prefix(1);
    }
    if (structured) {
      out[0] = *structured;
      return 1;
    }
    if (!macos) return 0;
  }
  if (s.size() < 5 || s.substr(0, 4) != "caml") return 0;
  std::string_view body = s.substr(4);
  if (body[0] == '_') {
    if (!MayBeCamlUnderscoreName(body.substr(1))) return 0;
    DemangledSymbol& d = out[0];
    d = DemangledSymbol();
    d.symbol = symbol;
    d.has_macos_prefix = macos;
    return ParseCamlUnderscore(s, d) ? 1 : 0;
  }
  bool has_dot;
  bool has_dollar;
  if (check == ByteCheck::kCheck) {
    std::uint8_t classes = 0;
    for (char c : body) classes |= kFlatClass[static_cast<unsigned char>(c)];
    if (classes & kClassInvalid) return 0;
    has_dot = (classes & kClassDot) != 0;
    has_dollar = (classes & kClassDollar) != 0;
  } else {
    has_dot = std::memchr(body.data(), '.', body.size()) != nullptr;
    has_dollar = std::memchr(body.data(), '$', body.size()) != nullptr;
  }
  DemangledSymbol base;
  base.symbol = symbol;
  base.has_macos_prefix = macos;
  if (!IsUpper(body[0])) return 0;
  ReadingSink sink{out, cap, base, has_dollar};
  if (has_dot) {
    // `.` only separates in 5.1 and later (4.13 and 5.4's `$` scheme
    // escape it); a `$$` then is no escape any compiler writes.
    return CollectFlat(body, kSpec51, all, sink);
  }
  if (!has_dollar) {
    return CollectFlat(body, kSpec413, all, sink);
  }
  if (body.find("$$") != std::string_view::npos) {
    return CollectFlat(body, kSpec54, all, sink);
  }
  // Every `$` is either a 4.13/5.1 escape or a 5.4 separator: both schemes
  // are read, and the one whose first reading ranks better comes first.
  if (cap < 2) {
    std::array<DemangledSymbol, 2> two;
    std::size_t n = Collect(symbol, all, two.data(), two.size(), check);
    if (n > 0) out[0] = two[0];
    return std::min(n, cap);
  }
  const std::size_t n413 = CollectFlat(body, kSpec413, all, sink);
  const std::size_t n54 = CollectFlat(body, kSpec54, all, sink);
  if (n413 > 0 && n54 > 0 && sink.penalties[n413] < sink.penalties[0]) {
    std::rotate(out, out + n413, out + n413 + n54);
  }
  return sink.count;
}

}  // namespace

std::optional<DemangledSymbol> Demangle(std::string_view symbol) {
  std::optional<DemangledSymbol> d(std::in_place);
  if (!Demangle(symbol, *d)) return std::nullopt;
  return d;
}

bool Demangle(std::string_view symbol, DemangledSymbol& out) {
  return Collect(symbol, /*all=*/false, &out, 1) > 0;
}

bool MayBeCamlUnderscoreSymbol(std::string_view rest) {
  return MayBeCamlUnderscoreName(rest);
}

bool DemangleUncheckedBytes(std::string_view symbol, DemangledSymbol& out) {
  return Collect(symbol, /*all=*/false, &out, 1, ByteCheck::kCallerChecked) > 0;
}

std::size_t DemangleAll(std::string_view symbol, DemangledReadings& out) {
  out.count =
      Collect(symbol, /*all=*/true, out.readings.data(), out.readings.size());
  return out.count;
}

std::string Mangle(const DemangledSymbol& d) {
  std::string out;
  out.reserve(d.symbol.size());
  if (d.has_macos_prefix) out.push_back('_');
  if (d.scheme == DemangledScheme::kOxCamlStructured) {
    out.append(kOxCamlPrefix);
    out.push_back('U');
    AppendInt(out, static_cast<std::int64_t>(d.unit.size()));
    out.append(d.unit);
    out.append(d.local_raw);
    out.append(d.oxcaml_suffix);
    return out;
  }
  auto unit_prefix = [&] {
    out.append("caml");
    out.append(d.unit);
  };
  switch (d.category) {
    case SymbolCategory::kModuleBlock:
      unit_prefix();
      break;
    case SymbolCategory::kUnitMarker:
      unit_prefix();
      out.append(d.separator);
      out.append(UnitMarkerName(*d.marker));
      break;
    case SymbolCategory::kFunctionOrValue:
      unit_prefix();
      out.append(d.separator);
      out.append(d.local_raw);
      if (d.stamp) {
        out.push_back('_');
        AppendInt(out, *d.stamp);
      }
      break;
    case SymbolCategory::kAnonymousConstant:
      unit_prefix();
      out.append(d.separator);
      AppendInt(out, d.stamp.value_or(0));
      break;
    case SymbolCategory::kPredefinedException:
      out.append("caml_exn_");
      out.append(d.local_raw);
      break;
    case SymbolCategory::kGenericFunction: {
      std::string_view kind;
      switch (d.generic_kind) {
        case GenericFunctionKind::kTuplify:
          kind = "tuplify";
          break;
        case GenericFunctionKind::kApply:
          kind = "apply";
          break;
        case GenericFunctionKind::kSend:
          kind = "send";
          break;
        default:
          kind = "curry";
          break;
      }
      out.append("caml_");
      out.append(kind);
      AppendInt(out, d.generic_arity);
      if (d.generic_kind == GenericFunctionKind::kCurryPartial ||
          d.generic_kind == GenericFunctionKind::kCurryPartialApp) {
        out.push_back('_');
        AppendInt(out, d.generic_applied);
      }
      if (d.generic_kind == GenericFunctionKind::kCurryPartialApp) {
        out.append("_app");
      }
      break;
    }
    case SymbolCategory::kRuntime:
      if (d.unit.empty()) {
        out.append(d.local_raw);
      } else {
        unit_prefix();
        out.append(d.separator);
        out.append(UnitMarkerName(*d.marker));
      }
      break;
  }
  return out;
}

void AppendLocalName(const DemangledSymbol& d, std::string& out) {
  StringSink sink(out);
  WriteLocalName(d, sink);
}

std::string LocalName(const DemangledSymbol& d) {
  std::string out;
  AppendLocalName(d, out);
  return out;
}

std::string_view UnitComponent(const DemangledSymbol& d, std::size_t index) {
  if (index >= d.unit_component_count) return {};
  const std::size_t sep_size = UnitSeparatorSize(d.scheme);
  std::size_t p = 0;
  for (std::size_t i = 0; i < index; ++i) {
    std::size_t q = FindUnitSeparator(d.unit, p, d.scheme);
    if (q == std::string_view::npos) return {};
    p = q + sep_size;
  }
  std::size_t q = FindUnitSeparator(d.unit, p, d.scheme);
  return d.unit.substr(p,
                       q == std::string_view::npos ? d.unit.size() - p : q - p);
}

void AppendUnitName(const DemangledSymbol& d, std::string& out,
                    std::optional<std::string_view> separator) {
  StringSink sink(out);
  WriteUnit(d, separator, /*dotted=*/false, sink);
}

std::vector<std::string_view> UnitComponents(const DemangledSymbol& d) {
  std::vector<std::string_view> out;
  out.reserve(d.unit_component_count);
  for (std::size_t i = 0; i < d.unit_component_count; ++i) {
    out.push_back(UnitComponent(d, i));
  }
  return out;
}

absl::StatusOr<CompilationUnit> UnitOf(const DemangledSymbol& d) {
  if (d.unit.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("symbol \"{}\" has no compilation unit", d.symbol));
  }
  if (d.unit[0] == '_') {
    return CompilationUnit({}, UnitName::CreateUnchecked(d.unit));
  }
  std::vector<UnitName> parts;
  for (std::size_t i = 0; i < d.unit_component_count; ++i) {
    std::string decoded;
    DecodeFlat(UnitComponent(d, i), StyleOf(d),
               [&](char c) { decoded.push_back(c); });
    absl::StatusOr<UnitName> n = UnitName::Create(decoded);
    if (!n.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("symbol \"{}\": unit component {}: {}", d.symbol, i,
                      std::string(n.status().message())));
    }
    parts.push_back(*std::move(n));
  }
  UnitName name = std::move(parts.back());
  parts.pop_back();
  return CompilationUnit(std::move(parts), std::move(name));
}

std::optional<ManglingScheme> FlatManglingScheme(const DemangledSymbol& d) {
  switch (d.scheme) {
    case DemangledScheme::kOcaml413:
      return ManglingScheme(ManglingVersion::kOcaml413,
                            SeparatorPlatform::kUnixNotApple);
    case DemangledScheme::kOcaml51:
      return ManglingScheme(ManglingVersion::kOcaml51,
                            SeparatorPlatform::kUnixNotApple);
    case DemangledScheme::kOcaml54:
      return ManglingScheme(ManglingVersion::kOcaml54,
                            d.separator == kSepDollar
                                ? SeparatorPlatform::kAppleOrNonUnix
                                : SeparatorPlatform::kUnixNotApple);
    case DemangledScheme::kOxCamlStructured:
      return std::nullopt;
  }
  return std::nullopt;
}

std::size_t RenderPlain(const DemangledSymbol& d, char* buf, std::size_t cap,
                        StampRendering stamps) {
  BufferSink sink(buf, cap);
  WritePlain(d, stamps, sink);
  return sink.size();
}

void AppendPlain(const DemangledSymbol& d, std::string& out,
                 StampRendering stamps) {
  StringSink sink(out);
  WritePlain(d, stamps, sink);
}

std::string RenderPlainString(const DemangledSymbol& d, StampRendering stamps) {
  std::string out;
  AppendPlain(d, out, stamps);
  return out;
}

std::vector<DemangledScheme> SchemesOf(const DemangledSymbol& d) {
  std::vector<DemangledScheme> out;
  for (DemangledScheme s :
       {DemangledScheme::kOcaml413, DemangledScheme::kOcaml51,
        DemangledScheme::kOcaml54, DemangledScheme::kOxCamlStructured}) {
    if (IsSpelledBy(d, s)) out.push_back(s);
  }
  return out;
}

bool IsSpelledBy(const DemangledSymbol& d, DemangledScheme scheme) {
  return (d.schemes & SchemeBit(scheme)) != 0;
}

std::string_view SchemeName(DemangledScheme scheme) {
  switch (scheme) {
    case DemangledScheme::kOcaml413:
      return "ocaml-4.13";
    case DemangledScheme::kOcaml51:
      return "ocaml-5.1";
    case DemangledScheme::kOcaml54:
      return "ocaml-5.4";
    case DemangledScheme::kOxCamlStructured:
      return "oxcaml-structured";
  }
  return "";
}

std::string_view CategoryName(SymbolCategory category) {
  switch (category) {
    case SymbolCategory::kUnitMarker:
      return "unit_marker";
    case SymbolCategory::kModuleBlock:
      return "module_block";
    case SymbolCategory::kFunctionOrValue:
      return "function_or_value";
    case SymbolCategory::kAnonymousConstant:
      return "anonymous_constant";
    case SymbolCategory::kPredefinedException:
      return "predefined_exception";
    case SymbolCategory::kGenericFunction:
      return "generic_function";
    case SymbolCategory::kRuntime:
      return "runtime";
  }
  return "";
}

}  // namespace camlsym
