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

// RFC 1321, FIPS 180-2 "abc" vectors.
TEST(Digest, AlgorithmsIndexesUse) {
  EXPECT_EQ(digest_hex("md5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(digest_hex("sha1", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(digest_hex("sha224", "abc"), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
  EXPECT_EQ(digest_hex("sha256", "abc"), sha256_hex("abc"));
  EXPECT_EQ(digest_hex("sha384", "abc"),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(digest_hex("sha512", "abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            "454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(digest_hex("blake2b", "abc"), std::nullopt);
  EXPECT_EQ(digest_hex("SHA256", "abc"), std::nullopt);  // hashlib names are lower case
}

TEST(Sha256, HexShape) {
  EXPECT_TRUE(is_sha256_hex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
  EXPECT_FALSE(is_sha256_hex("e3b0"));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace thoth
