#!/usr/bin/env bash
# The demo: builds every sample in samples/samples.list for the guest (aarch64-linux-gnu-gcc
# -static -O2) and natively (gcc -O2) from the same source, translates the guest with xlate, runs
# the native, translated and qemu-aarch64 versions on the benchmark-size input, and prints the
# times. A translation whose output or exit status differs from qemu-aarch64's is reported as
# such instead of being timed.
#
#   samples/demo.sh BUILD_DIR [SAMPLE...]
#
# Environment: DEMO_XLATE_OPT (xlate options, default -O2), DEMO_TIMEOUT (seconds per run,
# default 600).
set -uo pipefail

if [ $# -lt 1 ] || [ ! -x "$1/xlate" ]; then
    echo "usage: $0 BUILD_DIR [SAMPLE...]   (BUILD_DIR must contain a built xlate)" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
shift
SAMPLES=$(cd "$(dirname "$0")" && pwd)
XLATE="$BUILD/xlate"
XLATE_OPT=${DEMO_XLATE_OPT:--O2}
read -r -a XLATE_OPTS <<<"$XLATE_OPT"
TIMEOUT=${DEMO_TIMEOUT:-600}
WORK="$BUILD/demo"
for tool in aarch64-linux-gnu-gcc gcc qemu-aarch64 timeout; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not installed (make deps)" >&2; exit 2; }
done
mkdir -p "$WORK"

now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# Parses one samples.list line into NAME, STATUS, STDIN, ENV_VARS, TEST_ARGS, BENCH_ARGS.
parse() {
    eval "set -- $1"
    NAME=$1
    shift
    STDIN=/dev/null ENV_VARS=() TEST_ARGS=() BENCH_ARGS=() HAVE_BENCH=0
    while [ $# -gt 0 ]; do
        case $1 in
        --) shift; TEST_ARGS=("$@"); break ;;
        stdin=*) STDIN="$SAMPLES/${1#stdin=}" ;;
        env=*) ENV_VARS+=("${1#env=}") ;;
        bench=*) HAVE_BENCH=1; read -r -a BENCH_ARGS <<<"${1#bench=}" ;;
        status=* | stderr=*) ;;
        *) echo "$0: $NAME: unknown field $1" >&2; return 1 ;;
        esac
        shift
    done
    [ $HAVE_BENCH = 1 ] || BENCH_ARGS=("${TEST_ARGS[@]}")
}

# run OUT_PREFIX CMD...: runs with the sample's stdin and environment in a fresh TMPDIR; sets
# SECONDS_TAKEN and STATUS; stdout goes to OUT_PREFIX.out.
run() {
    local out=$1
    shift
    local tmp
    tmp=$(mktemp -d "$WORK/run.XXXXXX")
    local t0 t1
    t0=$(now)
    (cd "$tmp" && env TMPDIR="$tmp" "${ENV_VARS[@]}" timeout "$TIMEOUT" "$@" <"$STDIN" >"$out.out" 2>"$out.err")
    STATUS=$?
    t1=$(now)
    SECONDS_TAKEN=$(elapsed "$t0" "$t1")
    rm -rf "$tmp"
}

mapfile -t LINES < <(grep -E '^[A-Za-z0-9_]' "$SAMPLES/samples.list")
if [ $# -gt 0 ]; then
    wanted=" $* "
    selected=()
    for l in "${LINES[@]}"; do
        [[ $wanted == *" ${l%% *} "* ]] && selected+=("$l")
    done
    LINES=("${selected[@]}")
fi

echo "xlate demo: ${#LINES[@]} samples, xlate $XLATE_OPT, work files in $WORK"
ROWS=()
i=0
for line in "${LINES[@]}"; do
    i=$((i + 1))
    parse "$line" || exit 2
    src="$SAMPLES/$NAME.c" guest="$WORK/$NAME.guest" native="$WORK/$NAME.native"
    translated="$WORK/$NAME.x"
    printf '[%d/%d] %-13s build' "$i" "${#LINES[@]}" "$NAME"
    if ! aarch64-linux-gnu-gcc -static -O2 -I"$SAMPLES" "$src" -o "$guest" -lm 2>"$WORK/$NAME.cc.log" ||
        ! gcc -O2 -I"$SAMPLES" "$src" -o "$native" -lm 2>>"$WORK/$NAME.cc.log"; then
        echo ": compiler failed (see $WORK/$NAME.cc.log)"
        ROWS+=("$NAME|-|-|-|-|-|-|compile failed")
        continue
    fi
    printf ', translate'
    t0=$(now)
    rm -f "$translated"
    "$XLATE" "$guest" -o "$translated" "${XLATE_OPTS[@]}" >"$WORK/$NAME.xlate.log" 2>&1
    xstatus=$?
    xsec=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    printf ' (%s s)' "$xsec"
    if [ $xstatus -ne 0 ]; then
        echo ": xlate failed with status $xstatus (see $WORK/$NAME.xlate.log)"
        ROWS+=("$NAME|-|-|-|-|-|$xsec|xlate failed")
        continue
    fi
    printf ', run native'
    run "$WORK/$NAME.native" "$native" "${BENCH_ARGS[@]}"
    nsec=$SECONDS_TAKEN
    printf ', translated'
    run "$WORK/$NAME.translated" "$translated" "${BENCH_ARGS[@]}"
    tsec=$SECONDS_TAKEN tstatus=$STATUS
    printf ', qemu'
    run "$WORK/$NAME.qemu" qemu-aarch64 "$guest" "${BENCH_ARGS[@]}"
    qsec=$SECONDS_TAKEN qstatus=$STATUS
    note=""
    if [ $qstatus -eq 124 ]; then
        note="qemu timed out"
    elif [ $tstatus -eq 124 ]; then
        note="translated timed out"
    elif [ $tstatus -ne $qstatus ] || ! cmp -s "$WORK/$NAME.translated.out" "$WORK/$NAME.qemu.out"; then
        note="DIFFERS from qemu (status $tstatus vs $qstatus; see $WORK/$NAME.{translated,qemu}.out)"
    fi
    echo
    if [ -n "$note" ]; then
        ROWS+=("$NAME|$nsec|-|$qsec|-|-|$xsec|$note")
    else
        ROWS+=("$NAME|$nsec|$tsec|$qsec|$(ratio "$tsec" "$nsec")|$(ratio "$qsec" "$tsec")|$xsec|")
    fi
done

echo
row() { printf '%-13s %9s %13s %9s %18s %16s %9s  %s\n' "$@"; }
row sample "native s" "translated s" "qemu s" "translated/native" "qemu/translated" \
    "xlate s" ""
for row in "${ROWS[@]}"; do
    IFS='|' read -r n a b c d e f g <<<"$row"
    row "$n" "$a" "$b" "$c" "$d" "$e" "$f" "$g"
done
echo
echo "Times are wall-clock seconds of one run on the benchmark input; xlate s is the translation"
echo "time (xlate $XLATE_OPT). Outputs of the translated programs are compared with qemu-aarch64's."
