// The resolution memo's record (thoth/resolution_memo.hpp): what is written reads back the same, and
// cache bytes that are damaged in any way read as no record, never as another one.
#include "thoth/resolution_memo.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "thoth/hash.hpp"

namespace thoth {
namespace {

MemoRecord sample() {
  MemoRecord r;
  r.key = MemoKey().add("argv", "lock app").hex();
  r.target = "{\n  \"python_version\": \"3.11\"\n}\n";
  r.pins_sha256 = sha256_hex("old lock");
  r.pages.push_back({"http://127.0.0.1:8080/simple/lib/", {{"Accept", "application/vnd.pypi.simple.v1+json"}}, 200,
                     sha256_hex("page one")});
  r.pages.push_back({"http://127.0.0.1:8080/simple/app/", {}, 200, sha256_hex("page\ntwo")});
  r.output = "app==1.0\n    # via -r requirements.in\nlib==2.0\n";
  return r;
}

bool same(const MemoRecord& a, const MemoRecord& b) {
  if (a.key != b.key || a.target != b.target || a.pins_sha256 != b.pins_sha256 || a.output != b.output) return false;
  if (a.pages.size() != b.pages.size()) return false;
  for (std::size_t i = 0; i < a.pages.size(); ++i) {
    const PageRead& p = a.pages[i];
    const PageRead& q = b.pages[i];
    if (p.url != q.url || p.headers != q.headers || p.status != q.status || p.body_sha256 != q.body_sha256) return false;
  }
  return true;
}

TEST(ResolutionMemo, RecordRoundTrips) {
  const MemoRecord r = sample();
  auto back = decode_memo(encode_memo(r));
  ASSERT_TRUE(back);
  EXPECT_TRUE(same(*back, r));
  // No pins, no pages, an empty lock (an empty requirements file locks nothing).
  MemoRecord empty;
  back = decode_memo(encode_memo(empty));
  ASSERT_TRUE(back);
  EXPECT_TRUE(same(*back, empty));
}

TEST(ResolutionMemo, EveryTruncationAndEveryFlippedByteIsNoRecord) {
  const std::string bytes = encode_memo(sample());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode_memo(bytes.substr(0, n))) << "cut at " << n;
  }
  EXPECT_FALSE(decode_memo(bytes + "x"));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    auto read = decode_memo(damaged);
    // A flip inside the target, a header value or a URL may still parse; it must then differ from
    // the original (a run compares the target, and asks the pages), never pass for it.
    if (read) {
      EXPECT_FALSE(same(*read, sample())) << "flip at " << i;
    }
  }
}

TEST(ResolutionMemo, PinsMatchTheFileReadOrTheLockWritten) {
  const MemoRecord r = sample();
  EXPECT_TRUE(r.pins_match(sha256_hex("old lock")));
  EXPECT_TRUE(r.pins_match(sha256_hex(r.output)));
  EXPECT_FALSE(r.pins_match(sha256_hex("a lock edited by hand")));
  EXPECT_FALSE(r.pins_match(""));  // no -o file now, though the record's run had one
  auto read = decode_memo(encode_memo(r));  // with the lock's hash as read
  ASSERT_TRUE(read);
  EXPECT_EQ(read->output_sha256, sha256_hex(r.output));
  EXPECT_TRUE(read->pins_match(sha256_hex(r.output)));
  EXPECT_FALSE(read->pins_match(sha256_hex("a lock edited by hand")));
  MemoRecord none = sample();
  none.pins_sha256.clear();
  EXPECT_TRUE(none.pins_match(""));
}

TEST(ResolutionMemo, KeysDependOnEveryPartAndItsBoundaries) {
  auto key = [](std::string_view a, std::string_view b) { return MemoKey().add("x", a).add("y", b).hex(); };
  EXPECT_EQ(key("ab", "c"), key("ab", "c"));
  EXPECT_NE(key("ab", "c"), key("a", "bc"));
  EXPECT_NE(key("ab", "c"), key("ab", "d"));
  EXPECT_NE(MemoKey().add("x", "1").hex(), MemoKey().add("y", "1").hex());
}

TEST(ResolutionMemo, StoreAndLoadUnderTheCache) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("thoth-memo-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ResolutionMemo memo(dir);
  const std::string key = MemoKey().add("argv", "lock app").hex();
  EXPECT_FALSE(memo.load(key));
  memo.store(key, sample());
  auto back = memo.load(key);
  ASSERT_TRUE(back);
  EXPECT_TRUE(same(*back, sample()));
  EXPECT_FALSE(memo.load(MemoKey().add("argv", "lock other").hex()));
  // Without a cache directory nothing is kept.
  ResolutionMemo off{std::filesystem::path()};
  off.store(key, sample());
  EXPECT_FALSE(off.load(key));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace thoth
