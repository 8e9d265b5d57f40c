# ed driven by a script, and awk reading from pipes it opens ("cmd" | getline, print | "cmd").
cp "$DATA/poem.txt" p.txt
printf '%s\n' '2,3d' '1s/quick/QUICK/' '$a' 'appended by ed' '.' '2s/of/OF/g' '4i' 'inserted' '.' '1,$p' 'w' 'q' | ed p.txt
cat p.txt
printf '%s\n' '1,$s/o/0/g' '1,$p' 'q' 'q' | ed "$DATA/a.txt"
awk 'BEGIN { while (("echo one; echo two" | getline line) > 0) print "got", line; close("echo one; echo two") }'
awk '{ print $2 | "sort -r" } END { close("sort -r"); print "sorted above" }' "$DATA/words.txt"
awk 'BEGIN { "date -u -d @0 +%Y" | getline y; print "year", y; print system("exit 3") }'
