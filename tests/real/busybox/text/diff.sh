# diff, cmp, patch: differences, statuses and a round trip.
diff "$DATA/a.txt" "$DATA/b.txt"; echo "status $?"
diff -u "$DATA/a.txt" "$DATA/b.txt" | sed 1,2d; echo "status $?"
diff "$DATA/a.txt" "$DATA/a.txt"; echo "status $?"
diff -b -i "$DATA/poem.txt" "$DATA/poem.txt"; echo "status $?"
cmp "$DATA/a.txt" "$DATA/b.txt"; echo "status $?"
cmp -l "$DATA/a.txt" "$DATA/b.txt"; echo "status $?"
cmp -s "$DATA/a.txt" "$DATA/a.txt"; echo "status $?"
cp "$DATA/a.txt" a.txt
cp "$DATA/b.txt" b.txt
diff -u a.txt b.txt > ab.patch
patch -p0 < ab.patch; echo "status $?"
cmp a.txt b.txt && echo patched
patch -R -p0 < ab.patch; echo "status $?"
diff a.txt "$DATA/a.txt" && echo reverted
