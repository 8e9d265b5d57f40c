# tar and cpio: create, list and extract a tree with fixed times and modes; gzip/bzip2 inside.
set -e
mkdir -p tree/sub/deeper
cp "$DATA/poem.txt" tree/
cp "$DATA/people.csv" tree/sub/
printf 'small\n' > tree/sub/deeper/small.txt
ln -s ../poem.txt tree/sub/link
chmod 640 tree/sub/people.csv
find tree -exec touch -h -d '2021-03-04 05:06:07' {} +
tar -cf t.tar tree
tar -tvf t.tar | sort -k6
tar -czf t.tgz tree
tar -cjf t.tbz tree
for a in "t.tar x" "t.tgz xz" "t.tbz xj"; do
  set -- $a
  rm -rf out && mkdir out
  tar -${2}f "$1" -C out
  diff -r tree out/tree && echo "$1 extracts the same"
  ls -ln out/tree/sub | sed 1d | awk '{ print $1, $3, $4, $5, $9, $10, $11 }'
  stat -c '%n %a %Y' out/tree/poem.txt out/tree/sub/people.csv
done
tar -xOf t.tar tree/sub/deeper/small.txt
tar -tzf t.tgz tree/sub/people.csv
find tree | sort | cpio -o -H newc > t.cpio 2>/dev/null
cpio -t < t.cpio 2>/dev/null | sort
rm -rf out && mkdir out && cd out && cpio -i -d < ../t.cpio 2>/dev/null && cd ..
diff -r tree out/tree && echo cpio extracts the same
tar -cf - tree | tar -tf - | wc -l
