# Installing psim under a prefix (cmake --install build --prefix P) and packaging it as a
# Debian package (cd build && cpack -G DEB). Layout, which tools/cli/plotter.cpp and the
# Python module both rely on:
#   P/bin/psim                                the command line
#   P/bin/psim-remote                         psim with remoting: psim hands it node and [deployment] runs
#   P/share/psim/plot/*.py                    the plotting scripts (tools/plot)
#   P/share/psim/scenarios/*.toml             the ready scenarios
#   P/share/psim/data/                        system-wide data (MNIST: mnist.bin)
#   P/lib/python3/dist-packages/psim/         the Python module (python/)
include(GNUInstallDirs)
# Installing and packaging take what was built and build nothing (not the whole test
# suite that `all` holds): build psim first (tools/psim run builds the module with it).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(DIRECTORY "${CMAKE_SOURCE_DIR}/scenarios/" DESTINATION "${CMAKE_INSTALL_DATADIR}/psim/scenarios"
        COMPONENT psim FILES_MATCHING PATTERN "*.toml")
install(DIRECTORY DESTINATION "${CMAKE_INSTALL_DATADIR}/psim/data" COMPONENT psim)
option(PSIM_INSTALL_MNIST "Also install data/mnist.bin (tools/fetch-data mnist) into share/psim/data" OFF)
if(PSIM_INSTALL_MNIST)
  install(FILES "${CMAKE_SOURCE_DIR}/data/mnist.bin" DESTINATION "${CMAKE_INSTALL_DATADIR}/psim/data"
          COMPONENT psim)
endif()

# The .deb: psim built against Debian 12's packages; its dependencies are their runtime
# halves (apt-cache show libcaf-dev libfmt-dev libtomlplusplus-dev names them).
set(CPACK_PACKAGE_NAME psim)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "psim maintainers <psim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "distributed gradient descent simulated as CAF actors")
set(CPACK_PACKAGE_INSTALL_DIRECTORY psim)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
math(EXPR psim_python_next_minor "${Python3_VERSION_MINOR} + 1")
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libssl3, \
libcaf-core0.17 (>= 0.17.6), libcaf-io0.17 (>= 0.17.6), libcaf-openssl0.17 (>= 0.17.6), \
libfmt9, libtomlplusplus3, \
python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), \
python3 (<< ${Python3_VERSION_MAJOR}.${psim_python_next_minor}), \
python3-numpy, python3-pandas, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "liblinear-tools")
set(CPACK_GENERATOR DEB)
include(CPack)
