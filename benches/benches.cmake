# Google Benchmark programs: every benches/bench_*.cpp is one program linked against the modules.
file(GLOB bench_srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/benches/bench_*.cpp)
foreach(src ${bench_srcs})
  get_filename_component(stem ${src} NAME_WE)
  add_executable(${stem} ${src})
  target_link_libraries(${stem} PRIVATE thoth_cli benchmark::benchmark)
endforeach()
