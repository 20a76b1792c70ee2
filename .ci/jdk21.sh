#!/usr/bin/env bash
# Prints the home of a JDK 21 for CI, installing one first when the machine has none (idempotent: a second run only
# prints the path).
#
# Debian bookworm, the CI image, packages no JDK 21 (not in bookworm-backports either); Debian trixie does. Its
# openjdk-21 needs trixie's glibc (2.38+), so installing the package would upgrade the machine's libc. Instead this
# unpacks the trixie packages (openjdk-21-jre-headless, openjdk-21-jdk-headless, libc6) into a private folder and
# points the JDK's executables and libraries at that private glibc with patchelf. Nothing outside $DEST changes apart
# from `apt-get install patchelf`. Every download goes through apt, from the mirror the machine's own sources name.
set -euo pipefail

DEST=${CALLBACKS4J_JDK21:-/opt/callbacks4j/jdk-21}

works() { [ -x "$1/bin/javac" ] && "$1/bin/javac" -version >/dev/null 2>&1 && "$1/bin/java" -version >/dev/null 2>&1; }

# A JDK 21 the machine already has (a newer image, or Debian's package where the suite has it).
for home in /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "$DEST"; do
  if works "$home"; then echo "$home"; exit 0; fi
done

log() { echo "jdk21: $*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The mirror the machine's apt already uses for Debian (deb822 or one-line format), with the trixie suite.
mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
if [ -z "$mirror" ]; then
  log "no Debian mirror found in the apt sources"; exit 1
fi
echo "deb $mirror trixie main" > "$work/sources.list"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)

if ! command -v patchelf >/dev/null; then
  log "installing patchelf"
  apt-get install -y -q patchelf >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q patchelf >/dev/null; }
fi

log "fetching openjdk-21 and libc6 from Debian trixie (about 130 MB)"
apt-get "${apt_opts[@]}" -q update >/dev/null
(cd "$work/debs" && apt-get "${apt_opts[@]}" -q download openjdk-21-jre-headless openjdk-21-jdk-headless libc6 >/dev/null)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done

jdk="$work/root/usr/lib/jvm/java-21-openjdk-amd64"
libc="$DEST/glibc"
rm -rf "$DEST.tmp" && mkdir -p "$DEST.tmp"
cp -a "$jdk/." "$DEST.tmp/"
mkdir -p "$DEST.tmp/glibc" && cp -a "$work/root/usr/lib/x86_64-linux-gnu/." "$DEST.tmp/glibc/"
# Debian keeps the JDK's conf/ as links into /etc/java-21-openjdk: replace them by the files (from the same package).
find "$DEST.tmp" -type l -lname '/etc/java-21-openjdk/*' | while read -r link; do
  target=$(readlink "$link"); rm "$link"; cp "$work/root$target" "$link"
done
# Executables get trixie's loader, every ELF file looks for libc in the private folder first.
find "$DEST.tmp" -path "$DEST.tmp/glibc" -prune -o -type f -print | while read -r f; do
  head -c 4 "$f" | grep -q ELF || continue
  if patchelf --print-interpreter "$f" >/dev/null 2>&1; then
    patchelf --set-interpreter "$libc/ld-linux-x86-64.so.2" "$f"
  fi
  old=$(patchelf --print-rpath "$f")
  patchelf --set-rpath "$libc${old:+:$old}" "$f"
done
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
works "$DEST" || { log "the unpacked JDK 21 does not start"; exit 1; }
echo "$DEST"
