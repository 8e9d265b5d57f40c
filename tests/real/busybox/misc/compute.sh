# Heavier computation through many code paths: bc's math library at high precision, awk number
# crunching and formatting, sorting generated data, compressing and hashing megabytes.
set -e
echo 'scale=300; 4*a(1)' | bc -l
echo 'scale=60; e(1); l(2); s(1); c(1); sqrt(3); 2^200; (2^127-1)%1000007' | bc -l
echo '2 1000 ^ p' | dc | tr -d '\\\n' | md5sum
awk 'BEGIN { x = 1; for (i = 1; i <= 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648; s += x / 2147483648; if (i % 4000 == 0) printf "%d %.12f %.6e %g\n", i, s, x / 3, s / i } }'
awk 'BEGIN { x = 7; for (i = 0; i < 50000; i++) { x = (x * 69069 + 1) % 4294967296; print x % 100000, int(x / 65536) } }' > gen.txt
sort -n -k1,1 -k2,2 gen.txt | md5sum
sort -t' ' -k2,2nr gen.txt | head -3
sort -u -n gen.txt | wc -l
awk '{ c[$1 % 97]++ } END { for (k = 0; k < 97; k += 16) print k, c[k] }' gen.txt
cat gen.txt gen.txt gen.txt gen.txt > big.txt
gzip -9 -c big.txt | md5sum
gzip -1 -c big.txt | gunzip | cmp - big.txt && echo "gzip round trip of $(wc -c < big.txt) bytes"
bzip2 -c gen.txt | bunzip2 | md5sum
sha256sum big.txt | cut -c1-64
sha512sum big.txt | cut -c1-32
sed 's/\([0-9]\)\([0-9]\)/\2\1/g' gen.txt | md5sum
tr '0-9' 'a-j' < big.txt | grep -c 'aa'
