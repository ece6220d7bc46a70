#!/usr/bin/env bash
# Fails when a script a person is told to run cannot be run as `path/to/script`: every script the
# README names (deploy/*.sh, .ci/run, tests/.../*.sh) and every tracked file that starts with
# "#!" must be executable, in git (mode 100755) when the tree is a git checkout, else on disk.
#
#   bash executable_scripts.sh SOURCE_DIR
set -euo pipefail
root="${1:?usage: executable_scripts.sh SOURCE_DIR}"
cd "$root"

in_git=0
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  in_git=1
fi

# The scripts the README names: paths under deploy/, .ci/ and tests/ ending in .sh, and .ci/run.
mapfile -t named < <(grep -oE '(deploy|\.ci|tests)/[A-Za-z0-9_./-]*(\.sh|/run)\b' README.md |
  sort -u)
if [ "${#named[@]}" -eq 0 ]; then
  echo "executable_scripts: README.md names no script (deploy/*.sh); the pattern is out of date" >&2
  exit 1
fi
candidates=("${named[@]}")
if [ "$in_git" = 1 ]; then
  while IFS= read -r path; do
    if [ -f "$path" ] && [ "$(head -c 2 "$path")" = '#!' ]; then
      candidates+=("$path")
    fi
  done < <(git ls-files)
fi

failures=0
checked=0
while IFS= read -r path; do
  if [ ! -e "$path" ]; then
    echo "executable_scripts: README.md names $path, which does not exist" >&2
    failures=$((failures + 1))
    continue
  fi
  checked=$((checked + 1))
  mode=""
  if [ "$in_git" = 1 ]; then
    mode="$(git ls-files -s -- "$path" | awk '{print $1}')"
  fi
  if [ -n "$mode" ]; then
    if [ "$mode" != 100755 ]; then
      echo "executable_scripts: $path is stored in git with mode $mode, so \`$path\`" \
        "answers \"Permission denied\"; fix: git update-index --chmod=+x $path" \
        "&& chmod +x $path" >&2
      failures=$((failures + 1))
    fi
  elif [ ! -x "$path" ]; then
    echo "executable_scripts: $path is not executable; fix: chmod +x $path" >&2
    failures=$((failures + 1))
  fi
done < <(printf '%s\n' "${candidates[@]}" | sort -u)

if [ "$failures" -gt 0 ]; then
  exit 1
fi
echo "executable_scripts: $checked scripts, all executable"
