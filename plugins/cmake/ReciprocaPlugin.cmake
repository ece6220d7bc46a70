# Building Reciproca plugins: used by the plugins shipped in this repository and, installed with
# `cmake --install`, by plugin authors through find_package(Reciproca).
#
#   reciproca_add_plugin(<target> SOURCES <files...> [LINK <libraries...>])
#
# makes <target>.so, a MODULE library exporting only reciproca_plugin_entry_v1. Its protobuf
# classes (reciproca.v1.Event and the plugin.v1 messages) are generated from the installed protos
# as LITE code: reciprocad already registered the full descriptors of these files in
# libprotobuf's global pool, and registering them again from a plugin would abort the server.

include_guard(GLOBAL)
find_package(Protobuf REQUIRED)

# Where the .proto files are: set by ReciprocaConfig.cmake, or by the in-tree build.
if(NOT RECIPROCA_PROTO_DIR)
  message(FATAL_ERROR "RECIPROCA_PROTO_DIR is not set")
endif()
if(NOT RECIPROCA_PLUGIN_INCLUDE_DIR)
  message(FATAL_ERROR "RECIPROCA_PLUGIN_INCLUDE_DIR is not set")
endif()

function(_reciproca_plugin_protos)
  if(TARGET reciproca_plugin_protos_lite)
    return()
  endif()
  set(out ${CMAKE_BINARY_DIR}/reciproca_plugin_protos_lite)
  set(sources)
  foreach(proto reciproca/v1/resources.proto reciproca/v1/events.proto
                reciproca/plugin/v1/plugin.proto)
    # A copy of the .proto with optimize_for = LITE_RUNTIME added after its package line.
    file(READ ${RECIPROCA_PROTO_DIR}/${proto} content)
    string(REGEX REPLACE "\npackage ([a-z0-9.]+);" "\npackage \\1;\noption optimize_for = LITE_RUNTIME;"
           content "${content}")
    file(WRITE ${out}/proto/${proto}.new "${content}")
    configure_file(${out}/proto/${proto}.new ${out}/proto/${proto} COPYONLY)
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    list(APPEND sources ${out}/gen/${stem}.pb.cc)
    add_custom_command(
      OUTPUT ${out}/gen/${stem}.pb.cc ${out}/gen/${stem}.pb.h
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out}/gen
      COMMAND protobuf::protoc --cpp_out=${out}/gen -I${out}/proto ${out}/proto/${proto}
      DEPENDS ${out}/proto/${proto} protobuf::protoc
      COMMENT "Generating lite protobuf code for plugins: ${proto}")
  endforeach()
  add_library(reciproca_plugin_protos_lite STATIC ${sources})
  target_include_directories(reciproca_plugin_protos_lite PUBLIC ${out}/gen
                             ${RECIPROCA_PLUGIN_INCLUDE_DIR})
  target_link_libraries(reciproca_plugin_protos_lite PUBLIC protobuf::libprotobuf)
  target_compile_features(reciproca_plugin_protos_lite PUBLIC cxx_std_17)
  set_target_properties(reciproca_plugin_protos_lite PROPERTIES
    POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endfunction()

function(reciproca_add_plugin target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINK" ${ARGN})
  _reciproca_plugin_protos()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE reciproca_plugin_protos_lite ${ARG_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX "" CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Every symbol resolved at link time: a missing one is a build error, not a load-time surprise.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
