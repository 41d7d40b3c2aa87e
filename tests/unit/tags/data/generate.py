#!/usr/bin/python3
"""Writes expected.json: tag and platform lists computed by the reference implementation.

Run once with Debian's python3 (python3-packaging 23.0 and pip):
    /usr/bin/python3 tests/unit/tags/data/generate.py > tests/unit/tags/data/expected.json
The unit tests compare thoth's C++ results with these lists. Nothing here depends on the machine the
generator runs on: every system fact packaging would read is patched in explicitly.
"""
import json
import sys

from packaging import _manylinux, _musllinux, tags
from pip._internal.utils.compatibility_tags import _expand_allowed_platforms

# Hand-written targets never look at an executable: every manylinux arch counts as compatible.
_manylinux._have_compatible_abi = lambda executable, arch: True


def manylinux(arch, glibc):
    _manylinux._get_glibc_version = lambda: glibc
    return list(_manylinux.platform_tags("linux_" + arch, arch))


def musllinux(arch, musl):
    _musllinux._get_musl_version = lambda executable: _musllinux._MuslVersion(*musl)
    return list(_musllinux.platform_tags(arch))


def config_vars(values):
    tags._get_config_var = lambda name, warn=False: values.get(name)


def cp_tags(version, abis, platforms):
    """sys_tags() of a CPython with these facts."""
    return [str(t) for t in tags.cpython_tags(version, abis, platforms)] + [
        str(t) for t in tags.compatible_tags(version, "cp" + tags._version_nodot(version), platforms)
    ]


def case(platforms, abis, tag_list):
    return {"platforms": list(platforms), "abis": list(abis), "tags": list(tag_list)}


out = {}

# --- hand-written targets (Target::from_json) -------------------------------------------------
p = manylinux("x86_64", (2, 28))
out["json:cp310-manylinux_2_28_x86_64"] = case(p, ["cp310"], cp_tags((3, 10), ["cp310"], p))

p = list(tags.mac_platforms((11, 0), "arm64"))
out["json:cp312-macosx_11_0_arm64"] = case(p, ["cp312"], cp_tags((3, 12), ["cp312"], p))

p = list(tags.mac_platforms((10, 9), "x86_64"))
out["json:cp38-macosx_10_9_x86_64"] = case(p, ["cp38"], cp_tags((3, 8), ["cp38"], p))

p = ["win_amd64"]
out["json:cp311-win_amd64"] = case(p, ["cp311"], cp_tags((3, 11), ["cp311"], p))

p = musllinux("aarch64", (1, 2))
out["json:cp311-musllinux_1_2_aarch64"] = case(p, ["cp311"], cp_tags((3, 11), ["cp311"], p))

# pip's legacy expansion of manylinux2014, PyPy through generic_tags and the "pp3" interpreter tag.
p = _expand_allowed_platforms(["manylinux2014_x86_64"])
out["json:pp39-manylinux2014_x86_64"] = case(
    p, ["pypy39_pp73"],
    [str(t) for t in tags.generic_tags("pp39", ["pypy39_pp73"], p)]
    + [str(t) for t in tags.compatible_tags((3, 9), "pp3", p)])

# Python 2.7 with a wide-unicode pymalloc build (what packaging assumes without facts).
config_vars({"Py_DEBUG": 0, "WITH_PYMALLOC": 1, "Py_UNICODE_SIZE": None})
p = ["linux_x86_64"]
out["json:cp27-linux_x86_64"] = case(p, tags._cpython_abis((2, 7)), cp_tags((2, 7), None, p))

# --- pip-style options on top of a base (Target::from_options) ------------------------------------
p = _expand_allowed_platforms(["manylinux2014_x86_64"])
out["options:cp37-manylinux2014_x86_64"] = case(p, tags._cpython_abis((3, 7)), cp_tags((3, 7), None, p))
p = _expand_allowed_platforms(["macosx_10_15_x86_64", "manylinux2010_x86_64", "macosx_10_14_x86_64"])
out["options:cp39-mixed"] = case(p, ["cp39"], cp_tags((3, 9), ["cp39"], p))

# --- probed interpreters with simulated facts (probe_detail::target_from_facts) ------------------
p = manylinux("x86_64", (2, 36)) + ["linux_x86_64"]
out["facts:cp311-glibc236-x86_64"] = case(p, ["cp311"], cp_tags((3, 11), ["cp311"], p))

_manylinux._get_glibc_version = lambda: (-1, -1)
p = musllinux("x86_64", (1, 3)) + ["linux_x86_64"]
out["facts:cp312-musl13-x86_64"] = case(p, ["cp312"], cp_tags((3, 12), ["cp312"], p))

p = manylinux("i686", (2, 31)) + ["linux_i686"]
out["facts:cp39-32bit-on-x86_64"] = case(p, ["cp39"], cp_tags((3, 9), ["cp39"], p))

p = manylinux("armv7l", (2, 31)) + ["linux_armv7l"]
out["facts:cp310-armv7l-hardfloat"] = case(p, ["cp310"], cp_tags((3, 10), ["cp310"], p))

p = ["linux_armv7l"]  # 32-bit interpreter on aarch64 without a hard-float executable
out["facts:cp310-armv7l-softfloat"] = case(p, ["cp310"], cp_tags((3, 10), ["cp310"], p))

p = list(tags.mac_platforms((13, 4), "arm64"))
out["facts:cp311-macos13-arm64"] = case(p, ["cp311"], cp_tags((3, 11), ["cp311"], p))

p = list(tags.mac_platforms((10, 15), "i386"))  # 32-bit interpreter on an x86_64 Mac
out["facts:cp37-macos1015-32bit"] = case(p, ["cp37m"], cp_tags((3, 7), ["cp37m"], p))

p = ["win_amd64"]
config_vars({"EXT_SUFFIX": ".cp311-win_amd64.pyd"})
out["facts:cp311-windows"] = case(p, ["cp311"], cp_tags((3, 11), ["cp311"], p))

config_vars({"EXT_SUFFIX": ".pypy39-pp73-x86_64-linux-gnu.so"})
abis = tags._generic_abi()
p = manylinux("x86_64", (2, 36)) + ["linux_x86_64"]
out["facts:pypy39-linux"] = case(
    p, abis,
    [str(t) for t in tags.generic_tags("pp39", abis, p)]
    + [str(t) for t in tags.compatible_tags((3, 9), "pp3", p)])

config_vars({"EXT_SUFFIX": ".graalpy-38-native-x86_64-darwin.dylib"})
abis = tags._generic_abi()
p = list(tags.mac_platforms((12, 1), "x86_64"))
out["facts:graalpy-macos"] = case(
    p, abis,
    [str(t) for t in tags.generic_tags("graalpy310", abis, p)]
    + [str(t) for t in tags.compatible_tags((3, 10), None, p)])

# --- debug / pymalloc / unicode builds: _cpython_abis from config vars ---------------------------
abi_cases = []
for version, debug, pymalloc, unicode_size in [
    ((3, 11), 1, 1, None), ((3, 11), 0, 1, None), ((3, 11), None, None, None),
    ((3, 7), 0, 1, None), ((3, 7), 1, 1, None), ((3, 7), 0, 0, None), ((3, 7), None, None, None),
    ((3, 2), 0, 1, 4), ((3, 2), 0, 1, 2), ((2, 7), 1, 0, 4), ((3, 8), 1, 0, None),
]:
    config_vars({"Py_DEBUG": debug, "WITH_PYMALLOC": pymalloc, "Py_UNICODE_SIZE": unicode_size})
    abi_cases.append({"version": list(version), "Py_DEBUG": debug, "WITH_PYMALLOC": pymalloc,
                      "Py_UNICODE_SIZE": unicode_size, "abis": tags._cpython_abis(version)})
out["cpython_abis"] = abi_cases

# --- platform ladders ------------------------------------------------------------------------------
out["mac_platforms"] = [
    {"version": [major, minor], "arch": arch, "platforms": list(tags.mac_platforms((major, minor), arch))}
    for major, minor, arch in [(10, 3, "x86_64"), (10, 5, "ppc"), (10, 5, "ppc64"), (10, 9, "i386"),
                               (10, 16, "x86_64"), (11, 0, "arm64"), (11, 3, "x86_64"),
                               (14, 2, "x86_64"), (14, 2, "arm64"), (9, 0, "x86_64"), (10, 6, "intel")]]
out["manylinux_platforms"] = [
    {"arch": arch, "glibc": list(glibc), "platforms": manylinux(arch, glibc)}
    for arch, glibc in [("x86_64", (2, 36)), ("x86_64", (2, 5)), ("x86_64", (2, 3)), ("aarch64", (2, 17)),
                        ("aarch64", (2, 28)), ("i686", (2, 12)), ("s390x", (2, 16)), ("x86_64", (3, 1))]]
out["expand_platform"] = [
    {"platform": name, "platforms": _expand_allowed_platforms([name])}
    for name in ["manylinux2014_x86_64", "manylinux2014_aarch64", "manylinux2010_i686", "manylinux1_x86_64",
                 "linux_x86_64", "win_amd64", "macosx_10_9_x86_64", "macosx_11_0_universal2",
                 "macosxcustom_10_10_intel", "macosx_9_0_x86_64", "macosx_foo"]]

json.dump(out, sys.stdout, indent=0, sort_keys=True)
sys.stdout.write("\n")
