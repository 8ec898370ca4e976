"""TLS registries (IANA): record and handshake types, versions, cipher suites, extensions,
named groups, signature schemes, alerts; and GREASE (RFC 8701). Names as Scapy shows them.

The cipher suite table is parsed from its text on first use (:func:`cipher_suites`).

>>> cipher_suites()[0x1301], is_grease(0x0A0A), TLS_VERSIONS[0x0303]
('TLS_AES_128_GCM_SHA256', True, 'TLS 1.2')
"""

from __future__ import annotations

__all__ = ["TLS_ALERT_DESCR", "TLS_ALERT_LEVEL", "TLS_CONTENT_TYPES", "TLS_EXTENSIONS",
           "TLS_HANDSHAKE_TYPES", "TLS_NAMED_GROUPS", "TLS_SIG_SCHEMES", "TLS_VERSIONS",
           "cipher_suites", "is_grease"]

TLS_CONTENT_TYPES = {20: "change_cipher_spec", 21: "alert", 22: "handshake",
                     23: "application_data"}

TLS_VERSIONS = {0x0002: "SSLv2", 0x0200: "SSLv2", 0x0300: "SSLv3", 0x0301: "TLS 1.0",
                0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x7F12: "TLS 1.3-d18",
                0x7F13: "TLS 1.3-d19", 0x0304: "TLS 1.3"}

TLS_HANDSHAKE_TYPES = {
    0: "hello_request", 1: "client_hello", 2: "server_hello", 3: "hello_verify_request",
    4: "session_ticket", 5: "end_of_early_data", 6: "hello_retry_request",
    8: "encrypted_extensions", 11: "certificate", 12: "server_key_exchange",
    13: "certificate_request", 14: "server_hello_done", 15: "certificate_verify",
    16: "client_key_exchange", 20: "finished", 21: "certificate_url",
    22: "certificate_status", 23: "supplemental_data", 24: "key_update"}

TLS_ALERT_LEVEL = {1: "warning", 2: "fatal"}

TLS_ALERT_DESCR = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
    40: "handshake_failure", 41: "no_certificate_RESERVED", 42: "bad_certificate",
    43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
    46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
    49: "access_denied", 50: "decode_error", 51: "decrypt_error",
    60: "export_restriction_RESERVED", 70: "protocol_version",
    71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
    90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
    110: "unsupported_extension", 111: "certificate_unobtainable",
    112: "unrecognized_name", 113: "bad_certificate_status_response",
    114: "bad_certificate_hash_value", 115: "unknown_psk_identity",
    116: "certificate_required", 120: "no_application_protocol"}

TLS_EXTENSIONS = {
    0: "server_name", 1: "max_fragment_length", 2: "client_certificate_url",
    3: "trusted_ca_keys", 4: "truncated_hmac", 5: "status_request", 6: "user_mapping",
    7: "client_authz", 8: "server_authz", 9: "cert_type", 10: "supported_groups",
    11: "ec_point_formats", 13: "signature_algorithms", 0x0F: "heartbeat", 0x10: "alpn",
    0x12: "signed_certificate_timestamp", 0x13: "client_certificate_type",
    0x14: "server_certificate_type", 0x15: "padding", 0x16: "encrypt_then_mac",
    0x17: "extended_master_secret", 0x1C: "record_size_limit", 0x23: "session_ticket",
    0x29: "pre_shared_key", 0x2A: "early_data_indication", 0x2B: "supported_versions",
    0x2C: "cookie", 0x2D: "psk_key_exchange_modes", 0x2F: "certificate_authorities",
    0x30: "oid_filters", 0x31: "post_handshake_auth", 0x32: "signature_algorithms_cert",
    0x33: "key_share", 0x39: "quic_transport_parameters",
    0x3374: "next_protocol_negotiation", 0xFF01: "renegotiation_info",
    0xFFCE: "encrypted_server_name"}

TLS_NAMED_GROUPS = {
    1: "sect163k1", 2: "sect163r1", 3: "sect163r2", 4: "sect193r1", 5: "sect193r2",
    6: "sect233k1", 7: "sect233r1", 8: "sect239k1", 9: "sect283k1", 10: "sect283r1",
    11: "sect409k1", 12: "sect409r1", 13: "sect571k1", 14: "sect571r1", 15: "secp160k1",
    16: "secp160r1", 17: "secp160r2", 18: "secp192k1", 19: "secp192r1", 20: "secp224k1",
    21: "secp224r1", 22: "secp256k1", 23: "secp256r1", 24: "secp384r1", 25: "secp521r1",
    26: "brainpoolP256r1", 27: "brainpoolP384r1", 28: "brainpoolP512r1", 29: "x25519",
    30: "x448", 256: "ffdhe2048", 257: "ffdhe3072", 258: "ffdhe4096", 259: "ffdhe6144",
    260: "ffdhe8192", 0x11EC: "X25519MLKEM768", 0xFF01: "arbitrary_explicit_prime_curves",
    0xFF02: "arbitrary_explicit_char2_curves"}

TLS_SIG_SCHEMES = {
    0x0201: "sha1+rsa", 0x0203: "sha1+ecdsa", 0x0401: "sha256+rsa", 0x0403: "sha256+ecdsa",
    0x0501: "sha384+rsa", 0x0503: "sha384+ecdsa", 0x0601: "sha512+rsa",
    0x0603: "sha512+ecdsa", 0x0804: "sha256+rsaepss", 0x0805: "sha384+rsaepss",
    0x0806: "sha512+rsaepss", 0x0807: "ed25519", 0x0808: "ed448",
    0x0809: "sha256+rsapss", 0x080A: "sha384+rsapss", 0x080B: "sha512+rsapss",
    0x0101: "md5+rsa", 0x0202: "sha1+dsa", 0x0402: "sha256+dsa"}

# IANA TLS Cipher Suites registry (the suites met in practice), "code name" per line.
_SUITES = """
0000 TLS_NULL_WITH_NULL_NULL
0001 TLS_RSA_WITH_NULL_MD5
0002 TLS_RSA_WITH_NULL_SHA
0004 TLS_RSA_WITH_RC4_128_MD5
0005 TLS_RSA_WITH_RC4_128_SHA
000a TLS_RSA_WITH_3DES_EDE_CBC_SHA
0016 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA
002f TLS_RSA_WITH_AES_128_CBC_SHA
0032 TLS_DHE_DSS_WITH_AES_128_CBC_SHA
0033 TLS_DHE_RSA_WITH_AES_128_CBC_SHA
0035 TLS_RSA_WITH_AES_256_CBC_SHA
0038 TLS_DHE_DSS_WITH_AES_256_CBC_SHA
0039 TLS_DHE_RSA_WITH_AES_256_CBC_SHA
003b TLS_RSA_WITH_NULL_SHA256
003c TLS_RSA_WITH_AES_128_CBC_SHA256
003d TLS_RSA_WITH_AES_256_CBC_SHA256
0040 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256
0041 TLS_RSA_WITH_CAMELLIA_128_CBC_SHA
0045 TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA
0067 TLS_DHE_RSA_WITH_AES_128_CBC_SHA256
006a TLS_DHE_DSS_WITH_AES_256_CBC_SHA256
006b TLS_DHE_RSA_WITH_AES_256_CBC_SHA256
0084 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA
0088 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA
008c TLS_PSK_WITH_AES_128_CBC_SHA
008d TLS_PSK_WITH_AES_256_CBC_SHA
009c TLS_RSA_WITH_AES_128_GCM_SHA256
009d TLS_RSA_WITH_AES_256_GCM_SHA384
009e TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
009f TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
00a2 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256
00a3 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384
00a8 TLS_PSK_WITH_AES_128_GCM_SHA256
00a9 TLS_PSK_WITH_AES_256_GCM_SHA384
00ff TLS_EMPTY_RENEGOTIATION_INFO_SCSV
1301 TLS_AES_128_GCM_SHA256
1302 TLS_AES_256_GCM_SHA384
1303 TLS_CHACHA20_POLY1305_SHA256
1304 TLS_AES_128_CCM_SHA256
1305 TLS_AES_128_CCM_8_SHA256
5600 TLS_FALLBACK_SCSV
c008 TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA
c009 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
c00a TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
c011 TLS_ECDHE_RSA_WITH_RC4_128_SHA
c012 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
c013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
c014 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
c023 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
c024 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
c027 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
c028 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
c02b TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
c02c TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
c02f TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
c030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
c09c TLS_RSA_WITH_AES_128_CCM
c09d TLS_RSA_WITH_AES_256_CCM
c09e TLS_DHE_RSA_WITH_AES_128_CCM
c09f TLS_DHE_RSA_WITH_AES_256_CCM
c0ac TLS_ECDHE_ECDSA_WITH_AES_128_CCM
c0ad TLS_ECDHE_ECDSA_WITH_AES_256_CCM
c0ae TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
c0af TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8
cca8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
cca9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
ccaa TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
ccab TLS_PSK_WITH_CHACHA20_POLY1305_SHA256
ccac TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
ccad TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256
"""

_SUITE_TABLE: dict[int, str] = {}


def cipher_suites() -> dict[int, str]:
    """The cipher suites by number (built on first use, then shared: do not change it)."""
    if not _SUITE_TABLE:
        for line in _SUITES.split("\n"):
            if line:
                code, name = line.split()
                _SUITE_TABLE[int(code, 16)] = name
    return _SUITE_TABLE


def is_grease(value: int) -> bool:
    """True for a GREASE value (RFC 8701): 0x0A0A, 0x1A1A, ... 0xFAFA."""
    return (value & 0x0F0F) == 0x0A0A and (value >> 8) == (value & 0xFF)
