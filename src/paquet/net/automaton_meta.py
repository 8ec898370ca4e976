"""An automaton's class as its metaclass builds it: the states and transitions its ``ATMT``
decorators declared (its own and its bases'), the states seen from an instance, and the
graphviz DOT text of the whole.
"""

from __future__ import annotations

from typing import Any

from paquet.net.atmt import ATMT
from paquet.net.objectpipe import (
    AutomatonSocketFactory,
)


class _InstanceState:
    """A state method seen from an instance: calling it requests the state; ``breaks()`` and
    ``intercepts()`` put a breakpoint or an interception point on it."""

    def __init__(self, instance: Any, wrapper: Any) -> None:
        self.__self__ = instance
        self.__func__ = wrapper
        self.atmt_state = wrapper.atmt_state
        self.atmt_type = ATMT.STATE
        self.atmt_origfunc = wrapper.atmt_origfunc

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.__func__, attr)

    def __call__(self, *args: Any, **kargs: Any) -> ATMT.NewStateRequested:
        return self.__func__(self.__self__, *args, **kargs)  # type: ignore[no-any-return]

    def breaks(self) -> None:
        self.__self__.add_breakpoints(self.atmt_state)

    def intercepts(self) -> None:
        self.__self__.add_interception_points(self.atmt_state)

    def unbreaks(self) -> None:
        self.__self__.remove_breakpoints(self.atmt_state)

    def unintercepts(self) -> None:
        self.__self__.remove_interception_points(self.atmt_state)


def _names(func: Any) -> list[Any]:
    code = getattr(func, "__code__", None)
    return [] if code is None else list(code.co_names + code.co_consts)


class _AutomatonMeta(type):
    """Collects a class's states and transitions (its own and its bases', overridable)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> Any:
        cls: Any = super().__new__(mcs, name, bases, dct)
        cls.states, cls.conditions, cls.recv_conditions = {}, {}, {}
        cls.ioevents, cls.timeout, cls.eofs, cls.actions = {}, {}, {}, {}
        cls.initial_states, cls.stop_state, cls.ionames, cls.iosupersockets = [], None, [], []
        members: dict[str, Any] = {}
        for klass in cls.__mro__:
            for k, v in vars(klass).items():
                members.setdefault(k, v)
        decorated = [v for v in members.values() if hasattr(v, "atmt_type")]
        for m in decorated:
            if m.atmt_type == ATMT.STATE:
                s = m.atmt_state
                cls.states[s] = m
                for table in (cls.conditions, cls.recv_conditions, cls.ioevents, cls.timeout):
                    table[s] = []
                if m.atmt_initial:
                    cls.initial_states.append(m)
                if m.atmt_stop:
                    if cls.stop_state is not None:
                        raise ValueError("There can only be a single stop state !")
                    cls.stop_state = m
            elif m.atmt_type != ATMT.ACTION:
                cls.actions[m.atmt_condname] = []
        tables = {ATMT.CONDITION: cls.conditions, ATMT.RECV: cls.recv_conditions,
                  ATMT.IOEVENT: cls.ioevents}
        for m in decorated:
            if m.atmt_type in tables:
                tables[m.atmt_type][m.atmt_state].append(m)
                if m.atmt_type == ATMT.IOEVENT:
                    cls.ionames.append(m.atmt_ioname)
                    if m.atmt_as_supersocket is not None:
                        cls.iosupersockets.append(m)
            elif m.atmt_type == ATMT.EOF:
                cls.eofs[m.atmt_state] = m
            elif m.atmt_type == ATMT.TIMEOUT:
                cls.timeout[m.atmt_state].append(m.atmt_timeout)
            elif m.atmt_type == ATMT.ACTION:
                for co in m.atmt_cond:
                    cls.actions[co].append(m)
        for table in tables.values():
            for lst in table.values():
                lst.sort(key=lambda x: x.atmt_prio)
        for timers in cls.timeout.values():
            timers.sort(key=lambda t: (t._timeout, t._prio))
        for condname, acts in cls.actions.items():
            acts.sort(key=lambda x, c=condname: x.atmt_cond[c])
        for ev in cls.iosupersockets:
            setattr(cls, ev.atmt_as_supersocket,
                    AutomatonSocketFactory(ev.atmt_as_supersocket, ev.atmt_ioname, cls))
        return cls

    def _targets(cls, func: Any) -> list[str]:
        """The states a function can move to (its names, following the class's helpers)."""
        found: list[str] = []
        names, seen = _names(func), set()
        while names:
            n = names.pop()
            if not isinstance(n, str) or n in seen:
                continue
            seen.add(n)
            if n in cls.states:  # type: ignore[attr-defined]
                found.append(n)
            elif callable(cls.__dict__.get(n)):
                names.extend(_names(cls.__dict__[n]))
        return found

    def build_graph(cls) -> str:
        """The states and transitions as graphviz DOT text (Scapy's layout and colours)."""
        c: Any = cls
        lines = [f'digraph "{cls.__name__}" {{']
        head: list[str] = []
        for st in c.states.values():
            name = st.atmt_state
            if st.atmt_initial:
                head.insert(0, f'\t"{name}" [ style=filled, fillcolor=blue, shape=box, root=true];')
            elif st.atmt_final:
                head.append(f'\t"{name}" [ style=filled, fillcolor=green, shape=octagon ];')
            elif st.atmt_error:
                head.append(f'\t"{name}" [ style=filled, fillcolor=red, shape=octagon ];')
            elif st.atmt_stop:
                head.append(f'\t"{name}" [ style=filled, fillcolor=orange, shape=box, '
                            f'root=true ];')
        lines += head
        for st in c.states.values():
            for n in cls._targets(st.atmt_origfunc):
                lines.append(f'\t"{st.atmt_state}" -> "{n}" [ color=green ];')
        groups = ([("purple", "solid", k, v) for k, v in c.conditions.items()]
                  + [("red", "solid", k, v) for k, v in c.recv_conditions.items()]
                  + [("orange", "solid", k, v) for k, v in c.ioevents.items()]
                  + [("black", "dashed", k, [v]) for k, v in c.eofs.items()])
        for colour, style, k, funcs in groups:
            for f in funcs:
                for n in cls._targets(f):
                    label = f.atmt_condname + "".join(
                        f"\\l>[{x.__name__}]" for x in c.actions[f.atmt_condname])
                    lines.append(f'\t"{k}" -> "{n}" [label="{label}", color={colour}, '
                                 f'style={style}];')
        for k, timers in c.timeout.items():
            for timer in timers:
                for n in cls._targets(timer._func):
                    label = f"{timer._func.atmt_condname}/{timer.get():.1f}s" + "".join(
                        f"\\l>[{x.__name__}]" for x in c.actions[timer._func.atmt_condname])
                    lines.append(f'\t"{k}" -> "{n}" [label="{label}",color=blue];')
        return "\n".join(lines) + "\n}\n"

    def graph(cls, **kargs: Any) -> Any:
        """The states and transitions: a :class:`paquet.draw.dot.Graph` (the DOT text of
        :meth:`build_graph`, which draws itself in a notebook and prints its transitions as
        ``.text``); with ``target``/``format`` (Scapy's ``do_graph`` keywords), the picture is
        written there and None returned."""
        from paquet.draw.dot import output
        from paquet.draw.graphs import styled

        return output(styled(cls.build_graph()), kargs)
