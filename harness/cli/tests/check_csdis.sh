#!/bin/sh
# Disassemble cs-isa-v10.md §8 stream A with tyrc-csdis, as hex words on
# stdin and as a binary file, and compare with the expected listing.
# Usage: check_csdis.sh CSDIS
set -eu
csdis=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/expected" <<'END'
000000:  0100000001001000  MOVE48 dst=d0 imm=0x1001000
000008:  02020000deadbeef  MOVE32 dst=r2 imm=0xdeadbeef
000010:  1502000000010000  STORE_MULTIPLE base=r2 address=d0 mask=1 offset=0
000018:  0300000000010000  WAIT progress_increment=0 wait_mask=1
000020:  0207000000000000  MOVE32 dst=r7 imm=0
000028:  2400070000000233  FLUSH_CACHE2 signal_slot=0 latest_flush_id=r7 wait_mask=0 other_mode=2 lsc_mode=3 l2_mode=3
000030:  0300000000010000  WAIT progress_increment=0 wait_mask=1
000038:  0104000001001100  MOVE48 dst=d4 imm=0x1001100
000040:  0206000000000001  MOVE32 dst=r6 imm=1
000048:  2500040600000001  SYNC_ADD32 signal_slot=0 address=d4 data=r6 wait_mask=0 scope=0 error_propagate=1
END
words="0x0100000001001000 02020000DEADBEEF 1502000000010000 0300000000010000
0207000000000000 2400070000000233 0300000000010000 0104000001001100
0206000000000001 2500040600000001"

echo "$words" | "$csdis" >"$tmp/hex.out"
diff -u "$tmp/expected" "$tmp/hex.out"

# The same words as a little-endian binary stream.
for w in $words; do
	w=${w#0x}
	i=14
	while [ $i -ge 0 ]; do
		printf "\\$(printf '%03o' "0x$(echo "$w" | cut -c$((i + 1))-$((i + 2)))")"
		i=$((i - 2))
	done
done >"$tmp/stream.bin"
"$csdis" "$tmp/stream.bin" >"$tmp/bin.out"
diff -u "$tmp/expected" "$tmp/bin.out"

# An undefined opcode is listed, not refused; a bad token is an error.
echo ff00000000000000 | "$csdis" | grep -q "INVALID opcode=0xff"
if echo zz | "$csdis" 2>/dev/null; then
	echo "accepted a non-hex word"
	exit 1
fi
echo "ok"
