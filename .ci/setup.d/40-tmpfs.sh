# The full-file-system test (tests/integration/hostile.rs) fills a 1 MiB tmpfs that it mounts itself: directly
# when running as root, else inside a user and mount namespace (`unshare -rm`, from util-linux).
# This makes sure `unshare` is there and says which way the test will go; if neither works, the test
# prints "*** SKIPPED" and passes.
if ! command -v unshare >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq util-linux >/dev/null
fi
_tmpfs_probe=$(mktemp -d)
if mount -t tmpfs -o size=1m tmpfs "$_tmpfs_probe" 2>/dev/null; then
    umount "$_tmpfs_probe"
    echo "tmpfs: the full-disk test mounts its tmpfs directly (root)"
elif unshare -rm sh -c "mount -t tmpfs -o size=1m tmpfs '$_tmpfs_probe'" 2>/dev/null; then
    echo "tmpfs: the full-disk test mounts its tmpfs in a user namespace (unshare -rm)"
else
    echo "WARNING: cannot mount a tmpfs here (not root, no user namespaces): the full-disk test will be SKIPPED"
fi
rmdir "$_tmpfs_probe"
unset _tmpfs_probe
