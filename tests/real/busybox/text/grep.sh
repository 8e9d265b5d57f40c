# grep, egrep, fgrep: options, patterns, exit status, several files.
grep quick "$DATA/poem.txt"
grep -i -n quick "$DATA/poem.txt"
grep -c -v o "$DATA/poem.txt"
grep -o -E '[a-z]+z[a-z]*' "$DATA/poem.txt"
grep -w -e box -e dog "$DATA/poem.txt"
egrep '^(The|How)' "$DATA/poem.txt"
fgrep -x 'line two' "$DATA/a.txt" "$DATA/b.txt"
grep -l line "$DATA/a.txt" "$DATA/b.txt" "$DATA/poem.txt"
grep -h -A1 -B1 'two' "$DATA/a.txt"
grep -q nothing-here "$DATA/poem.txt"; echo "status $?"
grep nothing "$DATA/missing.txt"; echo "status $?"
grep -r -n 'line [0-9]' "$DATA" | sed "s|$DATA|DATA|"
grep -E 'x{1}|[[:digit:]]+' "$DATA/poem.txt" | grep -v -F '?'
