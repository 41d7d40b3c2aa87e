// The Python side of Target::probe. It runs with -I -S (no site, no user paths), must work on every
// supported Python (3.8 and later, CPython and PyPy) without third-party packages, and only gathers
// facts: abis, platforms and tags are computed in C++ so that hand-written targets get the same
// treatment. Every value mirrors what packaging.tags reads (see interpreter_facts.hpp).
#include "tags/interpreter_facts.hpp"

namespace thoth::probe_detail {

std::string_view probe_script() {
  return R"PY(
import json, os, platform, struct, sys, sysconfig
from importlib.machinery import EXTENSION_SUFFIXES

def full_version(info):
    v = '%d.%d.%d' % (info.major, info.minor, info.micro)
    if info.releaselevel != 'final':
        v += info.releaselevel[0] + str(info.serial)
    return v

def config_var(name):
    v = sysconfig.get_config_var(name)
    return v if v is None or isinstance(v, (int, str)) else str(v)

def elf_facts(path):
    formats = {(1, 1): ('<HHIIIIIHHH', '<IIIIIIII', (0, 1, 4)),
               (1, 2): ('>HHIIIIIHHH', '>IIIIIIII', (0, 1, 4)),
               (2, 1): ('<HHIQQQIHHH', '<IIQQQQQQ', (0, 2, 5)),
               (2, 2): ('>HHIQQQIHHH', '>IIQQQQQQ', (0, 2, 5))}
    try:
        with open(path, 'rb') as f:
            ident = f.read(16)
            if len(ident) < 16 or ident[:4] != b'\x7fELF' or (ident[4], ident[5]) not in formats:
                return None
            e_fmt, p_fmt, p_idx = formats[(ident[4], ident[5])]
            h = struct.unpack(e_fmt, f.read(struct.calcsize(e_fmt)))
            out = {'class': ident[4], 'data': ident[5], 'machine': h[1], 'flags': h[6], 'interpreter': None}
            for i in range(h[9]):
                f.seek(h[4] + h[8] * i)
                raw = f.read(struct.calcsize(p_fmt))
                if len(raw) < struct.calcsize(p_fmt):
                    continue
                ph = struct.unpack(p_fmt, raw)
                if ph[p_idx[0]] != 3:
                    continue
                f.seek(ph[p_idx[1]])
                out['interpreter'] = os.fsdecode(f.read(ph[p_idx[2]])).strip('\0')
                break
            return out
    except (OSError, ValueError, TypeError, struct.error):
        return None

def glibc_version():
    try:
        s = os.confstr('CS_GNU_LIBC_VERSION')
        assert s is not None
        _, v = s.rsplit()
        if v:
            return v
    except (AssertionError, AttributeError, OSError, ValueError):
        pass
    try:
        import ctypes
        f = ctypes.CDLL(None).gnu_get_libc_version
    except (ImportError, OSError, AttributeError):
        return None
    f.restype = ctypes.c_char_p
    v = f()
    return v if isinstance(v, str) else v.decode('ascii')

def musl_loader_output(elf):
    ld = elf and elf['interpreter']
    if not ld or 'musl' not in ld:
        return None
    import subprocess
    try:
        return subprocess.run([ld], stderr=subprocess.PIPE, universal_newlines=True).stderr
    except OSError:
        return None

def manylinux_module(glibc, arch):
    import importlib.machinery, importlib.util, re, site
    spec = importlib.machinery.PathFinder.find_spec('_manylinux', sys.path + site.getsitepackages())
    if spec is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception:
        return None
    out = {}
    for legacy in ('manylinux1', 'manylinux2010', 'manylinux2014'):
        if hasattr(mod, legacy + '_compatible'):
            out[legacy] = bool(getattr(mod, legacy + '_compatible'))
    m = re.match(r'([0-9]+)\.([0-9]+)', glibc or '')
    if hasattr(mod, 'manylinux_compatible') and m:
        answers = []
        major = int(m.group(1))
        for glibc_major in range(major, 1, -1):
            top = int(m.group(2)) if glibc_major == major else 50
            for minor in range(top, -1, -1):
                r = mod.manylinux_compatible(glibc_major, minor, arch)
                answers.append([glibc_major, minor, None if r is None else bool(r)])
        out['compatible'] = answers
    return out

system = platform.system()
is_32bit = sys.maxsize <= 2 ** 32
facts = {
    'executable': sys.executable,
    'markers': {
        'implementation_name': sys.implementation.name,
        'implementation_version': full_version(sys.implementation.version),
        'os_name': os.name,
        'platform_machine': platform.machine(),
        'platform_release': platform.release(),
        'platform_system': system,
        'platform_version': platform.version(),
        'python_full_version': platform.python_version(),
        'platform_python_implementation': platform.python_implementation(),
        'python_version': '.'.join(platform.python_version_tuple()[:2]),
        'sys_platform': sys.platform,
    },
    'implementation': sys.implementation.name,
    'version': list(sys.version_info[:2]),
    'Py_DEBUG': config_var('Py_DEBUG'),
    'WITH_PYMALLOC': config_var('WITH_PYMALLOC'),
    'Py_UNICODE_SIZE': config_var('Py_UNICODE_SIZE'),
    'EXT_SUFFIX': config_var('EXT_SUFFIX'),
    'gettotalrefcount': hasattr(sys, 'gettotalrefcount'),
    'debug_pyd': '_d.pyd' in EXTENSION_SUFFIXES,
    'maxunicode': sys.maxunicode,
    'platform': sysconfig.get_platform(),
    'system': system,
    'is_32bit': is_32bit,
}
if system == 'Linux':
    elf = elf_facts(sys.executable)
    linux = sysconfig.get_platform().replace('.', '_').replace('-', '_')
    if is_32bit:
        linux = {'linux_x86_64': 'linux_i686', 'linux_aarch64': 'linux_armv7l'}.get(linux, linux)
    facts['elf'] = elf
    facts['glibc'] = glibc_version()
    facts['musl_loader_output'] = musl_loader_output(elf)
    facts['manylinux_module'] = manylinux_module(facts['glibc'], linux.split('_', 1)[-1])
if system == 'Darwin':
    release, _, machine = platform.mac_ver()
    if release.split('.')[:2] == ['10', '16']:
        # Built against an old SDK, Python reports 10.16 unless asked for the real version.
        import subprocess
        release = subprocess.run(
            [sys.executable, '-sS', '-c', 'import platform; print(platform.mac_ver()[0])'],
            check=True, env={'SYSTEM_VERSION_COMPAT': '0'}, stdout=subprocess.PIPE,
            universal_newlines=True).stdout.strip()
    facts['mac_version'] = release
    facts['mac_machine'] = machine
sys.stdout.write(json.dumps(facts))
)PY";
}

}  // namespace thoth::probe_detail
