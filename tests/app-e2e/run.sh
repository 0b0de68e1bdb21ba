#!/usr/bin/env bash
# End-to-end tests of the companion app: builds the UI, the bundled novabackup-mcp, the
# app and the simulator, then drives the real app in a WebKit window under Xvfb, with a
# D-Bus session, an unlocked gnome-keyring and a notification service (dunst), in a
# temporary HOME.
# Screenshots go to tests/app-e2e/output/screenshots/ (ignored by git), so a run leaves
# the working tree clean. `run.sh --update-screenshots` also copies them, after a run
# that passed, over the committed ones in tests/app-e2e/screenshots/ (the README's).
# Installs nothing: needs the packages named in README.md here, Node's
# packages in ui/ (npm --prefix ui ci) and tauri-driver 2.1.0 on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app_target=${APP_TARGET_DIR:-$root/target}
sim_target=${SIDECAR_TARGET_DIR:-$root/target}

update_screenshots=false
for arg in "$@"; do
  case $arg in
    --update-screenshots) update_screenshots=true ;;
    *) echo "usage: $0 [--update-screenshots]" >&2; exit 2 ;;
  esac
done

echo "==> UI"
npm --prefix "$root/ui" run build >/dev/null
echo "==> novabackup-mcp (bundled) and the simulator"
SIDECAR_TARGET_DIR=$sim_target "$root/src-tauri/scripts/stage-sidecar.sh" debug
(cd "$root" && CARGO_TARGET_DIR=$sim_target cargo build -p ms-sim --bin ms-sim)
echo "==> the app"
(cd "$root/src-tauri" && CARGO_TARGET_DIR=$app_target cargo build)

export APP_BIN=$app_target/debug/novabackup-companion
export MS_SIM_BIN=$sim_target/debug/ms-sim
export TAURI_DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
export SCREENSHOTS_DIR=$here/output/screenshots
rm -rf "$SCREENSHOTS_DIR"
mkdir -p "$SCREENSHOTS_DIR"
home=$(mktemp -d)
trap 'rm -rf "$home" 2>/dev/null || true' EXIT
# dunst keeps every notification (the test reads them back with dunstctl).
mkdir -p "$home/.config/dunst"
printf '[global]\n    history_length = 500\n' >"$home/.config/dunst/dunstrc"

echo "==> end-to-end (HOME=$home)"
# The app refuses to register a program inside a temporary folder; the checkout (and so
# the built sidecar) may sit in one, so only the home's own tmp counts as temporary here.
HOME=$home XDG_CONFIG_HOME= XDG_DATA_HOME= NOVABACKUP_MCP_TEMP_DIRS=$home/tmp xvfb-run -a -s "-screen 0 1280x900x24" \
  dbus-run-session -- bash -c '
    echo -n e2e-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    dunst >"$HOME/dunst.log" 2>&1 &   # the desktop notification service the app talks to
    exec /usr/bin/python3 "$0"
  ' "$here/e2e.py"
echo "screenshots: $SCREENSHOTS_DIR"

if $update_screenshots; then
  rm -f "$here"/screenshots/*.png
  cp "$SCREENSHOTS_DIR"/*.png "$here/screenshots/"
  echo "updated the committed screenshots in $here/screenshots (review them with git diff --stat)"
fi
