# Applets that start other programs: busybox re-executes itself (env, nice, xargs, find -exec,
# timeout, nohup, sh -c) -- the child must be the same busybox.
env -i FOO=bar sh -c 'echo "FOO=$FOO PATH=${PATH-unset}"'
env -u HOME sh -c 'echo "HOME=${HOME-unset}"'
FOO=outer env | grep '^FOO='
nice -n 5 sh -c 'echo niced'
nohup echo nohup-ok 2>/dev/null
echo "1 2 3 4 5" | xargs -n 2 echo pair
printf 'x\ny\nz\n' | xargs -I{} sh -c 'echo item {}'
printf 'a b\0c\0' | xargs -0 printf '[%s]\n'
seq 3 | xargs sh -c 'echo "sum args: $#"' sh
timeout 5 sh -c 'echo in-time; exit 2'; echo "status $?"
timeout -s KILL 1 sh -c 'sleep 3; echo not-reached'; echo "status $?"
sh -c 'exit 17'; echo "status $?"
sh -c 'kill -TERM $$'; echo "status $?"
busybox echo via busybox
busybox sh -c 'busybox basename /a/b/c.txt .txt'
(exec echo exec-replaced); echo after
mkdir -p d/e && touch d/f d/e/g
find d -type f -exec sh -c 'echo "found $1"' sh {} \; | sort
find d -type f -exec ls -1 {} + | sort
setsid sh -c 'echo setsid-ok'
time -p true 2>/dev/null; echo "time status $?"
