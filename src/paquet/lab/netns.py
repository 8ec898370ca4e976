"""Network namespaces, by system call: create, enter, remove, and find the processes inside.

Namespaces are named files under ``/run/netns`` (the ``ip netns`` convention, so ``ip netns
list`` and ``ip netns exec`` see them). A namespace is entered by one *thread* at a time
(``setns`` changes only the calling thread): :func:`in_netns` runs a function in a fresh thread
that enters the namespace, so the caller's own namespace never changes. Processes started from
that thread (``subprocess``) are born inside the namespace.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from paquet.errors import LabError, PrivilegeError
from paquet.net.netns import CLONE_NEWNET, setns
from paquet.net.netns import libc as _lib

__all__ = [
    "NETNS_DIR",
    "create_namespaces",
    "fork_call",
    "in_netns",
    "kill_pids",
    "list_namespaces",
    "namespace_path",
    "pids_in_namespaces",
    "remove_namespace",
    "remove_netns_files",
    "require_root",
    "setns",
    "write_netns_file",
]

NETNS_DIR = Path("/run/netns")
#: per-namespace files ``ip netns exec`` bind-mounts over ``/etc`` (``resolv.conf``)
NETNS_ETC = Path("/etc/netns")
#: the first line of every file the lab writes there (only such files are removed)
NETNS_MARK = "# paquet lab"
MS_BIND = 4096
MS_REC = 16384
MS_SHARED = 1 << 20
MNT_DETACH = 2

T = TypeVar("T")

def _oserror(what: str) -> OSError:
    code = ctypes.get_errno()
    return OSError(code, f"{what}: {os.strerror(code)}")


def namespace_path(name: str) -> Path:
    """Where namespace ``name`` is mounted (``/run/netns/NAME``)."""
    return NETNS_DIR / name


def require_root() -> None:
    """Raise :class:`PrivilegeError` unless the process may create namespaces."""
    if os.geteuid() != 0:
        raise PrivilegeError("the lab needs root (network namespaces, veths, nftables)")


def _prepare_dir() -> None:
    """Make ``/run/netns`` a shared mount point, as ``ip netns add`` does."""
    NETNS_DIR.mkdir(parents=True, exist_ok=True)
    libc = _lib()
    target = str(NETNS_DIR).encode()
    if libc.mount(b"none", target, b"none", MS_SHARED | MS_REC, None) == 0:
        return
    if libc.mount(target, target, b"none", MS_BIND | MS_REC, None) != 0:
        raise _oserror("mount --bind /run/netns")
    if libc.mount(b"none", target, b"none", MS_SHARED | MS_REC, None) != 0:
        raise _oserror("mount --make-shared /run/netns")


# How long a helper thread interrupted while starting may take to begin before it is taken as
# never started (it begins within microseconds when it exists).
_BEGIN_WAIT = 5.0


def _wait_event(event: threading.Event, timeout: float) -> bool:
    """``event.wait(timeout)``, going on waiting through further interruptions."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return event.wait(max(0.0, deadline - time.monotonic()))
        except BaseException:
            if time.monotonic() >= deadline:
                return event.is_set()


def _run_thread(func: Callable[[], T]) -> T:
    """Run ``func`` in a new thread (which dies afterwards) and return or raise its outcome.

    An interruption (Ctrl-C, a signal handler raising) waits for the thread to finish first,
    so whoever cleans up afterwards sees everything the thread created.
    """
    box: list[Any] = []
    began = threading.Event()
    done = threading.Event()

    def target() -> None:
        began.set()
        try:
            box.append((True, func()))
        except BaseException as exc:
            box.append((False, exc))
        finally:
            done.set()

    thread = threading.Thread(target=target, name="paquet-netns", daemon=True)
    interrupted: BaseException | None = None
    try:
        thread.start()
    except BaseException as exc:
        # Interrupted inside start(): the thread may exist already (it then begins at once)
        # and goes on creating what cleanup must see. Wait for it if it began.
        interrupted = exc
        if not _wait_event(began, _BEGIN_WAIT):
            raise
    while not done.is_set():
        try:
            done.wait()
        except BaseException as exc:
            interrupted = interrupted or exc
    if interrupted is not None:
        raise interrupted
    ok, value = box[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def create_namespaces(
    names: Iterable[str], setup: Callable[[str], None] | None = None
) -> None:
    """Create named namespaces; ``setup(name)`` runs inside each one just after its creation.

    Raises :class:`LabError` when a name is already taken.
    """
    require_root()
    names = list(names)
    _prepare_dir()
    libc = _lib()

    def work() -> None:
        for name in names:
            path = namespace_path(name)
            try:
                os.close(os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL, 0))
            except FileExistsError:
                raise LabError(f"namespace {name} already exists (is the lab up?)") from None
            if libc.unshare(CLONE_NEWNET) != 0:
                raise _oserror("unshare(CLONE_NEWNET)")
            if libc.mount(b"/proc/thread-self/ns/net", str(path).encode(), b"none",
                          MS_BIND, None) != 0:
                err = _oserror(f"mount namespace {name}")
                path.unlink(missing_ok=True)
                raise err
            if setup is not None:
                setup(name)

    _run_thread(work)


def in_netns(name: str, func: Callable[[], T]) -> T:
    """Run ``func()`` inside namespace ``name`` (in a helper thread) and return its result."""
    path = namespace_path(name)

    def work() -> T:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            raise LabError(f"namespace {name} does not exist") from None
        try:
            setns(fd)
        finally:
            os.close(fd)
        return func()

    return _run_thread(work)


def remove_namespace(name: str) -> None:
    """Unmount and delete namespace ``name`` (the kernel frees it when nothing uses it)."""
    path = namespace_path(name)
    _lib().umount2(str(path).encode(), MNT_DETACH)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        os.rmdir(path)


def write_netns_file(name: str, filename: str, text: str) -> Path:
    """Write ``/etc/netns/NAME/FILENAME`` (``text`` starts with :data:`NETNS_MARK`), which
    ``ip netns exec NAME`` shows as ``/etc/FILENAME``; ``FILENAME`` may be ``DIR/FILE`` (one
    directory, shown as ``/etc/DIR`` in place of the host's)."""
    parts = filename.split("/")
    if not text.startswith(NETNS_MARK) or "/" in name or len(parts) > 2 or \
            any(p in ("", ".", "..") for p in [name, *parts]):
        raise LabError(f"/etc/netns/{name}/{filename}: not a file the lab writes")
    path = NETNS_ETC / name / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _remove_marked(folder: Path, depth: int) -> None:
    """Remove the marked files in ``folder`` (and its sub-directories, ``depth`` levels), then
    ``folder`` when it is empty."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.is_symlink():
                continue
            if path.is_dir() and depth > 0:
                _remove_marked(path, depth - 1)
                continue
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if path.is_file() and path.read_text("utf-8").startswith(NETNS_MARK):
                    path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def remove_netns_files(prefix: str) -> None:
    """Remove the lab's files under ``/etc/netns/PREFIX*/`` (those starting with the mark),
    then their directories when empty; never anything else."""
    try:
        folders = [p for p in NETNS_ETC.iterdir() if p.name.startswith(prefix) and p.is_dir()
                   and not p.is_symlink()]
    except OSError:
        return
    for folder in folders:
        _remove_marked(folder, 1)


def list_namespaces(prefix: str = "") -> list[str]:
    """Names of the namespaces under ``/run/netns`` that start with ``prefix``."""
    try:
        return sorted(n for n in os.listdir(NETNS_DIR) if n.startswith(prefix))
    except FileNotFoundError:
        return []


def pids_in_namespaces(names: Iterable[str]) -> list[int]:
    """Processes (other than this one) whose network namespace is one of ``names``."""
    wanted = set()
    for name in names:
        try:
            st = os.stat(namespace_path(name))
        except OSError:
            continue
        wanted.add((st.st_dev, st.st_ino))
    if not wanted:
        return []
    me = os.getpid()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            st = os.stat(f"/proc/{entry}/ns/net")
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in wanted:
            pids.append(int(entry))
    return pids


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def kill_pids(pids: Iterable[int], timeout: float = 1.0) -> None:
    """SIGKILL ``pids`` and wait (up to ``timeout``) until they are gone; reap our children."""
    pids = [p for p in set(pids) if p > 1 and p != os.getpid()]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    pending = pids
    while pending:
        for pid in pending:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        pending = [p for p in pending if _alive(p)]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(0.005)


def fork_call(name: str, func: Callable[..., T], args: tuple[Any, ...],
              kwargs: dict[str, Any], timeout: float | None = None) -> T:
    """Run ``func(*args, **kwargs)`` in a forked child inside namespace ``name``.

    The result (or the exception) is pickled back to the caller, which returns it (or raises it).
    After ``timeout`` seconds (or if the caller is interrupted) the child is killed; a timeout
    raises :class:`LabError`.
    """
    path = namespace_path(name)
    if not path.exists():
        raise LabError(f"namespace {name} does not exist (is the lab down?)")
    try:
        pickle.dumps(func)
    except Exception as exc:
        raise LabError(f"cannot run {func!r} in a node: it must be picklable ({exc})") from None
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            # The parent's handlers (a test run's SIGTERM cleanup) are not the child's business.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            os.close(rfd)
            fd = os.open(path, os.O_RDONLY)
            setns(fd)
            os.close(fd)
            try:
                outcome: tuple[bool, Any] = (True, func(*args, **kwargs))
            except BaseException as exc:
                # The child's traceback travels with the exception, as a note.
                exc.add_note(f"raised in namespace {name}:\n" + "".join(
                    traceback.format_exception(exc)).rstrip())
                outcome = (False, exc)
            try:
                data = pickle.dumps(outcome)
            except Exception as exc:
                what = "result" if outcome[0] else "exception"
                data = pickle.dumps((False, LabError(
                    f"the {what} of {getattr(func, '__name__', func)!r} cannot be pickled "
                    f"back: {exc} ({outcome[1]!r})")))
            view = memoryview(data)
            while view:
                n = os.write(wfd, view)
                view = view[n:]
        except BaseException:
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    os.close(wfd)
    chunks = []
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([rfd], [], [], left)
            if not ready:
                timed_out = True
                break
            chunk = os.read(rfd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        # Interrupted (Ctrl-C, a test timeout): the child must not outlive the call.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(rfd)
        status = _reap(pid)
    if timed_out:
        raise LabError(f"{getattr(func, '__name__', func)!r} in {name} did not return within "
                       f"{timeout:g} s (stopped)")
    if not chunks:
        raise LabError(f"the child running {getattr(func, '__name__', func)!r} in {name} died "
                       f"({_describe_status(status)})")
    try:
        ok, value = pickle.loads(b"".join(chunks))
    except Exception as exc:
        raise LabError(f"cannot read back the outcome of {func!r}: {exc}") from None
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _reap(pid: int) -> int:
    """Wait for child ``pid`` and return its status."""
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
