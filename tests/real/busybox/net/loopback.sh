# Networking over loopback: busybox httpd serving files and a CGI script to wget, nc in both
# roles (the CGI script runs under the host's /bin/sh on both sides). The port is picked from the
# process id; it is never printed.
set -e
port=$((20000 + $$ % 20000))
mkdir -p www/cgi-bin
cp "$DATA/poem.txt" www/poem.txt
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "cgi says: $QUERY_STRING"\n' > www/cgi-bin/hello
chmod +x www/cgi-bin/hello
httpd -f -p 127.0.0.1:$port -h www & server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do nc -z 127.0.0.1 $port 2>/dev/null && break; sleep 0.3; done
wget -q -O - "http://127.0.0.1:$port/poem.txt" | md5sum
wget -q -O got.txt "http://127.0.0.1:$port/poem.txt" && cmp got.txt "$DATA/poem.txt" && echo wget file ok
wget -q -O - "http://127.0.0.1:$port/cgi-bin/hello?a=1&b=two"
wget -q -O - "http://127.0.0.1:$port/missing" 2>&1 | sed 's/127.0.0.1:[0-9]*/HOST/'; echo "status $?"
wget -S -q -O /dev/null "http://127.0.0.1:$port/poem.txt" 2>&1 | grep -i '^ *HTTP/' | sed 's/^ *//'
printf 'GET /poem.txt HTTP/1.0\r\n\r\n' | nc 127.0.0.1 $port | tail -n 2
kill $server; wait $server 2>/dev/null || true
port2=$((port + 1))
nc -l -p $port2 > received.txt & listener=$!
for i in 1 2 3 4 5 6 7 8 9 10; do nc 127.0.0.1 $port2 < "$DATA/people.csv" 2>/dev/null && break; sleep 0.3; done
wait $listener || true
cmp received.txt "$DATA/people.csv" && echo nc transfer ok
