# The set-up the batch tests share. Source it first:
#   . "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
# It sets bin (the rewind under test) and src (the source tree), makes a
# private $tmp that is removed at exit, puts HOME and XDG_STATE_HOME in it
# with TZ=UTC, and gives failed=0 and fail MESSAGE, which prints the
# message under the test's name and marks the test failed (the test ends
# with `exit $failed`). A test that stops at its first failure defines
# its own fail after this.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
failed=0
fail() { echo "FAIL: $(basename "$0" .sh): $*"; failed=1; }
