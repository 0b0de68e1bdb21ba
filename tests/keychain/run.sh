#!/usr/bin/env bash
# Runs a command next to a real Secret Service, as a desktop session would have it:
# a private D-Bus session bus and a fresh gnome-keyring, unlocked, whose files live
# in a temporary HOME that is deleted afterwards.
#
#   tests/keychain/run.sh                 # the keychain tests of the core and the CLI
#   tests/keychain/run.sh CMD [ARGS...]   # any command, e.g. secret-tool or cargo test
#
# Needs the Debian packages gnome-keyring libsecret-tools dbus dbus-x11.
set -euo pipefail

for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: $tool is missing; install it with:" >&2
        echo "  apt-get install -y gnome-keyring libsecret-tools dbus dbus-x11" >&2
        exit 2
    fi
done

if [[ $# -eq 0 ]]; then
    set -- bash -c 'cargo test -p novabackup-core --test keychain_secret_service -- --ignored &&
        cargo test -p novabackup-mcp --test cli_accounts -- --ignored'
fi

# Cargo and rustup find their homes through HOME: pin them before HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home"
export XDG_RUNTIME_DIR="$scratch/runtime"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# The keyring's own unlock password: a throwaway for this run, not a user secret.
export KEYRING_UNLOCK_PASSWORD="novabackup-test-keyring"

exec dbus-run-session -- bash -c '
    set -euo pipefail
    printf %s "$KEYRING_UNLOCK_PASSWORD" |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset KEYRING_UNLOCK_PASSWORD
    # Wait (at most 10 s) until the daemon answers on the bus.
    for _ in $(seq 50); do
        if secret-tool search --all service novabackup-run-sh-probe >/dev/null 2>&1; then
            break
        fi
        sleep 0.2
    done
    exec "$@"
' run.sh "$@"
