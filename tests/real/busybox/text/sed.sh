# sed: substitution flags, addresses and ranges, hold space, y, -n/p, -E, -i, multiple scripts.
set -e
sed 's/quick/slow/g; s/^[Tt]he/A/' "$DATA/poem.txt"
sed -n '2,4p; /zebras/=' "$DATA/poem.txt"
sed -E 's/([a-z]+) ([a-z]+)/\2 \1/2' "$DATA/poem.txt"
sed '/^$/d; y/abc/ABC/' "$DATA/poem.txt"
sed -n '1!G; h; $p' "$DATA/a.txt"
sed '$!N; s/\n/ + /' "$DATA/poem.txt"
sed -e '3i\
inserted' -e '4a appended' -e '5c changed' "$DATA/poem.txt"
sed 's/o/0/3; s/[[:upper:]]/<&>/g' "$DATA/poem.txt"
cp "$DATA/people.csv" p.csv
sed -i -e '1d' -e 's/,/\t/g' p.csv
cat p.csv
printf 'a.b.c\n' | sed 's/\./\//g'
sed -n '/Oslo/{s/,.*//;p}' "$DATA/people.csv"
sed '2q' "$DATA/poem.txt"; echo "status $?"
