#include "install/unpack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "install/files.hpp"
#include "install/ini.hpp"
#include "install/record.hpp"
#include "thoth/archive.hpp"
#include "thoth/hash.hpp"

namespace thoth::install_detail {
namespace {

constexpr std::string_view kManifestHeader = "thoth-unpacked-wheel 1\n";

std::string wheel_label(const WheelToInstall& wheel) {
  return wheel.filename.empty() ? wheel.file.filename().string() : wheel.filename;
}

// Wheels up to this size are read once, into memory, hashed there and unpacked from there; larger
// ones are hashed in blocks and read again member by member.
constexpr std::uint64_t kReadWhole = 512u << 20;
constexpr std::size_t kReadPiece = 256u << 10;
// Each thread keeps the memory it read a wheel into for the next one, so that it is allocated (and
// zero-filled by the kernel, page by page) once rather than once per wheel; unless it grew past this.
constexpr std::size_t kKeepBuffer = 64u << 20;

// Memory that is not zero-filled when it grows (the kernel zero-fills fresh pages already, and read()
// overwrites them).
struct Buffer {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  // At least `n` bytes, keeping the first `keep`.
  void grow(std::size_t n, std::size_t keep = 0) {
    if (n <= size) return;
    std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(n);
    if (keep > 0) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    size = n;
  }
};

struct WheelBytes {
  std::string sha256;
  std::optional<std::string_view> bytes;  // the whole file, in the thread's buffer, when small enough
};

WheelBytes read_wheel(const std::filesystem::path& file, const std::string& label, Buffer& buffer) {
  auto fail = [&](int err) -> WheelBytes {
    throw InstallError("cannot read wheel " + label + " (" + file.string() + "): " + std::strerror(err));
  };
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return fail(err);
  }
  WheelBytes out;
  bool whole = static_cast<std::uint64_t>(st.st_size) <= kReadWhole;
  // One byte more than the size, to see the end of the file without growing the buffer.
  buffer.grow(whole ? static_cast<std::size_t>(st.st_size) + 1 : kReadPiece);
  std::size_t filled = 0;
  Sha256 hasher;
  for (;;) {
    if (filled == buffer.size) buffer.grow(buffer.size * 2, filled);  // the file grew
    // Read and hashed piece by piece, each while it is still in the processor's cache.
    char* at = buffer.data.get() + filled;
    ssize_t n = ::read(fd, at, std::min(kReadPiece, buffer.size - filled));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return fail(err);
    }
    if (n == 0) break;
    hasher.update(at, static_cast<std::size_t>(n));
    if (whole) filled += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (whole) out.bytes = std::string_view(buffer.data.get(), filled);
  out.sha256 = hasher.hex();
  return out;
}

std::string format_manifest(const std::vector<ManifestEntry>& entries) {
  std::string out(kManifestHeader);
  for (const ManifestEntry& e : entries)
    out += (e.executable ? "x\t" : "-\t") + std::to_string(e.size) + "\t" + e.hash + "\t" + e.path + "\n";
  return out;
}

std::optional<std::vector<ManifestEntry>> parse_manifest(std::string_view text) {
  if (!text.starts_with(kManifestHeader)) return std::nullopt;
  text.remove_prefix(kManifestHeader.size());
  std::vector<ManifestEntry> entries;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    std::size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1), t3 = line.find('\t', t2 + 1);
    if (t1 != 1 || t2 == std::string_view::npos || t3 == std::string_view::npos) return std::nullopt;
    ManifestEntry e;
    e.executable = line[0] == 'x';
    auto [p, ec] = std::from_chars(line.data() + t1 + 1, line.data() + t2, e.size);
    if (ec != std::errc() || p != line.data() + t2) return std::nullopt;
    e.hash = std::string(line.substr(t2 + 1, t3 - t2 - 1));
    e.path = std::string(line.substr(t3 + 1));
    entries.push_back(std::move(e));
  }
  return entries;
}

// The one top-level "<name>-<version>.dist-info" directory (binary distribution format, "File
// contents": exactly one).
std::string find_dist_info(const ZipReader& zip, const std::string& label) {
  std::string found;
  for (const ZipEntry& e : zip.entries()) {
    std::string_view top = std::string_view(e.name).substr(0, e.name.find('/'));
    if (top.size() == e.name.size() || !top.ends_with(".dist-info")) continue;
    if (!found.empty() && found != top)
      throw InstallError(label + ": the wheel has two .dist-info directories (" + found + ", " + std::string(top) +
                         "); it is malformed, rebuild it");
    found = std::string(top);
  }
  if (found.empty()) throw InstallError(label + ": the wheel has no .dist-info directory; it is malformed, rebuild it");
  return found;
}

bool is_record_or_signature(std::string_view member, std::string_view dist_info) {
  if (!member.starts_with(dist_info) || member.size() <= dist_info.size() || member[dist_info.size()] != '/')
    return false;
  std::string_view file = member.substr(dist_info.size() + 1);
  return file == "RECORD" || file == "RECORD.jws" || file == "RECORD.p7s";
}

// The algorithm of a member's RECORD hash, once "The RECORD file" allows it: sha256 or stronger, md5
// and sha1 not permitted.
std::string record_algorithm(const RecordEntry& declared, const std::string& label) {
  std::size_t eq = declared.hash.find('=');
  std::string algorithm = declared.hash.substr(0, eq == std::string::npos ? 0 : eq);
  if (algorithm.empty())
    throw InstallError(label + ": RECORD gives no hash for " + declared.path + "; the wheel is malformed, rebuild it");
  if (algorithm == "md5" || algorithm == "sha1")
    throw InstallError(label + ": RECORD hashes " + declared.path + " with " + algorithm +
                       ", which the wheel specification forbids; rebuild the wheel");
  return algorithm;
}

// `actual`: the member's hash in RECORD's spelling with the algorithm RECORD names (nullopt when thoth
// cannot compute that one).
void check_member(const RecordEntry& declared, const std::string& algorithm, const std::optional<std::string>& actual,
                  std::uint64_t size, const std::string& label) {
  if (!actual)
    throw InstallError(label + ": RECORD hashes " + declared.path + " with " + algorithm +
                       ", which thoth cannot check; rebuild the wheel with sha256");
  if (*actual != declared.hash)
    throw InstallError(label + ": " + declared.path + " does not match its RECORD hash (" + declared.hash + ", the file has " +
                       *actual + "); the wheel is corrupt or was altered, download or rebuild it");
  if (declared.size && *declared.size != size)
    throw InstallError(label + ": " + declared.path + " is " + std::to_string(size) + " bytes, RECORD says " +
                       std::to_string(*declared.size) + "; the wheel is corrupt, download or rebuild it");
}

std::vector<ManifestEntry> extract_verified(const std::filesystem::path& wheel_file, std::optional<std::string_view> bytes,
                                            const std::string& label, const std::filesystem::path& into) {
  try {
    std::unique_ptr<ByteSource> source;
    if (bytes) {
      source = std::make_unique<BorrowedByteSource>(*bytes);
    } else {
      source = std::make_unique<FileByteSource>(wheel_file);
    }
    ZipReader zip(*source, label);
    std::string dist_info = find_dist_info(zip, label);
    const ZipEntry* record_member = zip.find(dist_info + "/RECORD");
    if (!record_member) throw InstallError(label + ": the wheel has no " + dist_info + "/RECORD; it is malformed, rebuild it");
    std::unordered_map<std::string, RecordEntry> declared;
    for (RecordEntry& e : parse_record(zip.read(*record_member, metadata_limits()), label + ": " + dist_info + "/RECORD")) {
      std::string path = e.path;
      declared.insert_or_assign(std::move(path), std::move(e));
    }

    std::vector<ManifestEntry> manifest;
    std::unordered_set<std::string_view> seen;  // views of the reader's entries
    seen.reserve(zip.entries().size());
    TreeWriter files(into);
    for (const ZipEntry& member : zip.entries()) {
      if (!is_safe_member_path(member.name) ||
          member.name.find_first_of(std::string_view("\t\n\r", 3)) != std::string::npos)
        throw InstallError(label + ": member \"" + member.name + "\" has an unsafe path; refusing the wheel");
      if (member.is_directory()) continue;
      if (!seen.insert(member.name).second)
        throw InstallError(label + ": member " + member.name + " appears twice; the wheel is malformed, rebuild it");
      const RecordEntry* listed = nullptr;  // null for RECORD and its signatures, which RECORD does not hash
      std::string algorithm;
      if (!is_record_or_signature(member.name, dist_info)) {
        auto it = declared.find(member.name);
        if (it == declared.end())
          throw InstallError(label + ": " + member.name + " is not listed in RECORD; the wheel is malformed, rebuild it");
        listed = &it->second;
        algorithm = record_algorithm(*listed, label);
      }
      ManifestEntry entry{member.name, "", member.uncompressed_size, ((member.external_attributes >> 16) & 0111) != 0};
      // Streamed: inflated piece by piece, each hashed and written while it is in the cache. A member
      // that fails its check is unlinked here, and the whole entry removed by the caller.
      NewFile out = files.create(member.name, entry.executable);
      Sha256 sha256;
      const bool keep = listed && algorithm != "sha256";  // other hashlib names are hashed whole, at the end
      std::string kept;
      // A member RECORD hashes is checked against that hash, sha256 or stronger ("The RECORD file"):
      // it covers whatever the zip CRC-32 would catch, so the CRC is not computed for it.
      zip.read_chunks(member, [&](std::string_view piece) {
        sha256.update(piece);
        if (keep) kept += piece;
        out.write(piece);
      }, listed ? ZipReader::Check::Caller : ZipReader::Check::Crc);
      std::string hash = record_hash_of_sha256_hex(sha256.hex());
      if (listed) {
        check_member(*listed, algorithm, keep ? record_hash_with(algorithm, kept) : std::optional<std::string>(hash),
                     member.uncompressed_size, label);
      }
      out.finish();
      entry.hash = std::move(hash);
      manifest.push_back(std::move(entry));
    }
    return manifest;
  } catch (const ArchiveError& e) {
    throw InstallError(std::string(e.what()) + "; the wheel is corrupt, download it again");
  }
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd());
}

}  // namespace

std::filesystem::path cache_entry(const std::filesystem::path& cache_dir, std::string_view sha256) {
  return cache_dir / "wheels-v1" / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

std::optional<UnpackedWheel> load_cached(const std::filesystem::path& cache_dir, std::string_view sha256) {
  if (cache_dir.empty() || !is_sha256_hex(sha256)) return std::nullopt;
  std::filesystem::path entry = cache_entry(cache_dir, sha256);
  std::optional<std::string> text = read_small_file(entry / "manifest");
  if (!text) return std::nullopt;
  std::optional<std::vector<ManifestEntry>> manifest = parse_manifest(*text);
  if (!manifest) return std::nullopt;
  return UnpackedWheel{std::string(sha256), entry / "files", std::move(*manifest), true, false};
}

UnpackedWheel unpack_wheel(const WheelToInstall& wheel, const std::filesystem::path& cache_dir,
                           const std::filesystem::path& scratch_dir) {
  const std::string label = wheel_label(wheel);
  std::string expected = wheel.sha256;
  for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!expected.empty() && !is_sha256_hex(expected))
    throw InstallError(label + ": the expected sha256 \"" + wheel.sha256 + "\" is not 64 hex digits; fix the hash");
  // A cached entry was checked member by member when it was made from a file of this hash: with the
  // hash known, the file need not even be read.
  if (std::optional<UnpackedWheel> hit = load_cached(cache_dir, expected)) return std::move(*hit);

  thread_local Buffer buffer;
  struct Release {  // a buffer grown past kKeepBuffer is given back whatever happens
    Buffer& buffer;
    ~Release() {
      if (buffer.size > kKeepBuffer) buffer = Buffer();
    }
  } release{buffer};
  WheelBytes read = read_wheel(wheel.file, label, buffer);
  const std::string& actual = read.sha256;
  if (!expected.empty() && actual != expected)
    throw InstallError(label + ": its sha256 is " + actual + ", expected " + expected +
                       "; the file is corrupt or not the one pinned, download it again");
  if (expected.empty())  // (else the entry was looked for above)
    if (std::optional<UnpackedWheel> hit = load_cached(cache_dir, actual)) return std::move(*hit);

  if (cache_dir.empty()) {
    UnpackedWheel out{actual, scratch_dir / "files", extract_verified(wheel.file, read.bytes, label, scratch_dir / "files"), false, true};
    return out;
  }
  std::filesystem::path entry = cache_entry(cache_dir, actual);
  std::filesystem::path temp = entry.parent_path() / (".tmp-" + unique_suffix());
  std::vector<ManifestEntry> manifest;
  try {
    manifest = extract_verified(wheel.file, read.bytes, label, temp / "files");
    write_new_file(temp / "manifest", format_manifest(manifest), false);
  } catch (...) {
    remove_tree(temp);
    throw;
  }
  // Renamed whole: a reader sees a complete entry or none. Another process may have won the race.
  if (::rename(temp.c_str(), entry.c_str()) != 0) {
    int err = errno;
    remove_tree(temp);
    if (err != EEXIST && err != ENOTEMPTY) throw_io("store the unpacked wheel in", entry, err);
    if (std::optional<UnpackedWheel> hit = load_cached(cache_dir, actual)) {
      hit->from_cache = false;
      return std::move(*hit);
    }
    throw InstallError("the cache entry " + entry.string() + " is damaged; remove it (thoth cache clean) and run again");
  }
  return UnpackedWheel{actual, entry / "files", std::move(manifest), false, false};
}

}  // namespace thoth::install_detail
