#!/bin/sh
# paperwire-plugin(7) checked against paperwire/plugin.h, so the manual
# cannot fall behind the header: every rule heading of the header's
# opening comment is a section of the page, every host service and every
# macro a plugin author writes is named there, and the ABI version the
# page names is the header's.
. "$PW_SRCDIR/tests/integration/lib.sh"
header="$PW_SRCDIR/sdk/paperwire/plugin.h"
page="$PW_SRCDIR/man/paperwire-plugin.7"
dir="$work/sdk_docs"
mkdir -p "$dir"

# Headings: lines of the opening comment that are capitals only (" * THREADS").
sed -n '1,/^ \*\//p' "$header" | sed -n 's/^ \* \([A-Z][A-Z ]*[A-Z]\)$/\1/p' > "$dir/headings"
missing=""
while read -r h; do
	[ "$h" = CHANGELOG ] && continue # the page tells the current ABI, not its history
	grep -q "^\.SH $h\$" "$page" || missing="$missing [$h]"
done < "$dir/headings"
check "each rule heading of plugin.h ($(tr '\n' ',' < "$dir/headings")) is a section of paperwire-plugin(7)" \
	'[ -s "$dir/headings" ] && [ -z "$missing" ] || { echo "missing sections:$missing" >&2; false; }'

# Services: every function-pointer member of pw_host.
sed -n '/^typedef struct pw_host {/,/^} pw_host;/p' "$header" |
	sed -n 's/.*(\*\([a-z_]*\))(pw_instance \*inst.*/\1/p' > "$dir/services"
missing=""
while read -r s; do
	grep -q "\\b$s\\b" "$page" || missing="$missing $s"
done < "$dir/services"
check "every pw_host service ($(wc -l < "$dir/services") of them) is named in SERVICES" \
	'[ "$(wc -l < "$dir/services")" -ge 40 ] && [ -z "$missing" ] || { echo "not in the page:$missing" >&2; false; }'

# The macros an author writes, and the numeric rules the header defines.
missing=""
for m in PW_PLUGIN_DEFINE PW_OPTION PW_OPTIONS PW_OPTIONS_END PW_HOST_HAS PW_BORROWED_GETS PW_REJECTED \
	PW_HTTP_CONDITIONAL PW_HTTP_SPOOL PW_D_ATTEMPT PW_D_RECOVERY; do
	grep -q "^#define $m\\b\\|$m = " "$header" || missing="$missing $m(not in the header)"
	grep -q "\\b$m\\b" "$page" || missing="$missing $m"
done
borrowed=$(sed -n 's/^#define PW_BORROWED_GETS \([0-9]*\)$/\1/p' "$header")
check "the macros and constants an author writes are named, PW_BORROWED_GETS with its value" \
	'[ -z "$missing" ] && grep -q "PW_BORROWED_GETS$" "$page" && grep -q "^($borrowed) more" "$page" ||
	 { echo "missing:$missing" >&2; false; }'

major=$(sed -n 's/^#define PW_ABI_MAJOR \([0-9]*\)$/\1/p' "$header")
minor=$(sed -n 's/^#define PW_ABI_MINOR \([0-9]*\)$/\1/p' "$header")
check "the page names the header's ABI ($major.$minor)" \
	'head -n 3 "$page" | grep -q "plugin ABI $major\.$minor)"'

finish
