// Shared libraries loaded on first use rather than at startup (libcurl for the network, libarchive for
// sdists): each pulls in tens of further libraries whose loading and relocation cost milliseconds that
// a warm lock answered from the cache never needs. Header-only, so each module keeps its own error
// type for what the user sees.
#pragma once

#include <dlfcn.h>

#include <string>

namespace thoth::dl {

// dlopen(soname); on failure throws E("cannot load SONAME (why): install PACKAGES").
template <typename E, typename... Extra>
void* open_or_throw(const char* soname, const char* packages, Extra... extra) {
  // RTLD_LOCAL: its symbols stay out of the global namespace; RTLD_NOW: a missing symbol fails here.
  void* lib = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    throw E(std::string("cannot load ") + soname + " (" + (why != nullptr ? why : "unknown error") + "): install " +
                packages,
            extra...);
  }
  return lib;
}

// Looks `name` up in `lib` into the function pointer `fn`; a missing name is added to `missing`.
template <typename F>
void bind(void* lib, F& fn, const char* name, std::string& missing) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));
  if (fn == nullptr) missing += std::string(missing.empty() ? "" : ", ") + name;
}

}  // namespace thoth::dl
