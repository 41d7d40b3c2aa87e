# What `cmake --install` and the .deb ship besides the program and man pages (cmake/modules.cmake):
# the shell completions, generated from the built program, and the CPack settings of the .deb
# (`cpack -G DEB` in the build directory; tests/e2e/test_package.py builds and runs one).

# Completions: `thoth completion bash|zsh` at build time, so the scripts always match the options.
set(THOTH_ZSH_COMPLETION_DIR share/zsh/vendor-completions CACHE STRING
    "Where the zsh completion is installed (share/zsh/site-functions on Fedora)")
if(NOT CMAKE_CROSSCOMPILING)
  set(completion_dir ${PROJECT_BINARY_DIR}/completions)
  foreach(shell bash zsh)
    if(shell STREQUAL "zsh")
      set(file ${completion_dir}/_thoth)
    else()
      set(file ${completion_dir}/thoth)
    endif()
    add_custom_command(OUTPUT ${file}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${completion_dir}
      COMMAND ${CMAKE_COMMAND} -D THOTH=$<TARGET_FILE:thoth> -D SHELL_NAME=${shell} -D OUT=${file}
              -P ${PROJECT_SOURCE_DIR}/packaging/completion.cmake
      DEPENDS thoth ${PROJECT_SOURCE_DIR}/packaging/completion.cmake
      COMMENT "Generating the ${shell} completion"
      VERBATIM)
    list(APPEND completion_files ${file})
  endforeach()
  add_custom_target(thoth_completions ALL DEPENDS ${completion_files})
  install(FILES ${completion_dir}/thoth DESTINATION share/bash-completion/completions)
  # bash-completion loads a command's completion by the command's name: thoth-install shares it.
  install(CODE "execute_process(COMMAND ${CMAKE_COMMAND} -E create_symlink thoth \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/share/bash-completion/completions/thoth-install)")
  install(FILES ${completion_dir}/_thoth DESTINATION ${THOTH_ZSH_COMPLETION_DIR})
endif()

# The Debian package. dpkg-shlibdeps finds the libraries thoth links; libcurl and libarchive are loaded
# at run time (dlopen: src/net/curl_api.cpp, src/archive/libarchive_api.cpp), so they are named here, by
# the package that holds the soname thoth loads on the build machine (libcurl4 on Debian 12, libcurl4t64
# on Debian 13). The sonames are read from those sources, so the two cannot drift apart.
function(thoth_runtime_package source fallback out)
  file(STRINGS ${PROJECT_SOURCE_DIR}/${source} line REGEX "kLibrary = \"[^\"]+\"")
  string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
  set(package ${fallback})
  if(CMAKE_MATCH_1)
    execute_process(COMMAND dpkg-query -S "/usr/lib/*/${CMAKE_MATCH_1}"
                    OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND owner MATCHES "^([^:, ]+)")
      set(package ${CMAKE_MATCH_1})
    endif()
  endif()
  set(${out} ${package} PARENT_SCOPE)
endfunction()
thoth_runtime_package(src/net/curl_api.cpp libcurl4 curl_package)
thoth_runtime_package(src/archive/libarchive_api.cpp libarchive13 archive_package)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME thoth)
set(CPACK_PACKAGE_VENDOR "thoth developers")
set(CPACK_PACKAGE_CONTACT "thoth developers <thoth@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fast Python dependency resolver and installer")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "thoth resolves and installs Python packages from PyPI-style indexes, find-links directories and\n"
    "air-gapped mirrors. It writes pinned locks (requirements.txt with hashes, pylock.toml) and can steer\n"
    "the choice of versions with a knowledge base of vulnerabilities, broken releases and performance.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # adds what dpkg-shlibdeps finds to the list below
# The minimum versions are those of packaging/debian/control.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${curl_package} (>= 7.68), ${archive_package} (>= 3.3)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS python3)
include(CPack)
