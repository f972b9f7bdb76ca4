// OCaml's generic hash of a string (and of a record of two strings) and the
// iteration order of OCaml's Hashtbl, reproduced so that camlsym can lay out
// tables exactly as ocamlopt does. asmlink.ml `make_globals_map` builds the
// `caml_globals_map` list by folding over a `String.Tbl` (a Hashtbl.Make
// over `Hashtbl.hash`), so byte-identical startup files need both; 5.3's
// linkdeps.ml reports its errors in the order of three polymorphic
// Hashtbls (`Hashtbl.to_seq`), keyed by strings and by a two-string record.
//
// Mirrors: runtime/hash.c (`caml_hash`, `caml_hash_mix_string`, FINAL_MIX)
// and stdlib/hashtbl.ml (`create`, `replace`, `remove`, `resize`,
// `insert_all_buckets`, `fold`, `to_seq`) of OCaml 4.13.1 (the same in 5.3
// and 5.4), for tables created unrandomized (seed 0), as the functorial
// `Hashtbl.Make` does, and `Hashtbl.create` does unless OCAMLRUNPARAM has R.
#ifndef CAMLSYM_LINKING_STATE_OCAML_HASHTBL_H_
#define CAMLSYM_LINKING_STATE_OCAML_HASHTBL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace camlsym {

/// `Hashtbl.hash s` for an OCaml string \p s: MurmurHash3-style mixing of
/// the bytes as little-endian 32-bit words, the length, a final mix, and a
/// fold to 30 bits. Result in [0, 2^30).
uint32_t OcamlStringHash(std::string_view s);

/// `Hashtbl.hash {a; b}` for a record (block of tag 0) of two OCaml strings
/// \p a and \p b: the block's header, then both strings, in caml_hash's
/// breadth-first order. Result in [0, 2^30).
uint32_t OcamlStringPairHash(std::string_view a, std::string_view b);

/// Hashes a std::string key as OCaml's `Hashtbl.hash` does.
struct OcamlStringHasher {
  uint32_t operator()(std::string_view s) const { return OcamlStringHash(s); }
};

/// A Hashtbl with keys of type \p K hashed by \p Hash (OCaml's hash of the
/// key's OCaml value) and values of type \p V, keeping OCaml's bucket array,
/// bucket order and resizing so that FoldOrder() visits bindings in exactly
/// the order OCaml's `Hashtbl.fold` and `Hashtbl.to_seq` do. Keys compare
/// with ==, as OCaml's structural equality.
template <typename K, typename V, typename Hash>
class OcamlHashtbl {
 public:
  struct Binding {
    K key;
    V value;
  };

  /// `create n`: the bucket array is the least power of 2 >= max(16, n).
  explicit OcamlHashtbl(size_t initial_size = 16) {
    size_t s = 16;
    while (s < initial_size) s *= 2;
    buckets_.resize(s);
  }

  /// `replace tbl key value`: replaces the first binding of \p key, or adds
  /// one at the head of its bucket and resizes when the table holds more
  /// than twice as many bindings as buckets.
  void Replace(const K& key, V value) {
    std::vector<Binding>& b = buckets_[Index(key)];
    for (Binding& x : b) {
      if (x.key == key) {
        x.value = std::move(value);
        return;
      }
    }
    // Buckets are stored tail-first: back() is the head of OCaml's list.
    b.push_back(Binding{key, std::move(value)});
    if (++size_ > buckets_.size() * 2) Resize();
  }

  /// `remove tbl key`: removes the binding of \p key nearest the head of its
  /// bucket, if any.
  void Remove(const K& key) {
    std::vector<Binding>& b = buckets_[Index(key)];
    for (size_t i = b.size(); i-- > 0;) {
      if (b[i].key == key) {
        b.erase(b.begin() + i);
        --size_;
        return;
      }
    }
  }

  /// `find tbl key`: the value of the binding of \p key nearest the head of
  /// its bucket, or null. Valid until the next change to the table.
  const V* Find(const K& key) const {
    const std::vector<Binding>& b = buckets_[Index(key)];
    for (size_t i = b.size(); i-- > 0;) {
      if (b[i].key == key) return &b[i].value;
    }
    return nullptr;
  }

  /// Find's binding, to change its value in place: what `replace tbl key
  /// (f (find tbl key))` does, without copying the value. Null if absent.
  /// Valid until the next change to the table.
  V* FindMutable(const K& key) {
    std::vector<Binding>& b = buckets_[Index(key)];
    for (size_t i = b.size(); i-- > 0;) {
      if (b[i].key == key) return &b[i].value;
    }
    return nullptr;
  }

  /// The bindings in `Hashtbl.fold`'s visiting order: buckets in index
  /// order, each from its head.
  std::vector<const Binding*> FoldOrder() const {
    std::vector<const Binding*> out;
    out.reserve(size_);
    for (const std::vector<Binding>& b : buckets_) {
      for (size_t i = b.size(); i-- > 0;) out.push_back(&b[i]);
    }
    return out;
  }

  size_t size() const { return size_; }
  size_t num_buckets() const { return buckets_.size(); }

 private:
  size_t Index(const K& key) const {
    return Hash()(key) & (buckets_.size() - 1);
  }

  // `resize` with `insert_all_buckets ~inplace:true`: walks old buckets in
  // index order, each from its head, appending to the new buckets' tails,
  // so relative order within a bucket is kept.
  void Resize() {
    std::vector<std::vector<Binding>> old = std::move(buckets_);
    buckets_.assign(old.size() * 2, {});
    std::vector<std::vector<Binding>> head_first(buckets_.size());
    for (std::vector<Binding>& b : old) {
      for (size_t i = b.size(); i-- > 0;) {
        size_t idx = Index(b[i].key);
        head_first[idx].push_back(std::move(b[i]));
      }
    }
    for (size_t i = 0; i < head_first.size(); ++i) {
      std::vector<Binding>& src = head_first[i];
      buckets_[i].assign(std::make_move_iterator(src.rbegin()),
                         std::make_move_iterator(src.rend()));
    }
  }

  std::vector<std::vector<Binding>> buckets_;
  size_t size_ = 0;
};

/// A Hashtbl.Make(String) table with values of type \p V.
template <typename V>
using OcamlStringHashtbl = OcamlHashtbl<std::string, V, OcamlStringHasher>;

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_OCAML_HASHTBL_H_
