"""Build hook for the optional C accelerator (paquet.layers._quick).

Everything else about the package is in pyproject.toml. The extension is optional: without a
C compiler the install still succeeds and paquet runs on its pure Python parsers (slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "paquet.layers._quick",
            ["src/paquet/layers/_quick.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
