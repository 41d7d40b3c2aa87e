#!/usr/bin/env bash
# Installs thoth's build and test dependencies from Debian's archive. Idempotent: packages already present
# are not touched, and nothing is printed when everything is there. Run it as root or as a user with sudo:
# it elevates itself only to install. With --fuzz it also installs clang and its libFuzzer runtime, which
# only scripts/fuzz-smoke.sh needs.
set -euo pipefail

packages=(
  g++ cmake pkg-config make
  libcurl4-openssl-dev zlib1g-dev libarchive-dev rapidjson-dev libre2-dev libcli11-dev
  libtomlplusplus-dev libssl-dev libmimalloc-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Tests: the reference implementation (python3-packaging) and pip as the peer to compare against.
  python3 python3-packaging python3-pip python3-venv
  # Installer and pipenv tests: Debian's real wheels (a test mirror's setuptools, wheel and pip, which
  # also build the test sdists) and the real pipenv that checks thoth's Pipfile.lock.
  python3-setuptools-whl python3-wheel-whl python3-pip-whl pipenv
  # HTTP/2 over TLS (tests/e2e/test_http2.py): Debian's nginx, and openssl for its test certificate.
  nginx-light openssl
  # The .deb of tests/e2e/test_package.py (CPack runs dpkg-shlibdeps) and the zsh completion check.
  dpkg-dev zsh
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

# As root (a fresh container has no sudo) apt-get runs directly; otherwise through sudo.
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing ${missing[*]}; run this script as root, or install sudo" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
