// Core metadata (METADATA in wheels, PKG-INFO in sdists), Metadata-Version 1.0 to 2.4, per the
// "Core metadata specifications" of the PyPA.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

// Thrown for metadata that cannot be used: missing Name/Version, an unparsable Version,
// Requires-Dist or Requires-Python. The message names the field and the offending value.
class MetadataError : public Error {
 public:
  using Error::Error;
};

struct CoreMetadata {
  std::string metadata_version;  // as written, e.g. "2.1"
  std::string name;              // as written
  Version version;
  std::string summary;
  std::vector<Requirement> requires_dist;
  SpecifierSet requires_python;          // empty when absent
  std::vector<std::string> provides_extra;  // normalised (PEP 685), in file order, no duplicates
  std::vector<std::string> dynamic;         // field names lower-cased (PEP 643)

  // Every header field in file order, names as written, values with continuation lines joined by
  // "\n" (the leading whitespace of continuation lines removed); the body (after the first blank
  // line) is not included.
  std::vector<std::pair<std::string, std::string>> fields;

  // The long description: the body (Metadata-Version 2.1+, line breaks as "\n") when there is one,
  // else the Description field unfolded as setuptools reads it back (indentation kept).
  std::string description;

  // Parses METADATA / PKG-INFO text. Throws MetadataError.
  static CoreMetadata parse(std::string_view text);

  // All values of a field (case-insensitive name).
  std::vector<std::string_view> all(std::string_view field) const;

  // PEP 643: true if `field` (case-insensitive) is listed in Dynamic.
  bool is_dynamic(std::string_view field) const;

  // PEP 643: an sdist's PKG-INFO can be trusted for dependencies only when Metadata-Version >= 2.2
  // and neither Requires-Dist nor Requires-Python is Dynamic.
  bool dependencies_are_static() const;
};

}  // namespace thoth
