// RECORD ("Recording installed projects", "The RECORD file"): CSV as Python's csv module reads and
// writes it, hashes as "<algorithm>=<urlsafe base64 digest without padding>".
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <tuple>

#include "install/record.hpp"
#include "thoth/hash.hpp"
#include "thoth/install.hpp"

namespace thoth {
namespace install_detail {

std::string urlsafe_b64_nopad(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string hex_to_bytes(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return out;
}

std::string record_hash_of_sha256_hex(std::string_view hex) { return "sha256=" + urlsafe_b64_nopad(hex_to_bytes(hex)); }

std::optional<std::string> record_hash_with(std::string_view algorithm, std::string_view bytes) {
  std::optional<std::string> hex = digest_hex(algorithm, bytes);
  if (!hex) return std::nullopt;
  return std::string(algorithm) + "=" + urlsafe_b64_nopad(hex_to_bytes(*hex));
}

}  // namespace install_detail

std::string record_hash(std::string_view bytes) {
  return install_detail::record_hash_of_sha256_hex(sha256_hex(bytes));
}

std::vector<RecordEntry> parse_record(std::string_view text, std::string_view label) {
  // csv.reader with the default dialect: ',' separates, '"' quotes ('""' inside quotes is one '"'),
  // rows end at '\n' or '\r\n' outside quotes.
  std::vector<RecordEntry> rows;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, in_quotes = false, row_has_content = false;
  std::size_t line = 1;
  auto end_field = [&] {
    fields.push_back(std::move(field));
    field.clear();
    quoted = false;
  };
  auto end_row = [&] {
    end_field();
    if (row_has_content) {
      if (fields.size() > 3)
        throw InstallError(std::string(label) + ": line " + std::to_string(line) + " has " +
                           std::to_string(fields.size()) + " fields, RECORD rows have 3 (path,hash,size)");
      RecordEntry e;
      e.path = fields[0];
      if (fields.size() > 1) e.hash = fields[1];
      if (fields.size() > 2 && !fields[2].empty()) {
        std::uint64_t size = 0;
        auto [p, ec] = std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), size);
        if (ec != std::errc() || p != fields[2].data() + fields[2].size())
          throw InstallError(std::string(label) + ": line " + std::to_string(line) + " has a size that is not a number (" +
                             fields[2] + ")");
        e.size = size;
      }
      if (e.path.empty()) throw InstallError(std::string(label) + ": line " + std::to_string(line) + " has an empty path");
      rows.push_back(std::move(e));
    }
    fields.clear();
    row_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = row_has_content = true;
    } else if (c == ',') {
      row_has_content = true;
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
    } else {
      field += c;
      row_has_content = true;
    }
  }
  if (in_quotes) throw InstallError(std::string(label) + ": unterminated quote at the end");
  end_row();
  return rows;
}

std::string format_record(std::vector<RecordEntry> rows) {
  // pip sorts the rows (pip/_internal/operations/install/wheel.py, _normalized_outrows) and writes
  // them with csv.writer: QUOTE_MINIMAL, "\r\n" after each row.
  auto key = [](const RecordEntry& e) {
    return std::make_tuple(std::cref(e.path), std::cref(e.hash), e.size ? std::to_string(*e.size) : std::string());
  };
  std::sort(rows.begin(), rows.end(), [&](const RecordEntry& a, const RecordEntry& b) { return key(a) < key(b); });
  std::string out;
  auto put = [&out](std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      out += field;
      return;
    }
    out += '"';
    for (char c : field) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  for (const RecordEntry& e : rows) {
    put(e.path);
    out += ',';
    put(e.hash);
    out += ',';
    if (e.size) out += std::to_string(*e.size);
    out += "\r\n";
  }
  return out;
}

}  // namespace thoth
