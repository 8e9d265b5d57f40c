# Checksums over larger generated data, and dd (block sizes, skip/seek/count, conv).
set -e
seq 1 100000 > big.txt
md5sum big.txt
sha1sum big.txt
sha256sum big.txt
sha512sum big.txt
sha3sum -a 256 big.txt 2>/dev/null || sha3sum big.txt
md5sum big.txt > sums.md5 && md5sum -c sums.md5
echo "0123456789abcdefghijklmnopqrstuvwxyz" > alpha.txt
dd if=alpha.txt of=part.txt bs=4 skip=2 count=3 2>/dev/null; cat part.txt; echo
dd if=alpha.txt bs=1 skip=10 count=5 2>/dev/null; echo
dd if=alpha.txt of=conv.txt bs=5 count=2 conv=sync 2>/dev/null; od -c conv.txt
cp alpha.txt nt.txt; printf XY | dd of=nt.txt bs=1 seek=3 conv=notrunc 2>/dev/null; cat nt.txt
dd if=/dev/zero of=zeros bs=1k count=64 2>/dev/null; wc -c < zeros; md5sum < zeros
dd if=alpha.txt of=seek.bin bs=1 seek=5 count=3 2>/dev/null; od -c seek.bin
dd if=big.txt bs=4096 2>&1 >/dev/null | head -2
truncate -s 100 alpha.txt; wc -c < alpha.txt
shred -n 1 -z -u zeros 2>/dev/null; ls zeros 2>/dev/null || echo shredded
