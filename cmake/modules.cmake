# The modules of DESIGN.md, top to bottom. A module links only modules above it.
# Header-only helpers every module shares (src/base/, first in DESIGN.md's list).
add_library(thoth_base INTERFACE)
target_include_directories(thoth_base INTERFACE ${PROJECT_SOURCE_DIR}/src)
thoth_module(pep440 thoth_base)
thoth_module(pep508 thoth_pep440)
thoth_module(tags thoth_pep508)
thoth_module(metadata thoth_pep508)
thoth_module(net OpenSSL::Crypto Threads::Threads ${CMAKE_DL_LIBS})
# libcurl is loaded when the first transfer needs it (src/net/curl_api.cpp), not linked: only its
# headers are used at build time.
target_include_directories(thoth_net PUBLIC ${CURL_INCLUDE_DIRS})
target_compile_definitions(thoth_net PRIVATE THOTH_VERSION="${PROJECT_VERSION}")
thoth_module(archive ZLIB::ZLIB ${CMAKE_DL_LIBS})
# libarchive is loaded when the first sdist is read (src/archive/libarchive_api.cpp), not linked.
target_include_directories(thoth_archive PUBLIC ${LibArchive_INCLUDE_DIRS})
thoth_module(index thoth_net thoth_archive thoth_metadata thoth_tags)
# Parsed-page digests name the program version they were written by (src/index/listing_digest.cpp).
target_compile_definitions(thoth_index PRIVATE THOTH_VERSION="${PROJECT_VERSION}")
# Parsed-page digests are FlatBuffers (Debian's flatbuffers-compiler and libflatbuffers-dev, used
# header-only): flatc generates the reader and builder from the schema at build time.
find_program(THOTH_FLATC flatc REQUIRED)
set(THOTH_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${THOTH_GENERATED_DIR}/index/listing_digest_generated.h
  COMMAND ${THOTH_FLATC} --cpp --cpp-std c++17 -o ${THOTH_GENERATED_DIR}/index
          ${PROJECT_SOURCE_DIR}/src/index/listing_digest.fbs
  DEPENDS ${PROJECT_SOURCE_DIR}/src/index/listing_digest.fbs
  COMMENT "flatc: src/index/listing_digest.fbs"
  VERBATIM)
target_sources(thoth_index PRIVATE ${THOTH_GENERATED_DIR}/index/listing_digest_generated.h)
target_include_directories(thoth_index PRIVATE ${THOTH_GENERATED_DIR})
thoth_module(inputs thoth_index)
thoth_module(resolve thoth_index)
thoth_module(advise thoth_resolve)
# toml++ is used header-only (src/lock/pylock_reader.cpp, src/inputs/pipfile.cpp), not through Debian's shared
# libtomlplusplus: a library fewer to load at every start.
thoth_module(lock thoth_resolve thoth_inputs)
# The installer: wheels into environments (thoth/install.hpp); it runs the target interpreter through
# tags' process runner and hashes with net's libcrypto.
thoth_module(install thoth_lock OpenSSL::Crypto Threads::Threads)
# One run's setup and pipeline, shared by every command (DESIGN.md "session").
thoth_module(session thoth_install thoth_advise)
target_compile_definitions(thoth_session PRIVATE THOTH_VERSION="${PROJECT_VERSION}")
thoth_module(cli thoth_session CLI11::CLI11)
target_compile_definitions(thoth_cli PRIVATE THOTH_VERSION="${PROJECT_VERSION}")

# One program, two names: `thoth-install` behaves as `thoth install`.
add_executable(thoth ${PROJECT_SOURCE_DIR}/src/cli/main.cpp)
target_link_libraries(thoth PRIVATE thoth_cli)
# mimalloc (Debian's libmimalloc-dev) serves the program's operator new/delete (src/cli/main.cpp); the
# sanitizer build keeps its own checking allocator.
if(NOT THOTH_SANITIZE)
  find_package(mimalloc CONFIG REQUIRED)
  target_link_libraries(thoth PRIVATE mimalloc)
  target_compile_definitions(thoth PRIVATE THOTH_MIMALLOC=1)
endif()
if(THOTH_STATIC_RUNTIME AND NOT THOTH_SANITIZE)
  target_link_options(thoth PRIVATE -static-libstdc++ -static-libgcc)
endif()
target_include_directories(thoth PRIVATE ${PROJECT_SOURCE_DIR}/src)
set_target_properties(thoth PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
add_custom_command(TARGET thoth POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E create_symlink thoth ${PROJECT_BINARY_DIR}/thoth-install
  VERBATIM)
install(TARGETS thoth RUNTIME DESTINATION bin)
install(FILES ${PROJECT_SOURCE_DIR}/man/thoth.1 ${PROJECT_SOURCE_DIR}/man/thoth-install.1 DESTINATION share/man/man1)
install(FILES ${PROJECT_SOURCE_DIR}/man/thoth-kb.5 DESTINATION share/man/man5)
install(CODE "execute_process(COMMAND ${CMAKE_COMMAND} -E create_symlink thoth \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/thoth-install)")
