"""``@dataclass`` for the probes' result records, without importing :mod:`dataclasses`.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``...): about a
third of ``paquet ping``'s start-up before its first request leaves. The records the probes
return need only what ``@dataclass`` and ``@dataclass(slots=True)`` generate by default, which
this module generates the same way: ``__init__`` (fields in order, defaults, ``field(
default_factory=...)``), ``__repr__``, ``__eq__`` (same class, fields compared as a tuple),
``__hash__ = None`` and ``__match_args__``; ``slots=True`` makes a class with ``__slots__``.
Not supported (use :mod:`dataclasses` for them): ``frozen``, ``order``, ``kw_only``,
``InitVar``, ``__post_init__``, ``dataclasses.fields()`` and ``replace()`` on these classes.
``tests/probe/test_records.py`` checks the generated methods against ``dataclasses``'.

>>> @dataclass
... class Hop:
...     address: str
...     rtts: list[float] = field(default_factory=list)
...     reached: bool = False
>>> Hop("192.0.2.1"), Hop("192.0.2.1") == Hop("192.0.2.1", [], False)
(Hop(address='192.0.2.1', rtts=[], reached=False), True)
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, dataclass_transform
else:
    def dataclass_transform(**_kw):  # the type checker's: nothing to do when running
        return lambda f: f

__all__ = ["dataclass", "field"]


class _Factory:
    """What :func:`field` returns: the default's factory, called once per instance."""

    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], object]) -> None:
        self.factory = factory


class _NoValue:
    """The default of a field that has a factory (``dataclasses``' ``_HAS_DEFAULT_FACTORY``)."""

    def __repr__(self) -> str:
        return "<factory>"


_NO_VALUE = _NoValue()


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A field whose default is ``default_factory()``, made anew for each instance.

    >>> @dataclass
    ... class Bag:
    ...     items: list[int] = field(default_factory=list)
    >>> Bag().items is not Bag().items
    True
    """
    return _Factory(default_factory)


def _fields(cls: type) -> list[str]:
    """The names ``cls`` itself annotates, in order (class variables left out)."""
    names = []
    # (not inspect.get_annotations: inspect is what this module avoids importing)
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if text.startswith(("ClassVar", "typing.ClassVar")):
            continue
        names.append(name)
    return names


def _methods(cls: type, names: list[str]) -> dict[str, Any]:
    """``__init__``, ``__repr__`` and ``__eq__`` for the fields ``names`` of ``cls``."""
    env: dict[str, Any] = {"_NO_VALUE": _NO_VALUE}
    params, body = [], []
    seen_default = False
    for name in names:
        default = cls.__dict__.get(name, _NoValue)
        if default is _NoValue:
            if seen_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
            body.append(f"    self.{name} = {name}")
            continue
        seen_default = True
        if isinstance(default, _Factory):
            env[f"_factory_{name}"] = default.factory
            params.append(f"{name}=_NO_VALUE")
            body.append(f"    self.{name} = _factory_{name}() if {name} is _NO_VALUE else {name}")
        else:
            env[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
            body.append(f"    self.{name} = {name}")
    source = "\n".join([
        f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):",
        *(body or ["    pass"]),
    ])
    # only the constructor is compiled (its signature is the fields'); compiling costs
    # start-up, so __repr__ and __eq__ read the fields by name
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), env)
    fields = tuple(names)

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return (tuple(getattr(self, n) for n in fields)
                    == tuple(getattr(other, n) for n in fields))
        return NotImplemented

    methods = {"__init__": env["__init__"], "__repr__": __repr__, "__eq__": __eq__}
    for method in methods.values():
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    return methods


def _process(cls: type, slots: bool) -> type:
    names = _fields(cls)
    methods = _methods(cls, names)
    if slots:
        ns = {k: v for k, v in cls.__dict__.items()
              if k not in names and k not in ("__dict__", "__weakref__")}
        ns["__slots__"] = tuple(names)
        qualname = cls.__qualname__
        cls = type(cls)(cls.__name__, cls.__bases__, ns)
        cls.__qualname__ = qualname
    else:
        for name in names:  # the factories' markers are not class defaults
            if isinstance(cls.__dict__.get(name), _Factory):
                delattr(cls, name)
    for name, method in methods.items():
        setattr(cls, name, method)
    cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value
    setattr(cls, "__match_args__", tuple(names))  # noqa: B010  (a name the checker reserves)
    return cls


@dataclass_transform(field_specifiers=(field,))
def dataclass(cls: type | None = None, /, *, slots: bool = False) -> Any:
    """``cls`` with the methods ``dataclasses.dataclass`` generates by default; as
    ``@dataclass`` or ``@dataclass(slots=True)``.

    >>> @dataclass(slots=True)
    ... class Probe:
    ...     ttl: int
    ...     rtt: float | None = None
    >>> Probe(3), hasattr(Probe(3), "__dict__")
    (Probe(ttl=3, rtt=None), False)
    """
    def wrap(c: type) -> type:
        return _process(c, slots)

    return wrap if cls is None else wrap(cls)
