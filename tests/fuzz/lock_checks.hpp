// What the lock-reader fuzz targets do with a lock once read, as `thoth install --lock` would: look
// at every package, file and marker; and write its installation report.
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

// `thoth install --lock FILE --report OUT` writes the report of a lock read from any format; the report
// reads back (`thoth install --lock OUT`) as a lock whose report is the same text. (Writing may refuse
// a lock, e.g. a file without a hash.)
inline void check_written(const Lock& lock) {
  std::string text;
  try {
    text = write_report(lock);
  } catch (const thoth::Error& e) {
    note_error(e.what());
    return;
  }
  Lock again;
  try {
    again = read_report(text, "report.json");
  } catch (const thoth::Error& e) {
    property_failed("lock", e.what(), text);
  }
  const std::string again_text = write_report(again);
  if (again_text != text) property_failed("lock", "written again differently", text + "\n----\n" + again_text);
}

}  // namespace thoth::fuzz
