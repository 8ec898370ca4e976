/*
 * paquet.layers._quick: the quick parsers of the commonest headers, in C.
 *
 * Each layer file (ether.py, ipv4.py, ipv6.py, tcp.py, udp.py) defines its quick_dissect in
 * Python: that function is the specification, and the fallback when this module is not built.
 * A parser made here does the same thing for the same arguments and returns an equal dict (or
 * None); tests/layers/test_quick_accel.py compares the two on valid and mutated headers. The
 * caches, the address text functions and the option decoders are the Python ones, passed in
 * when a parser is made: this file holds no table of its own.
 *
 *   parser(kind, fallback, qinit, cache, text, options) -> callable
 *   callable(data, off, end, paddings, under, t) -> dict | None
 *
 * kind is "ether", "ipv4", "ipv6", "tcp" or "udp". Arguments this file does not handle itself
 * (data that is not exactly bytes, offsets outside it, paddings that are not a tuple) go to
 * fallback, the Python quick_dissect, unchanged.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

enum kind { K_ETHER, K_IPV4, K_IPV6, K_TCP, K_UDP };

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    int kind;
    PyObject *name;      /* the kind, for repr */
    PyObject *fallback;  /* the Python quick_dissect */
    PyObject *qinit;     /* the class's _qinit: the dict a dissected layer starts from */
    PyObject *cache;     /* dict: packed address -> its text (ether, ipv4, ipv6), else None */
    PyObject *text;      /* packed address -> text, on a cache miss (fills the cache), or None */
    PyObject *options;   /* option bytes -> decoded options (ipv4, tcp), else None */
    /* A small direct-mapped memo of the last addresses seen, in front of cache: a hit needs
     * no bytes object and no dict lookup. An address always has the same text, so a stale
     * slot cannot give a wrong answer: it is only overwritten. */
    struct slot {
        unsigned char key[16];
        PyObject *text;
    } memo[256];
} Quick;

/* Interned dict keys. */
static PyObject *k_dst, *k_src, *k_type, *k_underlayer, *k_time, *k_explicit, *k_lazy;
static PyObject *k_ihl, *k_tos, *k_len, *k_id, *k_flags, *k_frag, *k_ttl, *k_proto;
static PyObject *k_chksum, *k_options, *k_tc, *k_fl, *k_plen, *k_nh, *k_hlim;
static PyObject *k_sport, *k_dport, *k_seq, *k_ack, *k_dataofs, *k_reserved, *k_window;
static PyObject *k_urgptr;

static inline unsigned int be16(const unsigned char *p) { return (unsigned int)p[0] << 8 | p[1]; }

static inline unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* d[k] = v, taking v's reference; -1 (exception set) when v is NULL or the store fails. */
static int put(PyObject *d, PyObject *k, PyObject *v)
{
    if (v == NULL)
        return -1;
    int r = PyDict_SetItem(d, k, v);
    Py_DECREF(v);
    return r;
}

static int put_int(PyObject *d, PyObject *k, unsigned long v)
{
    return put(d, k, PyLong_FromUnsignedLong(v));
}

/* The text of the address at p (n bytes): cache.get(packed) or text(packed). */
static PyObject *address(Quick *q, const unsigned char *p, Py_ssize_t n)
{
    unsigned int h = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        h = h * 31 + p[i];
    struct slot *slot = &q->memo[(h ^ h >> 8) & 255];
    if (slot->text != NULL && memcmp(slot->key, p, (size_t)n) == 0) {
        Py_INCREF(slot->text);
        return slot->text;
    }
    PyObject *packed = PyBytes_FromStringAndSize((const char *)p, n);
    if (packed == NULL)
        return NULL;
    PyObject *s = PyDict_GetItemWithError(q->cache, packed);
    if (s != NULL && PyObject_IsTrue(s) == 1) {
        Py_INCREF(s);
    } else if (PyErr_Occurred()) {
        s = NULL;
    } else {
        s = PyObject_CallOneArg(q->text, packed);
    }
    Py_DECREF(packed);
    if (s != NULL && PyUnicode_CheckExact(s)) {
        memcpy(slot->key, p, (size_t)n);
        Py_INCREF(s);
        Py_XSETREF(slot->text, s);
    }
    return s;
}

/* The decoded options of data[start:stop]. */
static PyObject *options(Quick *q, PyObject *data, Py_ssize_t start, Py_ssize_t stop)
{
    PyObject *raw = PyBytes_FromStringAndSize(PyBytes_AS_STRING(data) + start, stop - start);
    if (raw == NULL)
        return NULL;
    PyObject *out = PyObject_CallOneArg(q->options, raw);
    Py_DECREF(raw);
    return out;
}

/* d["_lazy"] = (data, hend, pend, paddings), with (pend, end) appended to the paddings when
 * pend < end (this layer's own link padding). */
static int put_lazy(PyObject *d, PyObject *data, Py_ssize_t hend, Py_ssize_t pend,
                    Py_ssize_t end, PyObject *paddings)
{
    PyObject *pads;
    if (pend < end) {
        Py_ssize_t n = PyTuple_GET_SIZE(paddings);
        pads = PyTuple_New(n + 1);
        if (pads == NULL)
            return -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyTuple_GET_ITEM(paddings, i);
            Py_INCREF(item);
            PyTuple_SET_ITEM(pads, i, item);
        }
        PyObject *own = PyTuple_New(2), *a = PyLong_FromSsize_t(pend), *b = PyLong_FromSsize_t(end);
        if (own == NULL || a == NULL || b == NULL) {
            Py_XDECREF(own);
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_DECREF(pads);
            return -1;
        }
        PyTuple_SET_ITEM(own, 0, a);
        PyTuple_SET_ITEM(own, 1, b);
        PyTuple_SET_ITEM(pads, n, own);
    } else {
        pads = paddings;
        Py_INCREF(pads);
    }
    PyObject *lazy = PyTuple_New(4), *h = PyLong_FromSsize_t(hend), *e = PyLong_FromSsize_t(pend);
    if (lazy == NULL || h == NULL || e == NULL) {
        Py_XDECREF(lazy);
        Py_XDECREF(h);
        Py_XDECREF(e);
        Py_DECREF(pads);
        return -1;
    }
    Py_INCREF(data);
    PyTuple_SET_ITEM(lazy, 0, data);
    PyTuple_SET_ITEM(lazy, 1, h);
    PyTuple_SET_ITEM(lazy, 2, e);
    PyTuple_SET_ITEM(lazy, 3, pads);
    return put(d, k_lazy, lazy);
}

/* The entries every dissected layer has: underlayer, time. */
static int put_state(PyObject *d, PyObject *under, PyObject *t)
{
    if (PyDict_SetItem(d, k_underlayer, under) < 0)
        return -1;
    return PyDict_SetItem(d, k_time, t);
}

/* Ether.quick_dissect */
static PyObject *ether(Quick *q, PyObject *data, const unsigned char *p, Py_ssize_t off,
                       Py_ssize_t end, PyObject *paddings, PyObject *under, PyObject *t)
{
    if (end - off < 14)
        Py_RETURN_NONE;
    if (be16(p + 12) <= 1500)
        Py_RETURN_NONE; /* an 802.3 header: the general path makes it a Dot3 */
    PyObject *d = PyDict_Copy(q->qinit);
    if (d == NULL)
        return NULL;
    if (put(d, k_dst, address(q, p, 6)) < 0 || put(d, k_src, address(q, p + 6, 6)) < 0
        || put_int(d, k_type, be16(p + 12)) < 0 || put_state(d, under, t) < 0
        || (off + 14 < end && put_lazy(d, data, off + 14, end, end, paddings) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* IP.quick_dissect */
static PyObject *ipv4(Quick *q, PyObject *data, const unsigned char *p, Py_ssize_t off,
                      Py_ssize_t end, PyObject *paddings, PyObject *under, PyObject *t)
{
    if (end - off < 20)
        Py_RETURN_NONE;
    unsigned int vihl = p[0], length = be16(p + 2), ffrag = be16(p + 6);
    Py_ssize_t hend = off + (Py_ssize_t)(vihl & 15) * 4, pend = off + length;
    if (vihl >> 4 != 4 || hend < off + 20 || hend > pend || pend > end)
        Py_RETURN_NONE; /* the general path reports what is wrong */
    if (hend >= pend && pend < end)
        Py_RETURN_NONE; /* padding and no payload: the general path adds it */
    PyObject *d = PyDict_Copy(q->qinit);
    if (d == NULL)
        return NULL;
    if (put_int(d, k_ihl, vihl & 15) < 0 || put_int(d, k_tos, p[1]) < 0
        || put_int(d, k_len, length) < 0 || put_int(d, k_id, be16(p + 4)) < 0
        || put_int(d, k_flags, ffrag >> 13) < 0 || put_int(d, k_frag, ffrag & 0x1FFF) < 0
        || put_int(d, k_ttl, p[8]) < 0 || put_int(d, k_proto, p[9]) < 0
        || put_int(d, k_chksum, be16(p + 10)) < 0 || put(d, k_src, address(q, p + 12, 4)) < 0
        || put(d, k_dst, address(q, p + 16, 4)) < 0
        || (hend > off + 20 && put(d, k_options, options(q, data, off + 20, hend)) < 0)
        || put_state(d, under, t) < 0
        || (hend < pend && put_lazy(d, data, hend, pend, end, paddings) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* IPv6.quick_dissect */
static PyObject *ipv6(Quick *q, PyObject *data, const unsigned char *p, Py_ssize_t off,
                      Py_ssize_t end, PyObject *paddings, PyObject *under, PyObject *t)
{
    if (end - off < 40)
        Py_RETURN_NONE;
    unsigned long v = be32(p);
    unsigned int plen = be16(p + 4), nh = p[6];
    Py_ssize_t hend = off + 40, pend = hend + plen;
    if (v >> 28 != 6 || pend > end || (plen == 0 && nh == 0))
        Py_RETURN_NONE; /* the general path reports what is wrong (or reads a jumbogram) */
    if (hend >= pend && pend < end)
        Py_RETURN_NONE; /* padding and no payload: the general path adds it */
    PyObject *d = PyDict_Copy(q->qinit);
    if (d == NULL)
        return NULL;
    if (put_int(d, k_tc, v >> 20 & 0xFF) < 0 || put_int(d, k_fl, v & 0xFFFFF) < 0
        || put_int(d, k_plen, plen) < 0 || put_int(d, k_nh, nh) < 0
        || put_int(d, k_hlim, p[7]) < 0 || put(d, k_src, address(q, p + 8, 16)) < 0
        || put(d, k_dst, address(q, p + 24, 16)) < 0 || put_state(d, under, t) < 0
        || (hend < pend && put_lazy(d, data, hend, pend, end, paddings) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* TCP.quick_dissect */
static PyObject *tcp(Quick *q, PyObject *data, const unsigned char *p, Py_ssize_t off,
                     Py_ssize_t end, PyObject *paddings, PyObject *under, PyObject *t)
{
    if (end - off < 20)
        Py_RETURN_NONE;
    unsigned int offflags = be16(p + 12);
    Py_ssize_t hend = off + (Py_ssize_t)(offflags >> 12) * 4;
    if (hend < off + 20 || hend > end)
        Py_RETURN_NONE; /* the general path reports what is wrong */
    PyObject *d = PyDict_Copy(q->qinit);
    if (d == NULL)
        return NULL;
    if (put_int(d, k_sport, be16(p)) < 0 || put_int(d, k_dport, be16(p + 2)) < 0
        || put_int(d, k_seq, be32(p + 4)) < 0 || put_int(d, k_ack, be32(p + 8)) < 0
        || put_int(d, k_dataofs, offflags >> 12) < 0
        || put_int(d, k_reserved, offflags >> 9 & 7) < 0
        || put_int(d, k_flags, offflags & 0x1FF) < 0 || put_int(d, k_window, be16(p + 14)) < 0
        || put_int(d, k_chksum, be16(p + 16)) < 0 || put_int(d, k_urgptr, be16(p + 18)) < 0
        || (hend > off + 20 && put(d, k_options, options(q, data, off + 20, hend)) < 0)
        || put_state(d, under, t) < 0
        || (hend < end && put_lazy(d, data, hend, end, end, paddings) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* UDP.quick_dissect */
static PyObject *udp(Quick *q, PyObject *data, const unsigned char *p, Py_ssize_t off,
                     Py_ssize_t end, PyObject *paddings, PyObject *under, PyObject *t)
{
    if (end - off < 8)
        Py_RETURN_NONE;
    unsigned int length = be16(p + 4);
    Py_ssize_t pend = off + length;
    if (length < 8 || pend > end)
        Py_RETURN_NONE; /* the general path reports what is wrong (or allows a cut quote) */
    if (off + 8 >= pend && pend < end)
        Py_RETURN_NONE; /* padding and no payload: the general path adds it */
    PyObject *d = PyDict_Copy(q->qinit);
    if (d == NULL)
        return NULL;
    if (put_int(d, k_sport, be16(p)) < 0 || put_int(d, k_dport, be16(p + 2)) < 0
        || put_int(d, k_len, length) < 0 || put_int(d, k_chksum, be16(p + 6)) < 0
        || put_state(d, under, t) < 0
        || (off + 8 < pend && put_lazy(d, data, off + 8, pend, end, paddings) < 0)) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

typedef PyObject *(*parse_fn)(Quick *, PyObject *, const unsigned char *, Py_ssize_t,
                              Py_ssize_t, PyObject *, PyObject *, PyObject *);

static const parse_fn PARSERS[] = {ether, ipv4, ipv6, tcp, udp};

static PyObject *quick_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                  PyObject *kwnames)
{
    Quick *q = (Quick *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 6 && kwnames == NULL && PyBytes_CheckExact(args[0])
        && PyLong_CheckExact(args[1]) && PyLong_CheckExact(args[2])
        && PyTuple_CheckExact(args[3])) {
        PyObject *data = args[0];
        Py_ssize_t off = PyLong_AsSsize_t(args[1]);
        Py_ssize_t end = PyLong_AsSsize_t(args[2]);
        if (off == -1 || end == -1)
            PyErr_Clear(); /* too large, or negative: the Python parser says what it does */
        else if (off >= 0 && end <= PyBytes_GET_SIZE(data) && off <= end)
            return PARSERS[q->kind](q, data,
                                    (const unsigned char *)PyBytes_AS_STRING(data) + off, off,
                                    end, args[3], args[4], args[5]);
    }
    return PyObject_Vectorcall(q->fallback, args, nargsf, kwnames);
}

static PyObject *quick_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<paquet quick parser %R (C)>", ((Quick *)self)->name);
}

static int quick_traverse(PyObject *self, visitproc visit, void *arg)
{
    Quick *q = (Quick *)self;
    Py_VISIT(q->name);
    Py_VISIT(q->fallback);
    Py_VISIT(q->qinit);
    Py_VISIT(q->cache);
    Py_VISIT(q->text);
    Py_VISIT(q->options);
    for (int i = 0; i < 256; i++)
        Py_VISIT(q->memo[i].text);
    return 0;
}

static int quick_clear(PyObject *self)
{
    Quick *q = (Quick *)self;
    for (int i = 0; i < 256; i++)
        Py_CLEAR(q->memo[i].text);
    Py_CLEAR(q->name);
    Py_CLEAR(q->fallback);
    Py_CLEAR(q->qinit);
    Py_CLEAR(q->cache);
    Py_CLEAR(q->text);
    Py_CLEAR(q->options);
    return 0;
}

static void quick_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    quick_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject QuickType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "paquet.layers._quick.Quick",
    .tp_basicsize = sizeof(Quick),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A quick parser: called as the layer's quick_dissect.",
    .tp_vectorcall_offset = offsetof(Quick, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_repr = quick_repr,
    .tp_traverse = quick_traverse,
    .tp_clear = quick_clear,
    .tp_dealloc = quick_dealloc,
};

static PyObject *parser(PyObject *Py_UNUSED(module), PyObject *args)
{
    const char *kind;
    PyObject *fallback, *qinit, *cache, *text, *opts;
    if (!PyArg_ParseTuple(args, "sOOOOO:parser", &kind, &fallback, &qinit, &cache, &text,
                          &opts))
        return NULL;
    static const char *const KINDS[] = {"ether", "ipv4", "ipv6", "tcp", "udp"};
    int k = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(kind, KINDS[i]) == 0)
            k = i;
    if (k < 0) {
        PyErr_Format(PyExc_ValueError, "no quick parser for %s", kind);
        return NULL;
    }
    if (!PyDict_CheckExact(qinit)) {
        PyErr_SetString(PyExc_TypeError, "qinit must be a dict");
        return NULL;
    }
    /* Only the kinds that read addresses use cache and text, only IPv4 and TCP options. */
    int addresses = k == K_ETHER || k == K_IPV4 || k == K_IPV6;
    if (!PyCallable_Check(fallback)
        || (addresses && !(PyDict_Check(cache) && PyCallable_Check(text)))
        || ((k == K_IPV4 || k == K_TCP) && !PyCallable_Check(opts))) {
        PyErr_SetString(PyExc_TypeError,
                        "fallback, text and options must be callable, cache a dict");
        return NULL;
    }
    Quick *q = PyObject_GC_New(Quick, &QuickType);
    if (q == NULL)
        return NULL;
    memset(q->memo, 0, sizeof q->memo);
    q->vectorcall = quick_vectorcall;
    q->kind = k;
    q->name = PyUnicode_FromString(kind);
    Py_INCREF(fallback);
    q->fallback = fallback;
    Py_INCREF(qinit);
    q->qinit = qinit;
    Py_INCREF(cache);
    q->cache = cache;
    Py_INCREF(text);
    q->text = text;
    Py_INCREF(opts);
    q->options = opts;
    PyObject_GC_Track((PyObject *)q);
    if (q->name == NULL) {
        Py_DECREF(q);
        return NULL;
    }
    return (PyObject *)q;
}

static PyMethodDef methods[] = {
    {"parser", parser, METH_VARARGS,
     "parser(kind, fallback, qinit, cache, text, options): a quick parser in C "
     "doing what the Python quick_dissect fallback does."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paquet.layers._quick",
    "The quick parsers of Ether, IP, IPv6, TCP and UDP in C (see the layer files).", -1,
    methods,
};

#define KEY(var, text)                                                                     \
    if ((var = PyUnicode_InternFromString(text)) == NULL)                                  \
        return NULL;

PyMODINIT_FUNC PyInit__quick(void)
{
    KEY(k_dst, "dst") KEY(k_src, "src") KEY(k_type, "type") KEY(k_underlayer, "underlayer")
    KEY(k_time, "time") KEY(k_explicit, "_explicit") KEY(k_lazy, "_lazy") KEY(k_ihl, "ihl")
    KEY(k_tos, "tos") KEY(k_len, "len") KEY(k_id, "id") KEY(k_flags, "flags")
    KEY(k_frag, "frag") KEY(k_ttl, "ttl") KEY(k_proto, "proto") KEY(k_chksum, "chksum")
    KEY(k_options, "options") KEY(k_tc, "tc") KEY(k_fl, "fl") KEY(k_plen, "plen")
    KEY(k_nh, "nh") KEY(k_hlim, "hlim") KEY(k_sport, "sport") KEY(k_dport, "dport")
    KEY(k_seq, "seq") KEY(k_ack, "ack") KEY(k_dataofs, "dataofs")
    KEY(k_reserved, "reserved") KEY(k_window, "window") KEY(k_urgptr, "urgptr")
    if (PyType_Ready(&QuickType) < 0)
        return NULL;
    return PyModule_Create(&module);
}
