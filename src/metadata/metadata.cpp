// CoreMetadata::parse: the fields of the PyPA "Core metadata specifications" that the resolver and
// installer use, on top of the RFC 822 split in rfc822.cpp.
#include "thoth/metadata.hpp"

#include <algorithm>

#include "metadata/description.hpp"
#include "metadata/rfc822.hpp"
#include "base/ascii.hpp"
#include "base/trim.hpp"

namespace thoth {

namespace {


// Quotes a value for a one-line error message (folded values contain line breaks).
std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// Names the distribution as far as it is known, e.g. "invalid core metadata of foo 1.0: ...".
[[noreturn]] void fail(const std::string* name, const std::string* version, const std::string& what) {
  std::string msg = "invalid core metadata";
  if (name && !name->empty()) msg += " of " + *name;
  if (name && !name->empty() && version && !version->empty()) msg += " " + *version;
  throw MetadataError(msg + ": " + what);
}

}  // namespace

CoreMetadata CoreMetadata::parse(std::string_view text) {
  metadata_detail::RawMessage raw = metadata_detail::split_message(text);
  CoreMetadata md;

  // Single-use fields: the first occurrence wins, as email.message.Message.get (used by pip)
  // returns it.
  const std::string* name = nullptr;
  const std::string* version = nullptr;
  const std::string* metadata_version = nullptr;
  const std::string* summary = nullptr;
  const std::string* requires_python = nullptr;
  std::string_view description_source;
  bool have_description = false;
  for (const auto& f : raw.fields) {
    const std::string_view n = f.name;
    if (base::ascii_iequals(n, "name")) {
      if (!name) name = &f.value;
    } else if (base::ascii_iequals(n, "version")) {
      if (!version) version = &f.value;
    } else if (base::ascii_iequals(n, "metadata-version")) {
      if (!metadata_version) metadata_version = &f.value;
    } else if (base::ascii_iequals(n, "summary")) {
      if (!summary) summary = &f.value;
    } else if (base::ascii_iequals(n, "requires-python")) {
      if (!requires_python) requires_python = &f.value;
    } else if (base::ascii_iequals(n, "description")) {
      if (!have_description) description_source = f.source;
      have_description = true;
    }
  }

  // Metadata-Version, Name and Version are required by the spec. pip reads metadata without a
  // Metadata-Version (it never looks at it), so its absence is tolerated and leaves the string
  // empty; without Name or Version a distribution cannot be identified, so those are errors.
  if (metadata_version) md.metadata_version = *metadata_version;
  if (!name) fail(name, version, "the required field Name is missing");
  if (name->empty()) fail(name, version, "the required field Name is empty");
  md.name = *name;
  if (!version) fail(name, version, "the required field Version is missing");
  try {
    md.version = Version::parse(*version);
  } catch (const Error& e) {
    fail(name, nullptr, "Version " + quoted(*version) + " is not a valid PEP 440 version (" + e.what() + ")");
  }
  if (summary) md.summary = *summary;

  // "Requires-Python": a PEP 440 version specifier set; packaging 23.0 rejects the legacy forms
  // (e.g. ">=3.6.*") and so does SpecifierSet::parse.
  if (requires_python) {
    try {
      md.requires_python = SpecifierSet::parse(*requires_python);
    } catch (const Error& e) {
      fail(name, version,
           "Requires-Python " + quoted(*requires_python) + " is not a valid version specifier (" + e.what() + ")");
    }
  }

  for (auto& f : raw.fields) {
    const std::string_view n = f.name;
    if (base::ascii_iequals(n, "requires-dist")) {
      // "Requires-Dist" (multiple use): each value is a PEP 508 requirement.
      try {
        md.requires_dist.push_back(Requirement::parse(f.value));
      } catch (const Error& e) {
        fail(name, version, "Requires-Dist " + quoted(f.value) + " is not a valid requirement (" + e.what() + ")");
      }
    } else if (base::ascii_iequals(n, "provides-extra")) {
      // "Provides-Extra" and PEP 685: extras compare by their normalised name; keep the first spelling's
      // position and drop later duplicates.
      std::string extra = normalize_extra(f.value);
      if (std::find(md.provides_extra.begin(), md.provides_extra.end(), extra) == md.provides_extra.end())
        md.provides_extra.push_back(std::move(extra));
    } else if (base::ascii_iequals(n, "dynamic")) {
      // PEP 643 "Dynamic": field names are case-insensitive, stored lower-cased. The spec forbids
      // Name, Version and Metadata-Version here; pip does not check, so neither do we.
      md.dynamic.push_back(base::ascii_lower(f.value));
    }
    // "Requires" and "Provides" of Metadata-Version 1.1 (PEP 314) name modules, not distributions;
    // pip ignores them, so they stay in `fields` only.
  }

  if (!base::trim(raw.body).empty()) {
    md.description = std::move(raw.body);
  } else if (have_description) {
    md.description = metadata_detail::unfold_description(description_source);
  }

  md.fields.reserve(raw.fields.size());
  for (auto& f : raw.fields) md.fields.emplace_back(std::string(f.name), std::move(f.value));
  return md;
}

std::vector<std::string_view> CoreMetadata::all(std::string_view field) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields)
    if (base::ascii_iequals(n, field)) out.push_back(v);
  return out;
}

bool CoreMetadata::is_dynamic(std::string_view field) const {
  return std::any_of(dynamic.begin(), dynamic.end(), [&](const std::string& d) { return base::ascii_iequals(d, field); });
}

bool CoreMetadata::dependencies_are_static() const {
  // PEP 643: before Metadata-Version 2.2 every field of an sdist's PKG-INFO may be dynamic; from 2.2
  // on only the fields listed in Dynamic may differ in the built wheel. The version is compared as a
  // PEP 440 version so that e.g. "2.10" counts as newer than "2.2".
  const std::optional<Version> mv = Version::try_parse(metadata_version);
  static const Version kFirstWithDynamic = Version::parse("2.2");
  if (!mv || *mv < kFirstWithDynamic) return false;
  return !is_dynamic("Requires-Dist") && !is_dynamic("Requires-Python");
}

}  // namespace thoth
