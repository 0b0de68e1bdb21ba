#!/usr/bin/env bash
# Release builds of novabackup-mcp for one platform of the release matrix, staged where
# the Tauri build expects its bundled program (src-tauri/binaries/novabackup-mcp-<triple>)
# and copied to dist/ as a standalone download.
#
#   packaging/release/sidecar.sh linux|windows|macos
#
# macos builds both Apple targets and joins them with lipo into one universal program
# (staged under all three names: the Tauri build looks for each architecture's while it
# compiles, and for the universal one when it bundles).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
platform=${1:?usage: sidecar.sh linux|windows|macos}
target_dir=${CARGO_TARGET_DIR:-$root/target}
version=$(cd "$root" && node -p 'JSON.parse(require("fs").readFileSync("packaging/mcpb/manifest.json", "utf8")).version')
binaries=$root/src-tauri/binaries
mkdir -p "$binaries" "$root/dist"

build() { (cd "$root" && cargo build --release --locked -p novabackup-mcp --bin novabackup-mcp --target "$1"); }

case "$platform" in
  linux)
    triple=x86_64-unknown-linux-gnu
    build "$triple"
    cp "$target_dir/$triple/release/novabackup-mcp" "$binaries/novabackup-mcp-$triple"
    cp "$target_dir/$triple/release/novabackup-mcp" "$root/dist/novabackup-mcp-$version-linux-x86_64"
    ;;
  windows)
    triple=x86_64-pc-windows-msvc
    build "$triple"
    cp "$target_dir/$triple/release/novabackup-mcp.exe" "$binaries/novabackup-mcp-$triple.exe"
    cp "$target_dir/$triple/release/novabackup-mcp.exe" "$root/dist/novabackup-mcp-$version-windows-x86_64.exe"
    ;;
  macos)
    for triple in aarch64-apple-darwin x86_64-apple-darwin; do
      build "$triple"
      cp "$target_dir/$triple/release/novabackup-mcp" "$binaries/novabackup-mcp-$triple"
    done
    lipo -create -output "$binaries/novabackup-mcp-universal-apple-darwin" \
      "$target_dir/aarch64-apple-darwin/release/novabackup-mcp" \
      "$target_dir/x86_64-apple-darwin/release/novabackup-mcp"
    lipo -info "$binaries/novabackup-mcp-universal-apple-darwin"
    # The standalone copy is taken from the signed app after the Tauri build (assets.sh).
    ;;
  *)
    echo "sidecar.sh: the platform is linux, windows or macos, not $platform" >&2
    exit 2
    ;;
esac
ls -l "$binaries"
