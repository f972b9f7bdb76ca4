// CompareObjects() must be able to fail: objects from GNU as (x86-64 and,
// with aarch64-linux-gnu-as, AArch64) compare equal to themselves and to a
// second assembly of the same source, and each one-field change made with
// libelf (a byte, a flag, an alignment, a NOBITS size, an entry size, a
// relocation addend, a symbol's section, value or visibility) is reported
// as exactly that one difference.
#include "camlsym/tests/object_compare.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

// One source per machine with what the comparator must see: code with a
// call to an undefined symbol and a PC-relative reference to local data;
// data with absolute references to a local label (through the section
// symbol), a global and an undefined symbol with an addend; a hidden
// global; .bss; a mergeable constant section with an entry size.
constexpr char kX86_64Source[] = R"(
	.text
	.globl	f
	.type	f, @function
f:
	movq	$1, %rax
	call	g@PLT
	leaq	local_data(%rip), %rdi
	ret
	.size	f, .-f
	.data
	.align	8
local_data:
	.quad	g+16
	.quad	f
	.globl	exported
	.hidden	exported
exported:
	.quad	local_data
	.bss
	.align	16
buf:
	.zero	64
	.section	.rodata.cst8,"aM",@progbits,8
	.align	8
	.quad	42
	.section	.note.GNU-stack,"",@progbits
)";

constexpr char kAArch64Source[] = R"(
	.text
	.globl	f
	.type	f, %function
f:
	mov	x0, #1
	bl	g
	adrp	x1, local_data
	add	x1, x1, :lo12:local_data
	ret
	.size	f, .-f
	.data
	.align	3
local_data:
	.xword	g+16
	.xword	f
	.globl	exported
	.hidden	exported
exported:
	.xword	local_data
	.bss
	.align	4
buf:
	.zero	64
	.section	.rodata.cst8,"aM",@progbits,8
	.align	3
	.xword	42
	.section	.note.GNU-stack,"",@progbits
)";

struct Machine {
  const char* name;
  const char* assembler;
  const char* package;  // what provides the assembler on Debian
  const char* source;
  const char* data_relocation;  // the type of `.quad g+16`
};

const Machine kMachines[] = {
    {"x86_64", "as", "binutils", kX86_64Source, "R_X86_64_64"},
    {"aarch64", "aarch64-linux-gnu-as", "binutils-aarch64-linux-gnu",
     kAArch64Source, "R_AARCH64_ABS64"},
};

// Assembles the machine's source into \p dir/\p name; "" or the error.
std::string Assemble(const Machine& m, const std::string& dir,
                     const std::string& name) {
  if (RunShell(fmt::format("command -v {} >/dev/null", m.assembler))
          .exit_code != 0) {
    return fmt::format(
        "{} is not installed: install {} (scripts/install-deps.sh)",
        m.assembler, m.package);
  }
  if (!WriteFile(dir + "/in.s", m.source)) return "cannot write " + dir;
  CommandResult r = RunShell(fmt::format("{} -o {} {} 2>&1", m.assembler,
                                         ShellQuote(dir + "/" + name),
                                         ShellQuote(dir + "/in.s")));
  if (r.exit_code != 0) return fmt::format("{} failed: {}", m.assembler, r.out);
  return "";
}

// --- Mutating an object in place with libelf. -----------------------------

struct ElfFile {
  int fd = -1;
  Elf* elf = nullptr;
  ~ElfFile() {
    if (elf != nullptr) elf_end(elf);
    if (fd >= 0) close(fd);
  }
};

Elf_Scn* FindSection(Elf* elf, std::string_view name) {
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return nullptr;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr;
       scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) return nullptr;
    const char* n = elf_strptr(elf, shstrndx, shdr.sh_name);
    if (n != nullptr && name == n) return scn;
  }
  return nullptr;
}

using Mutation = std::function<absl::Status(Elf*)>;

// Applies \p mutate to the object at \p path and writes it back, keeping
// the layout as it is (ELF_F_LAYOUT): only the mutated field changes.
absl::Status MutateObject(const std::string& path, const Mutation& mutate) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    return absl::InternalError("libelf is unusable");
  }
  ElfFile f;
  f.fd = open(path.c_str(), O_RDWR);
  if (f.fd < 0) return absl::NotFoundError("cannot open " + path);
  f.elf = elf_begin(f.fd, ELF_C_RDWR, nullptr);
  if (f.elf == nullptr) {
    return absl::InvalidArgumentError(elf_errmsg(elf_errno()));
  }
  elf_flagelf(f.elf, ELF_C_SET, ELF_F_LAYOUT);
  if (absl::Status s = mutate(f.elf); !s.ok()) return s;
  if (elf_update(f.elf, ELF_C_WRITE) < 0) {
    return absl::InternalError(
        fmt::format("elf_update: {}", elf_errmsg(elf_errno())));
  }
  return absl::OkStatus();
}

// Changes the header of section \p name with \p edit.
Mutation EditHeader(std::string name, std::function<void(GElf_Shdr&)> edit) {
  return [name, edit](Elf* elf) -> absl::Status {
    Elf_Scn* scn = FindSection(elf, name);
    GElf_Shdr shdr;
    if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
      return absl::NotFoundError("no section " + name);
    }
    edit(shdr);
    if (gelf_update_shdr(scn, &shdr) == 0) {
      return absl::InternalError(elf_errmsg(elf_errno()));
    }
    return absl::OkStatus();
  };
}

// Flips the bits of byte \p offset of section \p name.
Mutation FlipByte(std::string name, size_t offset) {
  return [name, offset](Elf* elf) -> absl::Status {
    Elf_Scn* scn = FindSection(elf, name);
    Elf_Data* data = scn != nullptr ? elf_getdata(scn, nullptr) : nullptr;
    if (data == nullptr || data->d_size <= offset) {
      return absl::NotFoundError("no byte to change in " + name);
    }
    static_cast<unsigned char*>(data->d_buf)[offset] ^= 0xff;
    elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
    return absl::OkStatus();
  };
}

// Index of symbol \p name in .symtab, with its data.
absl::Status FindSymbol(Elf* elf, std::string_view name, Elf_Data*& data,
                        int& index, GElf_Sym& sym) {
  Elf_Scn* scn = FindSection(elf, ".symtab");
  GElf_Shdr shdr;
  if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
    return absl::NotFoundError("no .symtab");
  }
  data = elf_getdata(scn, nullptr);
  if (data == nullptr) return absl::NotFoundError("no .symtab data");
  for (index = 1; gelf_getsym(data, index, &sym) != nullptr; ++index) {
    const char* n = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (n != nullptr && name == n) return absl::OkStatus();
  }
  return absl::NotFoundError(fmt::format("no symbol {}", name));
}

Mutation EditSymbol(std::string name,
                    std::function<void(Elf*, GElf_Sym&)> edit) {
  return [name, edit](Elf* elf) -> absl::Status {
    Elf_Data* data = nullptr;
    int index = 0;
    GElf_Sym sym;
    if (absl::Status s = FindSymbol(elf, name, data, index, sym); !s.ok()) {
      return s;
    }
    edit(elf, sym);
    if (gelf_update_sym(data, index, &sym) == 0) {
      return absl::InternalError(elf_errmsg(elf_errno()));
    }
    elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
    return absl::OkStatus();
  };
}

// Moves symbol \p name into section \p section.
Mutation MoveSymbol(std::string name, std::string section) {
  return EditSymbol(name, [section](Elf* elf, GElf_Sym& sym) {
    sym.st_shndx = static_cast<uint16_t>(elf_ndxscn(FindSection(elf, section)));
  });
}

// Adds \p delta to the addend of the relocation in \p rela_section whose
// symbol is \p symbol.
Mutation EditAddend(std::string rela_section, std::string symbol,
                    int64_t delta) {
  return [=](Elf* elf) -> absl::Status {
    Elf_Data* symbols = nullptr;
    int wanted = 0;
    GElf_Sym sym;
    if (absl::Status s = FindSymbol(elf, symbol, symbols, wanted, sym);
        !s.ok()) {
      return s;
    }
    Elf_Scn* scn = FindSection(elf, rela_section);
    Elf_Data* data = scn != nullptr ? elf_getdata(scn, nullptr) : nullptr;
    if (data == nullptr) return absl::NotFoundError("no " + rela_section);
    GElf_Rela rela;
    for (int i = 0; gelf_getrela(data, i, &rela) != nullptr; ++i) {
      if (static_cast<int>(GELF_R_SYM(rela.r_info)) != wanted) continue;
      rela.r_addend += delta;
      if (gelf_update_rela(data, i, &rela) == 0) {
        return absl::InternalError(elf_errmsg(elf_errno()));
      }
      elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
      return absl::OkStatus();
    }
    return absl::NotFoundError("no relocation against " + symbol);
  };
}

// --- Tests. ---------------------------------------------------------------

class ObjectCompareTest : public ::testing::TestWithParam<Machine> {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir(std::string("object_compare_") + GetParam().name);
    const std::string error = Assemble(GetParam(), dir_, "a.o");
    ASSERT_EQ(error, "");
    ASSERT_EQ(Assemble(GetParam(), dir_, "b.o"), "");
  }

  // The report for a.o against a copy of it changed by \p m.
  std::string DiffAfter(const Mutation& m) {
    const std::string mutated = dir_ + "/mutated.o";
    EXPECT_TRUE(WriteFile(mutated, ReadFile(dir_ + "/a.o")));
    absl::Status s = MutateObject(mutated, m);
    EXPECT_TRUE(s.ok()) << s;
    absl::StatusOr<ObjectView> want = ReadObject(dir_ + "/a.o");
    absl::StatusOr<ObjectView> got = ReadObject(mutated);
    EXPECT_TRUE(want.ok()) << want.status();
    EXPECT_TRUE(got.ok()) << got.status();
    if (!want.ok() || !got.ok()) return "unreadable";
    return DiffObjects(*want, *got);
  }

  std::string dir_;
};

TEST_P(ObjectCompareTest, SameSourceComparesEqual) {
  EXPECT_EQ(CompareObjects(dir_ + "/a.o", dir_ + "/a.o"), "");
  EXPECT_EQ(CompareObjects(dir_ + "/a.o", dir_ + "/b.o"), "");
}

TEST_P(ObjectCompareTest, ReadsWhatTheComparisonRestsOn) {
  absl::StatusOr<ObjectView> v = ReadObject(dir_ + "/a.o");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->problems.empty());
  bool bss = false;
  for (const ObjectSection& s : v->sections) {
    if (s.name != ".bss") continue;
    bss = true;
    EXPECT_EQ(s.size_bytes, 64u);
    EXPECT_EQ(s.alignment_bytes, 16u);
  }
  EXPECT_TRUE(bss);
  int found = 0;
  for (const ObjectSymbol& s : v->symbols) {
    if (s.name == "g") {
      ++found;
      EXPECT_EQ(s.section, "UNDEF");
    }
    if (s.name == "buf") {
      ++found;
      EXPECT_EQ(s.section, ".bss");
    }
    if (s.name == "exported") {
      ++found;
      EXPECT_EQ(s.section, ".data");
      EXPECT_EQ(s.value, 16u);
      EXPECT_EQ(s.visibility, STV_HIDDEN);
    }
  }
  EXPECT_EQ(found, 3);
  int g_relocations = 0;
  for (const ObjectRelocation& r : v->relocations) {
    if (r.section == ".data" && r.symbol == "g") {
      ++g_relocations;
      EXPECT_EQ(r.offset_bytes, 0u);
      EXPECT_EQ(r.addend, 16);
    }
  }
  EXPECT_EQ(g_relocations, 1);
}

struct Case {
  const char* what;
  std::function<Mutation(const Machine&)> mutation;
  // The one line the report must be, given the machine.
  std::function<std::string(const Machine&)> expected;
};

std::string Line(std::string s) { return s + "\n"; }

const Case kCases[] = {
    {"one byte", [](const Machine&) { return FlipByte(".data", 17); },
     [](const Machine&) {
       return Line(
           "section .data: bytes: 1 of 24 differ, the first at offset 0x11: "
           "want [0x10] 00 00 00 00 00 00 00 00, got [0x10] 00 ff 00 00 00 "
           "00 00 00");
     }},
    {"one flag",
     [](const Machine&) {
       return EditHeader(".data",
                         [](GElf_Shdr& h) { h.sh_flags &= ~SHF_WRITE; });
     },
     [](const Machine&) {
       return Line("section .data: flags: want WA (0x3), got A (0x2)");
     }},
    {"one alignment",
     [](const Machine&) {
       return EditHeader(".data", [](GElf_Shdr& h) { h.sh_addralign = 4; });
     },
     [](const Machine&) {
       return Line("section .data: alignment: want 8, got 4");
     }},
    {"the size of .bss (NOBITS)",
     [](const Machine&) {
       return EditHeader(".bss", [](GElf_Shdr& h) { h.sh_size += 8; });
     },
     [](const Machine&) {
       return Line("section .bss: size: want 64, got 72");
     }},
    {"one entry size",
     [](const Machine&) {
       return EditHeader(".rodata.cst8",
                         [](GElf_Shdr& h) { h.sh_entsize = 4; });
     },
     [](const Machine&) {
       return Line("section .rodata.cst8: entry size: want 8, got 4");
     }},
    {"one relocation addend",
     [](const Machine&) { return EditAddend(".rela.data", "g", 1); },
     [](const Machine& m) {
       return Line(
           fmt::format("relocation .data+0x0: want {0} g +16, got {0} g +17",
                       m.data_relocation));
     }},
    {"one symbol's section",
     [](const Machine&) { return MoveSymbol("exported", ".text"); },
     [](const Machine&) {
       return Line("symbol exported: section: want .data, got .text");
     }},
    {"an undefined symbol defined at 0",
     [](const Machine&) { return MoveSymbol("g", ".text"); },
     [](const Machine&) {
       return Line("symbol g: section: want UNDEF, got .text");
     }},
    {"one symbol's value",
     [](const Machine&) {
       return EditSymbol("exported",
                         [](Elf*, GElf_Sym& s) { s.st_value += 8; });
     },
     [](const Machine&) {
       return Line("symbol exported: value: want 0x10, got 0x18");
     }},
    {"one symbol's visibility",
     [](const Machine&) {
       return EditSymbol("exported", [](Elf*, GElf_Sym& s) {
         s.st_other = GELF_ST_VISIBILITY(STV_DEFAULT);
       });
     },
     [](const Machine&) {
       return Line(
           "symbol exported: visibility: want STV_HIDDEN, got STV_DEFAULT");
     }},
    {"one symbol's binding",
     [](const Machine&) {
       return EditSymbol("f", [](Elf*, GElf_Sym& s) {
         s.st_info = GELF_ST_INFO(STB_WEAK, GELF_ST_TYPE(s.st_info));
       });
     },
     [](const Machine&) {
       return Line("symbol f: binding: want STB_GLOBAL, got STB_WEAK");
     }},
};

TEST_P(ObjectCompareTest, ReportsEachChangeAsExactlyThatDifference) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(DiffAfter(c.mutation(GetParam())), c.expected(GetParam()));
  }
}

TEST_P(ObjectCompareTest, ReportsBrokenSymbolTableOrder) {
  // sh_info of .symtab must be the first non-local symbol.
  const std::string diff =
      DiffAfter(EditHeader(".symtab", [](GElf_Shdr& h) { h.sh_info += 1; }));
  EXPECT_NE(diff.find("got: .symtab sh_info is"), std::string::npos) << diff;
}

TEST_P(ObjectCompareTest, CompareObjectsNamesBothFiles) {
  const std::string mutated = dir_ + "/mutated.o";
  ASSERT_TRUE(WriteFile(mutated, ReadFile(dir_ + "/a.o")));
  ASSERT_TRUE(MutateObject(mutated, FlipByte(".text", 0)).ok());
  const std::string report = CompareObjects(dir_ + "/a.o", mutated);
  EXPECT_EQ(
      report.rfind(fmt::format("{}/a.o and {} differ:\n", dir_, mutated), 0),
      0u)
      << report;
  EXPECT_NE(report.find("section .text: bytes: 1 of"), std::string::npos)
      << report;
}

TEST_P(ObjectCompareTest, OnlyWhatGnuAsAddsEmptyCountsAsAbsent) {
  // objcopy drops sections; an empty unused .text/.data/.bss may be absent,
  // a used or non-empty one may not.
  const std::string objcopy = std::string(GetParam().assembler) == "as"
                                  ? "objcopy"
                                  : "aarch64-linux-gnu-objcopy";
  const std::string empty = R"(
	.section	.text.f,"ax",@progbits
	.globl	h
h:
	.byte	1
	.section	.note.GNU-stack,"",@progbits
)";
  ASSERT_TRUE(WriteFile(dir_ + "/empty.s", empty));
  CommandResult r = RunShell(fmt::format(
      "cd {} && {} -o empty.o empty.s && {} -R .text -R .data -R .bss empty.o "
      "stripped.o && {} -R .rodata.cst8 a.o no_rodata.o && {} --strip-all "
      "empty.o no_symbols.o 2>&1",
      ShellQuote(dir_), GetParam().assembler, objcopy, objcopy, objcopy));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(CompareObjects(dir_ + "/empty.o", dir_ + "/stripped.o"), "");
  EXPECT_EQ(CompareObjects(dir_ + "/stripped.o", dir_ + "/empty.o"), "");
  EXPECT_NE(CompareObjects(dir_ + "/a.o", dir_ + "/no_rodata.o")
                .find("section .rodata.cst8: only in want"),
            std::string::npos);
  // A symbol table with symbols is never absent.
  EXPECT_NE(CompareObjects(dir_ + "/empty.o", dir_ + "/no_symbols.o")
                .find("symbol h: only in want"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Machines, ObjectCompareTest,
                         ::testing::ValuesIn(kMachines),
                         [](const ::testing::TestParamInfo<Machine>& info) {
                           return std::string(info.param.name);
                         });

TEST(ReadObjectTest, MissingFileIsNotFound) {
  absl::StatusOr<ObjectView> v = ReadObject("/nonexistent/x.o");
  EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(v.status().message().find("/nonexistent/x.o"),
            std::string_view::npos);
}

TEST(ReadObjectTest, NonElfIsInvalidArgument) {
  const std::string path = MakeTempDir("object_compare_bad") + "/bad.o";
  ASSERT_TRUE(WriteFile(path, "not an object"));
  absl::StatusOr<ObjectView> v = ReadObject(path);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("bad.o"), std::string_view::npos);
  // And an unreadable object never compares equal, even to itself.
  EXPECT_NE(CompareObjects(path, path), "");
}

}  // namespace
}  // namespace camlsym::testing
