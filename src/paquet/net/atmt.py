"""How an automaton is written (Scapy's ``ATMT``): the decorators that make a method a state,
a transition (condition, receive condition, timeout, timer, I/O event, end of file) or an
action, and the :class:`Timer` of a timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "ATMT",
    "Timer",
]


class Timer:
    """The delay of an ``ATMT.timeout`` or ``ATMT.timer`` (``set()`` changes it)."""

    def __init__(self, timeout: float, prio: int = 0, autoreload: bool = False) -> None:
        self._timeout = float(timeout)
        self._prio = prio
        self._autoreload = autoreload
        self._func: Any = None

    def get(self) -> float:
        """The delay, in seconds."""
        return self._timeout

    def set(self, val: float) -> None:
        """Change the delay to ``val`` seconds."""
        self._timeout = float(val)

    def __repr__(self) -> str:
        return f"<Timer {self._timeout}s>"


#: What the ATMT decorators return: a decorator of the transition or state function.
_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class ATMT:
    """The decorators and the state-change exception of automata (Scapy's ``ATMT``)."""

    STATE = "State"
    ACTION = "Action"
    CONDITION = "Condition"
    RECV = "Receive condition"
    TIMEOUT = "Timeout condition"
    EOF = "EOF condition"
    IOEVENT = "I/O event"

    class NewStateRequested(Exception):
        """Raised (by ``raise self.STATE(args)``) to move to a state."""

        def __init__(self, state_func: Any, automaton: Any, *args: Any, **kargs: Any) -> None:
            self.func = state_func
            self.state = state_func.atmt_state
            self.initial = state_func.atmt_initial
            self.error = state_func.atmt_error
            self.stop = state_func.atmt_stop
            self.final = state_func.atmt_final
            Exception.__init__(self, f"Request state [{self.state}]")
            self.automaton = automaton
            self.args = args
            self.kargs = kargs
            self.action_parameters()

        def action_parameters(self, *args: Any, **kargs: Any) -> ATMT.NewStateRequested:
            """The arguments the transition's actions are called with."""
            self.action_args = args
            self.action_kargs = kargs
            return self

        def run(self) -> Any:
            """Enter the state: call its method with the arguments given to the request."""
            return self.func(self.automaton, *self.args, **self.kargs)

        def __repr__(self) -> str:
            return f"NewStateRequested({self.state})"

    @staticmethod
    def state(initial: int = 0, final: int = 0, stop: int = 0, error: int = 0) -> _Decorator:
        """A state: ``initial`` (where run() starts), ``final`` (run() returns what it returns),
        ``error`` (run() raises ErrorState), ``stop`` (where stop() goes)."""
        def deco(f: Any) -> Any:
            def wrapper(self: Any, *args: Any, **kargs: Any) -> ATMT.NewStateRequested:
                return ATMT.NewStateRequested(f, self, *args, **kargs)

            targets: tuple[Any, ...] = (f, wrapper)
            for obj in targets:
                obj.atmt_type = ATMT.STATE
                obj.atmt_state = f.__name__
                obj.atmt_initial = initial
                obj.atmt_final = final
                obj.atmt_stop = stop
                obj.atmt_error = error
            wrapper.__name__ = f"{f.__name__}_wrapper"
            wrapper.atmt_origfunc = f  # type: ignore[attr-defined]
            return wrapper
        return deco

    @staticmethod
    def action(cond: Any, prio: int = 0) -> _Decorator:
        """Run when transition ``cond`` is taken (with its action_parameters)."""
        def deco(f: Any) -> Any:
            if not hasattr(f, "atmt_type"):
                f.atmt_cond = {}
            f.atmt_type = ATMT.ACTION
            f.atmt_cond[cond.atmt_condname] = prio
            return f
        return deco

    @staticmethod
    def _transition(kind: str, state: Any, prio: int = 0, **extra: Any) -> _Decorator:
        def deco(f: Any) -> Any:
            f.atmt_type = kind
            f.atmt_state = state.atmt_state
            f.atmt_condname = f.__name__
            f.atmt_prio = prio
            for k, v in extra.items():
                setattr(f, k, v)
            if "atmt_timeout" in extra:
                f.atmt_timeout._func = f
            return f
        return deco

    @staticmethod
    def condition(state: Any, prio: int = 0) -> _Decorator:
        """Tried as soon as ``state`` is entered."""
        return ATMT._transition(ATMT.CONDITION, state, prio)

    @staticmethod
    def receive_condition(state: Any, prio: int = 0) -> _Decorator:
        """Tried on each packet received in ``state``."""
        return ATMT._transition(ATMT.RECV, state, prio)

    @staticmethod
    def ioevent(state: Any, name: str, prio: int = 0,
                as_supersocket: str | None = None) -> _Decorator:
        """Tried when data comes on the I/O channel ``name`` in ``state``."""
        return ATMT._transition(ATMT.IOEVENT, state, prio, atmt_ioname=name,
                                atmt_as_supersocket=as_supersocket)

    @staticmethod
    def timeout(state: Any, timeout: float) -> _Decorator:
        """Taken ``timeout`` seconds after ``state`` was entered."""
        return ATMT._transition(ATMT.TIMEOUT, state, atmt_timeout=Timer(timeout))

    @staticmethod
    def timer(state: Any, timeout: float, prio: int = 0) -> _Decorator:
        """Run every ``timeout`` seconds while in ``state``."""
        return ATMT._transition(ATMT.TIMEOUT, state,
                                atmt_timeout=Timer(timeout, prio, autoreload=True))

    @staticmethod
    def eof(state: Any) -> _Decorator:
        """Taken when the receiving socket ends in ``state``."""
        return ATMT._transition(ATMT.EOF, state)
