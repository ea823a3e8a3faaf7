# Sourced by run.sh and test.sh: the project virtualenv .venv (made once, then reused) with searchsvc
# installed in it, pinned by constraints.txt. Works with Debian's own Python (PEP 668): nothing is
# installed outside .venv. PYTHON picks the interpreter (default python3, 3.11 or newer).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.venv
python=${PYTHON:-python3}

say() { echo "$*" >&2; }
die() { say "Lỗi: $*"; exit 1; }

# Install Debian packages that are missing: as root with apt-get; otherwise say the exact command and stop.
debian_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "thiếu ${missing[*]}; đây không phải Debian/Ubuntu: hãy cài các gói tương ứng."
  if [ "$(id -u)" -ne 0 ]; then
    die "thiếu gói Debian ${missing[*]}. Cài bằng: sudo apt-get install -y ${missing[*]}"
  fi
  say "Cài gói Debian: ${missing[*]} …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# The packages listed in a file, one per line; '#' starts a comment.
package_list() { sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$' || true; }

make_venv() {
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c '' 2>/dev/null; then
    return 0  # reused
  fi
  command -v "$python" >/dev/null 2>&1 || die "không tìm thấy $python (cần Python 3.11 trở lên; chọn bằng PYTHON=...)."
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "$python là Python $("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); cần 3.11 trở lên (chọn bằng PYTHON=...)."
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
    # Debian's Python comes without ensurepip; it is in the pythonX.Y-venv package.
    rm -rf "$venv"
    debian_install "python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
    "$python" -m venv "$venv" || die "không tạo được virtualenv $venv."
  fi
  fresh_venv=1
}

# pip install the package (editable, with the extras given, e.g. "[test]") into .venv, pinned.
install_package() {
  local quiet=-q
  [ -n "${fresh_venv:-}" ] && { say "Lần đầu: cài các gói Python vào .venv (khoảng một phút) …"; quiet=; }
  "$venv/bin/pip" install $quiet --disable-pip-version-check -c "$root/constraints.txt" setuptools wheel
  "$venv/bin/pip" install $quiet --disable-pip-version-check --no-build-isolation -c "$root/constraints.txt" -e "$root$1"
}
