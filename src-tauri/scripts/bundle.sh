#!/usr/bin/env bash
# Builds the release bundles of the app (on Linux: .deb and AppImage) with the
# bundled novabackup-mcp, into target-app/release/bundle/. Prints their sizes.
# Usage: src-tauri/scripts/bundle.sh [bundles]   (default: deb,appimage)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
bundles=${1:-deb,appimage}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
npm --prefix "$root/ui" run build >/dev/null
SIDECAR_TARGET_DIR=$CARGO_TARGET_DIR "$here/scripts/stage-sidecar.sh" release
(cd "$here" && "$root/ui/node_modules/.bin/tauri" build --bundles "$bundles")
find "$CARGO_TARGET_DIR/release/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' \) \
  -exec ls -l {} \;
