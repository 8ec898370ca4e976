"""Automata without a network: the same class run by paquet and by Scapy gives the same results,
the same state graph (DOT text), the same stop behaviour."""

from __future__ import annotations

import types
from typing import Any

import pytest

import paquet


def _machines(m: Any) -> dict[str, Any]:
    """The same automata written against module ``m`` (paquet or scapy.all)."""

    class Door(m.Automaton):
        def parse_args(self, code: str, **kargs: Any) -> None:
            m.Automaton.parse_args(self, **kargs)
            self.code = code

        @m.ATMT.state(initial=1)
        def LOCKED(self) -> None:
            self.tried = ""

        @m.ATMT.ioevent(LOCKED, name="keys")
        def key(self, fd: Any) -> None:
            self.tried += fd.recv()
            if self.tried.endswith(self.code):
                raise self.OPEN(self.tried).action_parameters(self.tried)

        @m.ATMT.action(key)
        def beep(self, tried: str) -> None:
            self.oi.keys.send("beep")

        @m.ATMT.state()
        def OPEN(self, tried: str) -> str:
            return tried

        @m.ATMT.condition(OPEN)
        def walk_in(self, tried: str) -> None:
            raise self.INSIDE(len(tried))

        @m.ATMT.timeout(LOCKED, 30)
        def give_up(self) -> None:
            raise self.ALARM()

        @m.ATMT.state(error=1)
        def ALARM(self) -> None:
            pass

        @m.ATMT.state(final=1)
        def INSIDE(self, n: int) -> str:
            return f"in after {n} keys"

        @m.ATMT.state(stop=1)
        def LEAVE(self) -> None:
            pass

        @m.ATMT.condition(LEAVE)
        def went_away(self) -> None:
            raise self.INSIDE(-1)

    return {"Door": Door}


def _scapy() -> types.ModuleType:
    return pytest.importorskip("scapy.all")


def test_graph_same_dot_as_scapy() -> None:
    scapy = _scapy()
    ours, theirs = _machines(paquet)["Door"], _machines(scapy)["Door"]
    dot = ours.graph()
    assert dot == ours.build_graph()
    # Scapy names the graph after its metaclass ("Automaton_metaclass"): paquet after the class.
    assert dot.splitlines()[0] == 'digraph "Door" {'
    assert dot.splitlines()[1:] == theirs.build_graph().splitlines()[1:]


def test_ioevents_actions_and_result_as_scapy() -> None:
    scapy = _scapy()
    results = []
    for m in (paquet, scapy):
        door = _machines(m)["Door"](code="42", ll=lambda: None, recvsock=lambda: None)
        door.runbg()
        for key in "1342":
            door.io.keys.send(key)
        results.append((door.run(), door.io.keys.recv()))
    assert results[0] == results[1] == ("in after 4 keys", "beep")


def test_stop_goes_to_the_stop_state() -> None:
    door = _machines(paquet)["Door"](code="42", ll=lambda: None, recvsock=lambda: None)
    door.runbg()
    door.stop()
    assert not door.isrunning()
    assert door.final_state_output == "in after -1 keys"


def test_stuck_and_error_states() -> None:
    class Nowhere(paquet.Automaton):
        @paquet.ATMT.state(initial=1)
        def BEGIN(self) -> None:
            pass

    with pytest.raises(paquet.Automaton.Stuck):
        Nowhere(ll=lambda: None, recvsock=lambda: None).run()
    door = _machines(paquet)["Door"](code="42", ll=lambda: None, recvsock=lambda: None)
    door.timer_by_name("give_up").set(0)
    with pytest.raises(paquet.Automaton.ErrorState):
        door.run()
    door.timer_by_name("give_up").set(30)


def test_breakpoints_and_single_steps_as_scapy() -> None:
    scapy = _scapy()
    seen = []
    for m in (paquet, scapy):
        door = _machines(m)["Door"](code="1", ll=lambda: None, recvsock=lambda: None)
        door.add_breakpoints("OPEN")
        door.runbg()
        door.io.keys.send("1")
        with pytest.raises(m.Automaton.Breakpoint) as stop:
            door.run()
        states = [stop.value.state]
        while True:
            try:
                result = next(door)
            except m.Automaton.Singlestep as step:
                states.append(step.state)
            else:
                break
        seen.append((states, result))
    # The breakpoint holds, then each next() is one step. Scapy gives the same, except when its
    # control thread takes run()'s command, sent before the breakpoint, as the answer to it (a
    # race of its threads under load: then it runs on to the end). paquet drops such commands.
    ours, theirs = seen
    assert ours[0][0] == "OPEN" and len(ours[0]) > 1
    assert theirs == ours or (theirs[0] == ["OPEN"] and theirs[1] == ours[1])
