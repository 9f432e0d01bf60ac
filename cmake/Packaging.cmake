# `cmake --install` layout and the Debian package (CPack), docs/packaging.md.
#
#   bin/archscan                          the tool (rule docs and report template are compiled in)
#   share/doc/archscan/                   README, user docs, rule doc pages (rules/BD001.md, ...)
#   share/archscan/report.html            the HTML report template, for people who restyle reports
#   share/archscan/pre-commit-hooks.yaml  the pre-commit hook definition
#   share/archscan/action.yml             the GitHub composite action
include(GNUInstallDirs)

# The binary carries no RUNPATH, in the build tree as installed: Debian's LLVM/Clang 14 libraries are
# on the default library path (/usr/lib/x86_64-linux-gnu links them). The RUNPATH CMake would otherwise
# give the build tree's binary cannot be rewritten at install time (it ends in an empty entry).
set_target_properties(archscan PROPERTIES SKIP_BUILD_RPATH ON INSTALL_RPATH "")

install(TARGETS archscan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(DIRECTORY rules/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules FILES_MATCHING PATTERN "*.md")
install(FILES reports/report.html DESTINATION ${CMAKE_INSTALL_DATADIR}/archscan)
install(FILES .pre-commit-hooks.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/archscan RENAME pre-commit-hooks.yaml)
install(FILES action.yml DESTINATION ${CMAKE_INSTALL_DATADIR}/archscan)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME archscan)
set(CPACK_PACKAGE_VENDOR "archscan")
set(CPACK_PACKAGE_CONTACT "archscan maintainers <maintainers@archscan.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "static analyzer for architectural backdoors in neural-network model code")
set(CPACK_PACKAGE_DESCRIPTION
    "archscan reads PyTorch (Python) and LibTorch (C++) model definitions and reports architectural\n"
    "backdoors: weight-free trigger detectors wired into a model's output. It never imports or runs the\n"
    "code it analyses. Findings go to a review database and out as text, JSON, SARIF or HTML.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Shared-library dependencies (sqlite, fmt, xxhash, LLVM/Clang) come from dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Clang front-end parses C++ against Clang's builtin headers (-resource-dir, analyzer/frontend/cpp).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libclang-common-14-dev")
# `archscan diff` and the hooks read revisions through git; LibTorch headers make C++ models resolve fully.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libtorch-dev, pre-commit")
# Debug info stays in the build tree; the package carries a stripped binary.
set(CPACK_STRIP_FILES ON)
include(CPack)
