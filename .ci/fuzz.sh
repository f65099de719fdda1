#!/usr/bin/env bash
# .ci/fuzz.sh — run every Go fuzz target of the module, one after another,
# each for $FUZZTIME (default 60s), and stop at the first failure.
#
#   bash .ci/fuzz.sh                    # every target, 60 s each
#   FUZZTIME=10s bash .ci/fuzz.sh       # shorter
#   bash .ci/fuzz.sh FuzzParseDSN ...   # only the named targets
#
# Targets are found by grepping `func FuzzXxx(` in *_test.go files, so a new
# target is picked up without editing this script. Each runs as
#   go test -run '^$' -fuzz '^FuzzXxx$' -fuzztime $FUZZTIME ./pkg
# from the repository root; its seed corpus is pkg/testdata/fuzz/FuzzXxx.
# A failing input is written there by go test: commit it with the fix.
# Prints one summary line per target and exits 1 on the first failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
FUZZTIME=${FUZZTIME:-60s}

# "dir name" pairs, sorted by package then target.
targets=$(git ls-files -co --exclude-standard -- '*_test.go' ':!:node_modules' |
	xargs -r grep -H -o '^func Fuzz[A-Za-z0-9_]*(' |
	sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#; s#^[^/ ]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#. \1#' |
	sort -u)
[ -n "$targets" ] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

if [ $# -gt 0 ]; then
	wanted=" $* "
	targets=$(printf '%s\n' "$targets" | while read -r dir name; do
		case "$wanted" in *" $name "*) echo "$dir $name" ;; esac
	done)
	[ -n "$targets" ] || { echo "fuzz: none of the targets $* exist" >&2; exit 1; }
fi

count=$(printf '%s\n' "$targets" | wc -l)
echo "fuzz: $count targets, $FUZZTIME each"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
started=$SECONDS
while read -r dir name; do
	t0=$SECONDS
	if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir" </dev/null >"$log" 2>&1; then
		# The last progress line reads "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), new interesting: 3 (total: 15)";
		# the summary keeps the totals (the rate there is of the last interval only).
		stats=$(grep -o 'execs: [0-9]* ([0-9]*/sec), new interesting: [0-9]* (total: [0-9]*)' "$log" | tail -1 |
			sed -E 's/ \([0-9]+\/sec\)//' || true)
		printf 'ok    %-24s ./%-20s %4ds  %s\n' "$name" "$dir" $((SECONDS - t0)) "${stats:-}"
	else
		printf 'FAIL  %-24s ./%-20s %4ds\n' "$name" "$dir" $((SECONDS - t0))
		tail -n 60 "$log"
		echo "fuzz: $name failed; the failing input is in ./$dir/testdata/fuzz/$name/ (rerun: go test -run '^$name\$' ./$dir)" >&2
		exit 1
	fi
done <<<"$targets"
printf 'fuzz: all %d targets passed in %dm%02ds\n' "$count" $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60))
