#!/usr/bin/env bash
# Installs thoth's build and test dependencies from Debian's archive. Idempotent: packages already present
# are not touched, and nothing is printed when everything is there. Run it as root or as a user with sudo:
# it elevates itself only to install.
#
# It also puts two newer references for the differential tests in $THOTH_TEST_WHEELS (default
# /usr/local/share/thoth-test-wheels): the wheels of Debian 13's python3-packaging-whl (packaging 25.0) and
# python3-pip-whl (pip 25.1.1), fetched from the same Debian archive apt uses, checked against the SHA-256
# that trixie's (signed) Packages index gives, and unpacked as <dir>/packaging-25.0/packaging and
# <dir>/pip-25.1.1/pip, ready for sys.path or PYTHONPATH. Nothing else from Debian 13 is taken, and
# nothing is installed into the system's Python. Each verified .deb stays beside its unpacked wheel
# (<dir>/packaging-25.0/deb/...).
set -euo pipefail

packages=(
  g++ cmake pkg-config make
  libcurl4-openssl-dev zlib1g-dev libarchive-dev rapidjson-dev libre2-dev libcli11-dev
  libtomlplusplus-dev libssl-dev libmimalloc-dev libflatbuffers-dev flatbuffers-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  # Tests: the reference implementation (python3-packaging) and pip as the peer to compare against, and
  # curl to fetch the newer references below.
  python3 python3-packaging python3-pip python3-venv curl
  # Installer and pipenv tests: Debian's real wheels (a test mirror's setuptools, wheel and pip, which
  # also build the test sdists) and the real pipenv that checks thoth's Pipfile.lock.
  python3-setuptools-whl python3-wheel-whl python3-pip-whl pipenv
  # HTTP/2 over TLS (tests/e2e/test_http2.py): Debian's nginx, and openssl for its test certificate.
  nginx-light openssl
  # The .deb of tests/e2e/test_package.py (CPack runs dpkg-shlibdeps) and the zsh completion check.
  dpkg-dev zsh
  # The sanitizer stage of scripts/run-tests.sh builds with clang, whose libFuzzer runtime lets the same
  # build run the fuzz targets of tests/fuzz.
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Debian 13's packaging 25.0 and pip 25.1.1: file in the archive's pool, and its SHA-256 from
# dists/trixie/main/binary-all/Packages.xz (so a changed file is refused, not used).
debian_archive=${THOTH_DEBIAN_ARCHIVE:-http://deb.debian.org/debian}
wheels_dir=${THOTH_TEST_WHEELS:-/usr/local/share/thoth-test-wheels}
references=(
  "packaging-25.0 pool/main/p/python-packaging/python3-packaging-whl_25.0-1_all.deb ca239f65466b2c87b6cf9ceff19a328464afa65fd744f6e13735be999cd7b21d"
  "pip-25.1.1 pool/main/p/python-pip/python3-pip-whl_25.1.1+dfsg-1_all.deb e65351935aa4af2b10ae2abb5744f5059e9abad51aea6cd0cb825702010763f7"
)
missing_wheels=()
for r in "${references[@]}"; do
  read -r unpacked _ _ <<<"$r"
  [ -d "$wheels_dir/$unpacked" ] || missing_wheels+=("$r")
done
missing_names=("${missing[@]}")
for r in "${missing_wheels[@]}"; do missing_names+=("${r%% *}"); done
((${#missing[@]} == 0 && ${#missing_wheels[@]} == 0)) && exit 0

# As root (a fresh container has no sudo) apt-get runs directly; otherwise through sudo.
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing ${missing_names[*]}; run this script as root, or install sudo" >&2
    exit 1
  fi
  sudo="sudo"
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Each reference is fetched and unpacked in a scratch directory, copied beside its final place and renamed
# into it: an interrupted run leaves nothing half-written, and the next run starts that reference again.
for r in "${missing_wheels[@]}"; do
  read -r unpacked pool_path sha256 <<<"$r"
  deb=${pool_path##*/}
  echo "install-deps: fetching $deb (the $unpacked reference for the differential tests)" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  curl -fsS --retry 3 -o "$work/$deb" "$debian_archive/$pool_path" || {
    echo "install-deps: cannot download $debian_archive/$pool_path; set THOTH_DEBIAN_ARCHIVE to a Debian mirror" >&2
    exit 1
  }
  if ! echo "$sha256  $work/$deb" | sha256sum --check --status; then
    echo "install-deps: $deb from $debian_archive does not have the SHA-256 of Debian 13's Packages index" \
      "($sha256); refusing it" >&2
    exit 1
  fi
  dpkg-deb -x "$work/$deb" "$work/root"
  mkdir -p "$work/$unpacked/deb"
  mv "$work/$deb" "$work/$unpacked/deb/"
  for whl in "$work"/root/usr/share/python-wheels/*.whl; do
    python3 -m zipfile -e "$whl" "$work/$unpacked"
  done
  $sudo mkdir -p "$wheels_dir"
  $sudo rm -rf "$wheels_dir/.partial-$unpacked".*  # left by an interrupted run
  staging=$($sudo mktemp -d "$wheels_dir/.partial-$unpacked.XXXXXX")
  $sudo cp -R "$work/$unpacked/." "$staging/"
  $sudo chmod -R a+rX "$staging"
  $sudo mv -T "$staging" "$wheels_dir/$unpacked"
  rm -rf "$work"
  trap - EXIT
done
