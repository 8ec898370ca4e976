"""TFTP_read and TFTP_write against Debian's tftpd-hpa in a lab: the server node serves a
directory with ``in.tftpd``; the client node reads files with paquet's automaton and with
Debian's ``tftp`` client (tftp-hpa), and both get the files' bytes; a missing file gives the
server's error; files written by TFTP_write are on the server's disk and read back by
Debian's client.
Documentation addresses only; the lab's namespaces are removed whatever happens, the server is
stopped by its own process id."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pair_lab import SERVER4, lab_of, pair_topology

pytestmark = pytest.mark.privileged

SERVER = SERVER4
# (sizes: several blocks and a short last one; a multiple of 512, ended by an empty block)
FILES = {"boot.img": os.urandom(512 * 3 + 100), "exact.bin": os.urandom(1024),
         "tiny.txt": b"hello\n", "empty": b""}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tftproot")
    root.chmod(0o777)  # (tftpd writes new files as nobody)
    for name, data in FILES.items():
        (root / name).write_bytes(data)
        (root / name).chmod(0o644)
    return root


@pytest.fixture(scope="module")
def lab(served: Path) -> Iterator[Any]:
    if shutil.which("in.tftpd") is None:
        pytest.skip("needs in.tftpd (tftpd-hpa)")
    with lab_of(pair_topology("tftplab")) as lab:
        server = lab["server"].popen(
            ["in.tftpd", "--foreground", "--address", f"{SERVER}:69", "--user", "root",
             "--secure", "--create", str(served)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            # ready when its socket is bound (ss shows it): asked without sleeping
            lab["server"].exec(["sh", "-c", "until ss -lun | grep -q ':69 '; do :; done"],
                               timeout=20, check=True)
            yield lab
        finally:
            server.terminate()
            server.wait(timeout=10)


def _read(iface: str, name: str) -> Any:
    from paquet.net.tftp_atmt import TFTP_read

    return TFTP_read(name, SERVER, iface=iface).run()


@pytest.mark.parametrize("name", sorted(FILES))
def test_tftp_read_gets_the_file(lab: Any, name: str) -> None:
    client = lab["client"]
    got = client.run_for(60, _read, client.iface("server"), name)
    assert got == FILES[name]


@pytest.mark.parametrize("name", ["boot.img", "tiny.txt"])
def test_same_bytes_as_debian_tftp(lab: Any, name: str, tmp_path: Path) -> None:
    if shutil.which("tftp") is None:
        pytest.skip("needs tftp (tftp-hpa)")
    client = lab["client"]
    out = tmp_path / name
    done = client.exec(["tftp", "-m", "binary", SERVER, "-c", "get", name, str(out)],
                       timeout=60)
    assert done.returncode == 0, done.stderr
    got = client.run_for(60, _read, client.iface("server"), name)
    assert got == out.read_bytes() == FILES[name]


def _read_error(iface: str, name: str) -> str:
    """The automaton's error state's output (as Scapy's, it ends in ErrorState)."""
    from paquet.net.tftp_atmt import TFTP_read

    try:
        TFTP_read(name, SERVER, iface=iface).run()
    except TFTP_read.ErrorState as exc:
        return str(exc.result)
    raise AssertionError("no error")


def test_missing_file_gives_the_error(lab: Any) -> None:
    client = lab["client"]
    got = client.run_for(60, _read_error, client.iface("server"), "no-such-file")
    assert got == "ERROR File not found: b'File not found'"


def _write(iface: str, name: str, data: bytes) -> None:
    """TFTP_write from a port this child holds, then the server's last acknowledgement
    awaited on it (the automaton ends once its last block is sent, as Scapy's)."""
    import socket

    from paquet.layers.tftp import TFTP, TFTP_ACK
    from paquet.net.tftp_atmt import TFTP_write

    last = len(data) // 512 + 1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        s.settimeout(20)
        TFTP_write(name, data, SERVER, sport=s.getsockname()[1], iface=iface).run()
        while True:
            msg = TFTP(s.recv(2048))
            if TFTP_ACK in msg and msg[TFTP_ACK].block == last:
                return


@pytest.mark.parametrize("size", [0, 100, 512, 512 * 4 + 7])
def test_tftp_write_puts_the_file(lab: Any, served: Path, size: int, tmp_path: Path) -> None:
    client = lab["client"]
    data = os.urandom(size)
    name = f"upload-{size}.bin"
    client.run_for(60, _write, client.iface("server"), name, data)
    if shutil.which("tftp") is None:
        pytest.skip("needs tftp (tftp-hpa)")
    out = tmp_path / name
    done = client.exec(["tftp", "-m", "binary", SERVER, "-c", "get", name, str(out)],
                       timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == data == (served / name).read_bytes()
