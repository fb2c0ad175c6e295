# Shared by the end-to-end scripts (sourced after `bin=$1`): a scratch folder removed on exit, failure
# counting, and the check that bad input gives exactly one "xbarcut: error: ..." line and exit code 2.
py=/usr/bin/python3  # Debian's python3 with python3-torch and numpy, whatever python3 comes first on PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_error() {
  local out code
  out=$("$bin" "$@" 2>&1)
  code=$?
  if [ "$code" -ne 2 ]; then fail "exit $code (want 2) for: $*"$'\n'"$out"; return; fi
  if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || [[ "$out" != "xbarcut: error: "* ]]; then
    fail "not one error line for: $*"$'\n'"$out"
  fi
}

# Ends the script: exit 1 with a count if any check failed. Usage: finish NAME
finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
  echo "$1: all checks passed"
}

# As expect_error, for errors found while reading data: progress lines ("loading ...", "decoding ...") may come
# first; exactly one error line, exit 2.
expect_data_error() {
  local out code errors
  out=$("$bin" "$@" 2>&1)
  code=$?
  if [ "$code" -ne 2 ]; then fail "exit $code (want 2) for: $*"$'\n'"$out"; return; fi
  errors=$(printf '%s\n' "$out" | grep -v -E '^(loading|decoding|cached) ')
  if [ "$(printf '%s\n' "$errors" | wc -l)" -ne 1 ] || [[ "$errors" != "xbarcut: error: "* ]]; then
    fail "not one error line for: $*"$'\n'"$out"
  fi
}
