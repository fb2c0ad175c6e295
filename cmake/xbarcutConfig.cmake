# find_package(xbarcut) for a program built against an installed xbarcut: the target xbarcut::xbarcut.
include(CMakeFindDependencyMacro)
find_dependency(Torch)
find_dependency(nlohmann_json)
find_dependency(tomlplusplus)
find_dependency(fmt)
find_dependency(ZLIB)
find_dependency(Eigen3 NO_MODULE)
include("${CMAKE_CURRENT_LIST_DIR}/xbarcutTargets.cmake")
