#include "camlsym/symbols/demangle.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <utility>

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

// Byte classes of flat symbols: 1 for `[A-Za-z0-9_]`, 2 for `.`, 3 for `$`,
// 0 for anything else.
constexpr std::array<std::uint8_t, 256> kFlatClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    char ch = static_cast<char>(c);
    if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
        (ch >= 'a' && ch <= 'z') || ch == '_') {
      t[c] = 1;
    }
  }
  t['.'] = 2;
  t['$'] = 3;
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
  // `$$xx`; every `$` starts one (5.4 with `.` separator).
  kDoubleDollarHex,
  // `$$xx`; any other `$` is a literal `$` (5.4 with `$` separator).
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
      case EscapeStyle::kDoubleDollarHex:
      case EscapeStyle::kDoubleDollarHexOrLiteral:
        if (DoubleDollarEscapeAt(raw, i)) {
          emit(static_cast<char>(HexValue(raw[i + 2]) * 16 +
                                 HexValue(raw[i + 3])));
          i += 4;
        } else if (style == EscapeStyle::kDoubleDollarHexOrLiteral) {
          emit('$');
          ++i;
        } else {
          return false;
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

struct FlatSpec {
  std::string_view separator;
  DemangledScheme scheme;
  EscapeStyle style;
};

EscapeStyle StyleOf(const DemangledSymbol& d) {
  if (d.scheme != DemangledScheme::kOcaml54) return EscapeStyle::kDollarHex;
  return d.separator == kSepDollar ? EscapeStyle::kDoubleDollarHexOrLiteral
                                   : EscapeStyle::kDoubleDollarHex;
}

// Position of the next separator in \p body at or after \p from, or npos.
std::size_t FindSeparator(std::string_view body, std::size_t from,
                          const FlatSpec& spec) {
  if (spec.separator == kSepDoubleUnderscore) return body.find("__", from);
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

// Parses \p body (the text after `caml`, starting with an uppercase letter)
// with \p spec. \p strict adds the checks used to choose between the 4.13
// and the 5.4 `$` readings of an ambiguous name.
bool ParseFlat(std::string_view body, const FlatSpec& spec, bool strict,
               DemangledSymbol& d) {
  const std::size_t sep_len = spec.separator.size();
  std::size_t p = 0;
  std::size_t unit_end = 0;
  unsigned count = 0;
  while (true) {
    std::size_t q = FindSeparator(body, p, spec);
    std::string_view comp =
        body.substr(p, q == std::string_view::npos ? body.size() - p : q - p);
    if (!IsCapitalizedIdent(comp)) break;
    if (q == std::string_view::npos) {
      if (count >= 1 && EndsWithStamp(comp)) break;  // A functor: `Make_951`.
      ++count;
      unit_end = body.size();
      p = body.size();
      break;
    }
    ++count;
    unit_end = q;
    p = q + sep_len;
  }
  if (count == 0 || count > 255) return false;

  d.scheme = spec.scheme;
  d.separator = spec.separator;
  d.unit_separator = spec.separator;
  d.unit = body.substr(0, unit_end);
  d.unit_component_count = static_cast<std::uint8_t>(count);
  if (unit_end == body.size()) {
    d.category = SymbolCategory::kModuleBlock;
    return true;
  }

  std::string_view local = body.substr(p);
  if (local.empty()) return false;
  if (std::optional<UnitMarker> m = MarkerOf(local)) {
    d.category = SymbolCategory::kUnitMarker;
    d.marker = m;
    d.local_raw = local;
    return true;
  }
  if (IsDigit(local[0])) {
    std::optional<std::int64_t> n = ParseCanonicalInt(local);
    if (!n) return false;  // Only constants start with a digit.
    d.category = SymbolCategory::kAnonymousConstant;
    d.stamp = n;
    return true;
  }
  std::size_t us = local.rfind('_');
  if (us != std::string_view::npos && us > 0) {
    if (std::optional<std::int64_t> n =
            ParseCanonicalInt(local.substr(us + 1))) {
      d.stamp = n;
      local = local.substr(0, us);
    }
  }
  const bool has_escape = local.find('$') != std::string_view::npos;
  char first = local[0];
  if (has_escape) {
    bool first_seen = false;
    bool ok = DecodeFlat(local, spec.style, [&](char c) {
      if (!first_seen) {
        first = c;
        first_seen = true;
      }
    });
    if (!ok) return false;
  }
  if (strict && has_escape && IsUpper(first)) return false;
  d.category = SymbolCategory::kFunctionOrValue;
  d.local_raw = local;
  d.local_needs_decoding = has_escape;
  return true;
}

// ---------------------------------------------------------------------------
// `caml_*` names.

constexpr std::array<std::string_view, 13> kPredefinedExceptions = {
    "Out_of_memory",
    "Sys_error",
    "Failure",
    "Invalid_argument",
    "End_of_file",
    "Division_by_zero",
    "Not_found",
    "Match_failure",
    "Stack_overflow",
    "Sys_blocked_io",
    "Assert_failure",
    "Undefined_recursive_module",
    "Continuation_already_taken",
};

constexpr std::array<std::string_view, 7> kRuntimeTables = {
    "program",       "globals",    "globals_map",   "data_segments",
    "code_segments", "frametable", "plugin_header",
};

constexpr std::array<std::string_view, 4> kPseudoUnits = {
    "startup", "shared_startup", "system", "hot"};

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

bool ParseGeneric(std::string_view rest, DemangledSymbol& d) {
  struct Kind {
    std::string_view prefix;
    GenericFunctionKind kind;
  };
  static constexpr std::array<Kind, 4> kKinds = {{
      {"curry", GenericFunctionKind::kCurry},
      {"tuplify", GenericFunctionKind::kTuplify},
      {"apply", GenericFunctionKind::kApply},
      {"send", GenericFunctionKind::kSend},
  }};
  for (const Kind& k : kKinds) {
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

// \p name is the symbol after any macOS prefix, starting with `caml_`.
bool ParseCamlUnderscore(std::string_view name, DemangledSymbol& d) {
  std::string_view rest = name.substr(5);
  d.scheme = DemangledScheme::kOcaml413;
  if (rest.substr(0, 4) == "exn_") {
    std::string_view exn = rest.substr(4);
    for (std::string_view e : kPredefinedExceptions) {
      if (exn == e) {
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
  for (std::string_view t : kRuntimeTables) {
    if (rest == t) {
      d.category = SymbolCategory::kRuntime;
      d.local_raw = name;
      return true;
    }
  }
  for (std::string_view pu : kPseudoUnits) {
    if (rest.substr(0, pu.size()) != pu) continue;
    std::string_view after = rest.substr(pu.size());
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
      d.unit = name.substr(4, 1 + pu.size());  // `_startup`
      d.unit_component_count = 1;
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
  // Unit components split leftmost on `__`.
  unsigned count = 1;
  for (std::size_t i = d.unit.find("__"); i != std::string_view::npos;
       i = d.unit.find("__", i + 2)) {
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

template <typename Sink>
void WriteUnitDotted(const DemangledSymbol& d, Sink& sink) {
  std::string_view unit = d.unit;
  std::string_view sep = d.unit_separator;
  std::size_t p = 0;
  for (unsigned i = 0; i < d.unit_component_count; ++i) {
    if (i > 0) sink.Put('.');
    std::size_t q = sep.empty() || i + 1 == d.unit_component_count
                        ? std::string_view::npos
                        : unit.find(sep, p);
    if (q == std::string_view::npos) {
      sink.Put(unit.substr(p));
      return;
    }
    sink.Put(unit.substr(p, q - p));
    p = q + sep.size();
  }
}

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

template <typename Sink>
void WritePlain(const DemangledSymbol& d, Sink& sink) {
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
      return;
  }
}

}  // namespace

std::optional<DemangledSymbol> Demangle(std::string_view symbol) {
  std::string_view s = symbol;
  bool macos = false;
  if (s.size() >= 2 && s[0] == '_') {
    if (s[1] == '_' && s.substr(1, kOxCamlPrefix.size()) == kOxCamlPrefix) {
      return ParseStructured(symbol, /*macos=*/true);
    }
    if (s.substr(0, kOxCamlPrefix.size()) == kOxCamlPrefix) {
      return ParseStructured(symbol, /*macos=*/false);
    }
    if (s[1] == 'c') {
      macos = true;
      s.remove_prefix(1);
    }
  }
  if (s.size() < 5 || s.substr(0, 4) != "caml") return std::nullopt;
  std::string_view body = s.substr(4);
  bool has_dot = false;
  bool has_dollar = false;
  for (char c : body) {
    switch (kFlatClass[static_cast<unsigned char>(c)]) {
      case 0:
        return std::nullopt;
      case 2:
        has_dot = true;
        break;
      case 3:
        has_dollar = true;
        break;
      default:
        break;
    }
  }
  DemangledSymbol d;
  d.symbol = symbol;
  d.has_macos_prefix = macos;
  if (body[0] == '_') {
    if (!ParseCamlUnderscore(s, d)) return std::nullopt;
    return d;
  }
  if (!IsUpper(body[0])) return std::nullopt;
  bool has_double_dollar =
      has_dollar && body.find("$$") != std::string_view::npos;
  if (has_dot) {
    FlatSpec spec = has_double_dollar
                        ? FlatSpec{kSepDot, DemangledScheme::kOcaml54,
                                   EscapeStyle::kDoubleDollarHex}
                        : FlatSpec{kSepDot, DemangledScheme::kOcaml51,
                                   EscapeStyle::kDollarHex};
    if (!ParseFlat(body, spec, /*strict=*/false, d)) return std::nullopt;
    return d;
  }
  const FlatSpec k413{kSepDoubleUnderscore, DemangledScheme::kOcaml413,
                      EscapeStyle::kDollarHex};
  const FlatSpec k54Dollar{kSepDollar, DemangledScheme::kOcaml54,
                           EscapeStyle::kDoubleDollarHexOrLiteral};
  if (!has_dollar) {
    if (!ParseFlat(body, k413, /*strict=*/false, d)) return std::nullopt;
    return d;
  }
  if (has_double_dollar) {
    if (!ParseFlat(body, k54Dollar, /*strict=*/false, d)) return std::nullopt;
    return d;
  }
  // Every `$` is either a 4.13 escape or a 5.4 separator.
  DemangledSymbol first = d;
  if (ParseFlat(body, k413, /*strict=*/true, first)) return first;
  if (ParseFlat(body, k54Dollar, /*strict=*/true, d)) return d;
  return std::nullopt;
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
  std::string_view sep = d.unit_separator;
  std::size_t p = 0;
  for (std::size_t i = 0; i < index; ++i) {
    std::size_t q = d.unit.find(sep, p);
    if (sep.empty() || q == std::string_view::npos) return {};
    p = q + sep.size();
  }
  if (index + 1 == d.unit_component_count || sep.empty()) {
    return d.unit.substr(p);
  }
  std::size_t q = d.unit.find(sep, p);
  return d.unit.substr(p,
                       q == std::string_view::npos ? d.unit.size() - p : q - p);
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
    absl::StatusOr<UnitName> n = UnitName::Create(UnitComponent(d, i));
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

std::size_t RenderPlain(const DemangledSymbol& d, char* buf, std::size_t cap) {
  BufferSink sink(buf, cap);
  WritePlain(d, sink);
  return sink.size();
}

void AppendPlain(const DemangledSymbol& d, std::string& out) {
  StringSink sink(out);
  WritePlain(d, sink);
}

std::string RenderPlainString(const DemangledSymbol& d) {
  std::string out;
  AppendPlain(d, out);
  return out;
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
