# The shell language: functions, locals, case, arithmetic, parameter expansion, traps, getopts.
f() { local v="$1"; shift; echo "f($v) rest=$# [$*]"; return 7; }
f a b c; echo "status $?"
fib() { if [ "$1" -lt 2 ]; then echo "$1"; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }
echo "fib 12 = $(fib 12)"
for w in apple Banana cherry 42 ''; do
  case "$w" in
    [A-Z]*) echo "$w: capital";;
    *[0-9]) echo "$w: number";;
    '') echo "empty";;
    a*|c*) echo "$w: a or c";;
  esac
done
echo $(( 7 * 6 )) $(( 2 ** 10 )) $(( -7 / 2 )) $(( -7 % 2 )) $(( 1 << 62 )) $(( 0x7fffffffffffffff + 1 )) $(( 010 + 0x10 )) $(( 5 > 3 && 2 < 1 ))
s="path/to/some/file.tar.gz"
echo "${s##*/} ${s%%.*} ${s#*/} ${s%.*} ${#s} ${s:5:2} ${s/o/0} ${s//o/0}"
unset u; echo "${u:-default} ${u:=assigned} $u ${u:+alt} ${nothing+x}"
set -- "one arg" two "three  spaces"; echo "$#"; for a in "$@"; do echo "<$a>"; done
IFS=:; set -- $(echo a:b:c); echo "$2"; IFS=' '
trap 'echo trapped EXIT' EXIT
trap 'echo got USR1' USR1; kill -USR1 $$; echo after-signal
OPTIND=1; while getopts "ab:c" o -a -b val -c rest; do echo "opt $o ${OPTARG-}"; done
eval 'e=evaluated'; echo $e
test -d / && [ -f "$DATA/poem.txt" ] && [ ! -e /nonexistent ] && [ "abc" \< "abd" ] && echo tests ok
[[ "hello" == h*o ]] && echo double-bracket
[ 3 -gt 2 -a 2 -ge 2 ] && echo numeric ok
printf '%s=%d %5.2f %x %o %c %b %%\n' name 42 3.14159 255 8 A 'a\tb'
printf '%-6s|%6s|%06d|%+.3e\n' ab cd 42 12345.678
echo -e 'tab\there\c'; echo
echo -n "no newline"; echo " then"
type cd echo | head -2
command -v sh >/dev/null && echo have-sh
alias ll='echo aliased'; ll 2>/dev/null || true
readonly RO=1; (RO=2) 2>/dev/null || echo readonly-enforced
x=5; x+=3 2>/dev/null; echo "x=$x"
let z=3*4 2>/dev/null; echo "z=${z-}"
exit 4
