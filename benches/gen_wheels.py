#!/usr/bin/env python3
"""A directory of wheels shaped like a real project's dependencies, for benches/compare_install.py.

    /usr/bin/python3 benches/gen_wheels.py OUT [--seed 1] [--count 60]

Writes Debian's real wheels (pip, setuptools, wheel from /usr/share/python-wheels) and --count
generated ones: most with 10-100 Python files, a few with thousands (the shape of botocore, sympy or
a plotting library), a few with large native extensions (numpy, torch-like: megabytes of
incompressible bytes), about 12,000 files and 125 MB unpacked in all with the defaults. Each wheel
has a valid RECORD, and some have console scripts, so every install path is exercised. Prints the
totals; deterministic for a seed."""

import argparse
import base64
import hashlib
import pathlib
import random
import shutil
import zipfile

REAL = pathlib.Path("/usr/share/python-wheels")
WORDS = ("def class return import from self value result items index name data config request "
         "response parse build cache update handler option error value key list dict").split()


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def python_source(rng, size):
    lines = []
    total = 0
    while total < size:
        line = "    " * rng.randint(0, 3) + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))) + "\n"
        lines.append(line)
        total += len(line)
    return "".join(lines).encode()


def write_wheel(out, name, version, files, scripts):
    dist_info = f"{name}-{version}.dist-info"
    members = list(files)
    members.append((f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()))
    members.append((f"{dist_info}/WHEEL",
                    b"Wheel-Version: 1.0\nGenerator: gen_wheels\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    if scripts:
        text = "[console_scripts]\n" + "".join(f"{s} = {name}.cli:main\n" for s in scripts)
        members.append((f"{dist_info}/entry_points.txt", text.encode()))
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in members)
    record += f"{dist_info}/RECORD,,\n"
    members.append((f"{dist_info}/RECORD", record.encode()))
    path = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members:
            z.writestr(member, data)
    return len(members), sum(len(d) for _, d in members)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    files_total = bytes_total = 0
    for real in sorted(REAL.glob("*.whl")):
        shutil.copy(real, args.out / real.name)
        with zipfile.ZipFile(real) as z:
            files_total += len(z.infolist())
            bytes_total += sum(i.file_size for i in z.infolist())
    for i in range(args.count):
        name = f"bench_pkg{i:03d}"
        if i % 20 == 0:
            n_files, native = rng.randint(2300, 2900), 0       # a botocore
        elif i % 20 == 7:
            n_files, native = rng.randint(60, 120), 24 << 20   # a numpy
        else:
            n_files, native = rng.randint(10, 100), 0
        files = [(f"{name}/__init__.py", b"")]
        files.append((f"{name}/cli.py", b"def main():\n    return 0\n"))
        for f in range(n_files):
            files.append((f"{name}/sub{f % 13}/mod{f}.py", python_source(rng, rng.randint(500, 9000))))
        if native:
            files.append((f"{name}/_native.cpython-311-x86_64-linux-gnu.so", rng.randbytes(native)))
        scripts = [f"{name}-cli"] if i % 3 == 0 else []
        n, size = write_wheel(args.out, name, "1.0", files, scripts)
        files_total += n
        bytes_total += size
    print(f"{args.out}: {args.count + 3} wheels, {files_total} files, {bytes_total / 1e6:.0f} MB unpacked")


if __name__ == "__main__":
    main()
