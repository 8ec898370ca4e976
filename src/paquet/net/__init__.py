"""The only code that touches sockets: routes, neighbours, sockets, send/receive, sniffing.

Submodules are imported on demand (``paquet.net.sendrecv``, ``paquet.net.route``, ...); this
package itself imports nothing, so ``import paquet`` stays fast.
"""
