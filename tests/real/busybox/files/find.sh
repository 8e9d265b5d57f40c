# find and xargs over a generated tree: names, types, sizes, depth, -print0, -exec, -newer.
set -e
mkdir -p t/a/b/c t/d t/e
for i in 1 2 3; do seq $i $((i * 300)) > t/a/n$i.txt; done
printf x > t/d/one.byte
: > t/e/empty
ln -s a/n1.txt t/sym
touch -d '2020-01-01 00:00:00' t/a/n1.txt
touch -d '2022-01-01 00:00:00' t/ref
find t | sort
find t -type f -name 'n*.txt' | sort
find t -type d -empty | sort
find t -type l
find t -maxdepth 1 -mindepth 1 | sort
find t -size +1k -type f | sort
find t -size -2c -type f | sort
find t -newer t/ref | sort
find t ! -newer t/ref -type f
find t -name '*.txt' -print0 | sort -z | xargs -0 wc -l
find t -path '*/a/*' -prune -o -type f -print | sort
find t -type f -name 'n*' -exec sh -c 'printf "%s %s\n" "$(basename "$1")" "$(wc -l < "$1")"' _ {} \; | sort
find t -iname 'N2*' -o -name 'one*' | sort
find t -perm -u+r -type f | wc -l
find t -name nothing; echo "status $?"
find t/missing 2>&1; echo "status $?"
