#!/usr/bin/env bash
# Builds novabackup-mcp and shows it working. With servers of your own saved
# (`novabackup-mcp login`), it uses them; otherwise it starts the simulated demo
# Management Server and connects to that, without touching your saved servers.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> building novabackup-mcp and the demo server"
cargo build --quiet -p novabackup-mcp -p ms-sim --bins
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir=$PWD/$target_dir ;; esac
export NOVABACKUP_MCP_BIN=$target_dir/debug/novabackup-mcp
sim_bin=$target_dir/debug/ms-sim
mkdir -p "$target_dir/demo"
export DEMO_LOG=$target_dir/demo/novabackup-mcp.log

echo "==> the MCP client used for the tour (official TypeScript SDK)"
(cd tests/mcp-interop && npm ci --no-audit --no-fund --loglevel=error)

if [ -z "${MCP_SERVERS_FILE:-}" ] && "$NOVABACKUP_MCP_BIN" list 2>/dev/null | grep -q "https\?://"; then
  echo "==> using your saved servers"
  "$NOVABACKUP_MCP_BIN" test || true
else
  demo_dir=$(mktemp -d "${TMPDIR:-/tmp}/novabackup-demo.XXXXXX")
  sim_out=$demo_dir/ms-sim.out
  "$sim_bin" --listen 127.0.0.1:0 >"$sim_out" 2>"$demo_dir/ms-sim.log" &
  sim_pid=$!
  trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$demo_dir"' EXIT
  for _ in $(seq 100); do grep -q '^ready' "$sim_out" 2>/dev/null && break; sleep 0.1; done
  url=$(awk '$1 == "server" { print $3; exit }' "$sim_out")
  read -r _ user password _ < <(grep '^user admin ' "$sim_out")
  echo "==> demo Management Server at $url (demo user: $user)"
  # The demo password is published demo data; it goes into a throw-away file in the
  # demo folder (removed on exit), so your keychain and saved servers stay untouched.
  export MCP_SERVERS_FILE=$demo_dir/servers.json MCP_CREDENTIALS_FILE=$demo_dir/credentials.json
  printf '{"version":1,"servers":[{"server_id":"demo","label":"Demo (simulated)","base_url":"%s","username":"%s"}]}' \
    "$url" "$user" >"$MCP_SERVERS_FILE"
  printf '{"version":1,"servers":[{"server_id":"demo","label":"Demo (simulated)","base_url":"%s","username":"%s","password":"%s"}]}' \
    "$url" "$user" "$password" >"$MCP_CREDENTIALS_FILE"
  "$NOVABACKUP_MCP_BIN" test demo
fi

echo "==> a tour of the tools, as Claude would call them"
node tests/mcp-interop/demo.mjs

cat <<MSG

==> next
  The program is $NOVABACKUP_MCP_BIN
  Put it on your PATH:                 cargo install --path mcp-sidecar/server --locked
  Add your own Management Server:      novabackup-mcp login
  Connect Claude Desktop:              novabackup-mcp register
  Then quit Claude from its icon next to the clock and open it again.
  (No keychain on this machine? novabackup-mcp login --store credentials-file)
MSG
