#!/bin/sh
# Registry types, message channels and webhook styles are parsed once, by
# their tables (reg_type_names in core/registry.c, msg_channel_names and
# webhook_style_names in core/playbook.c), into enums the rest of the code
# switches on or looks a row up by. No other file compares a string with
# one of those names: a third registry type could otherwise silently take
# another's branch. The names are read from the tables themselves.
set -u
src=${REWIND_SRCDIR:-.}

# The quoted names of table TABLE in FILE ("npm" ...), one a line.
table_names() {
	awk -v t="$2" '
		index($0, t "[] = {") { on = 1; next }
		on && /^};/ { exit }
		on { while (match($0, /"[^"]+"/)) {
			print substr($0, RSTART + 1, RLENGTH - 2)
			$0 = substr($0, RSTART + RLENGTH) } }' "$1"
}

names=$( { table_names "$src/core/registry.c" reg_type_names
	   table_names "$src/core/playbook.c" msg_channel_names
	   table_names "$src/core/playbook.c" webhook_style_names; } |
	 sort -u | paste -sd'|' -)
case $names in
*npm*pypi*|*pypi*npm*) ;;
*) echo "check-tables: cannot read the tables' names (got '$names')"; exit 1 ;;
esac

# The drill world's simulated commands are named by their program (npm,
# pip), not by a registry type: core/world_tools.c is not a table user.
hits=$(grep -nE "(strn?(case)?cmp|[^a-z_]is)[[:space:]]*\\([^;]*\"($names)\"" \
	"$src"/core/*.c "$src"/tui/*.c 2>/dev/null |
	grep -v -e '/core/registry\.c:' -e '/core/playbook\.c:' \
		-e '/core/world_tools\.c:')
if [ -n "$hits" ]; then
	echo "a registry type, channel or webhook style compared as a string" \
	     "outside its table (parse it into its enum at load):"
	echo "$hits"
	exit 1
fi
exit 0
