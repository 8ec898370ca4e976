"""Sending from the command line: the options and the runner that ``paquet craft`` uses.

Not a command by itself. ``paquet craft EXPR --sr1`` calls :func:`run` with the packet it built
and the options :func:`send_options` declared::

    @click.command()
    @send_options
    def command(expr, **opts):
        pkt = build(expr)
        return run(pkt, **opts)

``--send`` sends and prints ``Sent N packets.``; ``--sr1`` prints the first answer of each
probe; ``--sr`` prints every ``query ==> answer`` pair and the probes left unanswered. Exit
status: 0 when something answered (or was sent), 1 when nothing answered, 2 on errors (no
route, unknown host, missing privilege, bad interface), printed as one line by ``main``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from paquet.cli.params import COUNT, MAX_COUNT, SECONDS, TEXT, Int
from paquet.cli.status import ExitStatus

__all__ = ["run", "send_options"]

F = TypeVar("F", bound=Callable[..., Any])

_LINK_LAYERS = ("Ether", "Dot3", "CookedLinux", "Dot1Q")


def send_options(func: F) -> F:
    """Add ``--send | --sr1 | --sr``, ``--count``, ``--timeout``, ``--iface``, ``--retry``,
    ``--inter`` to a click command (they arrive as ``mode``, ``count``, ``timeout``, ...)."""
    options = [
        click.option(
            "--send", "mode", flag_value="send", help="Send the packet (no answer awaited)."
        ),
        click.option(
            "--sr1", "mode", flag_value="sr1", help="Send and print the first answer."
        ),
        click.option(
            "--sr", "mode", flag_value="sr", help="Send and print every answer and what is left."
        ),
        click.option(
            "--count",
            "-c",
            type=COUNT,
            default=1,
            show_default=True,
            help="How many times to send (each round is awaited before the next).",
        ),
        click.option(
            "--timeout",
            "-t",
            type=SECONDS,
            default=2.0,
            show_default=True,
            help="Seconds to wait for answers after the last probe.",
        ),
        click.option(
            "--iface", "-i", type=TEXT, default=None,
            help="Interface to send (and listen) on."),
        click.option(
            "--retry",
            type=Int(-MAX_COUNT, MAX_COUNT),
            default=0,
            show_default=True,
            help="Resend unanswered probes N times (negative: until N rounds bring nothing).",
        ),
        click.option(
            "--inter",
            type=SECONDS,
            default=0.0,
            show_default=True,
            help="Seconds between probes.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _is_link_layer(pkt: Any) -> bool:
    return type(pkt).__name__ in _LINK_LAYERS


def _summary(pkt: Any) -> str:
    method = getattr(pkt, "summary", None)
    return str(method()) if callable(method) else repr(pkt)


def _as_dict(pkt: Any) -> Any:
    method = getattr(pkt, "to_dict", None)
    return method() if callable(method) else None


def _shown(pkt: Any) -> str:
    method = getattr(pkt, "show", None)
    shown = method(dump=True) if callable(method) else None
    return shown if isinstance(shown, str) else f"{pkt!r}\n"


def _rtt_ms(query: Any, answer: Any) -> float | None:
    sent = getattr(query, "sent_time", None)
    got = getattr(answer, "time", None)
    if isinstance(sent, int | float) and isinstance(got, int | float):
        return round((got - sent) * 1000.0, 3)
    return None


def run(
    pkt: Any,
    *,
    mode: str | None = None,
    count: int = 1,
    timeout: float = 2.0,
    iface: str | None = None,
    retry: int = 0,
    inter: float = 0.0,
    json_output: bool = False,
    **_other: Any,
) -> int:
    """Send ``pkt`` as ``mode`` says ("send", "sr1", "sr"; None: do nothing) and print the outcome.

    Returns the exit status: 0 answered or sent, 1 nothing answered.
    """
    if mode is None:
        return ExitStatus.OK
    from paquet.net import sendrecv

    layer2 = _is_link_layer(pkt)
    if mode == "send":
        sender = sendrecv.sendp if layer2 else sendrecv.send
        sender(pkt, iface=iface, count=count, inter=inter, verbose=0)
        total = count * sum(1 for _ in pkt)
        if json_output:
            from paquet.cli.render import print_json

            print_json({"sent": total})
        else:
            click.echo(f"Sent {total} packets.")
        return ExitStatus.OK
    exchange = sendrecv.srp if layer2 else sendrecv.sr
    rows: list[dict[str, Any]] = []
    answered = 0
    for _round in range(count):
        ans, unans = exchange(
            pkt,
            iface=iface,
            timeout=timeout,
            retry=retry,
            inter=inter,
            verbose=0,
            first=(mode == "sr1"),
        )
        answered += len(ans)
        for query, answer in ans:
            rtt = _rtt_ms(query, answer)
            rows.append(
                {
                    "query": _summary(query),
                    "answer": _summary(answer),
                    "rtt_ms": rtt,
                    "query_packet": _as_dict(query),
                    "answer_packet": _as_dict(answer),
                }
            )
            if not json_output:
                timing = f"  ({rtt:.3f} ms)" if rtt is not None else ""
                if mode == "sr1":
                    # As the course reads it: ``resp = sr1(req); resp.show()``.
                    click.echo(f"Received: {_summary(answer)}{timing}")
                    click.echo(_shown(answer), nl=False)
                else:
                    click.echo(f"{_summary(query)} ==> {_summary(answer)}{timing}")
        shown_unans = [] if mode == "sr1" and ans else list(unans)
        for query in shown_unans:
            rows.append({"query": _summary(query), "answer": None, "rtt_ms": None})
            if not json_output:
                click.echo(f"{_summary(query)} ==> no answer")
    if json_output:
        from paquet.cli.render import print_json

        print_json(rows)
    return ExitStatus.OK if answered else ExitStatus.NEGATIVE
