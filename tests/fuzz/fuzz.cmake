# Fuzz targets (tests/fuzz/fuzz_NAME.cpp, each THOTH_FUZZ_TARGET(NAME)) and their corpora
# (tests/fuzz/corpus/NAME/). Included from tests/tests.cmake.
#
# THOTH_FUZZ=ON (clang; the sanitizer build of scripts/run-tests.sh): one libFuzzer program per target,
# build/fuzz_NAME, all of them with the target `fuzz_all` (scripts/fuzz-smoke.sh runs them), each
# replaying its corpus as a CTest entry fuzz.NAME. Otherwise (GCC): one program, fuzz_replay, that runs
# each corpus through its target as a CTest entry fuzz.NAME. Either way the seeds and the reproducers of
# fixed crashes are regression tests of both builds.
file(GLOB fuzz_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.cpp)
list(FILTER fuzz_sources EXCLUDE REGEX "/fuzz_support\\.cpp$")
set(fuzz_corpora ${CMAKE_CURRENT_LIST_DIR}/corpus)
# The session module brings every module a target reads with (the linker keeps what is used).
set(fuzz_libraries thoth_session)

if(THOTH_FUZZ)
  add_custom_target(fuzz_all)
  foreach(src ${fuzz_sources})
    get_filename_component(stem ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" name ${stem})
    add_executable(${stem} ${src} ${CMAKE_CURRENT_LIST_DIR}/fuzz_support.cpp)
    target_compile_definitions(${stem} PRIVATE THOTH_LIBFUZZER=1)
    target_include_directories(${stem} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${stem} PRIVATE ${fuzz_libraries})
    target_link_options(${stem} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${stem} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
    add_dependencies(fuzz_all ${stem})
    # With no time given libFuzzer runs the corpus once and exits: the same check as fuzz_replay.
    add_test(NAME fuzz.${name} COMMAND ${stem} -runs=0 ${fuzz_corpora}/${name})
  endforeach()
  # Listing digests name the build that wrote them: fresh seeds for the listing_digest target.
  add_executable(fuzz_digest_seeds ${CMAKE_CURRENT_LIST_DIR}/digest_seeds.cpp)
  target_include_directories(fuzz_digest_seeds PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fuzz_digest_seeds PRIVATE thoth_index)
  set_target_properties(fuzz_digest_seeds PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
  add_dependencies(fuzz_all fuzz_digest_seeds)
else()
  add_executable(fuzz_replay ${fuzz_sources} ${CMAKE_CURRENT_LIST_DIR}/fuzz_support.cpp
                             ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
  target_include_directories(fuzz_replay PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fuzz_replay PRIVATE ${fuzz_libraries})
  foreach(src ${fuzz_sources})
    get_filename_component(stem ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" name ${stem})
    add_test(NAME fuzz.${name} COMMAND fuzz_replay ${name} ${fuzz_corpora}/${name})
  endforeach()
endif()
