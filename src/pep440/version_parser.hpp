// The PEP 440 version grammar as packaging's VERSION_PATTERN accepts it, shared by Version::parse
// and the specifier parser (whose version part is a subset of the same grammar).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "thoth/pep440.hpp"

namespace thoth {

class VersionParser {
 public:
  struct Options {
    bool allow_local = true;      // "+local" (versions, == and !=)
    bool allow_wildcard = false;  // "1.0.*" right after the release (== and !=)
    std::size_t min_release = 1;  // ~= needs two release segments
  };

  VersionParser(std::string_view text, std::size_t pos) : s_(text), pos_(pos), furthest_(pos) {}

  // A version with an empty release for parse() to fill.
  static Version blank() { return Version(Version::Blank{}); }

  // Parses one version starting at the current position, without surrounding whitespace; `out`
  // must be blank(). The grammar is matched greedily, which gives the same groups as packaging's
  // backtracking regex: no optional part can start with text an earlier part would have taken.
  // On failure returns false and error() describes it.
  bool parse(const Options& options, Version& out, bool* wildcard = nullptr);

  std::size_t pos() const { return pos_; }
  void skip_space();
  bool at_end() const { return pos_ >= s_.size(); }

  // Records that the text cannot continue here: the error points at the furthest character any
  // alternative looked at, i.e. the first character that makes the text invalid.
  void fail_unexpected();

  std::size_t error_pos() const { return error_pos_; }
  std::string error() const;

 private:
  enum class Failure : std::uint8_t { None, Unexpected, ShortRelease };

  char at(std::size_t i);  // '\0' past the end; remembers the furthest index looked at
  // Reads a number into a field of the version being parsed; false if there is no digit here.
  bool number(std::uint64_t& out);
  bool require_number(std::uint64_t& out);
  std::size_t match_word(std::size_t p, std::string_view lower_word);
  std::size_t local_char(std::size_t i);
  bool parse_pre(Version& v);
  bool parse_post(Version& v);
  bool parse_dev(Version& v);
  bool parse_local(Version& v);
  void fail(Failure f, std::size_t pos);

  std::string_view s_;
  std::size_t pos_;
  std::size_t furthest_;
  Failure failure_ = Failure::None;
  std::size_t error_pos_ = 0;
  Version* version_ = nullptr;  // the one parse() fills: big numbers are kept in it
};

}  // namespace thoth
