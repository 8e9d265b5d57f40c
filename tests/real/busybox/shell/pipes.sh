# Pipelines, subshells, command substitution, redirections, here-documents.
set -u
echo one two three | tr ' ' '\n' | sort -r | head -2
(echo sub; exit 3); echo "subshell status $?"
( cd /; pwd ); pwd | sed "s|.*/||"
x=$(echo "nested $(echo "deeper $(echo deepest)")"); echo "$x"
y=`expr 6 \* 7`; echo "backquotes $y"
{ echo grouped; echo to; echo file; } > g.txt; wc -l < g.txt
cat <<END
here $x
  tabs	and \$dollars
END
cat <<'END'
literal $x `not run`
END
cat <<-END
	stripped tabs
	END
exec 3> fd3.txt; echo "via fd 3" >&3; exec 3>&-; cat fd3.txt
echo err-message >&2 2>/dev/null
ls /nonexistent-dir 2>&1 | sed 's/^ls: //'
echo appended >> g.txt; tail -1 g.txt
false | true; echo "pipe status $?"
true | false; echo "pipe status $?"
echo "$(seq 5 | while read n; do printf '%s,' "$n"; done)"
seq 3 | { read a; read b; echo "read $a $b"; }
printf 'a b c\n' | { read -r p q; echo "p=$p q=$q"; }
echo "x" | cat - g.txt | wc -l
yes abc | head -n 3
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "loop $i"
seq 1 100 | awk '{s += $1} END {print s}'
(sleep 0.1; echo background) & wait; echo "waited $?"
