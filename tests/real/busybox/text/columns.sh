# cut, tr, paste, fold, expand, unexpand, rev, tac, nl, head, tail, wc, tee.
set -e
cut -d, -f2,4 "$DATA/people.csv"
cut -c1-10,20- "$DATA/poem.txt"
cut -d' ' -f3- -s "$DATA/poem.txt"
tr 'a-z' 'A-Z' < "$DATA/poem.txt"
tr -d '[:punct:]' < "$DATA/poem.txt"
tr -s ' o' < "$DATA/poem.txt"
tr -c '[:alnum:]\n' '_' < "$DATA/poem.txt"
paste "$DATA/a.txt" "$DATA/b.txt"
paste -s -d: "$DATA/a.txt"
fold -w 17 "$DATA/poem.txt"
fold -s -w 20 "$DATA/poem.txt"
expand -t 4 "$DATA/poem.txt" | head -5
printf '        eight\n    four\n' | unexpand -a
rev "$DATA/a.txt"
tac "$DATA/b.txt"
nl "$DATA/poem.txt"
nl -b a -s ': ' -w 3 "$DATA/a.txt"
head -n 3 "$DATA/poem.txt"
head -c 20 "$DATA/poem.txt"; echo
tail -n 2 "$DATA/poem.txt"
tail -c 15 "$DATA/poem.txt"
tail -n +7 "$DATA/poem.txt"
wc "$DATA/poem.txt" "$DATA/people.csv"
wc -l -w -c < "$DATA/words.txt"
wc -L "$DATA/poem.txt"
head -2 "$DATA/poem.txt" | tee copy.txt | wc -c
cat copy.txt
cat -n -A "$DATA/a.txt" 2>/dev/null || cat -n "$DATA/a.txt"
