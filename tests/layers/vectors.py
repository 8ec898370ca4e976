"""Byte vectors from real traffic, one or more per layer: dissect, check the fields, build back.

Captured with tcpdump on a veth pair between two network namespaces (192.0.2.1 at
02:00:00:00:0a:01, 192.0.2.2 at 02:00:00:00:0b:01): ping, a TCP connect to a closed port, a
connection to a listening port sending b"hello", a UDP datagram to a closed port. Each vector
carries the tcpdump line. Frames sent by 192.0.2.1 were captured before the kernel filled their
TCP/UDP checksums (checksum offload on veth): paquet must keep those values and flag them, as
Scapy's recomputation confirms.
"""

from __future__ import annotations

# 04:44:50.159207 02:00:00:00:0a:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42:
# Request who-has 192.0.2.2 tell 192.0.2.1, length 28
ARP_REQUEST = bytes.fromhex(
    "ffffffffffff020000000a0108060001080006040001020000000a01c0000201000000000000c0000202"
)
# 04:44:50.159219 02:00:00:00:0b:01 > 02:00:00:00:0a:01, ethertype ARP (0x0806), length 42:
# Reply 192.0.2.2 is-at 02:00:00:00:0b:01, length 28
ARP_REPLY = bytes.fromhex(
    "020000000a01020000000b0108060001080006040002020000000b01c0000202020000000a01c0000201"
)
# 04:44:50.159222 02:00:00:00:0a:01 > 02:00:00:00:0b:01, ethertype IPv4 (0x0800), length 98:
# 192.0.2.1 > 192.0.2.2: ICMP echo request, id 6959, seq 1, length 64
ECHO_REQUEST = bytes.fromhex(
    "020000000b01020000000a010800450000542de84000400188bdc0000201c00002020800fbb01b2f0001"
    "4273026b00000000db6d020000000000101112131415161718191a1b1c1d1e1f20212223242526272829"
    "2a2b2c2d2e2f3031323334353637"
)
# 04:44:50.159231 02:00:00:00:0b:01 > 02:00:00:00:0a:01, ethertype IPv4 (0x0800), length 98:
# 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 6959, seq 1, length 64
ECHO_REPLY = bytes.fromhex(
    "020000000a01020000000b01080045000054050100004001f1a4c0000202c0000201000003b11b2f0001"
    "4273026b00000000db6d020000000000101112131415161718191a1b1c1d1e1f20212223242526272829"
    "2a2b2c2d2e2f3031323334353637"
)
# 04:44:50.276511 02:00:00:00:0a:01 > 02:00:00:00:0b:01, ethertype IPv4 (0x0800), length 74:
# 192.0.2.1.41258 > 192.0.2.2.81: Flags [S], seq 155793622, win 64240,
# options [mss 1460,sackOK,TS val 3048604144 ecr 0,nop,wscale 10], length 0
SYN = bytes.fromhex(
    "020000000b01020000000a0108004500003c701f400040064699c0000201c0000202a12a0051094938d6"
    "00000000a002faf084320000020405b40402080ab5b601f0000000000103030a"
)
# 04:44:50.276533 02:00:00:00:0b:01 > 02:00:00:00:0a:01, ethertype IPv4 (0x0800), length 54:
# 192.0.2.2.81 > 192.0.2.1.41258: Flags [R.], seq 0, ack 155793623, win 0, length 0
RST_ACK = bytes.fromhex(
    "020000000a01020000000b01080045000028000040004006b6ccc0000202c00002010051a12a00000000"
    "094938d75014000048310000"
)
# 04:44:50.276647 02:00:00:00:0b:01 > 02:00:00:00:0a:01, ethertype IPv4 (0x0800), length 74:
# 192.0.2.2.8080 > 192.0.2.1.34624: Flags [S.], seq 2145672917, ack 1582448433, win 65160,
# options [mss 1460,sackOK,TS val 1232757042 ecr 3251008590,nop,wscale 10], length 0
SYN_ACK = bytes.fromhex(
    "020000000a01020000000b0108004500003c000040004006b6b8c0000202c00002011f9087407fe45ed5"
    "5e523f31a012fe8884320000020405b40402080a497a6132c1c6744e0103030a"
)
# 04:44:50.276675 02:00:00:00:0a:01 > 02:00:00:00:0b:01, ethertype IPv4 (0x0800), length 71:
# 192.0.2.1.34624 > 192.0.2.2.8080: Flags [P.], seq 1:6, ack 1, win 63,
# options [nop,nop,TS val 3251008590 ecr 1232757042], length 5: HTTP
PSH_HELLO = bytes.fromhex(
    "020000000b01020000000a0108004500003984c14000400631fac0000201c000020287401f905e523f31"
    "7fe45ed68018003f842f00000101080ac1c6744e497a613268656c6c6f"
)
# 04:44:50.276717 02:00:00:00:0a:01 > 02:00:00:00:0b:01, ethertype IPv4 (0x0800), length 47:
# 192.0.2.1.45116 > 192.0.2.2.33434: UDP, length 5
UDP_PROBE = bytes.fromhex(
    "020000000b01020000000a0108004500002175e04000401140e8c0000201c0000202b03c829a000d8422"
    "70726f6265"
)
# 04:44:50.276729 02:00:00:00:0b:01 > 02:00:00:00:0a:01, ethertype IPv4 (0x0800), length 75:
# 192.0.2.2 > 192.0.2.1: ICMP 192.0.2.2 udp port 33434 unreachable, length 41
PORT_UNREACHABLE = bytes.fromhex(
    "020000000a01020000000b01080045c0003d050d00004001f0efc0000202c0000201030301210000000045"
    "00002175e04000401140e8c0000201c0000202b03c829a000d842270726f6265"
)
# Derived, not captured (no 802.1q module in this kernel): ARP_REQUEST with a VLAN 7 tag
# (priority 5) inserted after the source MAC, as a trunk port would carry it.
ARP_REQUEST_VLAN7 = ARP_REQUEST[:12] + bytes.fromhex("8100a007") + ARP_REQUEST[12:]

ALL = [ARP_REQUEST, ARP_REPLY, ECHO_REQUEST, ECHO_REPLY, SYN, RST_ACK, SYN_ACK, PSH_HELLO,
       UDP_PROBE, PORT_UNREACHABLE, ARP_REQUEST_VLAN7]
