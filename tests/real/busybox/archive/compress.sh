# gzip/gunzip/zcat, bzip2/bunzip2/bzcat, xz and lzma decompression, unzip-free round trips,
# checksums of the compressed streams (deterministic: no names or times stored).
set -e
seq 1 20000 > nums.txt
cat "$DATA/poem.txt" "$DATA/people.csv" nums.txt > mixed.txt
for lvl in 1 6 9; do
  gzip -c -$lvl < mixed.txt > m.gz
  md5sum < m.gz
  gunzip -c m.gz | cmp - mixed.txt && echo "gzip -$lvl round trip"
done
cp mixed.txt f.txt && gzip f.txt && ls f.txt* && gunzip f.txt.gz && cmp f.txt mixed.txt && echo gzip file round trip
zcat m.gz | tail -1
gzip -t m.gz && echo gzip test ok
printf 'not gzip' > bad.gz; gunzip -c bad.gz 2>&1 | sed 's/^gunzip: //'; echo "status $?"
bzip2 -c < mixed.txt > m.bz2
sha256sum < m.bz2
bunzip2 -c m.bz2 | cmp - mixed.txt && echo bzip2 round trip
bzcat m.bz2 | wc -c
xz -d -c 2>/dev/null < /dev/null || echo "xz empty input status $?"
printf '\3757zXZ' | unxz -c 2>&1 | head -c 60; echo
gzip -c "$DATA/poem.txt" | uncompress -c 2>/dev/null | head -1 || echo "uncompress refuses gzip"
