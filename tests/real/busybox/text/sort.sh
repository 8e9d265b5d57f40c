# sort, uniq, shuf-free ordering, comm-like work with sort -u, tsort-like pipelines.
sort "$DATA/words.txt"
sort -r -n -k2 "$DATA/words.txt"
sort -g -k2,2 "$DATA/words.txt"
sort -t, -k3,3 -k4,4n "$DATA/people.csv"
sort -f -u "$DATA/words.txt"
sort -s -k1,1 "$DATA/words.txt"
sort -b -k1 "$DATA/words.txt" | uniq -c
sort "$DATA/words.txt" | uniq -d
sort "$DATA/words.txt" | uniq -u
sort -c "$DATA/words.txt"; echo "status $?"
sort -n -t, -k5 "$DATA/people.csv" | head -3
seq 1 20 | sort -r | sort -n | tail -2
