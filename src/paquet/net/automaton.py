"""Automata (Scapy's ``Automaton``): a protocol written as states and the transitions between them.

A state is a method decorated with ``@ATMT.state(initial=, final=, error=, stop=)``; raising
``self.STATE(args)`` moves to it. Transitions are methods attached to a state:
``@ATMT.condition(STATE)`` (tried when the state is entered), ``@ATMT.receive_condition(STATE)``
(on each packet received), ``@ATMT.timeout(STATE, seconds)`` (once, after the time spent in the
state), ``@ATMT.timer(STATE, seconds)`` (every ``seconds``), ``@ATMT.ioevent(STATE, name)`` (data
on the I/O channel ``name``: ``automaton.io.NAME.send(...)`` from outside, ``self.oi.NAME`` from
inside) and ``@ATMT.eof(STATE)``; ``@ATMT.action(CONDITION)`` runs when that transition is
taken. ``prio=`` orders the transitions of a state.

The automaton runs in its own thread: ``run()`` runs it to its final state and returns what that
state returned (an error state raises ``Automaton.ErrorState``, a state with no way out
``Automaton.Stuck``); ``runbg()`` runs it in the background; ``stop()`` goes to the stop state
(or ends it); ``restart()``. ``send(pkt)`` sends through the automaton's socket (``ll=``, a
layer-3 socket by default); received packets come from ``recvsock=`` (a listening socket), or
one socket ``sock=`` does both. ``graph()`` gives the states and transitions as graphviz DOT text.

>>> class Count(Automaton):
...     @ATMT.state(initial=1)
...     def BEGIN(self):
...         self.n = 0
...     @ATMT.condition(BEGIN)
...     def go(self):
...         raise self.LOOP()
...     @ATMT.state()
...     def LOOP(self):
...         self.n += 1
...     @ATMT.condition(LOOP)
...     def again(self):
...         if self.n < 3:
...             raise self.LOOP()
...         raise self.END(self.n)
...     @ATMT.state(final=1)
...     def END(self, n):
...         return f"counted to {n}"
>>> Count(ll=lambda: None, recvsock=lambda: None).run()
'counted to 3'
"""

from __future__ import annotations

import threading
import time
from typing import Any

from paquet.net.atmt import ATMT, Timer
from paquet.net.automaton_meta import _AutomatonMeta, _InstanceState
from paquet.net.objectpipe import (
    ObjectPipe,
    _FdIO,
    _IOMixer,
    _select,
)
from paquet.plist import PacketList

__all__ = ["ATMT", "Automaton", "ObjectPipe", "Timer", "select_objects"]

#: Scapy's ``select_objects(inputs, remain)``: the objects of ``inputs`` ready to be read
#: (sockets, files, :class:`ObjectPipe`), waiting up to ``remain`` seconds (None: forever).
select_objects = _select


class _Command:
    RUN, NEXT, STOP, FORCESTOP, ACCEPT, REJECT, REPLACE = (
        "RUN", "NEXT", "STOP", "FORCESTOP", "ACCEPT", "REJECT", "REPLACE")

    def __init__(self, kind: str, pkt: Any = None) -> None:
        self.type = kind
        self.pkt = pkt


class _Interrupt(Exception):
    """A command came while the automaton waited: handled by the control loop."""

    def __init__(self, cmd: _Command) -> None:
        super().__init__(cmd.type)
        self.cmd = cmd


class Automaton(metaclass=_AutomatonMeta):
    """The base of automata (see the module's text). Keyword arguments: ``sock`` (one socket
    to send and receive), ``ll`` and ``recvsock`` (the classes or factories of the sending and
    receiving sockets, called with the other keyword arguments, e.g. ``iface`` or ``filter``),
    ``external_fd`` ({ioname: fd or (in, out)}), ``debug``, ``store`` (keep the packets sent
    and received in ``packets``), ``session``; the rest goes to ``parse_args``."""

    states: dict[str, Any]
    conditions: dict[str, list[Any]]
    recv_conditions: dict[str, list[Any]]
    ioevents: dict[str, list[Any]]
    timeout: dict[str, list[Timer]]
    eofs: dict[str, Any]
    actions: dict[str, list[Any]]
    initial_states: list[Any]
    stop_state: Any
    ionames: list[str]

    class AutomatonException(Exception):
        """The base of the automaton's exceptions: a message, the state and a result."""

        def __init__(self, msg: str, state: Any = None, result: Any = None) -> None:
            Exception.__init__(self, msg)
            self.state = state
            self.result = result

    class AutomatonError(AutomatonException):
        """Something went wrong running the automaton."""

    class ErrorState(AutomatonException):
        """Raised by ``run()`` when the automaton reaches an error state."""

    class Stuck(AutomatonException):
        """Raised by ``run()`` when a state has no transition left to wait for."""

    class AutomatonStopped(AutomatonException):
        """The automaton paused (the base of breakpoints, steps and interception points)."""

    class Breakpoint(AutomatonStopped):
        """The automaton paused on entering a state that has a breakpoint."""

    class Singlestep(AutomatonStopped):
        """The automaton paused after one step (``next()``)."""

    class InterceptionPoint(AutomatonStopped):
        """The automaton paused before sending ``packet`` from an intercepted state."""

        def __init__(self, msg: str, state: Any = None, result: Any = None,
                     packet: Any = None) -> None:
            Automaton.AutomatonStopped.__init__(self, msg, state=state, result=result)
            self.packet = packet

    class CommandMessage(AutomatonException):
        """A message from the control thread."""

    def __init__(self, *args: Any, **kargs: Any) -> None:
        from paquet.net.conf import conf

        external_fd = kargs.pop("external_fd", {})
        self.sock = kargs.pop("sock", None)
        self.send_sock_class = kargs.pop("ll", None) or conf.L3socket
        self.recv_sock_class = kargs.pop("recvsock", None) or conf.L2listen
        self.atmt_session = kargs.pop("session", None)
        self.init_args, self.init_kargs = args, kargs
        self.started = threading.Lock()
        self.listen_sock: Any = None
        self.send_sock: Any = None
        self.breakpoints: set[str] = set()
        self.interception_points: set[str] = set()
        self.intercepted_packet: Any = None
        self.debug_level = 0
        self.store_packets = 0
        self.socket_kargs: dict[str, Any] = {}
        self.packets = PacketList()
        self.final_state_output: Any = None
        self.state: Any = None
        self.io = type("IOnamespace", (), {})()
        self.oi = type("IOnamespace", (), {})()
        self.ioin: dict[str, Any] = {}
        self.ioout: dict[str, Any] = {}
        for n in self.ionames:
            ext = external_fd.get(n)
            rd, wr = ext if isinstance(ext, tuple) else (ext, ext)
            ioin: Any = ObjectPipe("ioin") if rd is None else _FdIO(rd, None)
            ioout: Any = ObjectPipe("ioout") if wr is None else _FdIO(None, wr)
            ioin.ioname = ioout.ioname = n
            self.ioin[n], self.ioout[n] = ioin, ioout
            setattr(self.io, n, _IOMixer(ioout, ioin))
            setattr(self.oi, n, _IOMixer(ioin, ioout))
        for name in self.states:
            setattr(self, name, _InstanceState(self, getattr(type(self), name)))
        self._thread: threading.Thread | None = None
        self._singlestep = False
        # Held while a pause is announced and while run() decides whether to send a command:
        # a command sent before a pause is not an answer to it (see _pause).
        self._pause_lock = threading.Lock()
        self.start()

    def parse_args(self, debug: int = 0, store: int = 0, session: Any = None,
                   **kargs: Any) -> None:
        """The automaton's options (subclasses add theirs and call this one): the rest of the
        keyword arguments go to the sockets."""
        self.debug_level = debug
        if session:
            self.atmt_session = session
        self.socket_kargs = kargs
        self.store_packets = store

    def debug(self, lvl: int, msg: str) -> None:
        """Log ``msg`` (logger ``paquet.automaton``, level DEBUG) when ``debug`` is at least
        ``lvl``; logging is imported only then."""
        if self.debug_level >= lvl:
            import logging

            logging.getLogger("paquet.automaton").debug(msg)

    def master_filter(self, pkt: Any) -> bool:
        """Whether a received packet is looked at (all of them, here)."""
        return True

    def my_send(self, pkt: Any, **kwargs: Any) -> None:
        """Send ``pkt`` through the sending socket (what :meth:`send` ends with)."""
        if not self.send_sock:
            raise ValueError("send_sock is None !")
        self.send_sock.send(pkt, **kwargs)

    def send(self, pkt: Any, **kwargs: Any) -> None:
        """Send ``pkt`` (an interception point on the state stops here first)."""
        if self.state is not None and self.state.state in self.interception_points:
            self.intercepted_packet = pkt
            self._events.send(("INTERCEPT", pkt))
            cmd = self._cmd.recv()
            self.intercepted_packet = None
            if cmd is None or cmd.type == _Command.REJECT:
                return
            if cmd.type == _Command.REPLACE:
                pkt = cmd.pkt
        self.my_send(pkt, **kwargs)
        self.debug(3, f"SENT : {pkt.summary()}")
        if self.store_packets:
            self.packets.append(pkt.copy())

    def update_sock(self, sock: Any) -> None:
        """Use ``sock`` from now on (to reconnect after an EOF)."""
        self.sock = sock
        if self.listen_sock is not None:
            self.listen_sock = sock
        if self.send_sock:
            self.send_sock = sock

    def timer_by_name(self, name: str) -> Timer | None:
        """The timer of the timeout or timer transition named ``name``, or None."""
        for timers in self.timeout.values():
            for timer in timers:
                if timer._func.atmt_condname == name:
                    return timer
        return None

    def isrunning(self) -> bool:
        """Whether the automaton is running."""
        return self.started.locked()

    def add_breakpoints(self, *bps: Any) -> None:
        """Pause on entering these states (states or their names)."""
        self.breakpoints.update(getattr(b, "atmt_state", b) for b in bps)

    def remove_breakpoints(self, *bps: Any) -> None:
        """No longer pause on entering these states."""
        self.breakpoints.difference_update(getattr(b, "atmt_state", b) for b in bps)

    def add_interception_points(self, *ipts: Any) -> None:
        """Pause before each packet sent from these states (to accept, reject or replace it)."""
        self.interception_points.update(getattr(i, "atmt_state", i) for i in ipts)

    def remove_interception_points(self, *ipts: Any) -> None:
        """No longer pause before the packets sent from these states."""
        self.interception_points.difference_update(getattr(i, "atmt_state", i) for i in ipts)

    # The control thread.
    def start(self, *args: Any, **kargs: Any) -> None:
        """Start the control thread (the automaton waits for run())."""
        if self.isrunning():
            raise ValueError("Already started")
        self._cmd = ObjectPipe("cmdin")
        self._events = ObjectPipe("cmdout")
        ready = threading.Event()
        self._thread = threading.Thread(target=self._control, args=(ready, args, kargs),
                                        name=f"automaton {type(self).__name__}", daemon=True)
        self._thread.start()
        ready.wait()

    def _control(self, ready: threading.Event, args: tuple[Any, ...],
                 kargs: dict[str, Any]) -> None:
        with self.started:
            try:
                a = args + self.init_args[len(args):]
                self.parse_args(*a, **{**self.init_kargs, **kargs})
                self.state = self.initial_states[0](self)
                self.send_sock = self.sock or self.send_sock_class(**self.socket_kargs)
                if any(self.recv_conditions.values()):
                    self.listen_sock = self.sock or self.recv_sock_class(**self.socket_kargs)
                self.packets = PacketList(name=f"session[{type(self).__name__}]")
            except Exception as exc:
                ready.set()
                self._events.send(("EXCEPTION", exc))
                return
            ready.set()
            try:
                cmd = self._cmd.recv()
                if cmd is not None and cmd.type in (_Command.RUN, _Command.NEXT):
                    self._singlestep = cmd.type == _Command.NEXT
                    self._events.send(("END", self._loop()))
                elif cmd is not None and cmd.type == _Command.STOP and self.stop_state:
                    self.state = type(self).stop_state(self)
                    self._events.send(("END", self._loop()))
                else:
                    self._events.send(("END", None))
            except Exception as exc:
                self.debug(1, f"ended by {exc!r}")
                self._events.send(("EXCEPTION", exc))
            finally:
                for sock in {id(s): s for s in (self.listen_sock, self.send_sock) if s}.values():
                    close = getattr(sock, "close", None)
                    if close is not None:
                        close()
                self.listen_sock = self.send_sock = None

    def _run_condition(self, cond: Any, *args: Any) -> None:
        try:
            cond(self, *args)
        except ATMT.NewStateRequested as req:
            self.debug(2, f"{cond.atmt_type} [{cond.atmt_condname}] taken to [{req.state}]")
            if cond.atmt_type == ATMT.RECV and self.store_packets:
                self.packets.append(args[0])
            for action in self.actions[cond.atmt_condname]:
                action(self, *req.action_args, **req.action_kargs)
            raise

    def _loop(self) -> Any:
        """Run states until a final one (its output), or until stop()."""
        breakpointed = None
        while True:
            try:
                name = self.state.state
                if name in self.breakpoints and name != breakpointed:
                    breakpointed = name
                    self._pause("BREAKPOINT")
                breakpointed = None
                return self._in_state()
            except ATMT.NewStateRequested as req:
                self.debug(2, f"switching from [{self.state.state}] to [{req.state}]")
                self.state = req
                if self._singlestep:
                    self._pause("SINGLESTEP")
            except _Interrupt as stop:
                if stop.cmd.type == _Command.STOP and self.stop_state:
                    self.state = type(self).stop_state(self)
                    continue
                return None

    def _pause(self, why: str) -> None:
        """Tell run() (a breakpoint, a single step) and wait for it to say go on.

        Commands still queued were sent before this pause (a ``run()`` racing the state that
        led here): they cannot be its answer, so they are dropped, a stop excepted. Scapy's
        control loop takes them as the answer, and whether a breakpoint holds then depends on
        the threads' timing."""
        with self._pause_lock:
            while not self._cmd.empty():
                early = self._cmd.recv()
                if early is None or early.type in (_Command.STOP, _Command.FORCESTOP):
                    raise _Interrupt(early or _Command(_Command.FORCESTOP))
            self._events.send((why, self.state.state))
        cmd = self._cmd.recv()
        if cmd is None or cmd.type in (_Command.STOP, _Command.FORCESTOP):
            raise _Interrupt(cmd or _Command(_Command.FORCESTOP))
        self._singlestep = cmd.type == _Command.NEXT

    def _pending_command(self, block: float | None = 0) -> None:
        if self._cmd.empty():
            return
        cmd = self._cmd.recv()
        if cmd is not None and cmd.type in (_Command.STOP, _Command.FORCESTOP):
            raise _Interrupt(cmd)

    def _in_state(self) -> Any:
        state = self.state
        self.debug(1, f"## state=[{state.state}]")
        output = state.run()
        if state.error:
            raise self.ErrorState(f"Reached {state.state}: [{output!r}]", result=output,
                                  state=state.state)
        if state.final:
            self.final_state_output = output
            return output
        outs: tuple[Any, ...] = () if output is None else (
            tuple(output) if isinstance(output, list) else (output,))
        name = state.state
        timers = self.timeout[name]
        self._pending_command()
        for cond in self.conditions[name]:
            self._run_condition(cond, *outs)
        if not (self.recv_conditions[name] or self.ioevents[name] or timers):
            raise self.Stuck(f"stuck in [{name}]", state=name, result=outs)
        start = time.monotonic()
        # (when, delay, prio, index, times fired, timer): a periodic timer falling due with a
        # timeout fires first; due times are start + k * delay, not sums that drift.
        due = [(start + t._timeout, t._timeout, t._prio, i, 1, t) for i, t in enumerate(timers)]
        fds: list[Any] = [self._cmd]
        if self.listen_sock and self.recv_conditions[name]:
            fds.append(self.listen_sock)
        fds += [self.ioin[ev.atmt_ioname] for ev in self.ioevents[name]]
        # (a listening socket may say how to wait on it, Scapy's SuperSocket.select: mock
        # sockets of tests do)
        select = getattr(self.listen_sock, "select", None) or _select
        while True:
            now = time.monotonic()
            for entry in sorted(due, key=lambda e: e[:5]):
                if entry[0] <= now:
                    due.remove(entry)
                    _, delay, prio, i, k, timer = entry
                    if timer._autoreload:
                        due.append((start + (k + 1) * delay, delay, prio, i, k + 1, timer))
                    self._run_condition(timer._func, *outs)
            remain = None if not due else max(0.0, min(d[0] for d in due) - time.monotonic())
            ready = select(fds, remain)
            for fd in ready:
                if fd is self._cmd:
                    self._pending_command()
                elif fd is self.listen_sock:
                    self._received(name, outs)
                else:
                    for ev in self.ioevents[name]:
                        if ev.atmt_ioname == fd.ioname:
                            self._run_condition(ev, fd, *outs)

    def _received(self, name: str, outs: tuple[Any, ...]) -> None:
        try:
            pkt = self.listen_sock.recv()
        except EOFError:
            self.listen_sock.close()
            self.listen_sock = False
            if name in self.eofs:
                raise self.eofs[name](self) from None
            raise
        if pkt is None:
            return
        if self.atmt_session is not None:
            pkt = self.atmt_session.process(pkt)
        if pkt is not None and self.master_filter(pkt):
            self.debug(3, f"RECVD: {pkt.summary()}")
            for cond in self.recv_conditions[name]:
                self._run_condition(cond, pkt, *outs)

    # The public API.
    def run(self, resume: Any = None, wait: bool = True) -> Any:
        """Run to the final state and return its output (``wait=False``: do not wait)."""
        if not self.isrunning() and self._events.empty():
            self.start()
        with self._pause_lock:
            paused = not self._events.empty()  # stopped at a breakpoint or step already:
            if not paused:  # report that first, and leave it paused
                self._cmd.send(resume if resume is not None else _Command(_Command.RUN))
        if not wait:
            return None
        try:
            event = self._events.recv()
        except KeyboardInterrupt:
            return None
        if event is None:
            return None
        kind, value = event
        if kind == "BREAKPOINT":
            raise self.Breakpoint(f"breakpoint triggered on state [{value}]", state=value)
        if kind == "SINGLESTEP":
            raise self.Singlestep(f"singlestep state=[{value}]", state=value)
        if kind == "INTERCEPT":
            raise self.InterceptionPoint("packet intercepted", state=self.state.state,
                                         packet=value)
        if kind == "EXCEPTION":
            raise value
        return value

    def __next__(self) -> Any:
        """Run to the next state change (raises Singlestep there), or to the end."""
        return self.run(resume=_Command(_Command.NEXT))

    def __iter__(self) -> Automaton:
        return self

    def runbg(self, resume: Any = None, wait: bool = False) -> None:
        """Run in the background."""
        self.run(resume, wait)

    def accept_packet(self, pkt: Any = None, wait: bool = False) -> Any:
        """Let the intercepted packet go (``pkt``: send that one instead)."""
        cmd = _Command(_Command.ACCEPT) if pkt is None else _Command(_Command.REPLACE, pkt)
        return self._resume(cmd, wait)

    def reject_packet(self, wait: bool = False) -> Any:
        """Drop the intercepted packet."""
        return self._resume(_Command(_Command.REJECT), wait)

    def _resume(self, cmd: _Command, wait: bool) -> Any:
        self._cmd.send(cmd)
        if not wait:
            return None
        return self._wait()

    def _wait(self) -> Any:
        kind, value = self._events.recv()
        if kind == "EXCEPTION":
            raise value
        if kind == "INTERCEPT":
            raise self.InterceptionPoint("packet intercepted", state=self.state.state,
                                         packet=value)
        return value

    def stop(self, wait: bool = True) -> None:
        """Go to the stop state (if any) or end; ``wait`` for the thread to end."""
        self._command(_Command.STOP, wait)

    def forcestop(self, wait: bool = True) -> None:
        """End now, whatever the state."""
        self._command(_Command.FORCESTOP, wait)

    def _command(self, kind: str, wait: bool) -> None:
        try:
            self._cmd.send(_Command(kind))
        except OSError:
            return
        if wait and self._thread is not None:
            self._thread.join()
            self._cmd.clear()
            self._events.clear()

    def restart(self, *args: Any, **kargs: Any) -> None:
        """Stop, then start again from the initial state."""
        if self.isrunning():
            self.forcestop()
        self.start(*args, **kargs)

    def destroy(self) -> None:
        """Close the automaton's pipes (it must be stopped)."""
        if self.isrunning():
            raise ValueError("Can't close running Automaton ! Call stop() beforehand")
        for pipe in (self._cmd, self._events, *self.ioin.values(), *self.ioout.values()):
            if isinstance(pipe, ObjectPipe):
                pipe.close()

    def __repr__(self) -> str:
        return f"<Automaton {type(self).__name__} [{'RUNNING' if self.isrunning() else 'HALTED'}]>"
