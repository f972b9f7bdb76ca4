#include "camlsym/formats/test_util.h"

#include <bit>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "camlsym/formats/str_cat.h"

namespace camlsym::formats::testing {

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string FromHex(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string CompareGraphs(const MarshalGraph& ga, Value a,
                          const MarshalGraph& gb, Value b) {
  absl::flat_hash_map<NodeIndex, NodeIndex> a_to_b, b_to_a;
  std::vector<std::pair<Value, Value>> work = {{a, b}};
  while (!work.empty()) {
    auto [x, y] = work.back();
    work.pop_back();
    const std::string dx = ga.Describe(x), dy = gb.Describe(y);
    if (x.is_int() || y.is_int()) {
      if (x != y) return formats::internal::StrCat(dx, " vs ", dy);
      continue;
    }
    const NodeKind kx = *ga.Kind(x), ky = *gb.Kind(y);
    if (kx != ky) return formats::internal::StrCat(dx, " vs ", dy);
    if (kx == NodeKind::kBlock && ga.GetBlock(x)->fields.empty()) {
      if (!gb.GetBlock(y)->fields.empty() ||
          ga.GetBlock(x)->tag != gb.GetBlock(y)->tag) {
        return formats::internal::StrCat(dx, " vs ", dy);
      }
      continue;
    }
    auto ix = a_to_b.find(x.node());
    auto iy = b_to_a.find(y.node());
    if (ix != a_to_b.end() || iy != b_to_a.end()) {
      if (ix == a_to_b.end() || iy == b_to_a.end() || ix->second != y.node() ||
          iy->second != x.node()) {
        return formats::internal::StrCat("sharing differs at ", dx, " (node ",
                                         x.node(), ") vs ", dy, " (node ",
                                         y.node(), ")");
      }
      continue;
    }
    a_to_b[x.node()] = y.node();
    b_to_a[y.node()] = x.node();
    switch (kx) {
      case NodeKind::kBlock: {
        const BlockView bx = *ga.GetBlock(x), by = *gb.GetBlock(y);
        if (bx.tag != by.tag || bx.fields.size() != by.fields.size()) {
          return formats::internal::StrCat(dx, " vs ", dy);
        }
        for (size_t i = bx.fields.size(); i-- > 0;) {
          work.push_back({bx.fields[i], by.fields[i]});
        }
        break;
      }
      case NodeKind::kString:
        if (*ga.GetString(x) != *gb.GetString(y)) {
          return formats::internal::StrCat("strings differ: \"",
                                           *ga.GetString(x), "\" vs \"",
                                           *gb.GetString(y), "\"");
        }
        break;
      case NodeKind::kDouble:
        if (std::bit_cast<uint64_t>(*ga.GetDouble(x)) !=
            std::bit_cast<uint64_t>(*gb.GetDouble(y))) {
          return formats::internal::StrCat("floats differ: ", *ga.GetDouble(x),
                                           " vs ", *gb.GetDouble(y));
        }
        break;
      case NodeKind::kDoubleArray: {
        auto sx = *ga.GetDoubleArray(x), sy = *gb.GetDoubleArray(y);
        if (sx.size() != sy.size())
          return formats::internal::StrCat(dx, " vs ", dy);
        for (size_t i = 0; i < sx.size(); ++i) {
          if (std::bit_cast<uint64_t>(sx[i]) !=
              std::bit_cast<uint64_t>(sy[i])) {
            return formats::internal::StrCat("float arrays differ at ", i);
          }
        }
        break;
      }
      case NodeKind::kCustom: {
        const CustomView cx = *ga.GetCustom(x), cy = *gb.GetCustom(y);
        if (cx.identifier != cy.identifier || cx.payload != cy.payload ||
            cx.encoding != cy.encoding ||
            cx.size_32_bytes != cy.size_32_bytes ||
            cx.size_64_bytes != cy.size_64_bytes) {
          return formats::internal::StrCat("custom blocks differ: ", dx, " vs ",
                                           dy);
        }
        break;
      }
    }
  }
  return "";
}

}  // namespace camlsym::formats::testing
