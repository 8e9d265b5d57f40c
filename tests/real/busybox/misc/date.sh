# date with fixed inputs (-d, @epoch, -u, formats, TZ rules), cal for fixed months, touch/stat
# times, sleep and the clock moving forwards.
date -u -d @0
date -u -d @1700000000 '+%Y-%m-%d %H:%M:%S %a %b %j %U %u %w %y %Z %s'
date -u -d '2024-02-29 13:14:15' '+%A %d %B %Y %I:%M %p %e|%k|%l|%D %T %F'
TZ=America/New_York date -d @1700000000
TZ=Europe/Berlin date -d '2021-07-01 12:00' '+%H:%M %Z %z'
TZ=UTC0 date -d '1999-12-31 23:59:59' +%s
TZ=EST5EDT,M3.2.0,M11.1.0 date -d @1710054000 '+%F %T %Z'
TZ=EST5EDT,M3.2.0,M11.1.0 date -d @1710050400 '+%F %T %Z'
TZ=Asia/Kolkata date -u -d @86399
date -u -d '@-1' '+%Y %s'
date -u -d @4102444800
date -d 'not a date' 2>&1; echo "status $?"
cal 2 2024
cal 9 1752
cal -y 2001 | head -10
touch -d '2000-01-02 03:04:05' f; stat -c %Y f; date -u -r f
start=$(date +%s); sleep 1; end=$(date +%s); [ $((end - start)) -ge 1 ] && [ $((end - start)) -le 5 ] && echo "clock moves"
usleep 1000 && echo usleep
[ "$(date +%Y)" -ge 2024 ] && echo "year is plausible"
