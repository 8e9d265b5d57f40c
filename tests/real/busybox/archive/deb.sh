# A real Debian package ($DEB: the busybox-static .deb this test downloaded): ar, xz, tar and
# dpkg-deb on it, and checksums of what comes out.
set -e
ar -t "$DEB"
ar -p "$DEB" debian-binary
ar -x "$DEB" control.tar.xz data.tar.xz
xz -d -c control.tar.xz | tar -tvf - | awk '{ print $1, $2, $3, $6 }'
unxz -c data.tar.xz | md5sum
tar -xJf data.tar.xz ./bin/busybox
md5sum bin/busybox
xzcat control.tar.xz | tar -xOf - ./control | sed -n '/^Package:/p; /^Architecture:/p'
dpkg-deb -f "$DEB" | grep -E "^(Package|Architecture|Version):"
dpkg-deb -c "$DEB" | awk '{ print $1, $3, $6 }' | head -8
mkdir -p x && dpkg-deb -x "$DEB" x && cmp x/bin/busybox bin/busybox && echo dpkg-deb extracts the same
lzma -d < /dev/null 2>&1 | head -1; echo "lzma status done"
