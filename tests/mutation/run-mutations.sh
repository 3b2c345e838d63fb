#!/bin/bash
# run-mutations.sh [--check] [NAME...] — plants each one-line bug of mutations.txt in a
# scratch copy of the source, builds it incrementally and runs the tests named for it.
#
#   caught    at least one named test failed with the mutation in place
#   SURVIVED  every named test passed: a test is missing
#
# The last line is the score: "mutations: N caught, M survived". Exit status 0 when every
# mutation was caught, 1 when one survived, 2 when the runner could not do its job (a
# "from" line not found exactly once, an unknown test name, a mutant that does not build,
# the unmutated tests failing). --check only checks the list against the source.
#
# Environment: MUTATION_WORKDIR (default BUILD-ROOT/build-mutation: the scratch source
# in src/, its build in build/), MUTATION_JOBS (default 2). See README.md.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
list=${MUTATIONS_LIST:-$here/mutations.txt}
work=${MUTATION_WORKDIR:-$root/build-mutation}
jobs=${MUTATION_JOBS:-2}
scratch=$work/src
build=$work/build

check_only=0
if [ "${1:-}" = "--check" ]; then
  check_only=1
  shift
fi
wanted=("$@")

die () {
  echo "run-mutations: $*" >&2
  exit 2
}

# ------------------------------------------------------------------ the list
names=() files=() froms=() tos=() testss=()
declare -A seen_name=()

add_record () {
  [ -z "$r_name$r_file$r_from$r_to$r_tests" ] && return
  [ -n "$r_name" ] && [ -n "$r_file" ] && [ -n "$r_from" ] && [ -n "$r_to" ] && [ -n "$r_tests" ] \
    || die "$list: record ending at line $lineno lacks one of name, file, from, to, tests"
  [ -z "${seen_name[$r_name]:-}" ] || die "$list: the name $r_name is used twice"
  seen_name[$r_name]=1
  names+=("$r_name") files+=("$r_file") froms+=("$r_from") tos+=("$r_to") testss+=("$r_tests")
}

r_name= r_file= r_from= r_to= r_tests=
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case $line in
    '#'*) continue ;;
  esac
  if [ -z "${line//[[:space:]]/}" ]; then
    add_record
    r_name= r_file= r_from= r_to= r_tests=
    continue
  fi
  key=${line%%:*}
  value=${line#*:}
  value=${value#"${value%%[![:space:]]*}"}
  value=${value%"${value##*[![:space:]]}"}
  case $key in
    name) r_name=$value ;;
    file) r_file=$value ;;
    from) r_from=$value ;;
    to) r_to=$value ;;
    tests) r_tests=$value ;;
    *) die "$list:$lineno: unknown key '$key'" ;;
  esac
done < "$list"
add_record

selected=()
for i in "${!names[@]}"; do
  if [ ${#wanted[@]} -eq 0 ]; then
    selected+=("$i")
  else
    for w in "${wanted[@]}"; do
      [ "$w" = "${names[$i]}" ] && selected+=("$i")
    done
  fi
done
for w in "${wanted[@]}"; do
  [ -n "${seen_name[$w]:-}" ] || die "no mutation named $w"
done
[ ${#selected[@]} -gt 0 ] || die "no mutations in $list"

# Lines of FILE equal to FROM once the indentation (and trailing blanks) are set aside.
count_matches () {
  FROM=$2 awk '{ s = $0; sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); if (s == ENVIRON["FROM"]) n++ }
               END { print n + 0 }' "$1"
}

# Every "from" must be in its file exactly once, in the source as it is now.
errors=0
for i in "${selected[@]}"; do
  f=$root/${files[$i]}
  if [ ! -f "$f" ]; then
    echo "run-mutations: ${names[$i]}: no file ${files[$i]}" >&2
    errors=$((errors + 1))
    continue
  fi
  n=$(count_matches "$f" "${froms[$i]}")
  if [ "$n" != 1 ]; then
    echo "run-mutations: ${names[$i]}: the line is in ${files[$i]} $n times, not once: ${froms[$i]}" >&2
    errors=$((errors + 1))
  fi
done
[ $errors -eq 0 ] || die "$errors mutation(s) no longer match the source; update $list"
if [ $check_only -eq 1 ]; then
  echo "run-mutations: all ${#selected[@]} mutations match the source"
  exit 0
fi

# ------------------------------------------------------------------ the scratch copy
# Files whose content differs are copied (with a new mtime, so ninja rebuilds them);
# identical files are left alone, so the build stays incremental across runs.
mkdir -p "$scratch" "$work/orig"
(cd "$root" && git ls-files -co --exclude-standard -z) | while IFS= read -r -d '' path; do
  [ -f "$root/$path" ] || continue
  if ! cmp -s "$root/$path" "$scratch/$path"; then
    mkdir -p "$scratch/$(dirname "$path")"
    cp -p "$root/$path" "$scratch/$path"
    touch "$scratch/$path"
  fi
done

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$scratch" -Dwerror=false >"$work/setup.log" 2>&1 \
    || die "meson setup failed; see $work/setup.log"
fi
ninja -C "$build" -j "$jobs" >"$work/build.log" 2>&1 || die "the unmutated source does not build; see $work/build.log"

all_tests=$(meson test -C "$build" --list 2>/dev/null | sed 's/^fristad:[^ ]* \/ //; s/^fristad://')
declare -A union=()
for i in "${selected[@]}"; do
  for t in ${testss[$i]}; do
    grep -qxF "$t" <<<"$all_tests" || die "${names[$i]}: no test named $t (meson test --list)"
    union[$t]=1
  done
done

# Runs the tests; prints the names of those that did not pass.
failing_tests () {
  local log=$1
  shift
  meson test -C "$build" --no-rebuild --num-processes "$jobs" "$@" >"$log" 2>&1
  sed -n 's/^ *[0-9]*\/[0-9]* fristad:[^ ]* \/ \([^ ]*\) *\(FAIL\|ERROR\|TIMEOUT\|UNEXPECTEDPASS\).*/\1/p' "$log" | sort -u
  # A test that did not run at all (a crash of meson itself) counts as not passed too.
  if ! grep -q "^Ok:" "$log"; then
    echo "(meson-test-did-not-finish)"
  fi
}

echo "run-mutations: baseline: ${#union[@]} tests on the unmutated source"
baseline=$(failing_tests "$work/baseline.log" "${!union[@]}")
[ -z "$baseline" ] || die "the unmutated source fails: $(echo $baseline); see $work/baseline.log"

# ------------------------------------------------------------------ the mutants
current=
restore () {
  if [ -n "$current" ]; then
    cp "$work/orig/current" "$scratch/$current"
    touch "$scratch/$current"
    current=
  fi
}
trap restore EXIT
trap 'restore; exit 130' INT TERM

caught=0 survived=0 broken=0
survivors=()
for i in "${selected[@]}"; do
  name=${names[$i]} file=${files[$i]}
  target=$scratch/$file
  cp "$target" "$work/orig/current"
  current=$file
  FROM=${froms[$i]} TO=${tos[$i]} awk '
    { s = $0; sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s)
      if (s == ENVIRON["FROM"]) { match($0, /^[ \t]*/); print substr($0, 1, RLENGTH) ENVIRON["TO"]; next }
      print }' "$work/orig/current" >"$target"
  if [ "$(diff "$work/orig/current" "$target" | grep -c '^>')" != 1 ]; then
    restore
    echo "error     $name: the mutation did not change exactly one line" >&2
    broken=$((broken + 1))
    continue
  fi
  if ! ninja -C "$build" -j "$jobs" >"$work/mutant-build.log" 2>&1; then
    cp "$work/mutant-build.log" "$work/$name.build.log"
    restore
    echo "error     $name: the mutant does not build; see $work/$name.build.log" >&2
    broken=$((broken + 1))
    continue
  fi
  failed=$(failing_tests "$work/$name.log" ${testss[$i]})
  restore
  if [ -n "$failed" ]; then
    caught=$((caught + 1))
    echo "caught    $name (by $(echo $failed))"
    rm -f "$work/$name.log"
  else
    survived=$((survived + 1))
    survivors+=("$name")
    echo "SURVIVED  $name: ${testss[$i]} pass with $file changed to: ${tos[$i]}"
  fi
done

# Leave the build matching the source again.
ninja -C "$build" -j "$jobs" >"$work/build.log" 2>&1 || true

if [ $broken -gt 0 ]; then
  echo "mutations: $caught caught, $survived survived, $broken could not be run"
  exit 2
fi
echo "mutations: $caught caught, $survived survived"
[ $survived -eq 0 ]
