# archscan_layer(NAME DIRS dir... [SOURCES src...] [DEPENDS layer...] [PUBLIC_LIBS lib...] [PRIVATE_LIBS lib...])
#
# One architectural layer = one static library `archscan_NAME` built from the .cpp files of DIRS
# (paths relative to the source root; SOURCES replaces the glob). A layer links only the layers it
# DEPENDS on, so the dependency graph is one-directional by construction; the `layers.includes`
# test (tests/layers) reads the graph written to ${CMAKE_BINARY_DIR}/layers.txt and fails on any
# #include of a layer that is not a (transitive) dependency.
#
# Every layer is linked whole-archive: front-ends, rules, sinks and post-processors register
# themselves from static initialisers that nothing references, and CMake requires one link feature
# per library.
function(archscan_layer name)
  cmake_parse_arguments(L "" "" "DIRS;SOURCES;DEPENDS;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(sources ${L_SOURCES})
  if(NOT sources)
    set(globs)
    foreach(dir IN LISTS L_DIRS)
      list(APPEND globs "${CMAKE_SOURCE_DIR}/${dir}/*.cpp")
    endforeach()
    file(GLOB sources CONFIGURE_DEPENDS ${globs})
  endif()
  add_library(archscan_${name} STATIC ${sources})
  target_include_directories(archscan_${name} PUBLIC "${CMAKE_SOURCE_DIR}/analyzer" "${CMAKE_SOURCE_DIR}")
  foreach(dep IN LISTS L_DEPENDS)
    target_link_libraries(archscan_${name} PUBLIC "$<LINK_LIBRARY:WHOLE_ARCHIVE,archscan_${dep}>")
  endforeach()
  target_link_libraries(archscan_${name} PUBLIC ${L_PUBLIC_LIBS} PRIVATE ${L_PRIVATE_LIBS} archscan_warnings)
  string(REPLACE ";" "," dirs "${L_DIRS}")
  string(REPLACE ";" "," deps "${L_DEPENDS}")
  set_property(GLOBAL APPEND PROPERTY ARCHSCAN_LAYERS "${name} ${dirs} ${deps}")
endfunction()

# Writes the layer graph (one line per layer: NAME DIR,DIR DEP,DEP) for tests/layers.
function(archscan_write_layer_graph)
  get_property(layers GLOBAL PROPERTY ARCHSCAN_LAYERS)
  list(JOIN layers "\n" text)
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/layers.txt" CONTENT "${text}\n")
endfunction()
