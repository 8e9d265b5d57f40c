# od, hexdump, xxd, strings, base64, uuencode/uudecode, crc32 and checksums of text.
set -e
od -c "$DATA/a.txt"
od -A x -t x1 "$DATA/a.txt"
od -t d2 -N 16 "$DATA/poem.txt"
od -t o4 -t u8 -N 24 "$DATA/poem.txt"
printf '\000\001\377\200abc\n' | od -b
hexdump -C "$DATA/b.txt"
hexdump -e '4/1 "%02x " "\n"' "$DATA/a.txt"
xxd "$DATA/a.txt"
xxd -p "$DATA/b.txt" | xxd -r -p
printf 'ab\001cdefgh\000ijkl\nmnopqrstu\377' | strings -n 4
base64 "$DATA/poem.txt"
base64 "$DATA/poem.txt" | base64 -d | cmp - "$DATA/poem.txt" && echo base64 round trip
uuencode -m name < "$DATA/a.txt"
uuencode name < "$DATA/a.txt" | uudecode -o out.txt && cmp out.txt "$DATA/a.txt" && echo uu round trip
md5sum "$DATA/poem.txt" | cut -c1-32
sha1sum < "$DATA/poem.txt"
sha256sum "$DATA/a.txt" "$DATA/b.txt" | cut -c1-64
sha512sum < "$DATA/b.txt"
sha3sum < "$DATA/b.txt"
crc32 "$DATA/poem.txt" 2>/dev/null || crc32 < "$DATA/poem.txt"
