# Building Reciproca plugins: used by the plugins shipped in this repository and, installed with
# `cmake --install`, by plugin authors through find_package(Reciproca).
#
#   reciproca_add_plugin(<target> [C_ONLY] SOURCES <files...> [LINK <libraries...>])
#
# makes <target>.so, a MODULE library exporting only reciproca_plugin_entry_v1, and fails the
# link if any symbol is left unresolved.
#
# By default the plugin links the protobuf classes of reciproca.v1.Event and the plugin.v1
# messages (the SDK's <reciproca/plugin.hpp> needs them). They are generated from the installed
# protos as LITE code: reciprocad already registered the full descriptors of these files in
# libprotobuf's global pool, and registering them again from a plugin would abort the server.
#
# C_ONLY: a plugin in plain C that links no protobuf library at all (it decodes the wire format
# itself, or links its own C protobuf library through LINK); it gets the C header only.
#
# Targets:
#   Reciproca::plugin_abi     INTERFACE: the include directory of <reciproca/plugin.h> alone.
#   Reciproca::plugin_protos  the lite protobuf classes and <reciproca/plugin.hpp>, for a test
#                             executable that drives a plugin without a server; it exists once
#                             reciproca_add_plugin() made a (non C_ONLY) plugin.

include_guard(GLOBAL)

# Where the .proto files and headers are: set by ReciprocaConfig.cmake, or by the in-tree build.
if(NOT RECIPROCA_PROTO_DIR)
  message(FATAL_ERROR "RECIPROCA_PROTO_DIR is not set")
endif()
if(NOT RECIPROCA_PLUGIN_INCLUDE_DIR)
  message(FATAL_ERROR "RECIPROCA_PLUGIN_INCLUDE_DIR is not set")
endif()
# OFF when the package was found without its protobuf component (C plugins only).
if(NOT DEFINED RECIPROCA_WITH_PROTOBUF)
  set(RECIPROCA_WITH_PROTOBUF ON)
endif()
if(RECIPROCA_WITH_PROTOBUF)
  find_package(Protobuf REQUIRED)
endif()

if(NOT TARGET Reciproca::plugin_abi)
  add_library(Reciproca::plugin_abi INTERFACE IMPORTED GLOBAL)
  set_target_properties(Reciproca::plugin_abi PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RECIPROCA_PLUGIN_INCLUDE_DIR}")
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
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${RECIPROCA_PROTO_DIR}/${proto})
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
  target_include_directories(reciproca_plugin_protos_lite PUBLIC ${out}/gen)
  target_link_libraries(reciproca_plugin_protos_lite PUBLIC Reciproca::plugin_abi
                        protobuf::libprotobuf)
  target_compile_features(reciproca_plugin_protos_lite PUBLIC cxx_std_17)
  set_target_properties(reciproca_plugin_protos_lite PROPERTIES
    POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    UNITY_BUILD OFF)
  add_library(Reciproca::plugin_protos ALIAS reciproca_plugin_protos_lite)
endfunction()

function(reciproca_add_plugin target)
  cmake_parse_arguments(ARG "C_ONLY" "" "SOURCES;LINK" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "reciproca_add_plugin(${target}): unexpected arguments "
                        "\"${ARG_UNPARSED_ARGUMENTS}\" (expected [C_ONLY] SOURCES ... [LINK ...])")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "reciproca_add_plugin(${target}): no SOURCES")
  endif()
  if(ARG_C_ONLY)
    set(abi Reciproca::plugin_abi)
  else()
    get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    if(NOT CXX IN_LIST languages)
      message(FATAL_ERROR "reciproca_add_plugin(${target}): the protobuf classes are C++; "
                          "enable CXX in project(), or pass C_ONLY for a plugin in plain C")
    endif()
    if(NOT RECIPROCA_WITH_PROTOBUF)
      message(FATAL_ERROR "reciproca_add_plugin(${target}): Reciproca was found without its "
                          "protobuf component; pass C_ONLY, or find_package(Reciproca) without "
                          "COMPONENTS (or with COMPONENTS protobuf)")
    endif()
    _reciproca_plugin_protos()
    set(abi reciproca_plugin_protos_lite)
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${abi} ${ARG_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX "" CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Every symbol resolved at link time: a missing one is a build error, not a load-time surprise.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
