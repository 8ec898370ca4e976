/*
 * paquet.probe._burst: the SYN scan's per-probe loop in C, sent and received in batches.
 *
 * The Python path (paquet.probe.scan_raw._Space.send_batch with paquet.probe.cookies and
 * paquet.probe.wire.Template.build_syn) is the specification and the fallback when this module
 * is not built; tests/probe/test_burst.py compares the two byte for byte.
 *
 *   cookie(key, data) -> int   (data: 1 to 128 bytes)
 *       keyed BLAKE2b with a 4-byte digest, read big-endian: Cookies._h32 (RFC 7693, written
 *       from the RFC; one compression per probe once the key block is done).
 *   syn_packets(key, template, ip_len, csum_off, base, sport, ports) -> list[bytes]
 *       the SYN probes Template.build_syn makes for each port (the cookie as sequence number).
 *   syn_send(fd, key, template, ip_len, csum_off, base, sport, ports, dst) -> int
 *       the same probes sent with sendmmsg(2) in batches of 64 to dst (a packed IPv4 or IPv6
 *       address) on a raw socket; the number the kernel took (it stops at the first refusal).
 *   recv_many(fd, limit) -> list[bytes]
 *       up to limit queued packets read with recvmmsg(2), without blocking.
 *   syn_recv(...) -> (slots, others)
 *       the same, with the one-host SYN scan's IPv4 TCP answers judged in C (see below).
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* ---- BLAKE2b (RFC 7693) ------------------------------------------------------------------ */

static const uint64_t IV[8] = {
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL, 0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
};

static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#define G(a, b, c, d, x, y)                                                                    \
    do {                                                                                       \
        v[a] = v[a] + v[b] + (x);                                                              \
        v[d] = rotr64(v[d] ^ v[a], 32);                                                        \
        v[c] = v[c] + v[d];                                                                    \
        v[b] = rotr64(v[b] ^ v[c], 24);                                                        \
        v[a] = v[a] + v[b] + (y);                                                              \
        v[d] = rotr64(v[d] ^ v[a], 16);                                                        \
        v[c] = v[c] + v[d];                                                                    \
        v[b] = rotr64(v[b] ^ v[c], 63);                                                        \
    } while (0)

/* F: compress one 128-byte block into h; t = bytes hashed so far, last = final block. */
static void compress(uint64_t h[8], const uint8_t block[128], uint64_t t, int last)
{
    uint64_t v[16], m[16];
    for (int i = 0; i < 16; i++)
        m[i] = load64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= t;
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

/* The state after the key block of a keyed, 4-byte-digest BLAKE2b (key of 1..64 bytes). */
static void keyed_init(uint64_t h[8], const uint8_t *key, size_t keylen)
{
    uint8_t block[128] = {0};
    for (int i = 0; i < 8; i++)
        h[i] = IV[i];
    h[0] ^= 0x01010000ULL ^ ((uint64_t)keylen << 8) ^ 4;
    memcpy(block, key, keylen);
    compress(h, block, 128, 0);
}

/* The 4-byte digest of msg (at most 128 bytes) read big-endian, from a keyed_init state. */
static uint32_t keyed_digest(const uint64_t h0[8], const uint8_t *msg, size_t len)
{
    uint64_t h[8];
    uint8_t block[128] = {0};
    memcpy(h, h0, sizeof h);
    memcpy(block, msg, len);
    compress(h, block, 128 + len, 1);
    /* digest bytes are h[0] little-endian; the Python side reads them big-endian */
    return (uint32_t)((h[0] & 0xFF) << 24 | ((h[0] >> 8) & 0xFF) << 16 | ((h[0] >> 16) & 0xFF) << 8 |
                      ((h[0] >> 24) & 0xFF));
}

static int get_key(Py_buffer *key, uint64_t h[8])
{
    if (key->len < 1 || key->len > 64) {
        PyErr_SetString(PyExc_ValueError, "the key must hold 1 to 64 bytes");
        return -1;
    }
    keyed_init(h, key->buf, (size_t)key->len);
    return 0;
}

static PyObject *cookie(PyObject *self, PyObject *args)
{
    Py_buffer key, data;
    uint64_t h[8];
    if (!PyArg_ParseTuple(args, "y*y*", &key, &data))
        return NULL;
    PyObject *r = NULL;
    if (data.len < 1 || data.len > 128)
        PyErr_SetString(PyExc_ValueError, "the data must hold 1 to 128 bytes");
    else if (get_key(&key, h) == 0)
        r = PyLong_FromUnsignedLong(keyed_digest(h, data.buf, (size_t)data.len));
    PyBuffer_Release(&key);
    PyBuffer_Release(&data);
    return r;
}

/* ---- SYN probes -------------------------------------------------------------------------- */

#define BATCH 64
#define MAXPKT 128

typedef struct {
    uint64_t h[8];        /* keyed hash state after the key block */
    uint8_t msg[40];      /* src + dst + port */
    size_t addrs;         /* bytes of src + dst (8 or 32) */
    const uint8_t *tmpl;  /* the template packet */
    size_t len, ip_len, csum_off;
    uint64_t base;        /* the template's partial checksum sum */
    unsigned sport;
} Syn;

static int syn_setup(Syn *s, Py_buffer *key, Py_buffer *tmpl, Py_ssize_t ip_len,
                     Py_ssize_t csum_off, unsigned long long base, unsigned sport)
{
    if (get_key(key, s->h) < 0)
        return -1;
    if ((ip_len != 20 && ip_len != 40) || tmpl->len > MAXPKT || tmpl->len < ip_len + 20 ||
        csum_off + 2 > tmpl->len || sport > 0xFFFF) {
        PyErr_SetString(PyExc_ValueError, "not a TCP SYN template");
        return -1;
    }
    const uint8_t *t = tmpl->buf;
    s->addrs = ip_len == 20 ? 8 : 32;
    memcpy(s->msg, t + (ip_len == 20 ? 12 : 8), s->addrs);
    s->tmpl = t;
    s->len = (size_t)tmpl->len;
    s->ip_len = (size_t)ip_len;
    s->csum_off = (size_t)csum_off;
    s->base = base;
    s->sport = sport;
    return 0;
}

/* Write the probe for port into out (s->len bytes): Template.build_syn with the cookie. */
static void syn_build(Syn *s, unsigned port, uint8_t *out)
{
    s->msg[s->addrs] = (uint8_t)(port >> 8);
    s->msg[s->addrs + 1] = (uint8_t)port;
    uint32_t seq = keyed_digest(s->h, s->msg, s->addrs + 2);
    memcpy(out, s->tmpl, s->len);
    uint8_t *l4 = out + s->ip_len;
    l4[0] = (uint8_t)(s->sport >> 8);
    l4[1] = (uint8_t)s->sport;
    l4[2] = (uint8_t)(port >> 8);
    l4[3] = (uint8_t)port;
    l4[4] = (uint8_t)(seq >> 24);
    l4[5] = (uint8_t)(seq >> 16);
    l4[6] = (uint8_t)(seq >> 8);
    l4[7] = (uint8_t)seq;
    memset(l4 + 8, 0, 4);
    uint64_t total = s->base + s->sport + port + (seq >> 16) + (seq & 0xFFFF);
    while (total >> 16)
        total = (total & 0xFFFF) + (total >> 16);
    uint16_t check = (uint16_t)~total;
    out[s->csum_off] = (uint8_t)(check >> 8);
    out[s->csum_off + 1] = (uint8_t)check;
}

/* The ports: a sequence of ints in 0..65535, into a new array (n set). */
static unsigned *get_ports(PyObject *seq, Py_ssize_t *n)
{
    PyObject *fast = PySequence_Fast(seq, "ports must be a sequence of ints");
    if (fast == NULL)
        return NULL;
    *n = PySequence_Fast_GET_SIZE(fast);
    unsigned *ports = PyMem_Malloc(sizeof(unsigned) * (size_t)(*n ? *n : 1));
    if (ports == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < *n; i++) {
        long v = PyLong_AsLong(items[i]);
        if (v == -1 && PyErr_Occurred()) {
            PyMem_Free(ports);
            Py_DECREF(fast);
            return NULL;
        }
        if (v < 0 || v > 0xFFFF) {
            PyErr_SetString(PyExc_ValueError, "a port is outside 0..65535");
            PyMem_Free(ports);
            Py_DECREF(fast);
            return NULL;
        }
        ports[i] = (unsigned)v;
    }
    Py_DECREF(fast);
    return ports;
}

static PyObject *syn_packets(PyObject *self, PyObject *args)
{
    Py_buffer key, tmpl;
    Py_ssize_t ip_len, csum_off, n = 0;
    unsigned long long base;
    unsigned int sport;
    PyObject *seq, *out = NULL;
    Syn s;
    if (!PyArg_ParseTuple(args, "y*y*nnKIO", &key, &tmpl, &ip_len, &csum_off, &base, &sport,
                          &seq))
        return NULL;
    unsigned *ports = NULL;
    if (syn_setup(&s, &key, &tmpl, ip_len, csum_off, base, sport) < 0)
        goto done;
    if ((ports = get_ports(seq, &n)) == NULL)
        goto done;
    if ((out = PyList_New(n)) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)s.len);
        if (b == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        syn_build(&s, ports[i], (uint8_t *)PyBytes_AS_STRING(b));
        PyList_SET_ITEM(out, i, b);
    }
done:
    PyMem_Free(ports);
    PyBuffer_Release(&key);
    PyBuffer_Release(&tmpl);
    return out;
}

static PyObject *syn_send(PyObject *self, PyObject *args)
{
    Py_buffer key, tmpl, dst;
    Py_ssize_t ip_len, csum_off, n = 0, sent = 0;
    unsigned long long base;
    unsigned int sport;
    int fd;
    PyObject *seq, *result = NULL;
    Syn s;
    if (!PyArg_ParseTuple(args, "iy*y*nnKIOy*", &fd, &key, &tmpl, &ip_len, &csum_off, &base,
                          &sport, &seq, &dst))
        return NULL;
    unsigned *ports = NULL;
    if (syn_setup(&s, &key, &tmpl, ip_len, csum_off, base, sport) < 0)
        goto done;
    if (dst.len != (ip_len == 20 ? 4 : 16)) {
        PyErr_SetString(PyExc_ValueError, "the destination is not of the template's family");
        goto done;
    }
    if ((ports = get_ports(seq, &n)) == NULL)
        goto done;
    struct sockaddr_storage sa;
    socklen_t salen;
    memset(&sa, 0, sizeof sa);
    if (ip_len == 20) {
        struct sockaddr_in *a = (struct sockaddr_in *)&sa;
        a->sin_family = AF_INET;
        memcpy(&a->sin_addr, dst.buf, 4);
        salen = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;
        a->sin6_family = AF_INET6;
        memcpy(&a->sin6_addr, dst.buf, 16);
        salen = sizeof *a;
    }
    uint8_t bufs[BATCH][MAXPKT]; /* on the stack: two sending lanes run this at once */
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    int err = 0;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t i = 0;
    while (i < n) {
        int k = 0;
        for (; k < BATCH && i + k < n; k++) {
            syn_build(&s, ports[i + k], bufs[k]);
            iov[k].iov_base = bufs[k];
            iov[k].iov_len = s.len;
            memset(&msgs[k], 0, sizeof msgs[k]);
            msgs[k].msg_hdr.msg_name = &sa;
            msgs[k].msg_hdr.msg_namelen = salen;
            msgs[k].msg_hdr.msg_iov = &iov[k];
            msgs[k].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fd, msgs, (unsigned)k, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        sent += r;
        i += r;
        if (r < k)
            break; /* the kernel took part of the batch: the rest count as unanswered */
    }
    Py_END_ALLOW_THREADS
    if (err && err != EAGAIN && err != ENOBUFS && err != EHOSTUNREACH && err != ENETUNREACH &&
        err != EPERM && err != ECONNREFUSED && err != EMSGSIZE) {
        errno = err;
        PyErr_SetFromErrno(PyExc_OSError);
        goto done;
    }
    result = PyLong_FromSsize_t(sent);
done:
    PyMem_Free(ports);
    PyBuffer_Release(&key);
    PyBuffer_Release(&tmpl);
    PyBuffer_Release(&dst);
    return result;
}

/* ---- receiving --------------------------------------------------------------------------- */

#define RBATCH 64
#define RSIZE 2048

static PyObject *recv_many(PyObject *self, PyObject *args)
{
    int fd;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "in", &fd, &limit))
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    static uint8_t bufs[RBATCH][RSIZE];
    struct mmsghdr msgs[RBATCH];
    struct iovec iov[RBATCH];
    while (PyList_GET_SIZE(out) < limit) {
        Py_ssize_t want = limit - PyList_GET_SIZE(out);
        unsigned k = want < RBATCH ? (unsigned)want : RBATCH;
        for (unsigned j = 0; j < k; j++) {
            iov[j].iov_base = bufs[j];
            iov[j].iov_len = RSIZE;
            memset(&msgs[j], 0, sizeof msgs[j]);
            msgs[j].msg_hdr.msg_iov = &iov[j];
            msgs[j].msg_hdr.msg_iovlen = 1;
        }
        int r = recvmmsg(fd, msgs, k, MSG_DONTWAIT, NULL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            Py_DECREF(out);
            return PyErr_SetFromErrno(PyExc_OSError);
        }
        for (int j = 0; j < r; j++) {
            PyObject *b = PyBytes_FromStringAndSize((const char *)bufs[j], msgs[j].msg_len);
            if (b == NULL || PyList_Append(out, b) < 0) {
                Py_XDECREF(b);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(b);
        }
        if ((unsigned)r < k)
            break;
    }
    return out;
}

/* syn_recv(fd, limit, key, src, dst, sport_base, port_index, codes, ttls, filtered,
 *          open_code, closed_code) -> (slots, others)
 *
 * Up to limit queued packets, read with recvmmsg; the IPv4 TCP ones (IHL 5, 40 bytes at least)
 * are judged here exactly as scan_raw._Space.match's fast path judges them for a one-host SYN
 * scan (src, dst: our and the target's packed IPv4 addresses; port_index: 65536 native int32,
 * the probe index of each port or -1; filtered: 256 bytes, 1 for the codes an answer may
 * overwrite), recording new answers in codes and ttls; slots lists the send window of each new
 * answer. The other packets are returned whole in others, for the Python matcher. */
static PyObject *syn_recv(PyObject *self, PyObject *args)
{
    int fd, open_code, closed_code;
    Py_ssize_t limit;
    unsigned int base;
    Py_buffer key, src, dst, index, codes, ttls, filtered;
    if (!PyArg_ParseTuple(args, "iny*y*y*Iy*w*w*y*ii", &fd, &limit, &key, &src, &dst, &base,
                          &index, &codes, &ttls, &filtered, &open_code, &closed_code))
        return NULL;
    PyObject *slots = NULL, *others = NULL, *result = NULL;
    uint64_t h[8];
    if (get_key(&key, h) < 0)
        goto done;
    if (src.len != 4 || dst.len != 4 || index.len != 65536 * 4 || filtered.len != 256 ||
        ttls.len != codes.len) {
        PyErr_SetString(PyExc_ValueError, "syn_recv: bad addresses, index or tables");
        goto done;
    }
    slots = PyList_New(0);
    others = PyList_New(0);
    if (slots == NULL || others == NULL)
        goto done;
    const int32_t *pidx = index.buf;
    uint8_t *cd = codes.buf, *tt = ttls.buf;
    const uint8_t *flt = filtered.buf;
    uint8_t msg[10];
    memcpy(msg, src.buf, 4);
    memcpy(msg + 4, dst.buf, 4);
    static uint8_t bufs[RBATCH][RSIZE];
    struct mmsghdr msgs[RBATCH];
    struct iovec iov[RBATCH];
    Py_ssize_t seen = 0;
    while (seen < limit) {
        Py_ssize_t want = limit - seen;
        unsigned k = want < RBATCH ? (unsigned)want : RBATCH;
        for (unsigned j = 0; j < k; j++) {
            iov[j].iov_base = bufs[j];
            iov[j].iov_len = RSIZE;
            memset(&msgs[j], 0, sizeof msgs[j]);
            msgs[j].msg_hdr.msg_iov = &iov[j];
            msgs[j].msg_hdr.msg_iovlen = 1;
        }
        int r = recvmmsg(fd, msgs, k, MSG_DONTWAIT, NULL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            PyErr_SetFromErrno(PyExc_OSError);
            goto done;
        }
        seen += r;
        for (int j = 0; j < r; j++) {
            const uint8_t *d = bufs[j];
            unsigned n = msgs[j].msg_len;
            if (!(n >= 40 && d[0] == 0x45 && d[9] == 6)) {
                PyObject *b = PyBytes_FromStringAndSize((const char *)d, n);
                if (b == NULL || PyList_Append(others, b) < 0) {
                    Py_XDECREF(b);
                    goto done;
                }
                Py_DECREF(b);
                continue;
            }
            unsigned sport = (unsigned)d[20] << 8 | d[21];
            unsigned dport = (unsigned)d[22] << 8 | d[23];
            uint32_t ack = (uint32_t)d[28] << 24 | (uint32_t)d[29] << 16 |
                           (uint32_t)d[30] << 8 | d[31];
            unsigned flags = d[33];
            long slot = (long)dport - (long)base;
            if (slot < 0 || slot >= 256 || !(flags & 0x10))
                continue;
            int32_t p = pidx[sport];
            if (p < 0 || memcmp(d + 12, dst.buf, 4) != 0 || memcmp(d + 16, src.buf, 4) != 0)
                continue;
            msg[8] = (uint8_t)(sport >> 8);
            msg[9] = (uint8_t)sport;
            if (ack != (uint32_t)(keyed_digest(h, msg, 10) + 1u))
                continue;
            int code;
            if (flags & 0x04)
                code = closed_code;
            else if (flags & 0x02)
                code = open_code;
            else
                continue;
            if (p >= codes.len)
                continue;
            uint8_t old = cd[p];
            if (old && !flt[old])
                continue; /* first answer wins, except a TCP answer over an ICMP error */
            cd[p] = (uint8_t)code;
            tt[p] = d[8];
            if (!old) {
                PyObject *v = PyLong_FromLong(slot);
                if (v == NULL || PyList_Append(slots, v) < 0) {
                    Py_XDECREF(v);
                    goto done;
                }
                Py_DECREF(v);
            }
        }
        if ((unsigned)r < k)
            break;
    }
    result = PyTuple_Pack(2, slots, others);
done:
    Py_XDECREF(slots);
    Py_XDECREF(others);
    PyBuffer_Release(&key);
    PyBuffer_Release(&src);
    PyBuffer_Release(&dst);
    PyBuffer_Release(&index);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&ttls);
    PyBuffer_Release(&filtered);
    return result;
}

static PyMethodDef methods[] = {
    {"syn_recv", syn_recv, METH_VARARGS,
     "Read queued packets and judge the SYN scan's IPv4 TCP answers."},
    {"cookie", cookie, METH_VARARGS, "Keyed BLAKE2b, 4-byte digest, as a big-endian int."},
    {"syn_packets", syn_packets, METH_VARARGS, "The SYN probes for ports, as bytes."},
    {"syn_send", syn_send, METH_VARARGS, "Send the SYN probes for ports with sendmmsg."},
    {"recv_many", recv_many, METH_VARARGS, "Read up to limit queued packets with recvmmsg."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paquet.probe._burst",
    "The SYN scan's per-probe loop in C (sendmmsg, recvmmsg).", -1, methods, NULL, NULL, NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__burst(void) { return PyModule_Create(&module); }
