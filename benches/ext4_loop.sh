#!/bin/bash
# Runs benches/compare_install.py on a freshly made ext4 file system (default mkfs.ext4 options, with
# its journal) in an image file on the disk, loop-mounted for the run and removed afterwards.
#
#   bash benches/ext4_loop.sh [compare_install.py options...]
#   e.g. bash benches/ext4_loop.sh --bench build/bench_install --reps 5
#
# Why: the development VMs' root file system is ext4 without a journal. There ext4 keeps new inodes
# off those deleted in the last few minutes (recently_deleted() in the inode allocator, used only
# without a journal), and a benchmark that creates and deletes 12,000 files a round soon spends most
# of its time scanning for a free inode: `cp -r` of the same tree took 0.6 s to 8.6 s minutes apart.
# A fresh ext4 as mkfs makes it, on the same disk, gives a floor that holds still (benches/README.md,
# "Installing wheels").
#
# Needs root (mount); uses sudo when not root. The image is sparse, 6 GiB, under $IMAGE_DIR
# (default /var/tmp).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"  # mkfs.ext4, which a user's PATH on Debian lacks
here=$(cd "$(dirname "$0")" && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
image=$(mktemp "${IMAGE_DIR:-/var/tmp}/thoth-ext4-XXXXXX.img")
mnt=$(mktemp -d /tmp/thoth-ext4-mnt-XXXXXX)
cleanup() {
  $sudo umount "$mnt" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
  rm -f "$image"
}
trap cleanup EXIT
truncate -s 6G "$image"
mkfs.ext4 -q -F "$image"
$sudo mount -o loop "$image" "$mnt"
$sudo chown "$(id -u):$(id -g)" "$mnt"
python3 "$here/compare_install.py" --tmp "$mnt" "$@"
