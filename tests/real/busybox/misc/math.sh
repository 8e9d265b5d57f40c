# expr, seq, factor, bc, dc, printf's number formats, test's integer comparisons.
expr 7 + 35; expr 100 / 7 \* 3; expr 17 % 5; expr -5 - -8
expr length "hello world"; expr substr "abcdefgh" 3 4; expr index "abcdef" dc; expr "abc123" : '[a-z]*'
expr 9223372036854775807 + 0; expr 3 \< 10; expr abc \< abd; expr 0 \| ""; echo "status $?"
expr 1 / 0; echo "status $?"
seq 5; seq -s, 2 3 20; seq 10 -3 1; seq -w 8 11; seq 0.5 0.25 1.5; seq 3 1; echo "status $?"
factor 1 2 97 360 65537 600851475143 9223372036854775807 18446744073709551615
echo '2^64; scale=20; 1/7; sqrt(2); 3.5*2.25; -17/4; scale=0; -17%5' | bc
echo 'scale=10; a=1; for (i=1; i<=25; i++) a=a*i; a' | bc
echo '5 3 * p 10 4 / p 2 16 ^ p 20 k 1 3 / p' | dc
echo '1 2 3 + + p 17 5 % p' | dc
printf '%d %i %u %o %x %X %#x %#o\n' 42 -42 42 42 255 255 255 8
printf '%e %E %f %g %G %.0f %.10g\n' 1234.5678 0.000123 3.14159265358979 1e-5 1e20 2.5 0.1
printf '%5.1f|%-8.3e|%+g|% d\n' 3.14159 31415.9 -0.0 7
printf '%s %s %s\n' 0x1F 077 -9
printf '%d\n' 0x1F 077 "'A"
printf '%.3s|%10.4s|%c\n' abcdef abcdef xyz
test 9223372036854775807 -gt -9223372036854775808 && echo "big comparison ok"
