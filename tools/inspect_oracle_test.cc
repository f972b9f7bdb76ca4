// Oracle test: `camlsym inspect FILE` prints, file by file, exactly what
// `ocamlobjinfo -no-approx FILE` of the OCaml version that wrote FILE prints,
// for every .cmx, .cmxa and .cmxs of the host OCaml 4.13.1 tree, Debian's
// arm64 4.13.1 tree, and Debian's OCaml 5.3 (trixie) and 5.4 (sid) trees for
// amd64 and arm64 (scripts/install-ocaml5.sh). The arm64 files are read by
// the amd64 ocamlobjinfo of the same version: these files do not depend on
// the architecture, and ocamlobjinfo reads a .cmxs with its own ELF reader.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "camlsym/tests/oracle_util.h"
#include "camlsym/tools/inspect_command.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::CommandResult;
using ::camlsym::testing::RunShell;
using ::camlsym::testing::ShellQuote;

constexpr size_t kFilesPerBatch = 100;

std::string Slurp(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

// What camlsym inspect prints for \p path, or its error.
std::string InspectWithCamlsym(const std::string& path) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  const int status = RunInspect({path}, stdin, out, err);
  std::string text = Slurp(out);
  if (status != 0) text += "ERROR " + Slurp(err);
  std::fclose(out);
  std::fclose(err);
  return text;
}

std::vector<std::string> FindFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if ((ext == ".cmx" || ext == ".cmxa" || ext == ".cmxs") &&
        it->is_regular_file(ec)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// ocamlobjinfo's text per file (blank lines dropped), run in batches.
std::map<std::string, std::string> InspectWithOcamlobjinfo(
    const std::string& ocamlobjinfo, const std::vector<std::string>& files) {
  std::map<std::string, std::string> by_file;
  for (size_t start = 0; start < files.size(); start += kFilesPerBatch) {
    std::string command = ocamlobjinfo + " -no-approx";
    for (size_t i = start; i < std::min(files.size(), start + kFilesPerBatch);
         ++i) {
      command += " " + ShellQuote(files[i]);
    }
    const CommandResult result = RunShell(command);
    EXPECT_EQ(result.exit_code, 0) << command;
    std::string current;
    size_t at = 0;
    while (at < result.out.size()) {
      size_t end = result.out.find('\n', at);
      if (end == std::string::npos) end = result.out.size();
      const std::string line = result.out.substr(at, end - at);
      at = end + 1;
      if (line.rfind("File ", 0) == 0) {
        current = line.substr(5);
        by_file[current] = line + "\n";
      } else if (!current.empty() && !line.empty()) {
        by_file[current] += line + "\n";
      }
    }
  }
  return by_file;
}

// Checks every file under \p root; at least \p min_files, and some of each
// kind in \p kinds.
void CheckTree(const std::string& root, const std::string& ocamlobjinfo,
               size_t min_files, const std::vector<std::string>& kinds) {
  const std::vector<std::string> files = FindFiles(root);
  ASSERT_GE(files.size(), min_files) << "under " << root;
  const std::map<std::string, std::string> expected =
      InspectWithOcamlobjinfo(ocamlobjinfo, files);
  std::map<std::string, size_t> per_kind;
  for (const std::string& file : files) {
    auto it = expected.find(file);
    ASSERT_NE(it, expected.end())
        << "ocamlobjinfo printed nothing for " << file;
    EXPECT_EQ(InspectWithCamlsym(file), it->second);
    ++per_kind[std::filesystem::path(file).extension().string()];
  }
  for (const std::string& kind : kinds) {
    EXPECT_GT(per_kind[kind], 0u) << kind << " under " << root;
  }
  std::printf("checked %zu files (%zu .cmx, %zu .cmxa, %zu .cmxs) under %s\n",
              files.size(), per_kind[".cmx"], per_kind[".cmxa"],
              per_kind[".cmxs"], root.c_str());
}

TEST(InspectOracleTest, Ocaml413Trees) {
  const std::string where = ::camlsym::testing::HostStdlibDir();
  ASSERT_FALSE(where.empty()) << "install ocaml-nox (scripts/install-deps.sh)";
  CheckTree(where, "ocamlobjinfo", 300, {".cmx", ".cmxa", ".cmxs"});
  const std::string arm64 =
      ::camlsym::testing::CacheDir() + "/arm64-ocaml/usr/lib/ocaml";
  ASSERT_TRUE(std::filesystem::is_directory(arm64))
      << arm64 << " is absent: run scripts/install-deps.sh";
  CheckTree(arm64, "ocamlobjinfo", 300, {".cmx", ".cmxa"});
}

void CheckOcaml5(const std::string& suite, const std::string& version_prefix) {
  std::string why;
  const std::optional<::camlsym::testing::Ocaml5Tree> amd64 =
      ::camlsym::testing::FindOcaml5Tree(suite, "amd64", why);
  ASSERT_TRUE(amd64.has_value()) << why;
  const std::optional<::camlsym::testing::Ocaml5Tree> arm64 =
      ::camlsym::testing::FindOcaml5Tree(suite, "arm64", why);
  ASSERT_TRUE(arm64.has_value()) << why;
  EXPECT_EQ(amd64->version.rfind(version_prefix, 0), 0u) << amd64->version;
  EXPECT_EQ(arm64->version, amd64->version);
  std::printf("OCaml %s (Debian %s)\n", amd64->version.c_str(), suite.c_str());
  // Debian's ocaml-base and libstdlib-ocaml-dev: about 80 .cmx each.
  const std::string objinfo = amd64->Tool("ocamlobjinfo");
  CheckTree(amd64->stdlib, objinfo, 70, {".cmx", ".cmxa", ".cmxs"});
  CheckTree(arm64->stdlib, objinfo, 70, {".cmx", ".cmxa", ".cmxs"});
}

TEST(InspectOracleTest, Ocaml53Trees) { CheckOcaml5("trixie", "5.3"); }

TEST(InspectOracleTest, Ocaml54Trees) { CheckOcaml5("sid", "5.4"); }

}  // namespace
}  // namespace camlsym
