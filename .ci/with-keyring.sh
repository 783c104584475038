#!/usr/bin/env bash
# Runs a command with a real Secret Service: gnome-keyring-daemon, unlocked, in throwaway folders,
# inside the D-Bus session that dbus-run-session made. Used by .ci/run and usable locally.
set -euo pipefail
XDG_DATA_HOME="$(mktemp -d)"
XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_DATA_HOME XDG_RUNTIME_DIR
# The password arrives on stdin, never on a command line; it protects only this throwaway keyring.
eval "$(printf '%s' 'passport-vault-ci-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"' EXIT
"$@"
