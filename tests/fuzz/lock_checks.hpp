// What the lock-reader fuzz targets do with a lock once read, as `thoth install --lock` would: look
// at every package, file and marker.
#pragma once

#include "fuzz_target.hpp"
#include "thoth/lock.hpp"

namespace thoth::fuzz {

inline void touch_lock(const Lock& lock) {
  for (const LockedPackage& p : lock.packages) {
    (void)lock.find(p.name);
    (void)p.is_source_tree();
    if (p.marker) (void)p.marker->str();
    if (p.version) (void)p.version->str();
    for (const LockedFile& f : p.files) (void)f.sha256();
    for (const Requirement& r : p.requires_dist) (void)r.str();
  }
  for (const Marker& m : lock.environments) (void)m.str();
}

}  // namespace thoth::fuzz
