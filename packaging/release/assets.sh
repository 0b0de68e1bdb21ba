#!/usr/bin/env bash
# After the app's build: the standalone novabackup-mcp and the Claude Desktop extension
# (.mcpb) of one platform, in dist/, signed like the app when signing is set up.
#
#   packaging/release/assets.sh linux|windows|macos
#
# macOS: the program is the one inside the built (signed, notarized) app, so the
# extension's copy and the app's are the same signed code and share the keychain's
# permission. Windows: the standalone .exe is signed with the same certificate.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
platform=${1:?usage: assets.sh linux|windows|macos}
target_dir=${CARGO_TARGET_DIR:-$root/target}
version=$(cd "$root" && node -p 'JSON.parse(require("fs").readFileSync("packaging/mcpb/manifest.json", "utf8")).version')
dist=$root/dist
mkdir -p "$dist"

case "$platform" in
  linux)
    program=$dist/novabackup-mcp-$version-linux-x86_64
    mcpb_platform=linux
    ;;
  windows)
    program=$dist/novabackup-mcp-$version-windows-x86_64.exe
    mcpb_platform=win32
    if [ -n "${WINDOWS_CERTIFICATE_THUMBPRINT:-}" ]; then
      signtool=$(ls "/c/Program Files (x86)/Windows Kits/10/bin/"*/x64/signtool.exe | sort | tail -n 1)
      "$signtool" sign /sha1 "$WINDOWS_CERTIFICATE_THUMBPRINT" /fd sha256 /tr http://timestamp.digicert.com /td sha256 "$program"
    elif [ -n "${TRUSTED_SIGNING_ACCOUNT:-}" ] && [ -n "${AZURE_CLIENT_ID:-}" ]; then
      trusted-signing-cli -e "$TRUSTED_SIGNING_ENDPOINT" -a "$TRUSTED_SIGNING_ACCOUNT" -c "$TRUSTED_SIGNING_PROFILE" -d NovaBACKUP "$program"
    fi
    ;;
  macos)
    app=$(find "$target_dir/universal-apple-darwin/release/bundle/macos" -maxdepth 1 -name '*.app' | head -n 1)
    program=$dist/novabackup-mcp-$version-macos-universal
    cp "$app/Contents/MacOS/novabackup-mcp" "$program"
    codesign --verify --verbose "$program" || echo "::warning title=Unsigned build::novabackup-mcp for macOS is not signed"
    mcpb_platform=darwin
    ;;
  *)
    echo "assets.sh: the platform is linux, windows or macos, not $platform" >&2
    exit 2
    ;;
esac

"$root/packaging/mcpb/build.sh" --binary "$program" --platform "$mcpb_platform" \
  --out "$dist/novabackup-mcp-$version-$mcpb_platform.mcpb"
ls -l "$dist"
