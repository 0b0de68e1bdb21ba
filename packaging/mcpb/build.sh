#!/usr/bin/env bash
# Builds the Claude Desktop extension (.mcpb) of novabackup-mcp for one platform with the
# official CLI (`mcpb validate`, then `mcpb pack`), and prints its size.
#
#   packaging/mcpb/build.sh [--binary PATH] [--platform darwin|win32|linux] [--out FILE]
#
# Defaults: a release build of novabackup-mcp for this machine, this machine's platform,
# and <target dir>/mcpb/novabackup-mcp-<version>-<platform>.mcpb. The bundle holds the
# committed manifest.json (its platforms narrowed to the one packed), the app's icon and
# the binary under server/. Needs `npm --prefix packaging ci` first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packaging=$(cd "$here/.." && pwd)
root=$(cd "$packaging/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}

binary=""
platform=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --platform) platform=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

mcpb=$packaging/node_modules/.bin/mcpb
if [ ! -x "$mcpb" ]; then
  echo "build.sh: the mcpb CLI is missing; run: npm --prefix packaging ci" >&2
  exit 2
fi

[ -n "$platform" ] || platform=$(node -p 'process.platform')
case "$platform" in
  darwin|linux) exe="" ;;
  win32) exe=".exe" ;;
  *) echo "build.sh: --platform must be darwin, win32 or linux, not $platform" >&2; exit 2 ;;
esac
if [ -z "$binary" ]; then
  (cd "$root" && cargo build --release --locked -p novabackup-mcp --bin novabackup-mcp)
  binary=$target_dir/release/novabackup-mcp$exe
fi
if [ ! -f "$binary" ]; then
  echo "build.sh: no program at $binary" >&2
  exit 2
fi

version=$(MANIFEST=$here/manifest.json node -p 'JSON.parse(require("fs").readFileSync(process.env.MANIFEST, "utf8")).version')
[ -n "$out" ] || out=$target_dir/mcpb/novabackup-mcp-$version-$platform.mcpb

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/server" "$(dirname "$out")"
cp "$binary" "$stage/server/novabackup-mcp$exe"
chmod 755 "$stage/server/novabackup-mcp$exe"
cp "$root/src-tauri/icons/icon.png" "$stage/icon.png"
MANIFEST=$here/manifest.json STAGED=$stage/manifest.json PLATFORM=$platform node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.env.MANIFEST, "utf8"));
  manifest.compatibility.platforms = [process.env.PLATFORM];
  fs.writeFileSync(process.env.STAGED, JSON.stringify(manifest, null, 2) + "\n");
'

"$mcpb" validate "$stage/manifest.json"
"$mcpb" pack "$stage" "$out" >/dev/null
bytes=$(wc -c <"$out" | tr -d ' ')
echo "built $out ($bytes bytes, $platform)"
