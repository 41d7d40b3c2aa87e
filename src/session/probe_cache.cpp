// Interpreter facts cached by interpreter file (see probe_interpreter in thoth/session.hpp).

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "thoth/error.hpp"
#include "thoth/hash.hpp"
#include "thoth/net.hpp"  // read_file
#include "thoth/session.hpp"

namespace thoth {
namespace {

// "#!": a script decides at each run which interpreter it starts.
bool is_script(const std::filesystem::path& file) {
  char head[2] = {0, 0};
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;  // unreadable: do not trust it for caching either
  const ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return n != 2 || (head[0] == '#' && head[1] == '!');
}

// The cache key of `python`, or nullopt when its answer must not be cached.
std::optional<std::string> probe_key(const std::string& python) {
  std::error_code ec;
  const std::filesystem::path given = std::filesystem::absolute(python, ec);
  if (ec) return std::nullopt;
  const std::filesystem::path real = std::filesystem::canonical(given, ec);
  if (ec) return std::nullopt;
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (is_script(real)) return std::nullopt;
  struct utsname uts {};
  if (::uname(&uts) != 0) return std::nullopt;

  std::ostringstream id;
  id << "thoth-probe-v1\n" << given.string() << '\n' << real.string() << '\n' << st.st_dev << ' ' << st.st_ino << ' '
     << st.st_size << ' ' << st.st_mtim.tv_sec << '.' << st.st_mtim.tv_nsec << ' ' << st.st_ctim.tv_sec << '.'
     << st.st_ctim.tv_nsec << '\n' << uts.sysname << ' ' << uts.release << ' ' << uts.version << ' ' << uts.machine
     << '\n' << Target::probe_script();
  return sha256_hex(id.str());
}

// Target::probe_facts(python), with `meanwhile` on a second thread for as long as the interpreter
// runs (tens of milliseconds of waiting on a child process).
std::string probe_facts_alongside(const std::string& python, const std::function<void()>& meanwhile) {
  if (!meanwhile) return Target::probe_facts(python);
  std::thread helper;
  try {
    helper = std::thread(meanwhile);
  } catch (const std::system_error&) {
    // No thread to be had (a process limit): the work is only ahead of time, the probe runs alone.
    return Target::probe_facts(python);
  }
  try {
    std::string facts = Target::probe_facts(python);
    helper.join();
    return facts;
  } catch (...) {
    helper.join();
    throw;
  }
}

}  // namespace

Target probe_interpreter(const std::string& python, const std::filesystem::path& cache_dir,
                         const std::function<void()>& meanwhile) {
  std::optional<std::string> key = cache_dir.empty() ? std::nullopt : probe_key(python);
  if (!key) return Target::from_probe_facts(probe_facts_alongside(python, meanwhile), python);
  const std::filesystem::path entry = cache_dir / "interpreters-v1" / (*key + ".json");
  if (auto facts = read_file(entry)) {
    try {
      return Target::from_probe_facts(*facts, python);
    } catch (const TagError&) {
      // A damaged entry: probe again and replace it.
    }
  }
  std::string facts = probe_facts_alongside(python, meanwhile);
  Target target = Target::from_probe_facts(facts, python);
  try {
    std::error_code ec;
    std::filesystem::create_directories(entry.parent_path(), ec);
    std::ostringstream unused;
    write_output(entry.string(), facts, unused);
  } catch (const Error&) {
    // Only a cache: the next run probes again.
  }
  return target;
}

}  // namespace thoth
