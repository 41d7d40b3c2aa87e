// The Python side of Target::probe. It runs with -I -S (no site, no user paths), must work on every
// supported Python (3.8 and later, CPython and PyPy) without third-party packages, and only gathers
// facts: abis, platforms and tags are computed in C++ so that hand-written targets get the same
// treatment. Every value mirrors what packaging.tags reads (see interpreter_facts.hpp).
//
// It imports neither json nor platform: both pull in re (and enum, functools, collections), which
// more than doubles the probe's time on the critical path of every first run (figures in
// benches/README.md). The few values taken from platform are computed as platform computes them.
#include "tags/interpreter_facts.hpp"

namespace thoth::probe_detail {

std::string_view probe_script() {
  return R"PY(
import os, struct, sys, sysconfig
from importlib.machinery import EXTENSION_SUFFIXES

def to_json(v):
    # json.dumps with its defaults (ASCII output) for the types below.
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        out = []
        short = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}
        for c in v:
            o = ord(c)
            if c in short:
                out.append(short[c])
            elif 0x20 <= o < 0x7f:
                out.append(c)
            elif o > 0xffff:
                o -= 0x10000
                out.append('\\u%04x\\u%04x' % (0xd800 | (o >> 10), 0xdc00 | (o & 0x3ff)))
            else:
                out.append('\\u%04x' % o)
        return '"' + ''.join(out) + '"'
    if isinstance(v, (list, tuple)):
        return '[' + ', '.join(to_json(x) for x in v) + ']'
    if isinstance(v, dict):
        return '{' + ', '.join(to_json(str(k)) + ': ' + to_json(x) for k, x in v.items()) + '}'
    raise TypeError('cannot write %r' % (v,))

def uname():
    # platform.uname()'s system, release, version and machine: os.uname() on POSIX, where platform
    # only adjusts values that Linux, BSD and macOS never give.
    u = os.uname() if hasattr(os, 'uname') else None
    if u is None or u.sysname in ('', 'Microsoft', 'Windows', 'OpenVMS') or not u.machine:
        import platform
        p = platform.uname()
        return p.system, p.release, p.version, p.machine
    return u.sysname, u.release, u.version, u.machine

def python_version():
    # platform.python_version(): the version at the start of sys.version (characters of the regex
    # [\w.+]), with a missing patch level added as '0'.
    n = 0
    while n < len(sys.version) and (sys.version[n].isalnum() or sys.version[n] in '._+'):
        n += 1
    parts = sys.version[:n].split('.')
    if len(parts) == 2:
        parts.append('0')
    return '.'.join(parts)

def python_implementation():
    # platform.python_implementation(), from the same tests of sys.version and sys.platform.
    if sys.version.startswith('IronPython'):
        return 'IronPython'
    if sys.platform.startswith('java'):
        return 'Jython'
    if 'PyPy' in sys.version:
        return 'PyPy'
    if sys.platform == 'brython':
        return 'Brython'
    return 'CPython'

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

def glibc_major_minor(glibc):
    # The leading "<major>.<minor>" of a glibc version, as the regex ([0-9]+)\.([0-9]+) matches it.
    major, _, rest = (glibc or '').partition('.')
    n = 0
    while n < len(rest) and rest[n] in '0123456789':
        n += 1
    if not major or not all(c in '0123456789' for c in major) or n == 0:
        return None
    return int(major), int(rest[:n])

def manylinux_module(glibc, arch):
    import importlib.machinery, site
    spec = importlib.machinery.PathFinder.find_spec('_manylinux', sys.path + site.getsitepackages())
    if spec is None:
        return None
    import importlib.util
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception:
        return None
    out = {}
    for legacy in ('manylinux1', 'manylinux2010', 'manylinux2014'):
        if hasattr(mod, legacy + '_compatible'):
            out[legacy] = bool(getattr(mod, legacy + '_compatible'))
    m = glibc_major_minor(glibc)
    if hasattr(mod, 'manylinux_compatible') and m:
        answers = []
        major = m[0]
        for glibc_major in range(major, 1, -1):
            top = m[1] if glibc_major == major else 50
            for minor in range(top, -1, -1):
                r = mod.manylinux_compatible(glibc_major, minor, arch)
                answers.append([glibc_major, minor, None if r is None else bool(r)])
        out['compatible'] = answers
    return out

system, release, version, machine = uname()
is_32bit = sys.maxsize <= 2 ** 32
facts = {
    'executable': sys.executable,
    'markers': {
        'implementation_name': sys.implementation.name,
        'implementation_version': full_version(sys.implementation.version),
        'os_name': os.name,
        'platform_machine': machine,
        'platform_release': release,
        'platform_system': system,
        'platform_version': version,
        'python_full_version': python_version(),
        'platform_python_implementation': python_implementation(),
        'python_version': '.'.join(python_version().split('.')[:2]),
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
    import platform
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
sys.stdout.write(to_json(facts))
)PY";
}

}  // namespace thoth::probe_detail
