# Test-only programs. Included from tests/tests.cmake.

# pep_oracle: answers PEP 440 / PEP 508 queries on stdin with thoth's own implementation, so that
# tests/e2e/test_differential_packaging.py can compare thousands of cases against python3-packaging
# in one process.
add_executable(pep_oracle ${CMAKE_CURRENT_LIST_DIR}/pep_oracle.cpp)
target_link_libraries(pep_oracle PRIVATE thoth_pep508)
set_target_properties(pep_oracle PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
