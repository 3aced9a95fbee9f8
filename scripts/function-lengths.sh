#!/usr/bin/env bash
# Lists Swift functions, initialisers and computed properties longer than a limit (default 60 lines, counted from
# the declaration line to its closing brace) in the given directories (default Sources/), as
#   LINES FILE:LINE NAME
# longest first. A heuristic by brace matching: string literals ("...", multi-line """...""") and // comments are
# ignored when counting braces; a closure passed inline counts towards its enclosing function, as it should.
# Exit status: 0 when none is over the limit, 1 when some are, 2 on usage errors.
#   FUNCTION_LINES_MAX  the limit (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
max=${FUNCTION_LINES_MAX:-60}
[[ $max =~ ^[1-9][0-9]*$ ]] || { echo "function-lengths.sh: FUNCTION_LINES_MAX must be a positive integer" >&2; exit 2; }
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(Sources)
for d in "${dirs[@]}"; do [ -d "$d" ] || { echo "function-lengths.sh: $d: not a directory" >&2; exit 2; }; done

found=$(find "${dirs[@]}" -name '*.swift' -print0 | sort -z | xargs -0 awk -v max="$max" '
  FNR == 1 { depth = 0; nopen = 0; inmulti = 0 }
  # code(LINE): the line without string literals and // comments (multi-line strings tracked across lines).
  function code(s,    out, i, c, n, instr) {
    out = ""; n = length(s); instr = 0
    for (i = 1; i <= n; i++) {
      c = substr(s, i, 1)
      if (inmulti) { if (substr(s, i, 3) == "\"\"\"") { inmulti = 0; i += 2 }; continue }
      if (instr) { if (c == "\\") { i++; continue }; if (c == "\"") instr = 0; continue }
      if (substr(s, i, 3) == "\"\"\"") { inmulti = 1; i += 2; continue }
      if (c == "\"") { instr = 1; continue }
      if (substr(s, i, 2) == "//") break
      out = out c
    }
    return out
  }
  {
    line = code($0); from = 1
    # A declaration that opens a body: func, init, subscript, or a computed property `var name: Type {`.
    if (match(line, /(^|[^A-Za-z0-9_.])(func[ \t]+[^ \t(<]+|init[?!]?[ \t]*[(<]|subscript[ \t]*\(|var[ \t]+[A-Za-z0-9_]+[ \t]*:[^=]*\{[ \t]*$)/)) {
      name = substr(line, RSTART, RLENGTH); sub(/^[^A-Za-z]/, "", name); sub(/[ \t]*[(<{].*$/, "", name)
      pending = 1; pname = name; pline = FNR; parens = 0; from = RSTART
    } else if (pending && line ~ /^[ \t]*(@[A-Za-z]+[ \t]+)*((public|private|internal|fileprivate|static|final|override|mutating)[ \t]+)*(struct|class|enum|extension|protocol|let|case|typealias)[ \t]/) {
      pending = 0   # a requirement without a body (protocol member) was followed by another declaration
    }
    n = length(line)
    for (i = 1; i <= n; i++) {
      c = substr(line, i, 1)
      if (pending && i < from) { if (c == "{") depth++; else if (c == "}") depth--; continue }
      if (pending && c == "(") parens++
      else if (pending && c == ")") parens--
      else if (pending && c == "}" && parens == 0) pending = 0   # the protocol ends before any body opened
      if (c == "{") {
        depth++
        if (pending && parens == 0) { nopen++; sdepth[nopen] = depth; sline[nopen] = pline; sname[nopen] = pname; pending = 0 }
      } else if (c == "}") {
        if (nopen > 0 && sdepth[nopen] == depth) {
          len = FNR - sline[nopen] + 1
          if (len > max) printf "%d %s:%d %s\n", len, FILENAME, sline[nopen], sname[nopen]
          nopen--
        }
        depth--
      }
    }
  }
' | sort -rn || true)
if [ -n "$found" ]; then
  echo "functions over $max lines:"
  printf '%s\n' "$found"
  exit 1
fi
echo "no function over $max lines in ${dirs[*]}"
