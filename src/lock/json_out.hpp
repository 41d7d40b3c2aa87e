// JSON written straight into a string, exactly as Python's json.dump(obj, f, indent=2,
// ensure_ascii=False) lays it out: pip writes its installation report that way. A report quotes
// every package's whole metadata (hundreds of kilobytes), so nothing is built first and copied out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace thoth::lock_detail {

// Values in document order: begin/end pairs for containers, key() before each member of an object.
// Misuse (a value in an object without a key, ends that do not match) is a programming error the
// writer does not check.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The name of the next member of the current object.
  void key(std::string_view name);

  void string(std::string_view s);
  void boolean(bool b);
  void number(std::string_view digits);  // written as given
  void null();

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline();

  std::string& out_;
  std::vector<std::size_t> items_;  // per open container: members or items written so far
  bool after_key_ = false;
};

// A JSON string literal as Python's json module writes it with ensure_ascii=False: '"' and '\\'
// escaped, \n \r \t \b \f by name, other control characters as \u00XX, everything else as is.
void append_json_string(std::string& out, std::string_view s);

}  // namespace thoth::lock_detail
