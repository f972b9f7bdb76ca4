// Oracle test: every .cmx and .cmxa of the installed OCaml 4.13.1 (and of
// Debian's arm64 tree, when unpacked) reads with camlsym, and what camlsym
// reads, printed the way `ocamlobjinfo -no-approx` prints it, is exactly what
// ocamlobjinfo prints: unit names, implementation CRCs, globals defined,
// imported interfaces and implementations with their CRCs, currying, apply
// and send functions, force-link flags, and a library's C objects and
// options.

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/tests/oracle_util.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

using ::camlsym::testing::CommandResult;
using ::camlsym::testing::RunShell;

constexpr char kOcamlobjinfo[] = "/usr/bin/ocamlobjinfo";
constexpr size_t kFilesPerBatch = 100;

// ocamlobjinfo's print_name_crc: a tab, the CRC or 32 dashes, a tab, the name.
void PrintImports(const Crcs& imports, std::string& out) {
  for (const Import i : imports) {
    absl::StrAppend(
        &out, "\t",
        i.crc.has_value() ? DigestToHex(*i.crc) : std::string(32, '-'), "\t",
        absl::string_view(i.name.data(), i.name.size()), "\n");
  }
}

void PrintInts(absl::string_view title, const std::vector<int>& ns,
               std::string& out) {
  absl::StrAppend(&out, title, ":");
  for (int n : ns) absl::StrAppend(&out, " ", n);
  absl::StrAppend(&out, "\n");
}

// objinfo.ml's print_cmx_infos with -no-approx.
void PrintUnit(const UnitInfos& ui, const Digest& crc, std::string& out) {
  absl::StrAppend(&out, "Name: ", ui.name, "\n");
  absl::StrAppend(&out, "CRC of implementation: ", DigestToHex(crc), "\n");
  absl::StrAppend(&out, "Globals defined:\n");
  for (const std::string& d : ui.defines) absl::StrAppend(&out, "\t", d, "\n");
  absl::StrAppend(&out, "Interfaces imported:\n");
  PrintImports(ui.imports_cmi, out);
  absl::StrAppend(&out, "Implementations imported:\n");
  PrintImports(ui.imports_cmx, out);
  absl::StrAppend(&out, ui.export_info_kind == ExportInfoKind::kClambda
                            ? "Clambda unit\n"
                            : "Flambda export information:\n");
  PrintInts("Currying functions", ui.curry_fun, out);
  PrintInts("Apply functions", ui.apply_fun, out);
  PrintInts("Send functions", ui.send_fun, out);
  absl::StrAppend(&out, "Force link: ", ui.force_link ? "YES" : "no", "\n");
}

// What camlsym reads from \p path, printed like ocamlobjinfo, or the error.
std::string PrintWithCamlsym(const std::string& path) {
  std::string out = absl::StrCat("File ", path, "\n");
  if (absl::EndsWith(path, ".cmx")) {
    absl::StatusOr<CmxFile> cmx = ReadCmx(path);
    if (!cmx.ok()) return absl::StrCat(out, "ERROR ", cmx.status().ToString());
    PrintUnit(cmx->info, cmx->crc, out);
  } else {
    absl::StatusOr<CmxaFile> cmxa = ReadCmxa(path);
    if (!cmxa.ok()) {
      return absl::StrCat(out, "ERROR ", cmxa.status().ToString());
    }
    absl::StrAppend(&out, "Extra C object files:");
    for (auto it = cmxa->ccobjs.rbegin(); it != cmxa->ccobjs.rend(); ++it) {
      absl::StrAppend(&out, " ", *it);
    }
    absl::StrAppend(&out, "\nExtra C options:");
    for (auto it = cmxa->ccopts.rbegin(); it != cmxa->ccopts.rend(); ++it) {
      absl::StrAppend(&out, " ", *it);
    }
    absl::StrAppend(&out, "\n");
    for (const LibUnit& u : cmxa->units) PrintUnit(u.info, u.crc, out);
  }
  return out;
}

std::vector<std::string> FindCmxFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return files;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if ((ext == ".cmx" || ext == ".cmxa") && it->is_regular_file(ec)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs ocamlobjinfo on \p files in batches; returns its text per file.
std::map<std::string, std::string> PrintWithOcamlobjinfo(
    const std::vector<std::string>& files) {
  std::map<std::string, std::string> by_file;
  for (size_t start = 0; start < files.size(); start += kFilesPerBatch) {
    std::string command = absl::StrCat(kOcamlobjinfo, " -no-approx");
    for (size_t i = start; i < std::min(files.size(), start + kFilesPerBatch);
         ++i) {
      absl::StrAppend(&command, " '", files[i], "'");
    }
    const CommandResult result = RunShell(command);
    EXPECT_EQ(result.exit_code, 0) << command;
    const std::string& output = result.out;
    std::string current;
    for (absl::string_view line : absl::StrSplit(output, '\n')) {
      if (absl::ConsumePrefix(&line, "File ")) {
        current = std::string(line);
        by_file[current] = absl::StrCat("File ", line, "\n");
      } else if (!current.empty() && !line.empty()) {
        absl::StrAppend(&by_file[current], line, "\n");
      }
    }
  }
  return by_file;
}

void CheckTree(const std::string& root, size_t min_files) {
  const std::vector<std::string> files = FindCmxFiles(root);
  ASSERT_GE(files.size(), min_files) << "under " << root;
  const std::map<std::string, std::string> expected =
      PrintWithOcamlobjinfo(files);
  size_t cmxa = 0;
  for (const std::string& file : files) {
    auto it = expected.find(file);
    ASSERT_NE(it, expected.end())
        << "ocamlobjinfo printed nothing for " << file;
    EXPECT_EQ(PrintWithCamlsym(file), it->second);
    if (absl::EndsWith(file, ".cmxa")) ++cmxa;
  }
  EXPECT_GT(cmxa, 0u);
  std::printf("checked %zu files (%zu .cmxa) under %s\n", files.size(), cmxa,
              root.c_str());
}

TEST(CmxOracleTest, HostOCamlTree) {
  const std::string where = ::camlsym::testing::HostStdlibDir();
  ASSERT_FALSE(where.empty());
  // compiler-libs included: Debian's 4.13.1 has about 380 such files.
  CheckTree(where, 300);
}

TEST(CmxOracleTest, Arm64OCamlTree) {
  const passwd* pw = getpwuid(getuid());
  const std::string home = pw != nullptr ? pw->pw_dir : "/root";
  const char* cache = std::getenv("CAMLSYM_CACHE");
  const std::string root =
      absl::StrCat(cache != nullptr ? cache : home + "/.cache/camlsym",
                   "/arm64-ocaml/usr/lib/ocaml");
  // A missing oracle is a failure, not a skip.
  ASSERT_TRUE(std::filesystem::is_directory(root))
      << root
      << " is absent: run scripts/install-deps.sh, which unpacks Debian's "
         "arm64 OCaml 4.13.1 there";
  CheckTree(root, 300);
}

}  // namespace
}  // namespace camlsym::formats
