// The advisor's only source of randomness: a fixed generator (std::mt19937_64, whose sequence the C++
// standard defines) and distributions written here, so that a seed gives the same choices with any
// standard library (std::uniform_int_distribution and friends are implementation-defined).
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace thoth::advisor {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n) for n > 0, without modulo bias (rejection of the short last interval).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = engine_();
      if (r >= threshold) return r % n;
    }
  }
  // Uniform in [0, 1), 53 random bits.
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  std::mt19937_64 engine_;
};

// SplitMix64's finaliser: a well-mixed 64-bit function of a 64-bit value.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// FNV-1a over `text`, continuing from `h`: a fixed hash (std::hash may differ between libraries).
inline std::uint64_t hash_text(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

}  // namespace thoth::advisor
