#include "camlsym/symbols/object_file.h"

namespace camlsym {

CompilationUnit ObjectFile::MarkerUnit() const {
  switch (kind_) {
    case Kind::kCurrentUnit:
    case Kind::kOtherUnit:
      return *unit_;
    case Kind::kStartup:
      return CompilationUnit::Startup();
    case Kind::kSharedStartup:
      return CompilationUnit::SharedStartup();
    case Kind::kRuntimeAndExternalLibs:
      break;
  }
  return CompilationUnit::System();
}

Linkage ObjectFile::ReferenceLinkage(const ObjectFile& from,
                                     const ObjectFile& to) {
  auto is_unit = [](Kind k) {
    return k == Kind::kCurrentUnit || k == Kind::kOtherUnit;
  };
  if (is_unit(from.kind_) && is_unit(to.kind_)) {
    return from.unit_ == to.unit_ ? Linkage::kDefinedHere : Linkage::kUndefined;
  }
  return from == to ? Linkage::kDefinedHere : Linkage::kUndefined;
}

}  // namespace camlsym
