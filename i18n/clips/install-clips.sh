#!/bin/sh
# Installs the generated clips: install-clips.sh BUILD_CLIPS_DIR DATADIR_RELATIVE_DEST
# (run by meson install; honours DESTDIR and the prefix).
set -eu
src=$1
dest=${DESTDIR-}${MESON_INSTALL_PREFIX}/$2
for dir in "$src"/*/; do
  [ -f "$dir/clips.ini" ] || continue
  lang=$(basename "$dir")
  install -d -m 0755 "$dest/$lang"
  install -m 0644 "$dir"/clips.ini "$dir"/*.opus "$dest/$lang/"
done
