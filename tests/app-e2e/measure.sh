#!/usr/bin/env bash
# Measures the app: time from launch to its window being shown, and CPU time and
# memory (the app and its WebKit processes) after it has sat idle for a while with one
# healthy server checked on schedule. Same environment as run.sh (Xvfb, D-Bus,
# gnome-keyring, temporary HOME, the simulator).
# Usage: measure.sh APP_BIN MS_SIM_BIN [idle seconds, default 300]
set -euo pipefail
app=$1 sim=$2 idle=${3:-300}
home=$(mktemp -d)
trap 'rm -rf "$home" 2>/dev/null || true' EXIT
here=$(cd "$(dirname "$0")" && pwd)
HOME=$home xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash -s "$app" "$sim" "$idle" "$here" <<'INNER'
set -euo pipefail
app=$1 sim=$2 idle=$3 here=$4
echo -n measure | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$sim" --listen 127.0.0.1:0 --tenants 3 --agents 4 --runs 300 > "$HOME/sim.out" &
sim_pid=$!
until grep -q '^ready' "$HOME/sim.out" 2>/dev/null; do sleep 0.2; done
url=$(awk '/^server /{print $3; exit}' "$HOME/sim.out")
mkdir -p "$HOME/.config/novabackup-mcp"
printf '{"version":1,"servers":[{"server_id":"acme","label":"Acme MS","base_url":"%s","username":"admin"}]}\n' "$url" \
  > "$HOME/.config/novabackup-mcp/servers.json"
echo -n demo-admin | secret-tool store --label "acme" service novabackup-mcp username acme
start=$(date +%s%N)
"$app" > "$HOME/app.out" 2>&1 &
app_pid=$!
log_dir="$HOME/.local/share/com.novabackup.mcp-companion/logs"
until grep -qs 'window shown' "$log_dir"/*.log; do sleep 0.05; done
shown=$(date +%s%N)
echo "launch to window shown (seen in the log): $(( (shown - start) / 1000000 )) ms"
grep -h 'window shown' "$log_dir"/*.log | sed 's/^/  app log: /'
sleep "$idle"
tree() { echo "$1"; for c in $(pgrep -P "$1"); do tree "$c"; done; }
pids=$(tree "$app_pid")
ticks=$(getconf CLK_TCK)
total_cpu=0 total_rss=0 total_pss=0
for pid in $pids; do
  read -r -a stat < "/proc/$pid/stat"
  cpu=$(( stat[13] + stat[14] ))
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  pss=$(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup")
  printf '  %-28s cpu %6.2f s  rss %7d KiB  pss %7d KiB\n' "$(cat /proc/$pid/comm)" "$(echo "$cpu / $ticks" | bc -l)" "$rss" "$pss"
  total_cpu=$(( total_cpu + cpu )); total_rss=$(( total_rss + rss )); total_pss=$(( total_pss + pss ))
done
before=$total_cpu
sleep 60
after=0
for pid in $pids; do read -r -a stat < "/proc/$pid/stat"; after=$(( after + stat[13] + stat[14] )); done
echo "after ${idle} s idle: total cpu $(echo "$total_cpu / $ticks" | bc -l | xargs printf '%.2f') s, rss $(( total_rss / 1024 )) MiB, pss $(( total_pss / 1024 )) MiB"
echo "idle CPU over the next 60 s: $(echo "($after - $before) / $ticks / 60 * 100" | bc -l | xargs printf '%.3f') %"
grep -c 'checked server' "$log_dir"/*.log | sed 's/^/  health checks logged: /'

# Closed to the tray: the window and its web page are gone, the app waits.
(cd "$here" && /usr/bin/python3 -c '
import time, xwindow
for _ in range(40):
    window = xwindow.find("NovaBACKUP MCP Companion")
    if window is None:
        break
    xwindow.request_close(window)
    time.sleep(0.5)
else:
    raise SystemExit("the window did not close")
')
sleep 30
closed_rss=0 closed_pss=0
for pid in $(tree "$app_pid"); do
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  pss=$(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup")
  printf '  %-28s rss %7d KiB  pss %7d KiB\n' "$(cat /proc/$pid/comm)" "$rss" "$pss"
  closed_rss=$(( closed_rss + rss )); closed_pss=$(( closed_pss + pss ))
done
echo "window closed, in the tray, after 30 s: rss $(( closed_rss / 1024 )) MiB, pss $(( closed_pss / 1024 )) MiB"
kill "$app_pid" "$sim_pid"
INNER
