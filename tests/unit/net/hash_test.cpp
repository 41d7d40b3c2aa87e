#include "thoth/hash.hpp"

#include <gtest/gtest.h>

#include "support.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  const std::string data = test::pattern_bytes(200000, 7);
  Sha256 h;
  for (std::size_t i = 0; i < data.size(); i += 4093) h.update(std::string_view(data).substr(i, 4093));
  EXPECT_EQ(h.hex(), sha256_hex(data));
  h.reset();
  h.update("abc");
  EXPECT_EQ(h.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, CopiesHashOnIndependently) {
  Sha256 a;
  a.update("ab");
  Sha256 b = a;
  a.update("c");
  b.update("x");
  EXPECT_EQ(a.hex(), sha256_hex("abc"));
  EXPECT_EQ(b.hex(), sha256_hex("abx"));
  Sha256 moved = std::move(b);
  moved.reset();
  EXPECT_EQ(moved.hex(), sha256_hex(""));
}

TEST(Sha256, FileIsStreamed) {
  test::TempDir dir;
  const std::string data = test::pattern_bytes(300000, 3);
  test::write_file(dir.path() / "f.bin", data);
  EXPECT_EQ(sha256_file_hex(dir.path() / "f.bin"), sha256_hex(data));
  try {
    sha256_file_hex(dir.path() / "missing.bin");
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.bin"), std::string::npos) << e.what();
  }
}

TEST(Sha256, HexShape) {
  EXPECT_TRUE(is_sha256_hex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
  EXPECT_FALSE(is_sha256_hex("e3b0"));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace thoth
