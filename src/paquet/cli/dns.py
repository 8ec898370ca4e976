"""``paquet dns NAME [@SERVER] [TYPE] [+OPTIONS]``: dig for the course, with dig's arguments
and output."""

from __future__ import annotations

import shlex
import sys

import click

from paquet.cli.main import ARGV, Exit
from paquet.cli.params import SECONDS, TEXT, Int, shown
from paquet.cli.status import ExitStatus

_CLASSES = {"IN": 1, "CH": 3, "CHAOS": 3, "HS": 4, "ANY": 255}
_DISPLAY = ("cmd", "comments", "question", "answer", "authority", "additional", "stats")


def _qtype(text: str) -> int | None:
    """A type mnemonic (``MX``) or ``TYPE15`` as a number; None when ``text`` is neither."""
    from paquet.layers import dnsqtypes

    up = text.upper()
    for number, name in dnsqtypes.items():
        if str(name).upper() == up:
            return int(number)
    if up == "ANY":
        return 255
    if up.startswith("TYPE") and up[4:].isdigit() and int(up[4:]) < 65536:
        return int(up[4:])
    return None


def _qclass(text: str) -> int | None:
    up = text.upper()
    if up in _CLASSES:
        return _CLASSES[up]
    if up.startswith("CLASS") and up[5:].isdigit() and int(up[5:]) < 65536:
        return int(up[5:])
    return None


def _server_first(argv: list[str]) -> bool:
    """Whether @SERVER came before the name (or ``-x``): dig then says "(1 server found)"."""
    takes_value = {"-x", "-t", "-c", "-q", "-p", "-b"}
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("@"):
            return True
        elif word in ("-x", "-q"):
            return False
        elif word in takes_value:
            skip = True
        elif not word.startswith(("-", "+")) and _qtype(word) is None:
            return False
    return False


class _Plus:
    """dig's ``+keyword[=value]`` options, in the order given."""

    def __init__(self) -> None:
        self.tcp = False
        self.short = False
        self.recurse = True
        self.dnssec = False
        self.edns = True
        self.ignore_tc = False
        self.cookie = True
        self.bufsize = 1232
        self.time = 5.0
        self.tries = 3
        self.show = set(_DISPLAY)

    def apply(self, word: str) -> None:
        try:
            self._apply(word)
        except click.BadParameter as exc:
            raise click.UsageError(f"{shown(word)}: {exc.message}") from None

    def _apply(self, word: str) -> None:
        key, _, value = word[1:].partition("=")
        neg = key.startswith("no")
        base = key[2:] if neg else key
        if base in ("tcp", "vc"):
            self.tcp = not neg
        elif base == "short":
            self.short = not neg
        elif base in ("recurse", "rec"):
            self.recurse = not neg
        elif base == "dnssec":
            self.dnssec = not neg
        elif base == "edns":
            self.edns = not neg
        elif base == "cookie":
            self.cookie = not neg
        elif base == "ignore":
            self.ignore_tc = not neg
        elif base == "all":
            self.show = set() if neg else set(_DISPLAY)
        elif base in _DISPLAY:
            (self.show.discard if neg else self.show.add)(base)
        elif base == "bufsize" and not neg:
            self.bufsize = Int(0, 65535).convert(value, None, None)
        elif base == "time" and not neg:
            self.time = max(SECONDS.convert(value, None, None), 0.001)
        elif base in ("tries", "retry") and not neg:
            n = Int(0, 100).convert(value, None, None)
            self.tries = max(1, n + (base == "retry"))
        else:
            raise click.UsageError(f"unknown option {shown(word)} (dig's +tcp, +short, "
                                   "+[no]recurse, +dnssec, +[no]edns, +bufsize=N, +time=T, "
                                   "+tries=N, +retry=N, +ignore, +[no]cookie, +[no]all, "
                                   "+[no]SECTION)")


@click.command(context_settings={"help_option_names": ["-h", "--help"],
                                 "ignore_unknown_options": True})
@click.argument("words", nargs=-1, type=TEXT, metavar="NAME [@SERVER] [TYPE] [+OPTION]...")
@click.option("-x", "reverse", type=TEXT, help="Reverse lookup: the PTR name of ADDRESS.")
@click.option("-t", "qtype_opt", type=TEXT, help="Query type (A, AAAA, MX, TXT, ...).")
@click.option("-c", "qclass_opt", type=TEXT, help="Query class (IN, CH, HS).")
@click.option("-q", "name_opt", type=TEXT, help="The name to ask (when it looks like a type).")
@click.option("-p", "port", type=Int(0, 65535), default=53, show_default=True,
              help="Server port.")
@click.option("-b", "source", type=TEXT, help="Source address to send from.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def command(words: tuple[str, ...], reverse: str | None, qtype_opt: str | None,
            qclass_opt: str | None, name_opt: str | None, port: int, source: str | None,
            as_json: bool) -> None:
    """Ask a DNS server, like dig: ``paquet dns www.tp.example @192.0.2.53 AAAA +short``.

    Without @SERVER, the first nameserver of /etc/resolv.conf. Exit status 0 when the server
    answered (whatever its status, as dig), 1 when no server answered, 2 on bad arguments.
    """
    from paquet.dig import NoAnswer, Query, dig_short, dig_text, query, reverse_name, to_dict

    plus = _Plus()
    server, name, qtype, qclass = "", name_opt, None, None
    for word in words:
        if word.startswith("@"):
            server = word[1:]
        elif word.startswith("+"):
            plus.apply(word)
        elif word.startswith("-"):
            raise click.UsageError(f"unknown option {shown(word)}")
        elif name is None and (qtype is not None or _qtype(word) is None or reverse):
            name = word
        elif qtype is None and _qtype(word) is not None:
            qtype = _qtype(word)
        elif qclass is None and _qclass(word) is not None:
            qclass = _qclass(word)
        elif name is None:
            name = word
        else:
            raise click.UsageError(f"one name per query: {shown(word)} is extra")
    if qtype_opt is not None:
        qtype = _qtype(qtype_opt)
        if qtype is None:
            raise click.UsageError(f"unknown type {shown(qtype_opt)}")
    if qclass_opt is not None:
        qclass = _qclass(qclass_opt)
        if qclass is None:
            raise click.UsageError(f"unknown class {shown(qclass_opt)}")
    if reverse is not None:
        name = reverse_name(reverse)
        qtype = 12 if qtype is None else qtype
    if name is None:
        name, qtype = ".", 2 if qtype is None else qtype  # dig with no name: the root's NS
    if len(name.rstrip(".")) > 253 or any(len(lbl) > 63 for lbl in name.rstrip(".").split(".")):
        raise click.UsageError(f"not a domain name (labels of at most 63 bytes, 253 in all): "
                               f"{shown(name)}")
    q = Query(name=name, qtype=1 if qtype is None else qtype,
              qclass=1 if qclass is None else qclass, server=server, port=port, tcp=plus.tcp,
              recurse=plus.recurse, dnssec=plus.dnssec, edns=plus.edns, bufsize=plus.bufsize,
              timeout=plus.time, tries=plus.tries, source=source, ignore_tc=plus.ignore_tc,
              cookie=plus.cookie)
    try:
        answer = query(q)
    except NoAnswer as exc:
        click.echo(f"paquet: {exc}", err=True)
        raise Exit(ExitStatus.NEGATIVE) from None
    if as_json:
        from paquet.cli.render import print_json

        print_json(to_dict(answer))
    elif plus.short:
        sys.stdout.write(dig_short(answer))
    else:
        words_given = ARGV[1:] if ARGV[:1] == ["dns"] else list(words)
        sys.stdout.write(dig_text(answer, " ".join(shlex.quote(w) for w in words_given),
                                  plus.show, server_given=_server_first(words_given)))
    raise Exit(ExitStatus.OK)
