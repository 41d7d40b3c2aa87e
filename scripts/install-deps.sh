#!/usr/bin/env bash
# Installs thoth's build and test dependencies from Debian's archive. Idempotent: packages already present
# are not touched, and nothing is printed when everything is there. Needs root (or sudo).
set -euo pipefail

packages=(
  g++ cmake pkg-config make
  libcurl4-openssl-dev zlib1g-dev libarchive-dev rapidjson-dev libre2-dev libcli11-dev
  libtomlplusplus-dev libssl-dev libmimalloc-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Tests: the reference implementation (python3-packaging) and pip as the peer to compare against.
  python3 python3-packaging python3-pip python3-venv
  # HTTP/2 over TLS (tests/e2e/test_http2.py): Debian's nginx, and openssl for its test certificate.
  nginx-light openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
