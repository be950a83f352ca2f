#!/bin/sh
# Run tyrc-drm-probe (Debian's libdrm) under `tyrc run` and check that it
# reports the panthor platform device with both nodes, and that nothing is
# printed on stderr.
# Usage: check_drm_probe.sh TYRC PROBE [FAKE_HOST]
# Without FAKE_HOST the real driver and model are used; the test is skipped
# (exit 77) while the device cannot be probed.
set -u
tyrc=$1
probe=$2
fake=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$fake" ]; then
	"$tyrc" run --private --host-exe "$fake" -- "$probe" >"$tmp/out" 2>"$tmp/err"
else
	"$tyrc" run --private -- "$probe" >"$tmp/out" 2>"$tmp/err"
fi
status=$?
cat "$tmp/out"
if [ -z "$fake" ] && [ $status -eq 125 ] && grep -q "device probe failed" "$tmp/err"; then
	cat "$tmp/err"
	echo "skip: the real device does not probe yet"
	exit 77
fi
fail=0
expect() {
	if ! grep -qF -- "$1" "$tmp/out"; then
		echo "missing: $1"
		fail=1
	fi
}
expect "1 DRM device(s)"
expect "device 0: bus platform"
expect "  fullname: /gpu@fb000000"
expect "  compatible: rockchip,rk3588-mali arm,mali-valhall-csf"
expect "  node primary: /dev/dri/card0"
expect "  node render: /dev/dri/renderD128"
expect "/dev/dri/card0: driver panthor 1."
expect "  node type from fd: primary"
expect "  device name from fd: /dev/dri/card0"
expect "  render node from fd: /dev/dri/renderD128"
expect "  drmGetDevice2: same device: yes"
if [ -z "$fake" ]; then
	expect 'desc "Panthor DRM driver"'
fi
if [ -s "$tmp/err" ]; then
	echo "unexpected stderr:"
	cat "$tmp/err"
	fail=1
fi
if [ $status -ne 0 ]; then
	echo "exit status $status"
	fail=1
fi
exit $fail
