#include "camlsym/linking_state/link_plan.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <thread>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/linking_state/consistbl.h"
#include "camlsym/linking_state/linkdeps.h"
#include "camlsym/linking_state/linked_unit.h"
#include "camlsym/symbols/middle_end_symbol.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace camlsym {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

struct UnitFile {
  std::string path;
  formats::CmxFile cmx;
  bool has_object = false;  // Whether the unit's .o exists.
};
struct LibraryFile {
  std::string path;
  formats::CmxaFile cmxa;
};
using ObjInfo = std::variant<UnitFile, LibraryFile>;

// Which release's link checks apply (asmlink.ml `check_consistency`,
// `scan_file`).
enum class LinkChecks {
  kOcaml413,  // 4.13: own CRCs set; a second definition checked last.
  kOcaml51,   // 5.1, 5.2: own CRCs checked; a second definition first.
  kLinkdeps,  // 5.3, 5.4: utils/linkdeps.ml, and own CRCs checked.
};

LinkChecks LinkChecksOf(formats::OcamlVersion v) {
  switch (v) {
    case formats::OcamlVersion::k413:
      return LinkChecks::kOcaml413;
    case formats::OcamlVersion::k51:
    case formats::OcamlVersion::k52:
      return LinkChecks::kOcaml51;
    case formats::OcamlVersion::k53:
    case formats::OcamlVersion::k54:
      return LinkChecks::kLinkdeps;
  }
  return LinkChecks::kOcaml413;
}

// Whether the names \p a and \p b are equal. Compared for every interface
// import of every unit, and the names of a big link often have one length
// and a common prefix (generated or numbered units): the last bytes first.
bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || a.back() == b.back()) && a == b;
}

formats::OcamlVersion VersionOf(const ObjInfo& info) {
  if (const auto* u = std::get_if<UnitFile>(&info)) return u->cmx.info.version;
  return std::get<LibraryFile>(info).cmxa.version;
}

const std::string& PathOf(const ObjInfo& info) {
  if (const auto* u = std::get_if<UnitFile>(&info)) return u->path;
  return std::get<LibraryFile>(info).path;
}

// The OCaml version of every file of \p infos (the first file's), or
// kFailedPrecondition naming the first file and the first of another
// version.
absl::StatusOr<formats::OcamlVersion> LinkVersion(
    const std::vector<ObjInfo>& infos) {
  if (infos.empty()) return formats::OcamlVersion::k413;
  const formats::OcamlVersion first = VersionOf(infos.front());
  for (const ObjInfo& info : infos) {
    if (VersionOf(info) == first) continue;
    return absl::FailedPreconditionError(fmt::format(
        "{} was written by OCaml {} but {} by OCaml {}: the files of one link "
        "must come from one OCaml version (--ocaml-stdlib names the "
        "standard library of the inputs' version)",
        PathOf(infos.front()), formats::VersionName(first), PathOf(info),
        formats::VersionName(VersionOf(info))));
  }
  return first;
}

// Reads \p path, a .cmx or .cmxa; a .cmx's import lists' string objects
// are recorded as \p import_objects says (only a plugin's header needs
// them).
absl::StatusOr<ObjInfo> ReadObjInfo(const std::string& path,
                                    formats::ImportObjects import_objects) {
  if (EndsWith(path, ".cmx")) {
    // As asmlink.ml (compilenv.ml read_unit_info): the stored CRC.
    absl::StatusOr<formats::CmxFile> cmx =
        formats::ReadCmx(path, formats::CrcCheck::kAsStored, import_objects);
    if (!cmx.ok()) return cmx.status();
    return UnitFile{path, *std::move(cmx)};
  }
  absl::StatusOr<formats::CmxaFile> cmxa = formats::ReadCmxa(path);
  if (!cmxa.ok()) return cmxa.status();
  return LibraryFile{path, *std::move(cmxa)};
}

// Reads \p name from the load path: like FindOnLoadPath then ReadObjInfo,
// but trying to open each candidate instead of testing it first.
absl::StatusOr<ObjInfo> ReadOnLoadPath(const std::string& name,
                                       const LinkOptions& options) {
  const formats::ImportObjects import_objects =
      options.mode == LinkMode::kPlugin ? formats::ImportObjects::kRecorded
                                        : formats::ImportObjects::kOmitted;
  if (name.find('/') != std::string::npos) {
    absl::StatusOr<ObjInfo> r = ReadObjInfo(name, import_objects);
    if (r.ok() || r.status().code() != absl::StatusCode::kNotFound) return r;
    return absl::NotFoundError(fmt::format("Cannot find file {}", name));
  }
  // The current directory, then each -I directory, then the standard
  // library; the paths are spelled only when needed (most inputs are found
  // in the first place tried).
  const size_t places = options.include_dirs.size() + 2;
  for (size_t i = 0; i < places; ++i) {
    const std::string candidate =
        i == 0 ? name
               : fmt::format("{}/{}",
                             i <= options.include_dirs.size()
                                 ? options.include_dirs[i - 1]
                                 : options.stdlib_dir,
                             name);
    absl::StatusOr<ObjInfo> r = ReadObjInfo(candidate, import_objects);
    if (r.ok() || r.status().code() != absl::StatusCode::kNotFound) return r;
  }
  return absl::NotFoundError(fmt::format("Cannot find file {}", name));
}

}  // namespace

absl::StatusOr<std::string> FindOnLoadPath(
    const std::string& name, const std::vector<std::string>& include_dirs,
    const std::string& stdlib_dir) {
  if (name.find('/') != std::string::npos) {
    if (FileExists(name)) return name;
    return absl::NotFoundError(fmt::format("Cannot find file {}", name));
  }
  if (FileExists(name)) return name;
  for (const std::string& dir : include_dirs) {
    std::string p = fmt::format("{}/{}", dir, name);
    if (FileExists(p)) return p;
  }
  std::string p = fmt::format("{}/{}", stdlib_dir, name);
  if (FileExists(p)) return p;
  return absl::NotFoundError(fmt::format("Cannot find file {}", name));
}

absl::StatusOr<LinkPlan> PlanLink(const std::vector<std::string>& inputs,
                                  const LinkOptions& options) {
  const bool exe = options.mode == LinkMode::kExecutable;
  // The driver's split: OCaml objects to read, C objects to pass on.
  std::vector<std::string> objfiles;
  std::vector<std::string> user_ccobjs;
  if (exe) objfiles.push_back("stdlib.cmxa");
  for (const std::string& in : inputs) {
    if (!in.empty() && in[0] == '-') {
      user_ccobjs.push_back(in);  // -cclib -lfoo
    } else if (EndsWith(in, ".cmx") || EndsWith(in, ".cmxa")) {
      objfiles.push_back(in);
    } else if (EndsWith(in, ".o") || EndsWith(in, ".a") ||
               EndsWith(in, ".so")) {
      if (!FileExists(in)) {
        return absl::NotFoundError(fmt::format("Cannot find file {}", in));
      }
      user_ccobjs.push_back(in);
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "{}: don't know what to do with this file (expected .cmx, .cmxa, "
          ".o, .a or .so)",
          in));
    }
  }
  if (exe && options.std_exit == StdExit::kLinked) {
    objfiles.push_back("std_exit.cmx");
  }

  std::vector<ObjInfo> obj_infos;
  {
    // Files are independent: read them on a few threads, then report the
    // first error in command-line order, as a sequential reader would.
    std::vector<absl::StatusOr<ObjInfo>> read(objfiles.size(),
                                              absl::UnknownError("not read"));
    auto read_one = [&](size_t i) {
      read[i] = ReadOnLoadPath(objfiles[i], options);
      if (read[i].ok()) {
        if (auto* u = std::get_if<UnitFile>(&*read[i])) {
          if (options.check_object_files == CheckObjectFiles::kNo) {
            u->has_object = true;
          } else {
            absl::StatusOr<std::string> o = ObjectFileNameOfFile(u->path);
            u->has_object = o.ok() && FileExists(*o);
          }
        }
      }
    };
    const size_t threads =
        std::min<size_t>({std::max(1u, std::thread::hardware_concurrency()), 4,
                          objfiles.size() / 64 + 1});
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i; (i = next.fetch_add(1)) < objfiles.size();) read_one(i);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();
    obj_infos.reserve(objfiles.size());
    for (absl::StatusOr<ObjInfo>& info : read) {
      if (!info.ok()) return info.status();
      obj_infos.push_back(*std::move(info));
    }
  }

  // The ABI of the link: every file's version must be the first file's.
  absl::StatusOr<formats::OcamlVersion> version = LinkVersion(obj_infos);
  if (!version.ok()) return version.status();
  const LinkChecks checks = LinkChecksOf(*version);

  // object_file_name_of_file, then call_linker's order.
  std::vector<std::string> objects;
  for (const ObjInfo& info : obj_infos) {
    if (const auto* u = std::get_if<UnitFile>(&info)) {
      absl::StatusOr<std::string> o = ObjectFileNameOfFile(u->path);
      if (!o.ok()) return o.status();
      if (!u->has_object) {
        return absl::NotFoundError(
            fmt::format("{}: the object file {} of unit {} is missing", u->path,
                        *o, u->cmx.info.name));
      }
      objects.push_back(*std::move(o));
    } else {
      const auto& lib = std::get<LibraryFile>(info);
      absl::StatusOr<std::string> library = ObjectFileNameOfFile(lib.path);
      if (!library.ok()) return library.status();
      std::string a = *std::move(library);
      if (!FileExists(a)) {
        if (lib.cmxa.units.empty()) continue;
        if (options.check_object_files == CheckObjectFiles::kYes) {
          return absl::NotFoundError(fmt::format(
              "{}: the library {} of its units is missing", lib.path, a));
        }
      }
      objects.push_back(std::move(a));
    }
  }

  // First pass (scan_file, folded from the last file to the first).
  // Before 5.3: asmlink.ml's missing_globals (name -> by); from 5.3,
  // linkdeps.ml.
  std::map<std::string, std::vector<std::string>> missing;
  const bool quoted = formats::QuotesNamesInMessages(*version);
  // Misc.Style.inline_code and Location.Doc.quoted_filename.
  auto q = [quoted](std::string_view s) {
    return quoted ? fmt::format("\"{}\"", s) : std::string(s);
  };
  Linkdeps linkdeps(
      exe ? LinkCompleteness::kComplete : LinkCompleteness::kIncomplete,
      quoted ? NameQuoting::kQuoted : NameQuoting::kBare);
  auto required = [&](const std::string& name) {
    return checks == LinkChecks::kLinkdeps ? linkdeps.Required(name)
                                           : missing.contains(name);
  };
  // Unit \p info of \p file (`lib.cmxa(Unit)` in 4.13's messages) is linked.
  auto add_unit = [&](const std::string& file, const std::string& by,
                      const formats::UnitInfos& info) {
    if (checks == LinkChecks::kLinkdeps) {
      std::vector<std::string> required_units;
      required_units.reserve(info.imports_cmx.size());
      for (size_t i = 0; i < info.imports_cmx.size(); ++i) {
        required_units.emplace_back(info.imports_cmx.name(i));
      }
      linkdeps.Add(file, info.name, info.defines, required_units);
      return;
    }
    missing.erase(info.name);
    // asmlink.ml conses `by` onto the name's list: kept here in the
    // reverse order (appended), read from the end.
    for (size_t i = 0; i < info.imports_cmx.size(); ++i) {
      missing[std::string(info.imports_cmx.name(i))].push_back(by);
    }
  };
  std::vector<PlannedUnit> tolink;  // Built reversed, then flipped.
  std::vector<std::string> lib_ccobjs, lib_ccopts;
  for (auto it = obj_infos.rbegin(); it != obj_infos.rend(); ++it) {
    if (auto* u = std::get_if<UnitFile>(&*it)) {
      add_unit(u->path, u->path, u->cmx.info);
      // Each unit is planned once: typed, and its infos moved out of the
      // file read.
      absl::StatusOr<LinkedUnit> linked = TypeUnitInfos(u->cmx.info, u->path);
      if (!linked.ok()) return linked.status();
      tolink.push_back(PlannedUnit{*std::move(linked), std::move(u->cmx.info),
                                   u->cmx.crc, u->path, u->cmx.file_identity,
                                   std::move(u->cmx.nodes)});
      continue;
    }
    auto& lib = std::get<LibraryFile>(*it);
    if (options.auto_link == AutoLink::kYes) {
      lib_ccobjs.insert(lib_ccobjs.begin(), lib.cmxa.ccobjs.begin(),
                        lib.cmxa.ccobjs.end());
      std::vector<std::string> opts;
      for (std::string opt : lib.cmxa.ccopts) {
        const std::string origin = Dirname(lib.path);
        for (size_t p; (p = opt.find("$CAMLORIGIN")) != std::string::npos;) {
          opt.replace(p, 11, origin);
        }
        opts.push_back(std::move(opt));
      }
      lib_ccopts.insert(lib_ccopts.begin(), opts.begin(), opts.end());
    }
    for (auto u = lib.cmxa.units.rbegin(); u != lib.cmxa.units.rend(); ++u) {
      if (u->info.force_link || options.link_all == LinkAll::kYes ||
          required(u->info.name)) {
        add_unit(lib.path, fmt::format("{}({})", lib.path, u->info.name),
                 u->info);
        absl::StatusOr<LinkedUnit> linked = TypeUnitInfos(u->info, lib.path);
        if (!linked.ok()) return linked.status();
        tolink.push_back(PlannedUnit{*std::move(linked), std::move(u->info),
                                     u->crc, lib.path, lib.cmxa.file_identity,
                                     std::move(u->nodes)});
      }
    }
  }
  std::reverse(tolink.begin(), tolink.end());

  if (checks == LinkChecks::kLinkdeps) {
    if (absl::Status s = linkdeps.Check(); !s.ok()) return s;
  } else if (exe) {
    // Runtimedef.builtin_exceptions are not units: asmlink.ml drops them
    // from the missing globals.
    for (PredefinedException e : kPredefinedExceptions) {
      missing.erase(std::string(PredefinedExceptionName(e)));
    }
    if (!missing.empty()) {
      std::string msg =
          "No implementations provided for the following modules:";
      for (const auto& [name, by] : missing) {
        std::vector<std::string> quoted_by;
        for (auto b = by.rbegin(); b != by.rend(); ++b) {
          quoted_by.push_back(q(*b));
        }
        msg += fmt::format("\n  {} referenced from {}", q(name),
                           fmt::join(quoted_by, ", "));
      }
      return absl::FailedPreconditionError(msg);
    }
  }

  // check_consistency, unit by unit in link order. The tables hold views
  // of \p tolink's strings, which is no longer changed: every interface
  // name, once (a deep graph imports each interface from every later unit:
  // a 1000-unit chain has 500,000 entries for 1000 names).
  Consistbl cmi, cmx;
  absl::flat_hash_map<std::string_view, const std::string*> defined;  // file
  absl::flat_hash_set<std::string_view> cmx_required;
  auto check_defined_once = [&](const PlannedUnit& u) -> absl::Status {
    if (auto it = defined.find(u.info.name); it != defined.end()) {
      return absl::FailedPreconditionError(
          fmt::format("Files {} and {} both define a module named {}",
                      q(u.file), q(*it->second), q(u.info.name)));
    }
    return absl::OkStatus();
  };
  for (const PlannedUnit& u : tolink) {
    // 5.1 and 5.2 check for a second definition first; 5.3's linkdeps
    // already did.
    if (checks == LinkChecks::kOcaml51) {
      if (absl::Status s = check_defined_once(u); !s.ok()) return s;
    }
    const formats::Crcs& imports_cmi = u.info.imports_cmi;
    for (size_t i = 0; i < imports_cmi.size(); ++i) {
      const std::string_view name = imports_cmi.name(i);
      const formats::Digest* crc = imports_cmi.crc(i);
      if (crc == nullptr) {
        cmi.Note(name);
        continue;
      }
      // 4.13 sets the unit's own interface CRC; 5.x checks it like others.
      if (checks == LinkChecks::kOcaml413 && SameName(name, u.info.name)) {
        cmi.Set(name, *crc, u.file);
      } else if (const std::string* orig = cmi.Check(name, *crc, u.file)) {
        return absl::FailedPreconditionError(fmt::format(
            "Files {} and {} make inconsistent assumptions over interface {}",
            q(u.file), q(*orig), q(name)));
      }
    }
    const formats::Crcs& imports_cmx = u.info.imports_cmx;
    for (size_t i = 0; i < imports_cmx.size(); ++i) {
      const std::string_view name = imports_cmx.name(i);
      const formats::Digest* crc = imports_cmx.crc(i);
      if (crc == nullptr) {
        if (cmx_required.contains(name)) {
          // Backquoted tool names before 5.2; Style.inline_code from 5.2.
          const bool style = *version >= formats::OcamlVersion::k52;
          return absl::FailedPreconditionError(fmt::format(
              "File {} was compiled without access to the {} file for "
              "module {}, which was produced by {}. Please recompile {} with "
              "the correct {} option so that {} is found.",
              q(u.file), q(".cmx"), q(name),
              style ? q("ocamlopt -for-pack") : "`ocamlopt -for-pack'",
              q(u.file), style ? q("-I") : "`-I'",
              q(fmt::format("{}.cmx", name))));
        }
        continue;
      }
      if (const std::string* orig = cmx.Check(name, *crc, u.file)) {
        return absl::FailedPreconditionError(
            fmt::format("Files {} and {} make inconsistent assumptions over "
                        "implementation {}",
                        q(u.file), q(*orig), q(name)));
      }
    }
    if (checks == LinkChecks::kOcaml413) {
      if (absl::Status s = check_defined_once(u); !s.ok()) return s;
      cmx.Set(u.info.name, u.crc, u.file);
    } else if (const std::string* orig =
                   cmx.Check(u.info.name, u.crc, u.file)) {
      // 5.x checks the unit's own CRC against what earlier units imported
      // (an Inconsistency that asmlink.ml leaves uncaught; camlsym reports
      // it as the inconsistency it is).
      return absl::FailedPreconditionError(
          fmt::format("Files {} and {} make inconsistent assumptions over "
                      "implementation {}",
                      q(u.file), q(*orig), q(u.info.name)));
    }
    defined.emplace(u.info.name, &u.file);
    if (u.info.symbol != u.info.name) cmx_required.insert(u.info.name);
  }

  LinkPlan plan;
  plan.mode = options.mode;
  plan.version = *version;

  // Consistbl.extract: sorted unique names, folded onto a list (reversed).
  // They come in the order first seen, which for numbered units is nearly
  // sorted already: a merge sort (std::stable_sort) takes such runs in few
  // comparisons (2000 units: 2M instructions fewer than std::sort).
  std::vector<std::string_view> interfaces = cmi.Names();
  std::stable_sort(interfaces.begin(), interfaces.end());
  plan.crc_interfaces.reserve(interfaces.size());
  for (auto it = interfaces.rbegin(); it != interfaces.rend(); ++it) {
    plan.crc_interfaces.push_back(
        InterfaceCrc{std::string(*it), cmi.Find(*it)->crc});
  }

  for (const PlannedUnit& u : tolink) {
    plan.curry_functions.insert(u.info.curry_fun.begin(),
                                u.info.curry_fun.end());
    plan.apply_functions.insert(u.info.apply_fun.begin(),
                                u.info.apply_fun.end());
    plan.send_functions.insert(u.info.send_fun.begin(), u.info.send_fun.end());
  }
  if (exe) plan.apply_functions.insert({2, 3});

  plan.linker_inputs.assign(objects.rbegin(), objects.rend());
  plan.unit_objects = plan.linker_inputs.size();
  plan.linker_inputs.insert(plan.linker_inputs.end(), lib_ccobjs.rbegin(),
                            lib_ccobjs.rend());
  plan.linker_inputs.insert(plan.linker_inputs.end(), user_ccobjs.begin(),
                            user_ccobjs.end());
  plan.ccopts.assign(lib_ccopts.rbegin(), lib_ccopts.rend());
  plan.library_dirs = options.include_dirs;
  plan.library_dirs.push_back(options.stdlib_dir);
  if (exe) {
    absl::StatusOr<std::string> rt =
        FindOnLoadPath(fmt::format("libasmrun{}.a", options.runtime_variant),
                       {}, options.stdlib_dir);
    if (!rt.ok()) return rt.status();
    plan.runtime_lib = *rt;
  }
  plan.units = std::move(tolink);
  return plan;
}

}  // namespace camlsym
