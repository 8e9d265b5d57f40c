# Password hashing with fixed salts (crypt's DES, MD5, SHA-256 and SHA-512 schemes), ipcalc,
# and hashing of every byte value.
mkpasswd -m des -S ab secret
mkpasswd -m md5 -S saltsalt secret
mkpasswd -m sha256 -S saltsaltsaltsalt secret
mkpasswd -m sha512 -S saltsaltsaltsalt 'a longer password, with spaces'
echo pw | mkpasswd -m sha512 -S 0123456789abcdef -P 0
ipcalc -n -b -p 192.168.17.42/20
ipcalc -n -b 10.1.2.3 255.255.0.0
awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' > bytes
od -A d -t x1 bytes | tail -3
for h in md5sum sha1sum sha256sum sha512sum; do $h < bytes; done
sha3sum -a 224 bytes; sha3sum -a 384 bytes; sha3sum -a 512 bytes
