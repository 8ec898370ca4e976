"""Pipes of messages between sources, drains and sinks, run by one thread (Scapy's ``pipetool``).

A :class:`PipeEngine` waits on its sources (anything with a ``fileno``) and, when one is
ready, calls its ``deliver()``, which pushes a message to the pipes connected after it. Pipes
have a *low* channel (``a > b``), a *high* channel (``a >> b``) and triggers (``a ^ b``);
``<``, ``<<`` connect the other way, ``%`` and ``//`` both ways.

>>> feed = CLIFeeder()
>>> upper = TransformDrain(str.upper)
>>> out = QueueSink()
>>> _ = feed > upper > out
>>> engine = PipeEngine(feed)
>>> engine.start()
>>> feed.send("hello")
1
>>> out.recv(timeout=5)
'HELLO'
>>> engine.stop()
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from typing import Any, ClassVar

from paquet.net.objectpipe import ObjectPipe, _select

__all__ = [
    "AutoSource", "CLIFeeder", "CLIHighFeeder", "ConsoleSink", "DownDrain", "Drain",
    "PeriodicSource", "Pipe", "PipeEngine", "QueueSink", "RawConsoleSink", "Sink", "Source",
    "TermSink", "ThreadGenSource", "TransformDrain", "TriggerSink", "UpDrain",
]

_STOP, _STOP_WHEN_EXHAUSTED, _RESCAN = "X", "B", "A"  # the engine's commands (Scapy's letters)


class PipeEngine(ObjectPipe):
    """Runs pipes in one thread: ``start()``, ``stop()``, ``wait_and_stop()`` (stop once every
    source is exhausted), ``add(*pipes)`` even while running. ``spawn_NAME(...)`` makes a pipe
    of class ``NAME`` and adds it (``engine.spawn_QueueSink()``)."""

    pipes: ClassVar[dict[str, type[Pipe]]] = {}

    @classmethod
    def list_pipes(cls) -> None:
        """Print each kind of pipe with the first line of its documentation."""
        for name, kind in sorted(cls.pipes.items()):
            doc = (kind.__doc__ or "").strip().splitlines()
            print(f"{name:>20}: {doc[0] if doc else ''}")

    @classmethod
    def list_pipes_detailed(cls) -> None:
        """Print each kind of pipe with its whole documentation."""
        for name, kind in sorted(cls.pipes.items()):
            print(f"###### {name}\n {kind.__doc__ or ''}")

    def __init__(self, *pipes: Pipe) -> None:
        super().__init__("PipeEngine")
        self.active_pipes: set[Pipe] = set()
        self.active_sources: set[Any] = set()
        self.active_drains: set[Pipe] = set()
        self.active_sinks: set[Pipe] = set()
        self._add_pipes(*pipes)
        self.thread_lock = threading.Lock()
        self.command_lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("spawn_") and attr[6:] in PipeEngine.pipes:
            kind = PipeEngine.pipes[attr[6:]]

            def spawn(*args: Any, **kwargs: Any) -> Pipe:
                pipe = kind(*args, **kwargs)
                self.add(pipe)
                return pipe

            return spawn
        raise AttributeError(attr)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def add_one_pipe(self, pipe: Pipe) -> None:
        """Register one pipe (and what kind of pipe it is)."""
        self.active_pipes.add(pipe)
        if isinstance(pipe, Source):
            self.active_sources.add(pipe)
        if isinstance(pipe, Drain):
            self.active_drains.add(pipe)
        if isinstance(pipe, Sink):
            self.active_sinks.add(pipe)

    def get_pipe_list(self, pipe: Pipe) -> set[Pipe]:
        """Every pipe connected to ``pipe``, by low or high channels, ``pipe`` included."""
        found: set[Pipe] = set()
        todo = [pipe]
        while todo:
            p = todo.pop()
            if p in found:
                continue
            found.add(p)
            todo.extend(p.sources | p.sinks | p.high_sources | p.high_sinks)
        return found

    def _add_pipes(self, *pipes: Pipe) -> set[Pipe]:
        new: set[Pipe] = set()
        for p in pipes:
            new |= self.get_pipe_list(p)
        new -= self.active_pipes
        for p in new:
            self.add_one_pipe(p)
        return new

    def add(self, *pipes: Pipe) -> None:
        """Add pipes (and everything connected to them), started at once if the engine runs."""
        new = self._add_pipes(*pipes)
        with self.command_lock:
            if self.thread is not None:
                for p in new:
                    p.start()
                self.send(_RESCAN)

    def run(self) -> None:
        """The engine's loop (in its thread): deliver from every ready source."""
        try:
            for p in list(self.active_pipes):
                p.start()
            exhausted: set[Any] = set()
            sources: set[Any] = {*self.active_sources, self}
            stop_when_exhausted = False
            running = True
            while running and not (stop_when_exhausted and len(sources) <= 1):
                for ready in _select(list(sources), 0.5):
                    if ready is self:
                        cmd = self.recv()
                        if cmd == _STOP:
                            running = False
                            break
                        if cmd == _STOP_WHEN_EXHAUSTED:
                            stop_when_exhausted = True
                        elif cmd == _RESCAN:
                            sources = (self.active_sources - exhausted) | {self}
                    elif ready in sources:
                        try:
                            ready.deliver()
                        except Exception:  # Scapy logs it and goes on
                            import logging

                            logging.getLogger("paquet.pipetool").exception(
                                "piping from %s failed", ready.name)
                        else:
                            if ready.exhausted():
                                exhausted.add(ready)
                                sources.discard(ready)
        finally:
            try:
                for p in list(self.active_pipes):
                    p.stop()
            finally:
                if self.thread_lock.locked():
                    self.thread_lock.release()

    def start(self) -> None:
        """Start the engine's thread (nothing if it already runs)."""
        if self.thread_lock.acquire(False):
            self.thread = threading.Thread(target=self.run, name="paquet.PipeEngine",
                                           daemon=True)
            self.thread.start()

    def wait_and_stop(self) -> None:
        """Wait until every source is exhausted, then stop."""
        self.stop(_cmd=_STOP_WHEN_EXHAUSTED)

    def stop(self, _cmd: str = _STOP) -> None:
        """Stop the engine's thread and every pipe, and wait for them."""
        with self.command_lock:
            if self.thread is not None:
                self.send(_cmd)
                self.thread.join()
                self.thread = None

    def graph(self, **kwargs: Any) -> str:
        """The pipes as a Graphviz ``dot`` text (drawn with ``do_graph`` when asked for a
        ``target``): low links blue, high links purple, triggers red."""
        lines = ['digraph "pipe" {', "\tnode [shape=rectangle];"]
        lines += [f'\t"{id(p)}" [label="{p.name}"];' for p in self.active_pipes]
        for colour, head, attr in (("blue", "vee", "sinks"), ("purple", "veevee", "high_sinks"),
                                   ("red", "diamond", "trigger_sinks")):
            lines.append(f"\n\tedge [color={colour}, arrowhead={head}];")
            lines += [f'\t"{id(p)}" -> "{id(q)}";' for p in self.active_pipes
                      for q in getattr(p, attr)]
        lines.append("}")
        dot = "\n".join(lines)
        if kwargs:
            from paquet.tables import do_graph

            do_graph(dot, **kwargs)
        return dot


class _PipeMeta(type):
    """Registers every pipe class in :attr:`PipeEngine.pipes` (for ``spawn_NAME``)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> _PipeMeta:
        cls = super().__new__(mcs, name, bases, dct)
        PipeEngine.pipes[name] = cls  # type: ignore[assignment]
        return cls


class Pipe(metaclass=_PipeMeta):
    """A pipe: connected to others by ``>`` (low channel), ``>>`` (high channel) and ``^``
    (trigger). ``a > b`` returns ``b``, so ``a > b > c`` chains three pipes."""

    def __init__(self, name: str | None = None) -> None:
        self.sources: set[Pipe] = set()
        self.sinks: set[Any] = set()
        self.high_sources: set[Pipe] = set()
        self.high_sinks: set[Any] = set()
        self.trigger_sources: set[Pipe] = set()
        self.trigger_sinks: set[Any] = set()
        self.name = name if name is not None else type(self).__name__

    def _send(self, msg: Any) -> None:
        for s in list(self.sinks):
            s.push(msg)

    def _high_send(self, msg: Any) -> None:
        for s in list(self.high_sinks):
            s.high_push(msg)

    def _trigger(self, msg: Any = None) -> None:
        for s in list(self.trigger_sinks):
            s.on_trigger(msg)

    def __gt__(self, other: Any) -> Any:
        self.sinks.add(other)
        other.sources.add(self)
        return other

    def __rshift__(self, other: Any) -> Any:
        self.high_sinks.add(other)
        other.high_sources.add(self)
        return other

    def __xor__(self, other: Any) -> Any:
        self.trigger_sinks.add(other)
        other.trigger_sources.add(self)
        return other

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __repr__(self) -> str:
        text = f"<{self.name}"
        for ins, outs, arrow in ((self.sources, self.sinks, ">"),
                                 (self.high_sources, self.high_sinks, ">>"),
                                 (self.trigger_sources, self.trigger_sinks, "^")):
            if ins or outs:
                left = ",".join(p.name for p in ins) + arrow if ins else ""
                right = arrow + ",".join(p.name for p in outs) if outs else ""
                text += f" [{left}#{right}]"
        return text + ">"

    def start(self) -> None:
        """Called when the engine starts."""

    def stop(self) -> None:
        """Called when the engine stops."""


class Source(Pipe, ObjectPipe):
    """A pipe the engine waits on (its ``fileno``) and asks to ``deliver()`` its messages;
    ``exhausted()`` once it has no more."""

    def __init__(self, name: str | None = None) -> None:
        ObjectPipe.__init__(self, name)
        Pipe.__init__(self, name=name)
        self.is_exhausted = False

    def deliver(self) -> None:
        """Push the next message to the pipes after this one."""
        self._send(self.recv())

    def exhausted(self) -> bool:
        """True once the source has nothing more to deliver."""
        return self.is_exhausted

    __hash__ = Pipe.__hash__
    __eq__ = Pipe.__eq__


class Drain(Pipe):
    """Passes messages on: low entry to low exit, high entry to high exit."""

    def push(self, msg: Any) -> None:
        """A message on the low entry."""
        self._send(msg)

    def high_push(self, msg: Any) -> None:
        """A message on the high entry."""
        self._high_send(msg)


class Sink(Pipe):
    """Receives messages (``push`` low, ``high_push`` high) and keeps them: the base of
    custom sinks."""

    def push(self, msg: Any) -> None:
        """A message on the low entry."""

    def high_push(self, msg: Any) -> None:
        """A message on the high entry."""

    def __lt__(self, other: Any) -> Any:
        other.sinks.add(self)
        self.sources.add(other)
        return other

    def __lshift__(self, other: Any) -> Any:
        self.high_sources.add(other)
        other.high_sinks.add(self)
        return other

    def __floordiv__(self, other: Any) -> Any:
        self >> other
        other >> self
        return other

    def __mod__(self, other: Any) -> Any:
        _ = self > other
        _ = other > self
        return other


class TriggerSink(Sink):
    """A sink that also reacts to triggers (``on_trigger``)."""

    def on_trigger(self, msg: Any) -> None:
        """A trigger from a pipe connected by ``^``."""


class AutoSource(Source):
    """A source fed from Python: ``_gen_data`` (low), ``_gen_high_data`` (high)."""

    def _gen_data(self, msg: Any) -> None:
        ObjectPipe.send(self, (msg, False, False))

    def _gen_high_data(self, msg: Any) -> None:
        ObjectPipe.send(self, (msg, True, False))

    def _exhaust(self) -> None:
        ObjectPipe.send(self, (None, None, True))

    def deliver(self) -> None:
        """Push the next queued message on its channel."""
        item = self.recv()
        if item is None:
            return
        msg, high, end = item
        if end:
            return
        if high:
            self._high_send(msg)
        else:
            self._send(msg)


class ThreadGenSource(AutoSource):
    """An automatic source whose ``generate()`` runs in its own thread while ``RUN``."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(name=name)
        self.RUN = False

    def generate(self) -> None:
        """Produce messages (``_gen_data``) while ``self.RUN``."""

    def start(self) -> None:
        """Start the generating thread."""
        self.RUN = True
        threading.Thread(target=self.generate, name="paquet.ThreadGenSource",
                         daemon=True).start()

    def stop(self) -> None:
        """Ask the generating thread to end."""
        self.RUN = False


class PeriodicSource(ThreadGenSource):
    """Sends ``msg`` (each item of a list) on the low exit every ``period`` seconds, then
    waits ``period2``; exhausted when ``msg`` is an empty list."""

    def __init__(self, msg: Any, period: float, period2: float = 0,
                 name: str | None = None) -> None:
        super().__init__(name=name)
        self.msg = msg if isinstance(msg, list | set | tuple) else [msg]
        self.period = period
        self.period2 = period2

    def generate(self) -> None:
        """Send the messages again and again while running."""
        while self.RUN:
            sent = False
            for m in list(self.msg):
                sent = True
                self._gen_data(m)
                time.sleep(self.period)
            if not sent:
                self.is_exhausted = True
                self._exhaust()
                return
            time.sleep(self.period2)


class CLIFeeder(AutoSource):
    """Sends what ``send(msg)`` is given on the low exit; ``close()`` exhausts it."""

    def send(self, msg: Any) -> int:
        """Queue ``msg`` for the low exit."""
        self._gen_data(msg)
        return 1

    def close(self) -> None:
        """No more messages."""
        self.is_exhausted = True


class CLIHighFeeder(CLIFeeder):
    """Sends what ``send(msg)`` is given on the high exit."""

    def send(self, msg: Any) -> int:
        """Queue ``msg`` for the high exit."""
        self._gen_high_data(msg)
        return 1


class ConsoleSink(Sink):
    """Prints the messages: ``>repr`` for low, ``>>repr`` for high."""

    def push(self, msg: Any) -> None:
        """Print a low message."""
        print(">" + repr(msg))

    def high_push(self, msg: Any) -> None:
        """Print a high message."""
        print(">>" + repr(msg))


class RawConsoleSink(Sink):
    """Writes the messages (strings) to standard output with ``os.write``, each followed by
    a newline unless ``newlines=False``."""

    def __init__(self, name: str | None = None, newlines: bool = True) -> None:
        super().__init__(name=name)
        self.newlines = newlines
        self._write_pipe = 1

    def push(self, msg: Any) -> None:
        """Write a low message."""
        os.write(self._write_pipe, (str(msg) + ("\n" if self.newlines else "")).encode())

    high_push = push


class TermSink(Sink):
    """Prints the messages in a terminal of their own (an ``xterm``); ``keepterm`` leaves it
    open after the engine stops. OSError when no terminal can be opened."""

    def __init__(self, name: str | None = None, keepterm: bool = True, newlines: bool = True,
                 openearly: bool = True) -> None:
        super().__init__(name=name)
        self.keepterm = keepterm
        self.newlines = newlines
        self.openearly = openearly
        self.opened = False
        self.proc: subprocess.Popen[bytes] | None = None
        self.wdesc = -1
        if openearly:
            self.start()

    def start(self) -> None:
        """Open the terminal."""
        if self.opened:
            return
        rd, wr = os.pipe()
        os.set_inheritable(rd, True)
        cmd = ["xterm", "-title", self.name, *(["-hold"] if self.keepterm else []),
               "-e", f"cat <&{rd}"]
        try:
            self.proc = subprocess.Popen(cmd, close_fds=False)
        except OSError:
            os.close(wr)
            raise
        finally:
            os.close(rd)
        self.wdesc, self.opened = wr, True

    def stop(self) -> None:
        """Close the terminal unless ``keepterm``."""
        if not self.keepterm and self.proc is not None:
            self.opened = False
            self.proc.kill()
            self.proc.wait()

    def push(self, msg: Any) -> None:
        """Print a message."""
        os.write(self.wdesc, (str(msg) + ("\n" if self.newlines else "")).encode())

    high_push = push


class QueueSink(Sink):
    """Keeps low and high messages in one queue (``q``), read with ``recv()``."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(name=name)
        self.q: queue.Queue[Any] = queue.Queue()

    def push(self, msg: Any) -> None:
        """Queue a message."""
        self.q.put(msg)

    high_push = push

    def recv(self, block: bool = True, timeout: float | None = None) -> Any:
        """The next message, or None when there is none (``block=False``) or ``timeout``
        seconds passed."""
        try:
            return self.q.get(block=block, timeout=timeout)
        except queue.Empty:
            return None


class TransformDrain(Drain):
    """Applies ``f`` to every message, on both channels."""

    def __init__(self, f: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self.f = f

    def push(self, msg: Any) -> None:
        """Pass ``f(msg)`` on the low exit."""
        self._send(self.f(msg))

    def high_push(self, msg: Any) -> None:
        """Pass ``f(msg)`` on the high exit."""
        self._high_send(self.f(msg))


class UpDrain(Drain):
    """Passes low messages to the high exit; drops high ones."""

    def push(self, msg: Any) -> None:
        """Pass on the high exit."""
        self._high_send(msg)

    def high_push(self, msg: Any) -> None:
        """Dropped."""


class DownDrain(Drain):
    """Passes high messages to the low exit; drops low ones."""

    def push(self, msg: Any) -> None:
        """Dropped."""

    def high_push(self, msg: Any) -> None:
        """Pass on the low exit."""
        self._send(msg)
