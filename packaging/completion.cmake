# Writes one shell completion script at build time by running the built program:
#   cmake -D THOTH=path/to/thoth -D SHELL_NAME=bash -D OUT=file -P packaging/completion.cmake
# (a script rather than a shell redirection, so that a failing thoth fails the build and leaves no file).
execute_process(COMMAND ${THOTH} completion ${SHELL_NAME} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${THOTH} completion ${SHELL_NAME} failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
