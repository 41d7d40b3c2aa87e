// fuzz_replay TARGET PATH...: runs every input file (PATH, or every regular file below a directory
// PATH, in name order) through one fuzz target, for the test builds without libFuzzer: the seed corpora
// and the reproducers of fixed crashes (tests/fuzz/corpus/TARGET/) stay regression tests, under the
// sanitizers too. `fuzz_replay --list` prints the targets.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace thoth::fuzz {

namespace {
std::map<std::string, TargetFn>& targets() {
  static std::map<std::string, TargetFn> all;
  return all;
}
}  // namespace

bool register_target(const char* name, TargetFn fn) {
  targets()[name] = fn;
  return true;
}

}  // namespace thoth::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  auto& targets = thoth::fuzz::targets();
  if (argc == 2 && std::string(argv[1]) == "--list") {
    for (const auto& [name, fn] : targets) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (argc < 3 || targets.count(argv[1]) == 0) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET PATH... (fuzz_replay --list names the targets)\n");
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 2; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i]))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz_replay: no input files under the paths given\n");
    return 2;
  }
  const thoth::fuzz::TargetFn run = targets[argv[1]];
  for (const fs::path& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", p.c_str());
      return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    run(bytes);
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], inputs.size());
  return 0;
}
