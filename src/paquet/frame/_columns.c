/* The common columns of a capture in C: paquet.frame._columns.

   What paquet/frame/quick.py does in Python (the specification; tests compare both), about
   thirty times faster: cut pcap records from a buffer, and read the Ethernet / VLAN / SLL /
   IPv4 / IPv6 / TCP / UDP / ICMP header fields of each record straight into Arrow column
   buffers (validity bitmaps, values, string offsets and data), which Python wraps without a
   copy (pyarrow.Array.from_buffers). The columns and their order are quick.COLUMNS.

   extract_pcap(buf, pos, swapped, nano, linktype, max_rows, limit, first_number, binary, stop)
       -> (rows, new_pos, status, columns)       status 0: ok / needs more bytes, 1: record too long;
                                                 no record starts at or after stop (-1: none)
   extract_records(data, offsets, ts_ns, wirelen, linktypes, first_number, binary)
       -> columns                                records already cut (pcapng): int64 offsets n+1,
                                                 int64 ns, uint32 wire lengths, int32 link types
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum kind { K_U8, K_U16, K_U32, K_U64, K_I64, K_BOOL, K_STR, K_BIN };

/* Column ids: the order of quick.COLUMNS. */
enum {
    C_NUMBER, C_TIME, C_LEN, C_CAPLEN,
    C_ETH_SRC, C_ETH_DST, C_ETH_TYPE,
    C_IP_SRC, C_IP_DST, C_IP_HDR_LEN, C_IP_LEN, C_IP_ID, C_IP_TTL, C_IP_PROTO,
    C_IP6_SRC, C_IP6_DST, C_IP6_PLEN, C_IP6_NXT, C_IP6_HLIM,
    C_TCP_SRCPORT, C_TCP_DSTPORT, C_TCP_SEQ, C_TCP_ACK, C_TCP_HDR_LEN, C_TCP_FLAGS,
    C_TCP_FIN, C_TCP_SYN, C_TCP_RST, C_TCP_PSH, C_TCP_ACKF, C_TCP_URG,
    C_TCP_WIN, C_TCP_LEN,
    C_UDP_SRCPORT, C_UDP_DSTPORT, C_UDP_LENGTH,
    C_ICMP_TYPE, C_ICMP_CODE, C_ICMP6_TYPE, C_ICMP6_CODE,
    C_VLAN_ID, C_IP_DSFIELD, C_IP_DF, C_IP_MF, C_IP_FRAG,
    C_ARP_OP, C_ARP_SPA, C_ARP_TPA,
    C_COUNT
};

static const int KINDS[C_COUNT] = {
    K_U64, K_I64, K_U32, K_U32,
    K_STR, K_STR, K_U16,
    K_STR, K_STR, K_U8, K_U16, K_U16, K_U8, K_U8,
    K_STR, K_STR, K_U16, K_U8, K_U8,
    K_U16, K_U16, K_U32, K_U32, K_U8, K_U16,
    K_BOOL, K_BOOL, K_BOOL, K_BOOL, K_BOOL, K_BOOL,
    K_U16, K_U32,
    K_U16, K_U16, K_U16,
    K_U8, K_U8, K_U8, K_U8,
    K_U16, K_U8, K_BOOL, K_BOOL, K_U16,
    K_U16, K_STR, K_STR,
};

typedef struct {
    int kind;
    int width;          /* bytes per value (K_BIN: 4 or 16), longest text for K_STR */
    PyObject *valid_o, *vals_o, *offs_o, *data_o;
    uint8_t *valid;
    uint8_t *vals;
    int32_t *offs;
    char *data;
    Py_ssize_t dlen;
} col_t;

typedef struct {
    col_t c[C_COUNT];
    int binary;
} out_t;

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void setbit(uint8_t *b, Py_ssize_t i) { b[i >> 3] |= (uint8_t)(1u << (i & 7)); }

static void out_free(out_t *o)
{
    for (int k = 0; k < C_COUNT; k++) {
        Py_CLEAR(o->c[k].valid_o);
        Py_CLEAR(o->c[k].vals_o);
        Py_CLEAR(o->c[k].offs_o);
        Py_CLEAR(o->c[k].data_o);
    }
}

static PyObject *zeroed(Py_ssize_t size)
{
    PyObject *b = PyBytes_FromStringAndSize(NULL, size);
    if (b != NULL)
        memset(PyBytes_AS_STRING(b), 0, (size_t)size);
    return b;
}

static int out_init(out_t *o, Py_ssize_t n, int binary)
{
    memset(o, 0, sizeof(*o));
    o->binary = binary;
    for (int k = 0; k < C_COUNT; k++) {
        col_t *c = &o->c[k];
        int kind = KINDS[k];
        int textw = 0;
        if (kind == K_STR) {
            if (k == C_ETH_SRC || k == C_ETH_DST)
                textw = 17;
            else if (k == C_IP_SRC || k == C_IP_DST || k == C_ARP_SPA || k == C_ARP_TPA) {
                textw = 15;
                if (binary) { kind = K_BIN; textw = 4; }
            } else {
                textw = 39 + 6;  /* an IPv6 address, ::ffff:255.255.255.255 fits */
                if (binary) { kind = K_BIN; textw = 16; }
            }
        }
        c->kind = kind;
        c->valid_o = zeroed((n + 7) / 8 + 1);
        if (c->valid_o == NULL) goto fail;
        c->valid = (uint8_t *)PyBytes_AS_STRING(c->valid_o);
        Py_ssize_t w;
        switch (kind) {
        case K_U8: w = 1; break;
        case K_U16: w = 2; break;
        case K_U32: w = 4; break;
        case K_U64: case K_I64: w = 8; break;
        case K_BOOL: w = 0; break;
        case K_BIN: w = textw; break;
        default: w = -1; break;
        }
        c->width = kind == K_STR || kind == K_BIN ? textw : (int)w;
        if (kind == K_BOOL) {
            c->vals_o = zeroed((n + 7) / 8 + 1);
        } else if (kind == K_STR) {
            c->offs_o = zeroed((n + 1) * 4);
            if (c->offs_o == NULL) goto fail;
            c->offs = (int32_t *)PyBytes_AS_STRING(c->offs_o);
            c->vals_o = PyBytes_FromStringAndSize(NULL, n * textw + 1);
            c->data_o = c->vals_o;
            Py_XINCREF(c->data_o);
        } else {
            c->vals_o = zeroed(n * w + 1);
        }
        if (c->vals_o == NULL) goto fail;
        c->vals = (uint8_t *)PyBytes_AS_STRING(c->vals_o);
        if (kind == K_STR)
            c->data = (char *)c->vals;
    }
    return 0;
fail:
    out_free(o);
    PyErr_NoMemory();
    return -1;
}

#define PUT(o, k, i, type, v) do { ((type *)(o)->c[k].vals)[i] = (type)(v); setbit((o)->c[k].valid, i); } while (0)
#define PUT8(o, k, i, v) PUT(o, k, i, uint8_t, v)
#define PUT16(o, k, i, v) PUT(o, k, i, uint16_t, v)
#define PUT32(o, k, i, v) PUT(o, k, i, uint32_t, v)

static inline void put_bool(out_t *o, int k, Py_ssize_t i, int v)
{
    if (v)
        setbit(o->c[k].vals, i);
    setbit(o->c[k].valid, i);
}

static const char HEX[] = "0123456789abcdef";

static void put_mac(out_t *o, int k, Py_ssize_t i, const uint8_t *p)
{
    col_t *c = &o->c[k];
    char *d = c->data + c->dlen;
    for (int j = 0; j < 6; j++) {
        d[3 * j] = HEX[p[j] >> 4];
        d[3 * j + 1] = HEX[p[j] & 15];
        if (j < 5)
            d[3 * j + 2] = ':';
    }
    c->dlen += 17;
    setbit(c->valid, i);
}

static char *dec8(char *d, unsigned v)
{
    if (v >= 100) { *d++ = (char)('0' + v / 100); v %= 100; *d++ = (char)('0' + v / 10); v %= 10; }
    else if (v >= 10) { *d++ = (char)('0' + v / 10); v %= 10; }
    *d++ = (char)('0' + v);
    return d;
}

static char *v4text(char *d, const uint8_t *p)
{
    for (int j = 0; j < 4; j++) {
        d = dec8(d, p[j]);
        if (j < 3)
            *d++ = '.';
    }
    return d;
}

static void put_ip4(out_t *o, int k, Py_ssize_t i, const uint8_t *p)
{
    col_t *c = &o->c[k];
    if (c->kind == K_BIN) {
        memcpy(c->vals + i * 4, p, 4);
    } else {
        char *d = c->data + c->dlen;
        c->dlen = v4text(d, p) - c->data;
    }
    setbit(c->valid, i);
}

/* inet_ntop's text (glibc's and Wireshark's): the longest run of two or more zero groups
   (the first of equals) is "::"; ::ffff:a.b.c.d and ::a.b.c.d end in dotted IPv4. */
static void put_ip6(out_t *o, int k, Py_ssize_t i, const uint8_t *p)
{
    col_t *c = &o->c[k];
    setbit(c->valid, i);
    if (c->kind == K_BIN) {
        memcpy(c->vals + i * 16, p, 16);
        return;
    }
    unsigned w[8];
    for (int j = 0; j < 8; j++)
        w[j] = be16(p + 2 * j);
    int best = -1, blen = 0, cur = -1, clen = 0;
    for (int j = 0; j < 8; j++) {
        if (w[j] == 0) {
            if (cur < 0) { cur = j; clen = 1; } else clen++;
            if (clen > blen) { best = cur; blen = clen; }
        } else cur = -1;
    }
    if (blen < 2) best = -1;
    char *d = c->data + c->dlen;
    for (int j = 0; j < 8; j++) {
        if (best >= 0 && j >= best && j < best + blen) {
            if (j == best) *d++ = ':';
            continue;
        }
        if (j != 0) *d++ = ':';
        if (j == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
            d = v4text(d, p + 12);
            break;
        }
        unsigned v = w[j];
        int started = 0;
        for (int s = 12; s >= 0; s -= 4) {
            unsigned nib = (v >> s) & 15;
            if (nib || started || s == 0) { *d++ = HEX[nib]; started = 1; }
        }
    }
    if (best >= 0 && best + blen == 8) *d++ = ':';
    c->dlen = d - c->data;
}

static void transport(out_t *o, Py_ssize_t i, int proto, int v6, const uint8_t *p, Py_ssize_t avail,
                      long l4len)
{
    if (proto == 6) {
        if (avail < 20) return;
        unsigned doff = (unsigned)(p[12] >> 4) * 4;
        PUT16(o, C_TCP_SRCPORT, i, be16(p));
        PUT16(o, C_TCP_DSTPORT, i, be16(p + 2));
        PUT32(o, C_TCP_SEQ, i, be32(p + 4));
        PUT32(o, C_TCP_ACK, i, be32(p + 8));
        PUT8(o, C_TCP_HDR_LEN, i, doff);
        unsigned fl = be16(p + 12) & 0x0fff;
        PUT16(o, C_TCP_FLAGS, i, fl);
        put_bool(o, C_TCP_FIN, i, fl & 0x01);
        put_bool(o, C_TCP_SYN, i, fl & 0x02);
        put_bool(o, C_TCP_RST, i, fl & 0x04);
        put_bool(o, C_TCP_PSH, i, fl & 0x08);
        put_bool(o, C_TCP_ACKF, i, fl & 0x10);
        put_bool(o, C_TCP_URG, i, fl & 0x20);
        PUT16(o, C_TCP_WIN, i, be16(p + 14));
        if (doff >= 20 && l4len >= (long)doff)
            PUT32(o, C_TCP_LEN, i, (uint32_t)(l4len - doff));
    } else if (proto == 17) {
        if (avail < 8) return;
        PUT16(o, C_UDP_SRCPORT, i, be16(p));
        PUT16(o, C_UDP_DSTPORT, i, be16(p + 2));
        PUT16(o, C_UDP_LENGTH, i, be16(p + 4));
    } else if (proto == 1 && !v6) {
        if (avail < 2) return;
        PUT8(o, C_ICMP_TYPE, i, p[0]);
        PUT8(o, C_ICMP_CODE, i, p[1]);
    } else if (proto == 58 && v6) {
        if (avail < 2) return;
        PUT8(o, C_ICMP6_TYPE, i, p[0]);
        PUT8(o, C_ICMP6_CODE, i, p[1]);
    }
}

static void one(out_t *o, Py_ssize_t i, const uint8_t *p, Py_ssize_t len, int linktype)
{
    Py_ssize_t off = 0;
    int etype = -1;
    switch (linktype) {
    case 1:
        if (len < 14) return;
        put_mac(o, C_ETH_DST, i, p);
        put_mac(o, C_ETH_SRC, i, p + 6);
        etype = be16(p + 12);
        PUT16(o, C_ETH_TYPE, i, etype);
        off = 14;
        for (int tags = 0; tags < 8 && (etype == 0x8100 || etype == 0x88a8 || etype == 0x9100); tags++) {
            if (len < off + 4) return;
            if (tags == 0)
                PUT16(o, C_VLAN_ID, i, be16(p + off) & 0x0fff);
            etype = be16(p + off + 2);
            off += 4;
        }
        break;
    case 12: case 14: case 101:
        if (len < 1) return;
        etype = (p[0] >> 4) == 4 ? 0x0800 : (p[0] >> 4) == 6 ? 0x86dd : -1;
        break;
    case 228: etype = 0x0800; break;
    case 229: etype = 0x86dd; break;
    case 113:
        if (len < 16) return;
        etype = be16(p + 14);
        off = 16;
        break;
    case 276:
        if (len < 20) return;
        etype = be16(p);
        off = 20;
        break;
    case 0: case 108: {
        if (len < 4) return;
        uint32_t fam = linktype == 108 ? be32(p)
            : (p[0] == 0 && p[1] == 0) ? be32(p) : (uint32_t)(p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24));
        etype = fam == 2 ? 0x0800 : (fam == 24 || fam == 28 || fam == 30) ? 0x86dd : -1;
        off = 4;
        break;
    }
    default:
        return;
    }
    const uint8_t *q = p + off;
    Py_ssize_t avail = len - off;
    if (etype == 0x0800) {
        if (avail < 20 || (q[0] >> 4) != 4) return;
        unsigned ihl = (unsigned)(q[0] & 15) * 4;
        unsigned tot = be16(q + 2);
        put_ip4(o, C_IP_SRC, i, q + 12);
        put_ip4(o, C_IP_DST, i, q + 16);
        PUT8(o, C_IP_HDR_LEN, i, ihl);
        PUT16(o, C_IP_LEN, i, tot);
        PUT16(o, C_IP_ID, i, be16(q + 4));
        PUT8(o, C_IP_TTL, i, q[8]);
        PUT8(o, C_IP_PROTO, i, q[9]);
        PUT8(o, C_IP_DSFIELD, i, q[1]);
        unsigned frag = be16(q + 6);
        put_bool(o, C_IP_DF, i, frag & 0x4000);
        put_bool(o, C_IP_MF, i, frag & 0x2000);
        PUT16(o, C_IP_FRAG, i, frag & 0x1fff);  /* in 8-byte units, as tshark gives it */
        if (ihl < 20 || (be16(q + 6) & 0x1fff) != 0 || avail < (Py_ssize_t)ihl || tot < ihl)
            return;
        transport(o, i, q[9], 0, q + ihl, avail - ihl, (long)tot - (long)ihl);
    } else if (etype == 0x0806) {
        if (avail < 8) return;
        PUT16(o, C_ARP_OP, i, be16(q + 6));
        if (avail >= 28 && be16(q + 2) == 0x0800 && q[4] == 6 && q[5] == 4) {
            put_ip4(o, C_ARP_SPA, i, q + 14);
            put_ip4(o, C_ARP_TPA, i, q + 24);
        }
    } else if (etype == 0x86dd) {
        if (avail < 40 || (q[0] >> 4) != 6) return;
        unsigned plen = be16(q + 4);
        int nh = q[6];
        put_ip6(o, C_IP6_SRC, i, q + 8);
        put_ip6(o, C_IP6_DST, i, q + 24);
        PUT16(o, C_IP6_PLEN, i, plen);
        PUT8(o, C_IP6_NXT, i, nh);
        PUT8(o, C_IP6_HLIM, i, q[7]);
        Py_ssize_t h = 40;
        for (int ext = 0; ext < 16; ext++) {
            if (nh == 0 || nh == 43 || nh == 60) {
                if (avail < h + 2) return;
                Py_ssize_t hl = ((Py_ssize_t)q[h + 1] + 1) * 8;
                nh = q[h];
                h += hl;
            } else if (nh == 44) {
                if (avail < h + 8) return;
                if ((be16(q + h + 2) >> 3) != 0) return;
                nh = q[h];
                h += 8;
            } else if (nh == 51) {
                if (avail < h + 2) return;
                Py_ssize_t hl = ((Py_ssize_t)q[h + 1] + 2) * 4;
                nh = q[h];
                h += hl;
            } else
                break;
        }
        if (h > avail) return;
        long l4 = plen ? (long)plen - (long)(h - 40) : (long)(avail - h);
        if (l4 < 0) return;
        transport(o, i, nh, 1, q + h, avail - h, l4);
    }
}

/* Close row i: string columns without a value get an empty slot. */
static inline void row_end(out_t *o, Py_ssize_t i)
{
    for (int k = 0; k < C_COUNT; k++)
        if (o->c[k].kind == K_STR)
            o->c[k].offs[i + 1] = (int32_t)o->c[k].dlen;
}

static PyObject *out_result(out_t *o)
{
    PyObject *t = PyTuple_New(C_COUNT);
    if (t == NULL) { out_free(o); return NULL; }
    for (int k = 0; k < C_COUNT; k++) {
        col_t *c = &o->c[k];
        PyObject *item;
        if (c->kind == K_STR) {
            Py_DECREF(c->data_o);  /* the second reference, vals_o is the same object */
            c->data_o = NULL;
            if (_PyBytes_Resize(&c->vals_o, c->dlen) < 0) {
                c->vals_o = NULL;
                Py_DECREF(t);
                out_free(o);
                return NULL;
            }
            item = PyTuple_Pack(3, c->valid_o, c->offs_o, c->vals_o);
        } else {
            item = PyTuple_Pack(2, c->valid_o, c->vals_o);
        }
        if (item == NULL) { Py_DECREF(t); out_free(o); return NULL; }
        PyTuple_SET_ITEM(t, k, item);
    }
    out_free(o);
    return t;
}

static inline uint32_t rd32(const uint8_t *p, int swapped)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

static PyObject *extract_pcap(PyObject *self, PyObject *args)
{
    Py_buffer b;
    Py_ssize_t pos, max_rows, limit, stop;
    unsigned long long first;
    int swapped, nano, linktype, binary;
    if (!PyArg_ParseTuple(args, "y*nppinnKpn", &b, &pos, &swapped, &nano, &linktype, &max_rows,
                          &limit, &first, &binary, &stop))
        return NULL;
    const uint8_t *buf = b.buf;
    Py_ssize_t blen = b.len, n = 0, p = pos;
    int status = 0;
    if (stop < 0)
        stop = PY_SSIZE_T_MAX;
    /* First pass: how many whole records (and where the buffer stops). */
    while (n < max_rows && p + 16 <= blen && p < stop) {
        uint32_t caplen = rd32(buf + p + 8, swapped);
        if ((Py_ssize_t)caplen > limit) { status = 1; break; }
        if (p + 16 + (Py_ssize_t)caplen > blen) break;
        p += 16 + (Py_ssize_t)caplen;
        n++;
    }
    out_t o;
    if (out_init(&o, n, binary) < 0) { PyBuffer_Release(&b); return NULL; }
    int64_t mult = nano ? 1 : 1000;
    Py_BEGIN_ALLOW_THREADS
    p = pos;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint8_t *h = buf + p;
        uint32_t sec = rd32(h, swapped), frac = rd32(h + 4, swapped);
        uint32_t caplen = rd32(h + 8, swapped), wirelen = rd32(h + 12, swapped);
        ((uint64_t *)o.c[C_NUMBER].vals)[i] = first + (uint64_t)i;
        setbit(o.c[C_NUMBER].valid, i);
        PUT(&o, C_TIME, i, int64_t, (int64_t)sec * 1000000000 + (int64_t)frac * mult);
        PUT32(&o, C_LEN, i, wirelen);
        PUT32(&o, C_CAPLEN, i, caplen);
        one(&o, i, h + 16, caplen, linktype);
        row_end(&o, i);
        p += 16 + (Py_ssize_t)caplen;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&b);
    PyObject *cols = out_result(&o);
    if (cols == NULL) return NULL;
    return Py_BuildValue("nniN", n, p, status, cols);
}

static PyObject *extract_records(PyObject *self, PyObject *args)
{
    Py_buffer data, offs, ts, wl, lts;
    unsigned long long first;
    int binary;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*Kp", &data, &offs, &ts, &wl, &lts, &first, &binary))
        return NULL;
    PyObject *res = NULL;
    Py_ssize_t n = ts.len / 8;
    if (offs.len != (n + 1) * 8 || wl.len != n * 4 || lts.len != n * 4) {
        PyErr_SetString(PyExc_ValueError, "extract_records: arrays of different lengths");
        goto done;
    }
    const int64_t *off = offs.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (off[i] < 0 || off[i] > off[i + 1] || off[i + 1] > data.len) {
            PyErr_SetString(PyExc_ValueError, "extract_records: offsets out of the data");
            goto done;
        }
    out_t o;
    if (out_init(&o, n, binary) < 0) goto done;
    const uint8_t *d = data.buf;
    const int64_t *t = ts.buf;
    const uint32_t *w = wl.buf;
    const int32_t *lt = lts.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t caplen = (Py_ssize_t)(off[i + 1] - off[i]);
        ((uint64_t *)o.c[C_NUMBER].vals)[i] = first + (uint64_t)i;
        setbit(o.c[C_NUMBER].valid, i);
        PUT(&o, C_TIME, i, int64_t, t[i]);
        PUT32(&o, C_LEN, i, w[i]);
        PUT32(&o, C_CAPLEN, i, (uint32_t)caplen);
        one(&o, i, d + off[i], caplen, lt[i]);
        row_end(&o, i);
    }
    Py_END_ALLOW_THREADS
    res = out_result(&o);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&offs);
    PyBuffer_Release(&ts);
    PyBuffer_Release(&wl);
    PyBuffer_Release(&lts);
    return res;
}

static PyMethodDef methods[] = {
    {"extract_pcap", extract_pcap, METH_VARARGS, "Cut pcap records from a buffer into column buffers."},
    {"extract_records", extract_records, METH_VARARGS, "Column buffers of records already cut."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_columns", "The common capture columns in C (see paquet.frame.quick).", -1, methods,
};

PyMODINIT_FUNC PyInit__columns(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "COLUMNS", C_COUNT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
