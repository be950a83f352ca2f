#!/bin/sh
# The tyrc command line: help texts, exit status of `tyrc run`, sharing a
# running host, and `tyrc info`.
# Usage: check_cli.sh TYRC FAKE_HOST
set -u
tyrc=$1
fake=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {
	if ! eval "$1"; then
		echo "FAILED: $1"
		fail=1
	fi
}

for c in "" host run info; do
	check "\"$tyrc\" $c --help >\"$tmp/help\" && grep -q '^usage: tyrc' \"$tmp/help\""
done
check "! \"$tyrc\" bogus 2>/dev/null"
check "! \"$tyrc\" run 2>/dev/null"

# Exit status: the command's, 128+N for a signal, 127 for a missing command.
"$tyrc" run --private --host-exe "$fake" -- sh -c 'exit 3'
check "[ $? -eq 3 ]"
"$tyrc" run --private --host-exe "$fake" -- sh -c 'kill -9 $$'
check "[ $? -eq 137 ]"
"$tyrc" run --private --host-exe "$fake" -- /nonexistent/command 2>/dev/null
check "[ $? -eq 127 ]"

# The command sees the shim and the socket.
"$tyrc" run --private --host-exe "$fake" -- sh -c \
	'case "$LD_PRELOAD" in *libtyrc_shim.so*) ;; *) exit 1;; esac; test -S "$TYRC_SOCKET"'
check "[ $? -eq 0 ]"

# A host started for one command serves a nested `tyrc run` on the same socket.
sock="$tmp/shared.sock"
"$tyrc" run --socket "$sock" --host-exe "$fake" -- sh -c \
	"\"$tyrc\" run --socket \"$sock\" -- sh -c 'test \"\$TYRC_SOCKET\" = \"$sock\"'"
check "[ $? -eq 0 ]"
check "[ ! -e \"$sock\" ]"

# tyrc info through a temporary host.
"$tyrc" info --private --host-exe "$fake" >"$tmp/info"
check "[ $? -eq 0 ]"
check "grep -q '^driver: *panthor 1.5.0' \"$tmp/info\""
check "grep -q '^gpu_id: *0xa8670005 (arch 10.8.6' \"$tmp/info\""
check "grep -q '^shader cores: *4' \"$tmp/info\""
check "grep -q 'command   *pid dev master a' \"$tmp/info\""

# A host that cannot start: tyrc run fails with 125 and says why.
"$tyrc" run --socket /nonexistent/dir/x.sock --host-exe "$fake" -- true 2>"$tmp/err"
check "[ $? -eq 125 ]"
check "grep -q 'did not start' \"$tmp/err\""
exit $fail
