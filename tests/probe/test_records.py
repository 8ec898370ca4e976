"""``paquet.probe.records.dataclass`` against ``dataclasses.dataclass``: the same records, the
same constructor, repr, equality, hashing and slots, class by class (PingEvent, PingResult)."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any, ClassVar

import pytest

from paquet.probe import records


def _pair(slots: bool) -> tuple[type, type]:
    """The same class body under both decorators."""
    made = []
    for mod in (dataclasses, records):
        @mod.dataclass(slots=slots)
        class Rec:
            """A record."""

            kind: str
            seq: int
            rtt: float | None = None
            """A documented field."""
            events: list[int] = mod.field(default_factory=list)
            flag: bool = False
            shared: ClassVar[int] = 7

            def line(self) -> str:
                return f"{self.kind} {self.seq}"

        made.append(Rec)
    return made[0], made[1]


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("reply", 1), {}),
    (("reply", 1, 0.5), {}),
    (("error", 2), {"flag": True, "events": [1, 2]}),
    ((), {"kind": "x", "seq": 3, "rtt": None}),
]
BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}), (("reply",), {}), (("a", 1, 2, [], True, 9), {}), (("a", 1), {"nosuch": 1}),
    (("a",), {"kind": "b", "seq": 1}),
]


@pytest.mark.parametrize("slots", [False, True])
def test_records_behave_as_dataclasses(slots: bool) -> None:
    ref, ours = _pair(slots)
    for args, kw in CALLS:
        a, b = ref(*args, **kw), ours(*args, **kw)
        assert repr(a) == repr(b)
        assert (b == ours(*args, **kw)) and (a == ref(*args, **kw))
        assert (b != ours("other", 99)) and (a != ref("other", 99))
        assert vars_of(a) == vars_of(b)
        assert b.line() == a.line()
        assert hasattr(b, "__dict__") == hasattr(a, "__dict__")
    assert getattr(ours, "__match_args__") == getattr(ref, "__match_args__")  # noqa: B009
    assert ours.__hash__ is None and ref.__hash__ is None
    assert ours.shared == ref.shared == 7
    assert ours.__doc__ == ref.__doc__ and ours.__qualname__.endswith("Rec")
    assert ours("a", 1).events is not ours("a", 1).events
    assert (ours("a", 1) == ref("a", 1)) is False  # another class: not equal, as dataclasses
    for args, kw in BAD_CALLS:
        with pytest.raises(TypeError):
            ref(*args, **kw)
        with pytest.raises(TypeError):
            ours(*args, **kw)


def vars_of(obj: object) -> dict[str, object]:
    return {n: getattr(obj, n) for n in ("kind", "seq", "rtt", "events", "flag")}


def test_a_field_without_default_after_one_with_is_refused() -> None:
    for mod in (dataclasses, records):
        with pytest.raises(TypeError):
            @mod.dataclass
            class Bad:
                a: int = 0
                b: int


def _rebuilt(cls: type, slots: bool) -> type:
    """``cls`` made again by dataclasses from its fields and its constructor's defaults."""
    names = cls.__match_args__  # type: ignore[attr-defined]
    defaults = cls.__init__.__defaults__ or ()  # type: ignore[misc]
    specs: list[Any] = []
    for i, name in enumerate(names):
        k = i - (len(names) - len(defaults))
        if k < 0:
            specs.append((name, object))
        elif repr(defaults[k]) == "<factory>":
            specs.append((name, object, dataclasses.field(default_factory=list)))
        else:
            specs.append((name, object, dataclasses.field(default=defaults[k])))
    return dataclasses.make_dataclass(cls.__name__, specs, slots=slots)


def test_ping_records_are_what_dataclasses_would_make() -> None:
    """PingEvent and PingResult, made again with dataclasses from their own fields and
    defaults, construct, print and compare the same."""
    from paquet.probe.ping import PingEvent, PingResult

    ref_event = _rebuilt(PingEvent, True)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (("reply", 1, "192.0.2.1", 64, 63, 0.001), {"duplicate": True}),
        (("error", 2, "192.0.2.254"), {"message": "Time to live exceeded"})]
    for args, kw in calls:
        ours, ref = PingEvent(*args, **kw), ref_event(*args, **kw)
        assert repr(ours) == repr(ref)
        assert hasattr(ours, "__dict__") == hasattr(ref, "__dict__") is False
    ref_result = _rebuilt(PingResult, False)
    ours_r, ref_r = PingResult("h", "192.0.2.1", 56), ref_result("h", "192.0.2.1", 56)
    assert repr(ours_r) == repr(ref_r)
    ours_r.events.append(PingEvent("reply", 1, "192.0.2.1"))
    assert PingResult("h", "192.0.2.1", 56).events == []
    assert ours_r != PingResult("h", "192.0.2.1", 56)
    assert pickle.loads(pickle.dumps(ours_r)) == ours_r
