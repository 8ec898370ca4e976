"""The probe engine (raw-byte templates, stateless cookies, rate control, randomised order) and
the tools built on it: :func:`ping`, :func:`trace`, :func:`scan`, :func:`discover`.

Nothing here is imported by ``import paquet``; the names load lazily through ``paquet``'s map.
"""
