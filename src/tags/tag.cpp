// Tags and PEP 425 compressed tag sets.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_set>

#include "tags/text.hpp"
#include "thoth/tags.hpp"
#include "base/ascii.hpp"

namespace thoth {

std::string Tag::str() const { return interpreter + "-" + abi + "-" + platform; }

std::size_t TagHash::operator()(const Tag& t) const noexcept {
  std::hash<std::string> h;
  std::size_t seed = h(t.interpreter);
  for (const std::string* part : {&t.abi, &t.platform}) {
    seed ^= h(*part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  return seed;
}

namespace {

// PEP 425: a tag is exactly three '-'-separated parts.
std::array<std::string_view, 3> split_tag(std::string_view text) {
  std::vector<std::string_view> parts = tags_text::split(text, '-');
  if (parts.size() != 3) {
    throw TagError("invalid tag \"" + std::string(text) +
                   "\": expected three parts separated by '-' (interpreter-abi-platform)");
  }
  return {parts[0], parts[1], parts[2]};
}

void require_nonempty(std::string_view part, std::string_view whole) {
  if (part.empty()) {
    throw TagError("invalid tag \"" + std::string(whole) + "\": empty tag component");
  }
}

}  // namespace

Tag Tag::parse(std::string_view text) {
  auto [interp, abi, plat] = split_tag(text);
  for (std::string_view p : {interp, abi, plat}) {
    require_nonempty(p, text);
    if (p.find('.') != std::string_view::npos) {
      throw TagError("invalid tag \"" + std::string(text) +
                     "\": a compressed tag set ('.') where a single tag is expected");
    }
  }
  return Tag{base::ascii_lower(interp), base::ascii_lower(abi), base::ascii_lower(plat)};
}

// PEP 425 "Compressed Tag Sets": each part may list alternatives separated by '.'. Called for every
// wheel of every index page, so the parts are walked in place rather than split into vectors.
std::vector<Tag> parse_tag_set(std::string_view interps, std::string_view abis, std::string_view plats,
                               std::string_view whole) {
  auto each = [&](std::string_view list, auto&& fn) {
    for (std::size_t start = 0;;) {
      const std::size_t dot = list.find('.', start);
      const std::string_view item = list.substr(start, dot == std::string_view::npos ? dot : dot - start);
      require_nonempty(item, whole);
      fn(item);
      if (dot == std::string_view::npos) return;
      start = dot + 1;
    }
  };
  // The set is the product of the three lists: a wheel name of a few kilobytes could stand for
  // millions of tags (150 alternatives in each part: 3.4 M), so the product is bounded before
  // anything is built. Real wheels list a few (py2.py3-none-any: 2).
  auto count = [](std::string_view list) { return std::count(list.begin(), list.end(), '.') + 1; };
  const auto size = static_cast<std::uint64_t>(count(interps)) * static_cast<std::uint64_t>(count(abis)) *
                    static_cast<std::uint64_t>(count(plats));
  if (size > kMaxTagSet) {
    throw TagError("invalid tag \"" + std::string(whole) + "\": its compressed tag set stands for " +
                   std::to_string(size) + " tags (more than " + std::to_string(kMaxTagSet) + ")");
  }
  std::vector<Tag> out;
  out.reserve(size);
  std::unordered_set<Tag, TagHash> seen;  // the first of each duplicate is kept, in expansion order
  each(interps, [&](std::string_view i) {
    each(abis, [&](std::string_view a) {
      each(plats, [&](std::string_view p) {
        Tag tag{base::ascii_lower(i), base::ascii_lower(a), base::ascii_lower(p)};
        const bool fresh = size <= 8 ? std::find(out.begin(), out.end(), tag) == out.end() : seen.insert(tag).second;
        if (fresh) out.push_back(std::move(tag));
      });
    });
  });
  return out;
}

std::vector<Tag> parse_tag_set(std::string_view compressed) {
  auto [interps, abis, plats] = split_tag(compressed);
  return parse_tag_set(interps, abis, plats, compressed);
}

}  // namespace thoth
