# Test-only programs. Included from tests/tests.cmake.

# pep_oracle: answers PEP 440 / PEP 508 queries on stdin with thoth's own implementation, so that
# tests/e2e/test_differential_packaging.py can compare thousands of cases against python3-packaging
# in one process. Built only once both standards modules have sources (not the header-only fallback).
if(TARGET thoth_pep440 AND TARGET thoth_pep508)
  get_target_property(_pep440_type thoth_pep440 TYPE)
  get_target_property(_pep508_type thoth_pep508 TYPE)
  if(NOT _pep440_type STREQUAL "INTERFACE_LIBRARY" AND NOT _pep508_type STREQUAL "INTERFACE_LIBRARY")
    add_executable(pep_oracle ${CMAKE_CURRENT_LIST_DIR}/pep_oracle.cpp)
    target_link_libraries(pep_oracle PRIVATE thoth_pep508)
    set_target_properties(pep_oracle PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
  endif()
endif()
