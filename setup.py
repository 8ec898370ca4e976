"""Build hook for the optional C accelerators (paquet.layers._quick, paquet.packet._fastcall,
paquet.frame._columns, paquet.probe._burst).

Everything else about the package is in pyproject.toml. The extension is optional: without a
C compiler the install still succeeds and paquet runs on pure Python (slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "paquet.layers._quick",
            ["src/paquet/layers/_quick.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "paquet.probe._burst",
            ["src/paquet/probe/_burst.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "paquet.packet._fastcall",
            ["src/paquet/packet/_fastcall.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "paquet.frame._columns",
            ["src/paquet/frame/_columns.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
    ]
)
