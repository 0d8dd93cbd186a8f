"""Publishing build output atomically and one build at a time.

``site/`` and the offline archive are always either the previous complete
version or the new complete one, whatever happens: a failing build, two
builds at once, a build interrupted or killed at any moment (SIGKILL
included).

- One build at a time: every build holds an exclusive lock
  (``.cache/build.lock``, ``fcntl.flock``; the kernel releases it when the
  process dies). A second build waits for it, says so once on stderr, and
  gives up after ``wait`` seconds. Builds share ``.cache/`` too, so the
  site and the archive take the same lock.
- Each build writes into a fresh temporary folder next to its destination
  (same file system): ``.site-tmp-XXXXXXXX`` beside ``site/``,
  ``dist/.archive-tmp-XXXXXXXX`` for the archive.
- A finished site is swapped in with one ``renameat2(RENAME_EXCHANGE)``, so
  ``site`` always names a complete tree; the old tree is removed after.
  Where the exchange is not supported, two renames; a kill between them is
  repaired by the next build (the old tree is put back). The zip is moved
  into place with ``os.replace``.
- A failed build leaves the output untouched and removes its folder.
  SIGTERM and SIGINT clean up and exit non-zero; after a SIGKILL, where no
  clean-up runs, the next build removes what is left: anything with one of
  these prefixes is stale once the lock is held.

MkDocs runs as a subprocess (no MkDocs import here); on Linux it is killed
when its parent dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

LOCK_FILE = Path(".cache") / "build.lock"
ARCHIVE_PREFIX = ".archive-tmp-"
OLD = "old-"  # marks a previous tree set aside by the two-rename fallback
# Fixed names used by earlier versions of the Makefile (stale when found).
LEGACY = (".site-tmp", ".archive-tmp")
DEFAULT_WAIT = 3600.0  # seconds a build waits for another one before giving up
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class BuildFailed(Exception):
    """MkDocs exited with an error; the output was left as it was."""

    def __init__(self, returncode: int):
        super().__init__(f"the build failed (exit status {returncode}); the previous output is unchanged")
        self.returncode = returncode


class LockTimeout(Exception):
    """Another build held the lock for longer than we were willing to wait."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived (raised by the handlers of ``exit_on_signals``)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --- signals -------------------------------------------------------------------


@contextlib.contextmanager
def exit_on_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into ``Interrupted``, so clean-up code runs."""

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a moment that must not be cut short."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# --- the lock --------------------------------------------------------------------


class BuildLock:
    """An exclusive ``flock`` on ``path``, holding the owner's pid for others to report."""

    def __init__(self, path: Path, wait: float | None = DEFAULT_WAIT, log=None):
        self.path, self.wait, self.log = Path(path), wait, log
        self.fd = -1

    def _holder(self) -> str:
        try:
            return os.pread(self.fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
        except OSError:
            return "unknown"

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            deadline = None if self.wait is None else time.monotonic() + self.wait
            told = False
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                if not told:
                    print(f"another build is running (pid {self._holder()}); waiting", file=self.log or sys.stderr, flush=True)
                    told = True
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another build is still running (pid {self._holder()}) after {self.wait:g} s; giving up "
                        f"(the lock is {self.path})"
                    )
                time.sleep(0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic())))
            # Our pid, in a fixed width so that a reader never sees half of it.
            os.pwrite(self.fd, f"{os.getpid():>10}\n".encode("ascii"), 0)
        except BaseException:
            os.close(self.fd)
            self.fd = -1
            raise
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)  # releases the lock
        self.fd = -1


# --- atomic exchange -------------------------------------------------------------

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h


def _load_renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a libc without it
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _load_renameat2()


def exchange(a: Path | str, b: Path | str) -> bool:
    """Swap the names ``a`` and ``b`` (both must exist) in one atomic step.

    Returns False, having changed nothing, where the system or the file
    system cannot (then use two renames).
    """
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def replace_dir(new: Path, dest: Path) -> None:
    """Make ``dest`` name the tree at ``new``; the old tree is then at ``new``.

    ``dest`` is never absent or partial where the exchange is supported.
    """
    with signals_deferred():
        if not os.path.lexists(dest):
            os.rename(new, dest)
        elif not exchange(new, dest):
            old = new.with_name(_old_name(new, dest))
            os.rename(dest, old)  # the next build puts it back if we die here
            try:
                os.rename(new, dest)
            except BaseException:
                os.rename(old, dest)
                raise
            os.rename(old, new)


def tmp_prefix(dest: Path) -> str:
    """Prefix of the temporary folders of ``dest`` (``.site-tmp-`` for ``site``)."""
    return f".{dest.name}-tmp-"


def _old_name(new: Path, dest: Path) -> str:
    # mkdtemp's random part has no "-", so this never names a build folder.
    return tmp_prefix(dest) + OLD + new.name.rsplit("-", 1)[-1]


# --- temporary folders -------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_temp_dir(parent: Path, prefix: str) -> Path:
    """A fresh folder in ``parent``, with the permissions a plain mkdir would give."""
    parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(path, 0o777 & ~_umask())  # mkdtemp makes it 0700; site/ must stay readable
    return path


def remove_tree(path: Path, log=None) -> None:
    """Remove ``path`` (a folder or a file) if it exists; warn, not fail, if it cannot be."""

    def retry(func, p, exc):
        # A read-only folder inside: make its parent writable and try again.
        try:
            os.chmod(os.path.dirname(p), 0o700)
            func(p)
        except FileNotFoundError:
            pass

    try:
        if path.is_dir() and not path.is_symlink():
            if sys.version_info >= (3, 12):
                shutil.rmtree(path, onexc=retry)
            else:
                shutil.rmtree(path, onerror=retry)
        elif os.path.lexists(path):
            path.unlink()
    except OSError as e:
        print(f"warning: could not remove {path}: {e}; the next build removes it", file=log or sys.stderr)


def clean_stale(parent: Path, prefix: str, dest: Path | None = None, log=None) -> None:
    """Remove what killed builds left in ``parent`` (call with the lock held).

    If ``dest`` is missing because a build died between the two renames of
    the fallback, the previous tree set aside is put back first.
    """
    if not parent.is_dir():
        return
    if dest is not None and not os.path.lexists(dest):
        old = sorted(parent.glob(glob_escape(prefix + OLD) + "*"), key=lambda p: p.stat().st_mtime)
        if old:
            os.rename(old[-1], dest)
    for path in parent.glob(glob_escape(prefix) + "*"):
        remove_tree(path, log)


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


# --- MkDocs --------------------------------------------------------------------------


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """For Popen's preexec_fn: the child gets SIGKILL when we die, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    prctl.restype = ctypes.c_int

    def preexec() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before that
            os._exit(1)

    return preexec


def run_mkdocs(root: Path, site_dir: Path, *, offline: bool = False) -> None:
    """``mkdocs build --strict -d site_dir`` in ``root``; raises ``BuildFailed``.

    No --quiet: MkDocs 1.6 would then drop warnings before --strict counts them.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if offline:
        env["FUSION_ATLAS_OFFLINE"] = "true"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=root,
        env=env,
        # Not given the lock's descriptor: MkDocs' forked workers would inherit
        # it, and one orphaned by a kill would then block every later build.
        preexec_fn=_die_with_parent(os.getpid()),
    )
    try:
        returncode = proc.wait()
    except BaseException:
        _stop(proc)
        raise
    if returncode:
        raise BuildFailed(returncode)


def _stop(proc: subprocess.Popen) -> None:
    with signals_deferred():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# --- the two publications ------------------------------------------------------------


def publish_site(dest: Path, root: Path = Path("."), *, offline: bool = False,
                 wait: float | None = DEFAULT_WAIT, log=None) -> Path:
    """Build the site into ``dest``, replacing it atomically once complete."""
    root, dest = Path(root).absolute(), Path(dest).absolute()
    prefix = tmp_prefix(dest)
    with BuildLock(root / LOCK_FILE, wait, log):
        clean_stale(dest.parent, prefix, dest, log)
        for name in LEGACY:
            remove_tree(root / name, log)
        tmp = make_temp_dir(dest.parent, prefix)
        try:
            run_mkdocs(root, tmp, offline=offline)
            replace_dir(tmp, dest)  # tmp now holds the previous tree, if any
        finally:
            with signals_deferred():
                remove_tree(tmp, log)
    return dest


def publish_archive(out: Path, name: str, write: Callable[[Path, Path], Path], root: Path = Path("."), *,
                    site: Path | None = None, wait: float | None = DEFAULT_WAIT, log=None) -> Path:
    """Build the offline site and zip it into ``out/name``, replaced atomically.

    ``write(site_dir, zip_path)`` writes the zip. With ``site``, that
    existing build is zipped instead of a new one.
    """
    root, out = Path(root).absolute(), Path(out).absolute()
    with BuildLock(root / LOCK_FILE, wait, log):
        out.mkdir(parents=True, exist_ok=True)
        clean_stale(out, ARCHIVE_PREFIX, None, log)
        for path in [root / n for n in LEGACY] + list(out.glob("*.zip.part")):
            remove_tree(path, log)
        tmp = make_temp_dir(out, ARCHIVE_PREFIX)
        try:
            if site is None:
                site = tmp / "site"
                run_mkdocs(root, site, offline=True)
            zipped = write(Path(site), tmp / name)
            with signals_deferred():
                os.replace(zipped, out / name)
        finally:
            with signals_deferred():
                remove_tree(tmp, log)
    return out / name
