#!/usr/bin/env bash
# Builds novabackup-mcp and puts it where the Tauri build expects the bundled
# program: src-tauri/binaries/novabackup-mcp-<host triple>. Run before building the app.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
profile=${1:-debug}
triple=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${SIDECAR_TARGET_DIR:-$root/target}
flags=()
[ "$profile" = release ] && flags+=(--release)
(cd "$root" && CARGO_TARGET_DIR="$target_dir" cargo build -p novabackup-mcp --bin novabackup-mcp "${flags[@]}")
ext=""
case "$triple" in *windows*) ext=".exe" ;; esac
mkdir -p "$here/binaries"
cp "$target_dir/$profile/novabackup-mcp$ext" "$here/binaries/novabackup-mcp-$triple$ext"
echo "staged $here/binaries/novabackup-mcp-$triple$ext"
