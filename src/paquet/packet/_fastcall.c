/*
 * paquet.packet._fastcall: calling a layer class without building an argument tuple and a
 * keyword dict.
 *
 * In CPython 3.11, IP(dst="192.0.2.1") goes through type.__call__: the positional arguments
 * become a tuple and the keywords a dict, and the class's __init__ is then called with them.
 * install(cls) gives the class a vectorcall entry point that does what type.__call__ does for
 * a class whose __new__ is object's and whose __init__ is a Python function: allocate the
 * instance, then call __init__ with the caller's own argument array and keyword names.
 * Anything else (another __new__, an __init__ that is not a Python function, a metaclass
 * other than type) is handed to type.__call__ unchanged, so a class behaves the same with or
 * without it. The entry point is not inherited: each class is installed on its own
 * (Packet.__init_subclass__ does it).
 *
 * divider(...) is Packet.__truediv__'s usual case, for temporaries: Ether()/IP()/TCP()/b"..."
 * where no operand has another reference (a reference count of 1: the interpreter's stack).
 * It does what the Python __truediv__ (packet/base.py, the specification) does on that path,
 * and hands every other case to it before changing anything.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

static PyObject *s_init; /* "__init__", interned */

/* type.__call__(cls, *args, **kwargs), from a vectorcall argument array. */
static PyObject *slow_call(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(tuple, i, args[i]);
    }
    PyObject *kwargs = NULL;
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        kwargs = PyDict_New();
        if (kwargs == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) {
                Py_DECREF(tuple);
                Py_DECREF(kwargs);
                return NULL;
            }
        }
    }
    PyObject *out = PyType_Type.tp_call(cls, tuple, kwargs);
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return out;
}

#define SMALL 24

static PyObject *class_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                                  PyObject *kwnames)
{
    PyTypeObject *cls = (PyTypeObject *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    PyObject *init = _PyType_Lookup(cls, s_init); /* borrowed */
    if (Py_TYPE(cls) != &PyType_Type || cls->tp_new != PyBaseObject_Type.tp_new || init == NULL
        || !PyFunction_Check(init) || (cls->tp_flags & Py_TPFLAGS_IS_ABSTRACT))
        return slow_call(callable, args, nargs, kwnames);
    Py_INCREF(init);
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL) {
        Py_DECREF(init);
        return NULL;
    }
    PyObject *res;
    if (nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET) {
        /* The caller lets us use the slot before args[0]: put self there for the call. */
        PyObject **with_self = (PyObject **)args - 1;
        PyObject *saved = with_self[0];
        with_self[0] = obj;
        res = PyObject_Vectorcall(init, with_self, (size_t)(nargs + 1), kwnames);
        with_self[0] = saved;
    } else if (nargs + nkw + 1 <= SMALL) {
        PyObject *stack[SMALL];
        stack[0] = obj;
        for (Py_ssize_t i = 0; i < nargs + nkw; i++)
            stack[i + 1] = args[i];
        res = PyObject_Vectorcall(init, stack, (size_t)(nargs + 1), kwnames);
    } else {
        Py_DECREF(init);
        Py_DECREF(obj);
        return slow_call(callable, args, nargs, kwnames);
    }
    Py_DECREF(init);
    if (res == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    if (res != Py_None) {
        PyErr_Format(PyExc_TypeError, "__init__() should return None, not '%.200s'",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        Py_DECREF(obj);
        return NULL;
    }
    Py_DECREF(res);
    return obj;
}

static PyObject *install(PyObject *Py_UNUSED(module), PyObject *cls)
{
    if (!PyType_Check(cls) || !(((PyTypeObject *)cls)->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
        PyErr_SetString(PyExc_TypeError, "install() takes a class defined in Python");
        return NULL;
    }
    if (Py_TYPE(cls) == &PyType_Type)
        ((PyTypeObject *)cls)->tp_vectorcall = class_vectorcall;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ Packet.__truediv__ */

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *fallback;  /* the Python __truediv__ */
    PyObject *packet;    /* Packet */
    PyObject *nopayload; /* NOPAYLOAD */
    PyObject *raw;       /* Raw */
    PyObject *raw_init;  /* Raw._init */
    PyObject *memo;      /* registry.OVERLOAD_MEMO: (lower class, upper class) -> fields */
    PyObject *all;       /* _ALL, the _explicit of a dissected layer */
} Divider;

static PyObject *s_payload, *s_underlayer, *s_explicit, *s_overloaded, *s_time, *s_load;

/* One operand's dict (new reference) when it is a temporary that nothing else refers to:
 * the interpreter's stack only, or that and its own payload's underlayer link; and it has no
 * underlayer. NULL (no error) otherwise. */
static PyObject *temporary(Divider *v, PyObject *obj)
{
    PyObject *d = PyObject_GenericGetDict(obj, NULL);
    if (d == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *p = PyDict_GetItemWithError(d, s_payload);
    PyObject *u = PyDict_GetItemWithError(d, s_underlayer);
    Py_ssize_t rc = Py_REFCNT(obj);
    if (!PyErr_Occurred() && u == Py_None
        && (rc == 1 || (rc == 2 && p != NULL && p != v->nopayload)))
        return d;
    PyErr_Clear();
    Py_DECREF(d);
    return NULL;
}

/* self / other on the usual path, or NULL with no error set: the Python code decides. */
static PyObject *divide(Divider *v, PyObject *self, PyObject *other)
{
    PyTypeObject *packet = (PyTypeObject *)v->packet;
    int is_bytes = PyBytes_CheckExact(other);
    if (!PyObject_TypeCheck(self, packet) || !(is_bytes || PyObject_TypeCheck(other, packet)))
        return NULL;
    PyObject *sd = temporary(v, self);
    if (sd == NULL)
        return NULL;
    PyObject *ud = NULL, *upper = NULL, *ld = NULL, *last = self, *key = NULL, *out = NULL;
    if (!is_bytes && (ud = temporary(v, other)) == NULL)
        goto done;
    /* The last layer, through payloads already dissected (a lazy one: the Python path). */
    ld = sd;
    Py_INCREF(ld);
    for (;;) {
        PyObject *p = PyDict_GetItemWithError(ld, s_payload);
        if (p == NULL)
            goto done;
        if (p == v->nopayload)
            break;
        last = p;
        Py_SETREF(ld, PyObject_GenericGetDict(p, NULL));
        if (ld == NULL)
            goto done;
    }
    PyTypeObject *upper_type = is_bytes ? (PyTypeObject *)v->raw : Py_TYPE(other);
    key = PyTuple_Pack(2, (PyObject *)Py_TYPE(last), (PyObject *)upper_type);
    if (key == NULL)
        goto done;
    PyObject *over = PyDict_GetItemWithError(v->memo, key); /* borrowed */
    if (over == NULL)
        goto done; /* not in the memo yet */
    int apply = 0;
    if (PyDict_CheckExact(over) && PyDict_GET_SIZE(over) > 0) {
        PyObject *ex = PyDict_GetItemWithError(ld, s_explicit);
        if (ex == NULL || ex == v->all || !(ex == Py_None || PyDict_CheckExact(ex)))
            goto done;
        if (ex != Py_None) {
            Py_ssize_t pos = 0;
            PyObject *k, *val;
            while (PyDict_Next(over, &pos, &k, &val)) {
                int has = PyDict_Contains(ex, k);
                if (has != 0)
                    goto done; /* a field the user set (or an error): the Python path */
            }
        }
        apply = 1;
    } else if (over != Py_None && !(PyDict_CheckExact(over) && PyDict_GET_SIZE(over) == 0)) {
        goto done;
    }
    if (is_bytes) {
        /* The common / b"payload": a Raw made directly, with the lower layer's time. */
        PyTypeObject *raw = (PyTypeObject *)v->raw;
        upper = raw->tp_alloc(raw, 0);
        if (upper == NULL)
            goto error;
        ud = PyObject_GenericGetDict(upper, NULL);
        PyObject *ex = PyDict_New();
        PyObject *t = ud == NULL ? NULL : PyDict_GetItemWithError(sd, s_time);
        if (ud == NULL || ex == NULL || t == NULL || PyDict_Update(ud, v->raw_init) < 0
            || PyDict_SetItem(ex, s_load, Py_None) < 0 || PyDict_SetItem(ud, s_load, other) < 0
            || PyDict_SetItem(ud, s_time, t) < 0 || PyDict_SetItem(ud, s_explicit, ex) < 0) {
            Py_XDECREF(ex);
            goto error;
        }
        Py_DECREF(ex);
    } else {
        upper = other;
        Py_INCREF(upper);
    }
    if (PyDict_SetItem(ld, s_payload, upper) < 0 || PyDict_SetItem(ud, s_underlayer, last) < 0)
        goto error;
    if (apply && (PyDict_Update(ld, over) < 0 || PyDict_SetItem(ld, s_overloaded, over) < 0))
        goto error;
    out = self;
    Py_INCREF(out);
    goto done;
error:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "paquet: '/' failed");
done:
    Py_XDECREF(key);
    Py_XDECREF(ld);
    Py_XDECREF(ud);
    Py_XDECREF(upper);
    Py_DECREF(sd);
    return out;
}

static PyObject *divider_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                                    PyObject *kwnames)
{
    Divider *v = (Divider *)callable;
    if (PyVectorcall_NARGS(nargsf) == 2 && kwnames == NULL) {
        PyObject *out = divide(v, args[0], args[1]);
        if (out != NULL || PyErr_Occurred())
            return out;
    }
    return PyObject_Vectorcall(v->fallback, args, nargsf, kwnames);
}

static PyObject *divider_get(PyObject *self, PyObject *obj, PyObject *Py_UNUSED(type))
{
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static int divider_traverse(PyObject *self, visitproc visit, void *arg)
{
    Divider *v = (Divider *)self;
    Py_VISIT(v->fallback);
    Py_VISIT(v->packet);
    Py_VISIT(v->nopayload);
    Py_VISIT(v->raw);
    Py_VISIT(v->raw_init);
    Py_VISIT(v->memo);
    Py_VISIT(v->all);
    return 0;
}

static int divider_clear(PyObject *self)
{
    Divider *v = (Divider *)self;
    Py_CLEAR(v->fallback);
    Py_CLEAR(v->packet);
    Py_CLEAR(v->nopayload);
    Py_CLEAR(v->raw);
    Py_CLEAR(v->raw_init);
    Py_CLEAR(v->memo);
    Py_CLEAR(v->all);
    return 0;
}

static void divider_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    divider_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *divider_repr(PyObject *Py_UNUSED(self))
{
    return PyUnicode_FromString("<paquet Packet.__truediv__ (C)>");
}

static PyTypeObject DividerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "paquet.packet._fastcall.Divider",
    .tp_basicsize = sizeof(Divider),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL
                | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_doc = "Packet.__truediv__ for temporaries; the Python method otherwise.",
    .tp_vectorcall_offset = offsetof(Divider, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_descr_get = divider_get,
    .tp_repr = divider_repr,
    .tp_traverse = divider_traverse,
    .tp_clear = divider_clear,
    .tp_dealloc = divider_dealloc,
};

static PyObject *divider(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *fallback, *packet, *nopayload, *raw, *raw_init, *memo, *all;
    if (!PyArg_ParseTuple(args, "OO!OO!O!O!O:divider", &fallback, &PyType_Type, &packet,
                          &nopayload, &PyType_Type, &raw, &PyDict_Type, &raw_init, &PyDict_Type,
                          &memo, &all))
        return NULL;
    Divider *v = PyObject_GC_New(Divider, &DividerType);
    if (v == NULL)
        return NULL;
    v->vectorcall = divider_vectorcall;
    PyObject **slots[] = {&v->fallback, &v->packet, &v->nopayload, &v->raw,
                          &v->raw_init, &v->memo, &v->all};
    PyObject *values[] = {fallback, packet, nopayload, raw, raw_init, memo, all};
    for (int i = 0; i < 7; i++) {
        Py_INCREF(values[i]);
        *slots[i] = values[i];
    }
    PyObject_GC_Track((PyObject *)v);
    return (PyObject *)v;
}

static PyMethodDef methods[] = {
    {"install", install, METH_O,
     "install(cls): calls of cls skip building an argument tuple and a keyword dict."},
    {"divider", divider, METH_VARARGS,
     "divider(fallback, Packet, NOPAYLOAD, Raw, Raw._init, OVERLOAD_MEMO, ALL): "
     "Packet.__truediv__ for temporaries, fallback (the Python method) otherwise."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "paquet.packet._fastcall",
    "Calling a layer class without an argument tuple and a keyword dict.", -1, methods,
};

PyMODINIT_FUNC PyInit__fastcall(void)
{
    s_init = PyUnicode_InternFromString("__init__");
    s_payload = PyUnicode_InternFromString("payload");
    s_underlayer = PyUnicode_InternFromString("underlayer");
    s_explicit = PyUnicode_InternFromString("_explicit");
    s_overloaded = PyUnicode_InternFromString("_overloaded");
    s_time = PyUnicode_InternFromString("time");
    s_load = PyUnicode_InternFromString("load");
    if (!s_init || !s_payload || !s_underlayer || !s_explicit || !s_overloaded || !s_time
        || !s_load || PyType_Ready(&DividerType) < 0)
        return NULL;
    return PyModule_Create(&module);
}
