// fuzz_digest_seeds OUTDIR PAGE...: writes the listing digest of each project page (PEP 503 HTML when
// its name ends in .html, else PEP 691 JSON; read as the page of project "demo") to OUTDIR, under the
// identity the listing_digest fuzz target reads with. A digest names thoth's version and layout, so
// seeds made by another build read as a miss: scripts/fuzz-smoke.sh makes fresh ones before each run
// from the page corpora.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "page_checks.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_digest_seeds OUTDIR PAGE...\n");
    return 2;
  }
  fs::create_directories(argv[1]);
  int written = 0;
  for (int i = 2; i < argc; ++i) {
    const fs::path page = argv[i];
    std::ifstream in(page, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const char format = page.extension() == ".html" ? 'h' : 'j';
    try {
      const thoth::ProjectPage parsed = format == 'h'
                                            ? thoth::parse_html_page(text, thoth::fuzz::kPageUrl, thoth::fuzz::kProject)
                                            : thoth::parse_json_page(text, thoth::fuzz::kPageUrl, thoth::fuzz::kProject);
      const auto id = thoth::fuzz::page_identity(format);
      std::ofstream out(fs::path(argv[1]) / (page.filename().string() + ".digest"), std::ios::binary);
      out << thoth::idx::encode_listing(id, thoth::group_candidates(thoth::fuzz::kProject, parsed.files));
      ++written;
    } catch (const thoth::Error& e) {
      std::fprintf(stderr, "fuzz_digest_seeds: %s: %s\n", page.c_str(), e.what());
    }
  }
  return written > 0 ? 0 : 1;
}
