// JSON exactly as Python's json module writes it with sort_keys=True and ensure_ascii=True: pipenv
// hashes the compact form of a Pipfile projection and writes Pipfile.lock indented by 4, so a byte of
// difference is a different hash or a different lock.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "thoth/pipfile.hpp"

namespace thoth {

JsonValue JsonValue::of(std::string s) {
  JsonValue v;
  v.kind = Kind::string;
  v.string = std::move(s);
  return v;
}

JsonValue JsonValue::of(bool b) {
  JsonValue v;
  v.kind = Kind::boolean;
  v.boolean = b;
  return v;
}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind = Kind::object;
  return v;
}

JsonValue JsonValue::array() {
  JsonValue v;
  v.kind = Kind::array;
  return v;
}

const JsonValue* JsonValue::get(const std::string& key) const {
  auto it = members.find(key);
  return it == members.end() ? nullptr : &it->second;
}

namespace {

void append_hex4(std::string& out, unsigned value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", value);
  out += buf;
}

// Decodes one UTF-8 sequence at s[i] (advancing i); an invalid byte is taken as U+FFFD (Python would
// have refused to read such a file, so this only keeps the writer total).
unsigned next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  unsigned cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b >> 6) != 0x2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

// json.encoder.py_encode_basestring_ascii.
void append_ascii_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const unsigned cp = next_code_point(s, i);
    switch (cp) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      append_hex4(out, cp);
    } else {
      const unsigned v = cp - 0x10000;  // UTF-16 surrogate pair, as Python writes it
      append_hex4(out, 0xD800 | (v >> 10));
      append_hex4(out, 0xDC00 | (v & 0x3FF));
    }
  }
  out += '"';
}

// float.__repr__: the shortest digits that round-trip, in positional notation when the decimal
// exponent is in [-4, 16), else scientific with a signed two-digit-minimum exponent ("1e+16").
std::string python_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // e.g. "-1.2345e+02"
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const std::size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exponent = std::stoi(sci.substr(e + 1));
  const int n = static_cast<int>(digits.size());
  std::string out;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (exponent + 1 >= n) {
      out = digits + std::string(static_cast<std::size_t>(exponent + 1 - n), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
            digits.substr(static_cast<std::size_t>(exponent + 1));
    }
  } else {
    out = digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
    out += exp;
  }
  return sign + out;
}

void write(std::string& out, const JsonValue& v, int indent, int depth) {
  auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
  };
  switch (v.kind) {
    case JsonValue::Kind::null: out += "null"; return;
    case JsonValue::Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case JsonValue::Kind::integer: out += std::to_string(v.integer); return;
    case JsonValue::Kind::real: out += python_float(v.real); return;
    case JsonValue::Kind::string: append_ascii_string(out, v.string); return;
    case JsonValue::Kind::array: {
      if (v.items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const JsonValue& item : v.items) {
        if (!first) out += ',';
        first = false;
        if (indent > 0) newline(depth + 1);
        write(out, item, indent, depth + 1);
      }
      if (indent > 0) newline(depth);
      out += ']';
      return;
    }
    case JsonValue::Kind::object: {
      if (v.members.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, member] : v.members) {
        if (!first) out += ',';
        first = false;
        if (indent > 0) newline(depth + 1);
        append_ascii_string(out, key);
        out += indent > 0 ? ": " : ":";
        write(out, member, indent, depth + 1);
      }
      if (indent > 0) newline(depth);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string python_json(const JsonValue& value, int indent) {
  std::string out;
  write(out, value, indent, 0);
  return out;
}

}  // namespace thoth
