/* Viterbi decoding of a linear-chain CRF for several sentences at once, the compiled hot path of
 * ner_model._Model.decode (the numpy loop there is the reference and the fallback when this is not built).
 *
 * best_paths(emitted, lengths, transitions, out):
 *   emitted      float32, sentences x tokens x labels, C-contiguous (a sentence's scores past its end are ignored)
 *   lengths      int64, sentences
 *   transitions  float64, labels x labels (previous label x label)
 *   out          int8, sentences x tokens, writable: each sentence's best labels (past its end left as they are)
 *
 * Scores are summed in double precision, as numpy does when a float32 emission meets float64 scores, and
 * ties go to the lowest label, as numpy's argmax gives them, so both decoders return the same paths. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_LABELS 64

static int take(PyObject *object, Py_buffer *view, const char *format, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, view, flags) < 0)
        return -1;
    if (view->format == NULL || strcmp(view->format, format) != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of format '%s', got '%s'", name, format, view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static void decode_one(const float *emitted, Py_ssize_t length, Py_ssize_t labels, const double *transitions,
                       int8_t *back, Py_ssize_t stride, int8_t *out) {
    double best[MAX_LABELS], next[MAX_LABELS];
    for (Py_ssize_t j = 0; j < labels; j++)
        best[j] = (double)emitted[j];
    for (Py_ssize_t t = 1; t < length; t++) {
        const float *here = emitted + t * labels;
        for (Py_ssize_t j = 0; j < labels; j++) {
            double top = best[0] + transitions[j];
            int8_t from = 0;
            for (Py_ssize_t i = 1; i < labels; i++) {
                double candidate = best[i] + transitions[i * labels + j];
                if (candidate > top) {
                    top = candidate;
                    from = (int8_t)i;
                }
            }
            next[j] = top + (double)here[j];
            back[t * stride + j] = from;
        }
        memcpy(best, next, sizeof(double) * (size_t)labels);
    }
    int8_t label = 0;
    for (Py_ssize_t j = 1; j < labels; j++)
        if (best[j] > best[label])
            label = (int8_t)j;
    for (Py_ssize_t t = length - 1; t >= 0; t--) {
        out[t] = label;
        if (t > 0)
            label = back[t * stride + label];
    }
}

static PyObject *best_paths(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *emitted_object, *lengths_object, *transitions_object, *out_object;
    if (!PyArg_ParseTuple(args, "OOOO:best_paths", &emitted_object, &lengths_object, &transitions_object, &out_object))
        return NULL;
    Py_buffer emitted, lengths, transitions, out;
    if (take(emitted_object, &emitted, "f", 0, "emitted") < 0)
        return NULL;
    if (take(lengths_object, &lengths, "q", 0, "lengths") < 0 && (PyErr_Clear(), take(lengths_object, &lengths, "l", 0, "lengths") < 0)) {
        PyBuffer_Release(&emitted);
        return NULL;
    }
    if (take(transitions_object, &transitions, "d", 0, "transitions") < 0) {
        PyBuffer_Release(&emitted);
        PyBuffer_Release(&lengths);
        return NULL;
    }
    if (take(out_object, &out, "b", 1, "out") < 0) {
        PyBuffer_Release(&emitted);
        PyBuffer_Release(&lengths);
        PyBuffer_Release(&transitions);
        return NULL;
    }
    PyObject *result = NULL;
    int8_t *back = NULL;
    if (emitted.ndim != 3 || lengths.ndim != 1 || transitions.ndim != 2 || out.ndim != 2) {
        PyErr_SetString(PyExc_ValueError, "expected emitted (sentences, tokens, labels), lengths (sentences,), "
                                          "transitions (labels, labels) and out (sentences, tokens)");
        goto done;
    }
    Py_ssize_t sentences = emitted.shape[0], tokens = emitted.shape[1], labels = emitted.shape[2];
    if (labels < 1 || labels > MAX_LABELS || transitions.shape[0] != labels || transitions.shape[1] != labels ||
        lengths.shape[0] != sentences || out.shape[0] != sentences || out.shape[1] != tokens) {
        PyErr_SetString(PyExc_ValueError, "shapes do not agree (or more than 64 labels)");
        goto done;
    }
    const int64_t *length_of = (const int64_t *)lengths.buf;
    for (Py_ssize_t s = 0; s < sentences; s++) {
        if (length_of[s] < 1 || length_of[s] > tokens) {
            PyErr_SetString(PyExc_ValueError, "a sentence length is under 1 or over the tokens of the grid");
            goto done;
        }
    }
    back = PyMem_Malloc((size_t)(tokens * labels > 0 ? tokens * labels : 1));
    if (back == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; s < sentences; s++)
        decode_one((const float *)emitted.buf + s * tokens * labels, (Py_ssize_t)length_of[s], labels,
                   (const double *)transitions.buf, back, labels, (int8_t *)out.buf + s * tokens);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(back);
    PyBuffer_Release(&emitted);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&transitions);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"best_paths", best_paths, METH_VARARGS,
     "best_paths(emitted, lengths, transitions, out): each sentence's best label sequence into out (see the module source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_viterbi", "Compiled Viterbi decoding for ner_model.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__viterbi(void) { return PyModule_Create(&module); }
