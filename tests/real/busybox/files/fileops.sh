# File and directory applets: mkdir, cp, mv, rm, ln, readlink, realpath, basename, dirname, touch,
# stat, ls, du, chmod, truncate, mkfifo, rmdir, link/unlink, cat, dos2unix, split-free.
set -e
umask 022
mkdir -p a/b/c
echo data > a/b/c/f.txt
cp -r a copy
cp -p a/b/c/f.txt p.txt
mv copy moved
ln -s moved/b/c/f.txt sym
ln a/b/c/f.txt hard
readlink sym
readlink -f sym | sed "s|$PWD|PWD|"
realpath moved/b/../b/c | sed "s|$PWD|PWD|"
basename /x/y/z.tar.gz .gz; dirname /x/y/z.tar.gz; dirname z
touch -d '2019-07-08 09:10:11' a/b/c/f.txt
touch -r a/b/c/f.txt p.txt
stat -c '%n %s %a %F %h %Y' a/b/c/f.txt p.txt hard
stat -c '%n %s %a %F %h' sym a
stat -L -c '%n %s %F' sym
chmod 751 p.txt; chmod u-w,g+w hard; chmod -R go-rwx moved
stat -c '%a %n' p.txt hard moved moved/b moved/b/c/f.txt
ls -ln --color=never p.txt hard 2>/dev/null | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' || true
ls -1 -R moved
ls -a a
ls -d */ | sort
du -s -k a moved | sort -k2
du -a moved | sort -k2 | awk '{ print $2 }'
truncate -s 1000 big; stat -c %s big
truncate -s 200 big; stat -c %s big
mkfifo fifo; stat -c %F fifo
(echo through-fifo > fifo &) ; cat fifo
link p.txt p2.txt; stat -c %h p.txt; unlink p2.txt; stat -c %h p.txt
printf 'dos\r\nlines\r\n' > dos.txt; dos2unix dos.txt; od -c dos.txt; unix2dos dos.txt; od -c dos.txt
rm -r moved; ls
rmdir a/b/c 2>&1 || echo "rmdir failed as it should"
rm -f a/b/c/f.txt; rmdir -p a/b/c && ls
cat nonexistent 2>&1 || echo "cat status $?"
mktemp -d tmp.XXXXXX | sed 's/\.......$/.SUFFIX/'
