# Information applets whose answers the guest and qemu must agree on: uname, id, whoami, arch,
# nproc, true/false, getopt, which, tty, env, printenv, pwd, umask, ulimit, kill -l, hostid.
uname -m; uname -s; arch
id -u; id -g; id -un 2>/dev/null; whoami 2>/dev/null; groups 2>/dev/null
true; echo "true $?"; false; echo "false $?"
getopt -o ab:c --long alpha,beta: -- -a --beta x -c file
getopt abc: -b -c val rest
which sh busybox nonexistent; echo "which status $?"
tty; echo "tty status $?"
printenv TZ LC_ALL
pwd | sed 's|.*/||'; cd /; pwd; cd - >/dev/null; pwd | sed 's|.*/||'
umask; umask 027; umask; umask -S
ulimit -n
kill -l | head -3
kill -l 9 15 2>/dev/null
hostname | grep -q . && echo "has hostname"
nproc | grep -q '^[0-9][0-9]*$' && echo "nproc is a number"
cat /proc/self/cmdline | tr '\0' ' '; echo
readlink /proc/self/exe | grep -q busybox && echo "self is busybox"
echo $$ | grep -q '^[0-9][0-9]*$' && echo "pid is a number"
sh -c 'echo $PPID' | grep -q '^[0-9]' && echo "ppid ok"
ls /proc/self/fd | sort -n | head -3
ps -o pid,comm 2>/dev/null | head -1
free | head -1 | awk '{ print $1, $2, $3 }'
uptime | grep -q 'load average' && echo "uptime ok"
stty -a < /dev/null 2>&1 | head -1
basename "$(mktemp -u /tmp/xxx.XXXXXX)" | cut -c1-4
logname 2>&1 | head -1 >/dev/null; echo logname-ran
