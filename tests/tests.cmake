# Unit tests: every folder tests/unit/<module>/ becomes one GoogleTest program `unit_<module>`
# linked against thoth_<module>; each TEST is a CTest entry of its own.
find_package(GTest REQUIRED)
include(GoogleTest)

file(GLOB unit_dirs LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/tests/unit/*)
foreach(dir ${unit_dirs})
  if(IS_DIRECTORY ${dir})
    get_filename_component(module ${dir} NAME)
    file(GLOB test_srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
    if(test_srcs AND TARGET thoth_${module})
      add_executable(unit_${module} ${test_srcs})
      target_link_libraries(unit_${module} PRIVATE thoth_${module} GTest::gtest_main)
      target_include_directories(unit_${module} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
      target_compile_definitions(unit_${module} PRIVATE
        THOTH_SOURCE_DIR="${PROJECT_SOURCE_DIR}" THOTH_BINARY_DIR="${PROJECT_BINARY_DIR}")
      gtest_discover_tests(unit_${module} TEST_PREFIX "${module}." DISCOVERY_MODE PRE_TEST)
      if(module STREQUAL "archive")
        # The archive tests write their hostile tarballs with libarchive itself (thoth only loads it
        # at run time, to read).
        target_link_libraries(unit_archive PRIVATE LibArchive::LibArchive)
      endif()
      if(module STREQUAL "advise")
        # The advisor's tests resolve through the resolver tests' in-memory source, and write the zip
        # archives of OSV records they import with libarchive.
        target_sources(unit_advise PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit/resolve/memory_source.cpp)
        target_link_libraries(unit_advise PRIVATE LibArchive::LibArchive)
      endif()
      if(module STREQUAL "index")
        # The digest tests damage digests where their FlatBuffers layout says (the generated reader).
        target_include_directories(unit_index PRIVATE ${THOTH_GENERATED_DIR})
      endif()
    endif()
  endif()
endforeach()

# End-to-end and differential tests: every tests/e2e/test_*.py is one CTest entry. They run the built
# `thoth` binary (THOTH env var) against mirrors they generate and serve on 127.0.0.1, with Debian's
# python3 (which carries python3-packaging, the reference implementation).
set(THOTH_TEST_PYTHON /usr/bin/python3 CACHE FILEPATH "Python that runs the end-to-end tests")
file(GLOB e2e_scripts CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/e2e/test_*.py)
foreach(script ${e2e_scripts})
  get_filename_component(stem ${script} NAME_WE)
  add_test(NAME e2e.${stem} COMMAND ${THOTH_TEST_PYTHON} ${script})
  set_tests_properties(e2e.${stem} PROPERTIES
    ENVIRONMENT "THOTH=$<TARGET_FILE:thoth>;THOTH_BUILD_DIR=${PROJECT_BINARY_DIR};THOTH_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 600)
endforeach()
# Tests of what surrounds the program (packaging, the dependency script, shell completion scripts):
# the sanitizer pass skips them by label, as they exercise no code a sanitizer would check.
foreach(stem test_package test_install_deps test_completion)
  if(TEST e2e.${stem})
    set_tests_properties(e2e.${stem} PROPERTIES LABELS surroundings)
  endif()
endforeach()

# Test-only programs (e.g. the oracle the differential tests drive).
include(${PROJECT_SOURCE_DIR}/tests/tools/tools.cmake OPTIONAL)

# The fuzz targets: their corpora replayed as tests, or libFuzzer programs with THOTH_FUZZ=ON.
include(${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz.cmake)

# Self-tests of the mirror generator and test server (they do not run thoth, so the sanitizer pass
# skips them by label).
add_test(NAME support.selftest COMMAND ${THOTH_TEST_PYTHON} ${PROJECT_SOURCE_DIR}/tests/support/test_support_selftest.py)
set_tests_properties(support.selftest PROPERTIES LABELS support TIMEOUT 600 ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
