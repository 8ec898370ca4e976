"""Every command refuses a bad value with one line and exit status 2, before doing anything.

The commands and their options come from the click command tree itself (``paquet.cli.main``'s
``COMMANDS``, groups walked down to their leaves), so a new command or option is swept without
editing this file. Each option or argument that takes a value is given NaN, infinities, -1,
1e20, 99999999999999999999, empty text and bytes that are not UTF-8 (the last through a real
``argv`` of bytes, in a subprocess), and must end with exit status 2, exactly one line on
stderr naming the option, no traceback. The commands' own functions are replaced by one that
fails the test: a refused value must be refused while parsing, so nothing can be sent, captured
or built; and if a value were wrongly accepted, the test fails there instead of doing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from paquet.cli import params
from paquet.cli.main import COMMANDS, cli, main

NUMBERS = ["nan", "NaN", "inf", "-inf", "-1", "1e20", "99999999999999999999", "1" * 5000, ""]
NOT_UTF8 = b"\xff\xfe\x80"
ROOT = Path(__file__).resolve().parents[2]


class CallbackReached(AssertionError):
    """The command ran: the bad value was accepted while parsing."""


def _leaves() -> Iterator[tuple[list[str], click.Command]]:
    """Every runnable command as (its words after ``paquet``, the click command)."""
    ctx = click.Context(cli)

    def walk(words: list[str], group: click.Group) -> Iterator[tuple[list[str], click.Command]]:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            if isinstance(command, click.Group):
                yield from walk([*words, name], command)
            else:
                yield [*words, name], command

    assert sorted(COMMANDS) == cli.list_commands(ctx)
    yield from walk([], cli)


LEAVES = list(_leaves())


def _lowest(kind: click.ParamType[Any, Any]) -> float | None:
    """The smallest value ``kind`` accepts, when it says (our types and click's ranges)."""
    for attr in ("low", "min"):
        value = getattr(kind, attr, None)
        if isinstance(value, int | float):
            return value
    return None


def _cases(param: click.Parameter) -> tuple[list[str], bool]:
    """The bad values for ``param`` (as text) and whether non-UTF-8 bytes are bad for it.

    Text gets empty text only among the words (``nan`` is a fine host name or lab name); an
    output file name may be any bytes the file system takes, so only an input file's or a
    non-path value's non-UTF-8 bytes must be refused.
    """
    kind = param.type
    if isinstance(kind, click.Path):
        return [""], bool(kind.exists)
    if isinstance(kind, params.Text | click.types.StringParamType):
        return [""], True
    low = _lowest(kind)
    values = [v for v in NUMBERS if not (v == "-1" and low is not None and low <= -1)]
    return values, True


def _swept(command: click.Command) -> list[click.Parameter]:
    """The parameters that take a value from the command line."""
    found = []
    for param in command.params:
        if isinstance(param, click.Option) and (param.is_flag or param.count):
            continue
        if param.type is click.UNPROCESSED:
            continue
        found.append(param)
    return found


def _placeholder(param: click.Parameter, tmp: Path) -> str:
    """A value that parses for ``param`` (the other required arguments)."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.Path):
        path = tmp / "placeholder"
        path.touch()
        return str(path)
    low = _lowest(kind)
    if low is not None:
        return str(int(max(low, 1)))
    if kind is click.UNPROCESSED:
        return "true"
    return "127.0.0.1"


def _argv(words: list[str], command: click.Command, target: click.Parameter, value: str,
          tmp: Path) -> list[str]:
    """``paquet WORDS [TARGET VALUE] -- ARGUMENTS`` with placeholders for the other arguments."""
    options: list[str] = []
    positionals: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            if param is target:
                positionals.append(value)
            elif param.required:
                positionals.append(_placeholder(param, tmp))
        elif param is target:
            assert isinstance(param, click.Option)
            options += [max(param.opts, key=len), value]
    return [*words, *options, "--", *positionals]


def _names(param: click.Parameter) -> list[str]:
    if isinstance(param, click.Argument):
        return [param.human_readable_name]
    return list(param.opts)


def _all_cases(tmp: Path) -> Iterator[tuple[str, list[str], list[str], bool]]:
    """(id, argv, names the message must quote, non-UTF-8 is bad) for every swept value."""
    for words, command in LEAVES:
        for param in _swept(command):
            values, bad_bytes = _cases(param)
            for value in values:
                argv = _argv(words, command, param, value, tmp)
                yield f"{' '.join(words)} {param.name}={value[:20]!r}", argv, _names(param), False
            if bad_bytes:
                argv = _argv(words, command, param, "\0", tmp)
                yield f"{' '.join(words)} {param.name}=<not UTF-8>", argv, _names(param), True


@pytest.fixture
def no_callbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace every command's function with one that fails the test."""

    def reached(*_args: Any, **_kwargs: Any) -> None:
        raise CallbackReached("the command ran: its bad value was accepted")

    for _words, command in LEAVES:
        monkeypatch.setattr(command, "callback", reached)


def _check(case: str, code: int, err: str, names: list[str], seconds: float) -> None:
    lines = err.splitlines()
    assert code == 2, f"{case}: exit {code}, stderr {err!r}"
    assert len(lines) == 1, f"{case}: {len(lines)} lines on stderr: {err!r}"
    assert lines[0].startswith("paquet: error: "), f"{case}: {lines[0]!r}"
    assert "Traceback" not in err
    assert any(name in lines[0] for name in names), f"{case}: {names} not in {lines[0]!r}"
    assert len(lines[0]) < 400, f"{case}: a line of {len(lines[0])} characters"
    assert seconds < 5.0, f"{case}: {seconds:.2f} s to refuse a value"  # parsing takes ms


def test_the_sweep_covers_every_command_and_numeric_option() -> None:
    words = {" ".join(w) for w, _ in LEAVES}
    assert {"ping", "trace", "scan", "discover", "tcp", "sniff", "subnet", "decode", "craft",
            "lab up", "lab show"} <= words
    scan = dict((" ".join(w), c) for w, c in LEAVES)["scan"]
    assert {"max_rate", "min_rate", "timeout", "state_file"} <= {p.name for p in _swept(scan)}


def test_every_bad_value_is_one_line_and_exit_2(
    no_callbacks: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checked, failures = 0, []
    for case, argv, names, non_utf8 in _all_cases(tmp_path):
        if non_utf8:
            continue
        capsys.readouterr()
        start = time.monotonic()
        try:
            code = main(argv)
            seconds = time.monotonic() - start
            _check(case, code, capsys.readouterr().err, names, seconds)
        except AssertionError as exc:  # CallbackReached too: gather them all, then fail
            failures.append(f"{case}: {exc}".splitlines()[0])
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked > 300


_DRIVER = """
import contextlib, io, json, sys, time
from paquet.cli.main import cli, main
import tests.cli.test_bad_arguments as sweep

def reached(*args, **kwargs):
    raise sweep.CallbackReached("the command ran: its bad value was accepted")

for _words, command in sweep.LEAVES:
    command.callback = reached
cases, current = [], []
for word in sys.argv[1:]:
    if word == "--next-case--":
        cases.append(current)
        current = []
    else:
        current.append(word)
for argv in cases:
    err = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except sweep.CallbackReached as exc:
            code = -1
            err.write(str(exc))
    print(json.dumps({"code": code, "err": err.getvalue(), "seconds": time.monotonic() - start}))
"""


def test_bytes_that_are_not_utf8_are_refused(tmp_path: Path) -> None:
    """The operating system hands Python the argv bytes (decoded with surrogateescape): every
    option that takes text, a number or an input file refuses them in one line."""
    cases = [c for c in _all_cases(tmp_path) if c[3]]
    argv: list[bytes] = []
    for _case, words, _names, _ in cases:
        argv += [NOT_UTF8 if w == "\0" else os.fsencode(w) for w in words]
        argv.append(b"--next-case--")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
           "LC_ALL": "C.UTF-8"}
    out = subprocess.run([sys.executable, "-c", _DRIVER, *argv], capture_output=True,
                         env=env, cwd=ROOT, timeout=120, check=False)
    assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]
    results = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(results) == len(cases) > 50
    failures = []
    for (case, _words, names, _), result in zip(cases, results, strict=True):
        try:
            _check(case, result["code"], result["err"], names, result["seconds"])
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)


# The issue's own examples, each run for real (its command's function too), with the network
# replaced by a function that fails the test: each must be refused before anything is sent.


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket or name lookup fails the test."""
    import socket

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the network was touched before the arguments were checked")

    for name in ("socket", "getaddrinfo", "gethostbyname", "create_connection"):
        monkeypatch.setattr(socket, name, refuse)


ISSUE = [
    (["sniff", "--timeout", "nan"], "'--timeout'"),
    (["sniff", "--timeout", "inf"], "'--timeout'"),
    (["sniff", "--timeout", "1e20"], "'--timeout'"),
    (["trace", "-w", "nan", "192.0.2.1"], "'-w' / '--wait'"),
    (["trace", "-w", "inf", "192.0.2.1"], "'-w' / '--wait'"),
    (["trace", "-w", "1e20", "192.0.2.1"], "'-w' / '--wait'"),
    (["trace", "-w", "5,nan,10", "192.0.2.1"], "'-w' / '--wait'"),
    (["tcp", "-t", "inf", "192.0.2.1", "80"], "'--timeout' / '-t'"),
    (["tcp", "", "80"], "'HOST': empty text"),
    (["scan", "--max-rate", "nan", "192.0.2.1"], "'--max-rate'"),
    (["scan", "--min-rate", "nan", "192.0.2.1"], "'--min-rate'"),
    (["scan", "--timeout", "-1", "192.0.2.1"], "'--timeout'"),
    (["scan", "-sS", "-sT", "192.0.2.1"], "more than one type of scan"),
    (["scan", "-sT", "-sU", "192.0.2.1"], "more than one type of scan"),
    (["scan", "--min-rate", "100", "--max-rate", "10", "-sT", "192.0.2.1"],
     "--min-rate=100 must be less than or equal to --max-rate=10"),
    (["ping", "-w", "nan", "192.0.2.1"], "'-w'"),
    (["ping", "-i", "nan", "192.0.2.1"], "'-i'"),
    (["ping", "-W", "inf", "192.0.2.1"], "'-W'"),
    (["discover", "--max-rate", "nan", "192.0.2.1"], "'--max-rate'"),
    (["decode", "00", "--link", "99999999999999999999"], "'--link'"),
    (["decode", "00", "--link", "65536"], "'--link'"),
    (["subnet", "0.0.0.0/0", "--split", "16777216"], "16777216 subnets are more than 65536"),
    (["subnet", "::/0", "--split", "4294967296"], "4294967296 subnets are more than 65536"),
    (["subnet", "::/0", "--split", "4294967297", "--ndjson"], "'--split'"),
    (["subnet", "192.0.2.0/24", "--split", "65537", "--ndjson"], "/41 is longer than /32"),
    (["craft", "IP()", "--timeout", "nan", "--sr1"], "'--timeout' / '-t'"),
    (["ping", "-4", "-6", "127.0.0.1"], "only one -4 or -6 option may be specified"),
    (["trace", "-6", "-4", "127.0.0.1"], "only one -4 or -6 option may be specified"),
    (["scan", "-sT", "-4", "-6", "127.0.0.1"], "only one -4 or -6 option may be specified"),
    (["discover", "-4", "-6", "127.0.0.1"], "only one -4 or -6 option may be specified"),
    (["trace", "-I", "-T", "127.0.0.1"], "only one of -I, -T and -U"),
]


@pytest.mark.parametrize(("argv", "message"), ISSUE, ids=[" ".join(a) for a, _ in ISSUE])
def test_the_issue_s_examples(no_network: None, capsys: pytest.CaptureFixture[str],
                              tmp_path: Path, argv: list[str], message: str) -> None:
    start = time.monotonic()
    code = main(argv)
    err = capsys.readouterr().err
    _check(" ".join(argv), code, err, [message], time.monotonic() - start)


def test_a_state_file_that_is_a_directory(no_network: None, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "-sT", "--state", str(tmp_path), "192.0.2.1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'--state'" in err and "is a directory" in err


def test_ping_w_nan_ends_at_once_as_a_process() -> None:
    """``ping -w nan`` never stopped: now the real program refuses it (and sends nothing)."""
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "paquet", "ping", "-w", "nan", "127.0.0.1"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "paquet: error: Invalid value for '-w': 'nan' is not a finite number " \
                         "of seconds\n"
    assert time.monotonic() - start < 30


@pytest.mark.parametrize(("network", "count", "prefix"), [
    ("::/0", 2**32, 32), ("0.0.0.0/0", 2**24, 24), ("2001:db8::/32", 3, 34),
])
def test_split_streams_what_the_table_refuses(network: str, count: int, prefix: int) -> None:
    """``--ndjson`` starts at once and gives the subnets the stdlib gives, in order."""
    import ipaddress
    from itertools import islice

    parent: ipaddress.IPv4Network | ipaddress.IPv6Network = ipaddress.ip_network(network)
    expected: list[Any] = list(islice(parent.subnets(new_prefix=prefix), 500))
    proc = subprocess.Popen([sys.executable, "-m", "paquet", "subnet", network, "--split",
                             str(count), "--ndjson"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        rows = [json.loads(line) for line in islice(proc.stdout, 500)]
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert [r["network"] for r in rows] == [str(n) for n in expected][:count]
    assert [r["first_host"] for r in rows] == [str(next(n.hosts())) for n in expected][:count]


def test_split_json_of_an_ipv6_zero_network_stays_ipv6(capsys: pytest.CaptureFixture[str]) -> None:
    import ipaddress

    assert main(["subnet", "::/0", "--split", "4", "--json"]) == 0
    got = [s["network"] for s in json.loads(capsys.readouterr().out)["subnets"]]
    assert got == [str(n) for n in ipaddress.ip_network("::/0").subnets(new_prefix=2)]


def test_decode_link_numbers_up_to_65535(capsys: pytest.CaptureFixture[str]) -> None:
    ip = "4500001c000100004001f6dcc0000201c00002020800f7ff00000000"  # IPv4 / ICMP echo
    assert main(["decode", ip, "--link", "ipv4", "--json"]) == 0
    by_name = json.loads(capsys.readouterr().out)
    assert main(["decode", ip, "--link", "228", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == by_name
    assert main(["decode", ip, "--link", "65535"]) in (0, 1)
    capsys.readouterr()
    assert main(["decode", ip, "--link", "٢٢٨"]) == 2  # Arabic-Indic digits are not a number
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("command", ["decode", "checksum"])
@pytest.mark.parametrize("data", [b"45 00 \xff\xfe", b"\x00" * 10, "45 00 é".encode()])
def test_hex_on_stdin_that_is_not_ascii(command: str, data: bytes) -> None:
    """Bytes on standard input that are not text were a UnicodeDecodeError traceback."""
    out = subprocess.run([sys.executable, "-m", "paquet", command, "-"], input=data,
                         capture_output=True, timeout=60, check=False)
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1, err
    assert err.startswith("paquet: error: ") and "hex" in err
