# awk (busybox-static has no math library functions): fields, separators, arrays, printf, user functions, string builtins, numeric output.
set -e
awk -F, 'NR > 1 { n[$3]++; s[$3] += $5 } END { for (c in n) printf "%s %d %.3f\n", c, n[c], s[c] / n[c] }' "$DATA/people.csv" | sort
awk '{ print NR ": " NF " fields, last=" $NF }' "$DATA/poem.txt"
awk 'BEGIN { x = 9007199254740992; printf "%d %.17g %g %e %x %o %c|%5s|%-5s|\n", x, 1/3, 1e100, -0.000123, 255, 8, 65, "ab", "cd" }'
awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
     BEGIN { for (i = 0; i <= 20; i += 5) print i, fact(i); print 10 % 3, -7 % 3, int(-3.7), 7 / 2 }'
awk '{ gsub(/[aeiou]/, "#"); print toupper(substr($0, 1, 12)), length($0), index($0, "o") }' "$DATA/poem.txt"
awk 'BEGIN { n = split("a:b::c", parts, ":"); for (i = 1; i <= n; i++) printf "[%s]", parts[i]; print "";
             s = "hello world"; sub(/o/, "0", s); print s, match(s, /w.r/), RSTART, RLENGTH;
             printf "%s\n", sprintf("%05.1f|%+d|%s", 3.14159, 42, tolower("MiXeD")) }'
awk -v OFS=';' '$1 ~ /^[A-Z]/ && NF > 3 { $2 = "<" $2 ">"; print }' "$DATA/poem.txt"
awk '/quick/,/wizards/ { print "range:", $1 } END { print "total", NR }' "$DATA/poem.txt"
awk 'BEGIN { while ((getline line < ARGV[1]) > 0) n++; print "lines", n; close(ARGV[1]) }' "$DATA/poem.txt"
printf '3 4\n5 12\n8 15\n' | awk '{ printf "%.10f %.6f %d\n", ($1*$1 + $2*$2) / 7, $1 / $2, $2 * 1000003 % 97 }'
echo "1e3 0x10 010 -0 inf" | awk '{ for (i = 1; i <= NF; i++) print $i + 0 }'
