// One fuzz target: a function that takes any bytes and must neither crash, leak, hit undefined
// behaviour nor throw anything but thoth::Error (the one exception type a parser may throw for bad
// input; anything else escaping is a bug and aborts the run).
//
//   THOTH_FUZZ_TARGET(pep440) { ...use `data` (std::string_view)... }
//
// Built with THOTH_LIBFUZZER (the THOTH_FUZZ=ON build, clang), the target is the program's
// LLVMFuzzerTestOneInput. Otherwise it registers itself with tests/fuzz/replay_main.cpp, which replays
// the corpus files through it in the ordinary and sanitizer test builds, so every seed and every
// reproducer stays a regression test without clang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thoth/error.hpp"

namespace thoth::fuzz {

using TargetFn = void (*)(std::string_view data);

// Records a target for the replay program; returns true so it can initialise a static.
bool register_target(const char* name, TargetFn fn);

// Prints `message` to stderr when FUZZ_VERBOSE is set (to see which seeds a parser refuses).
void note_error(const char* message);

// Runs `fn`, absorbing thoth::Error: bad input answered with an error is the parser working.
template <typename Fn>
void expect_error_or_value(Fn&& fn) {
  try {
    fn();
  } catch (const thoth::Error& e) {
    note_error(e.what());
  }
}

// Whether every marker value parsed from `text` prints back as itself: packaging 23.0's str(Marker),
// which thoth follows, prints values in double quotes without escaping, so a value holding '"' (written
// in single quotes) or decoded from an escape reads back as another value. Without a backslash and
// without both kinds of quote, `text` cannot hold such a value.
inline bool marker_values_print_faithfully(std::string_view text) {
  return text.find('\\') == std::string_view::npos &&
         (text.find('"') == std::string_view::npos || text.find('\'') == std::string_view::npos);
}

// Aborts with `what` when a property of the parsed value does not hold (a round trip that changes
// the value): libFuzzer reports it as a crash with the input that caused it.
[[noreturn]] void property_failed(const char* target, const char* what, std::string_view detail);

}  // namespace thoth::fuzz

#define THOTH_FUZZ_CHECK(target, cond, detail) \
  do {                                          \
    if (!(cond)) ::thoth::fuzz::property_failed(#target, #cond, detail); \
  } while (0)

#ifdef THOTH_LIBFUZZER
#define THOTH_FUZZ_TARGET(name)                                                        \
  static void thoth_fuzz_##name(std::string_view data);                                \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) { \
    thoth_fuzz_##name(std::string_view(reinterpret_cast<const char*>(bytes), size));   \
    return 0;                                                                          \
  }                                                                                    \
  static void thoth_fuzz_##name(std::string_view data)
#else
#define THOTH_FUZZ_TARGET(name)                                                                          \
  static void thoth_fuzz_##name(std::string_view data);                                                  \
  [[maybe_unused]] static const bool thoth_fuzz_registered_##name =                                       \
      ::thoth::fuzz::register_target(#name, &thoth_fuzz_##name);                                         \
  static void thoth_fuzz_##name(std::string_view data)
#endif
