#include "camlsym/tests/object_compare.h"

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"

namespace camlsym::testing {

namespace {

// A normalised text view of \p object: for each content section its name
// and an md5 of its bytes (not the empty .text/.data/.bss that GNU as
// always makes); the relocations sorted, with symbol names; the
// symbols sorted by name with their section names.
std::string Describe(const std::string& object) {
  const std::string o = ShellQuote(object);
  const std::string script = fmt::format(
      R"sh(set -e
empty=$(printf '' | md5sum | cut -c1-32)
readelf -SW {0} | awk '/^ *\[ *[0-9]+\]/ {{sub(/^ *\[ *[0-9]+\] */, ""); print $1, $2}}' |
while read -r name type; do
  case "$type" in PROGBITS|NOBITS)
    sum=$(objcopy -O binary --only-section="$name" {0} /dev/stdout | md5sum | cut -c1-32)
    # GNU as always makes .text, .data and .bss, even empty.
    case "$name:$sum" in .text:$empty|.data:$empty|.bss:*) continue;; esac
    printf 'section %s %s %s\n' "$name" "$type" "$sum";;
  esac
done | sort
readelf -rW {0} | awk '/^Relocation section/ {{sec=$3}} /^[0-9a-f]+ / {{print "reloc", sec, $1, $3, $5, $6, $7}}' | sort
readelf -sW {0} | awk 'NR > 3 && $8 != "" {{print "symbol", $8, $2, $3, $4, $5}}' | sort
)sh",
      o);
  CommandResult r = RunShell(script);
  if (r.exit_code != 0) return "cannot read " + object + ":\n" + r.out;
  return r.out;
}

}  // namespace

std::string CompareObjects(const std::string& want, const std::string& got) {
  const std::string a = Describe(want);
  const std::string b = Describe(got);
  if (a == b) return "";
  const std::string dir = MakeTempDir("object_compare");
  WriteFile(dir + "/want", a);
  WriteFile(dir + "/got", b);
  CommandResult d =
      RunShell(fmt::format("diff {} {} | head -40", ShellQuote(dir + "/want"),
                           ShellQuote(dir + "/got")));
  return fmt::format("{} and {} differ:\n{}", want, got, d.out);
}

}  // namespace camlsym::testing
