/* Decoding of a linear-chain CRF for several sentences at once, the compiled hot paths of
 * ner_model._Model.decode (the numpy loops there are the reference and the fallback when this is not built).
 *
 * log_marginals(emitted, lengths, transitions, out):
 *   the arguments as below but out, float32, sentences x tokens x labels, writable: the log of each token's
 *   label probability given its whole sentence (forward-backward, scaled at each token), floored at 1e-12.
 *   Probabilities are scaled, not logs summed: transition scores must lie within ~100 of each other (a trained
 *   model's lie within ~20; the caller sends wider ones to the numpy loop, which sums logs).
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
#include <math.h>
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

static void marginals_one(const float *emitted, Py_ssize_t length, Py_ssize_t labels, const double *weights,
                          double *alpha, double *scale, float *out) {
    /* weights: exp(transition - its maximum); potentials of a token: exp(score - the token's top score) */
    double potential[MAX_LABELS], beta[MAX_LABELS], next[MAX_LABELS];
    for (Py_ssize_t t = 0; t < length; t++) {
        const float *here = emitted + t * labels;
        double top = here[0], total = 0.0;
        for (Py_ssize_t j = 1; j < labels; j++)
            if (here[j] > top)
                top = here[j];
        for (Py_ssize_t j = 0; j < labels; j++) {
            double reach = 1.0;
            if (t > 0) {
                reach = 0.0;
                for (Py_ssize_t i = 0; i < labels; i++)
                    reach += alpha[(t - 1) * labels + i] * weights[i * labels + j];
            }
            alpha[t * labels + j] = reach * exp((double)here[j] - top);
            total += alpha[t * labels + j];
        }
        if (!(total > 0.0))
            total = 1.0; /* only if every transition weight underflowed: all zeros, floored below, not NaN */
        scale[t] = total;
        for (Py_ssize_t j = 0; j < labels; j++)
            alpha[t * labels + j] /= total;
    }
    for (Py_ssize_t j = 0; j < labels; j++)
        beta[j] = 1.0;
    for (Py_ssize_t t = length - 1; t >= 0; t--) {
        for (Py_ssize_t j = 0; j < labels; j++)
            out[t * labels + j] = (float)log(alpha[t * labels + j] * beta[j] + 1e-12);
        if (t == 0)
            break;
        const float *after = emitted + t * labels;
        double top = after[0];
        for (Py_ssize_t j = 1; j < labels; j++)
            if (after[j] > top)
                top = after[j];
        for (Py_ssize_t j = 0; j < labels; j++)
            potential[j] = exp((double)after[j] - top) * beta[j] / scale[t];
        for (Py_ssize_t i = 0; i < labels; i++) {
            double sum = 0.0;
            for (Py_ssize_t j = 0; j < labels; j++)
                sum += weights[i * labels + j] * potential[j];
            next[i] = sum;
        }
        memcpy(beta, next, sizeof(double) * (size_t)labels);
    }
}

/* Takes the four buffers of a call and checks their shapes; 0 on success, -1 with an exception set. */
static int take_all(PyObject *args, const char *name, const char *out_format, int out_ndim, Py_buffer views[4]) {
    PyObject *objects[4];
    if (!PyArg_ParseTuple(args, name, &objects[0], &objects[1], &objects[2], &objects[3]))
        return -1;
    if (take(objects[0], &views[0], "f", 0, "emitted") < 0)
        return -1;
    if (take(objects[1], &views[1], "q", 0, "lengths") < 0 && (PyErr_Clear(), take(objects[1], &views[1], "l", 0, "lengths") < 0)) {
        PyBuffer_Release(&views[0]);
        return -1;
    }
    if (take(objects[2], &views[2], "d", 0, "transitions") < 0) {
        PyBuffer_Release(&views[0]);
        PyBuffer_Release(&views[1]);
        return -1;
    }
    if (take(objects[3], &views[3], out_format, 1, "out") < 0) {
        PyBuffer_Release(&views[0]);
        PyBuffer_Release(&views[1]);
        PyBuffer_Release(&views[2]);
        return -1;
    }
    Py_buffer *emitted = &views[0], *lengths = &views[1], *transitions = &views[2], *out = &views[3];
    const char *problem = NULL;
    if (emitted->ndim != 3 || lengths->ndim != 1 || transitions->ndim != 2 || out->ndim != out_ndim)
        problem = "expected emitted (sentences, tokens, labels), lengths (sentences,), transitions (labels, labels) "
                  "and out (sentences, tokens[, labels])";
    else {
        Py_ssize_t sentences = emitted->shape[0], tokens = emitted->shape[1], labels = emitted->shape[2];
        if (labels < 1 || labels > MAX_LABELS || transitions->shape[0] != labels || transitions->shape[1] != labels ||
            lengths->shape[0] != sentences || out->shape[0] != sentences || out->shape[1] != tokens ||
            (out_ndim == 3 && out->shape[2] != labels))
            problem = "shapes do not agree (or more than 64 labels)";
        const int64_t *length_of = (const int64_t *)lengths->buf;
        for (Py_ssize_t s = 0; problem == NULL && s < sentences; s++)
            if (length_of[s] < 1 || length_of[s] > tokens)
                problem = "a sentence length is under 1 or over the tokens of the grid";
    }
    if (problem != NULL) {
        PyErr_SetString(PyExc_ValueError, problem);
        for (int i = 0; i < 4; i++)
            PyBuffer_Release(&views[i]);
        return -1;
    }
    return 0;
}

/* Ends a call: frees its workspace, releases its buffers; None when ``ok``, else NULL (an exception is set). */
static PyObject *finish(Py_buffer views[4], void *work, int ok) {
    PyMem_Free(work);
    for (int i = 0; i < 4; i++)
        PyBuffer_Release(&views[i]);
    return ok ? Py_NewRef(Py_None) : NULL;
}

static PyObject *log_marginals(PyObject *Py_UNUSED(module), PyObject *args) {
    Py_buffer views[4];
    double weights[MAX_LABELS * MAX_LABELS];
    if (take_all(args, "OOOO:log_marginals", "f", 3, views) < 0)
        return NULL;
    Py_ssize_t sentences = views[0].shape[0], tokens = views[0].shape[1], labels = views[0].shape[2];
    /* one block: each token's scaled forward probabilities, then each token's scale */
    double *alpha = PyMem_Malloc(sizeof(double) * (size_t)(tokens * (labels + 1)));
    if (alpha == NULL) {
        PyErr_NoMemory();
        return finish(views, NULL, 0);
    }
    double *scale = alpha + tokens * labels;
    const double *transitions = (const double *)views[2].buf;
    double top = transitions[0];
    for (Py_ssize_t k = 1; k < labels * labels; k++)
        if (transitions[k] > top)
            top = transitions[k];
    for (Py_ssize_t k = 0; k < labels * labels; k++)
        weights[k] = exp(transitions[k] - top);
    const int64_t *length_of = (const int64_t *)views[1].buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; s < sentences; s++)
        marginals_one((const float *)views[0].buf + s * tokens * labels, (Py_ssize_t)length_of[s], labels, weights,
                      alpha, scale, (float *)views[3].buf + s * tokens * labels);
    Py_END_ALLOW_THREADS
    return finish(views, alpha, 1);
}

static PyObject *best_paths(PyObject *Py_UNUSED(module), PyObject *args) {
    Py_buffer views[4];
    if (take_all(args, "OOOO:best_paths", "b", 2, views) < 0)
        return NULL;
    Py_ssize_t sentences = views[0].shape[0], tokens = views[0].shape[1], labels = views[0].shape[2];
    int8_t *back = PyMem_Malloc((size_t)(tokens * labels > 0 ? tokens * labels : 1));
    if (back == NULL) {
        PyErr_NoMemory();
        return finish(views, NULL, 0);
    }
    const int64_t *length_of = (const int64_t *)views[1].buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; s < sentences; s++)
        decode_one((const float *)views[0].buf + s * tokens * labels, (Py_ssize_t)length_of[s], labels,
                   (const double *)views[2].buf, back, labels, (int8_t *)views[3].buf + s * tokens);
    Py_END_ALLOW_THREADS
    return finish(views, back, 1);
}

static PyMethodDef methods[] = {
    {"log_marginals", log_marginals, METH_VARARGS,
     "log_marginals(emitted, lengths, transitions, out): each token's log label probabilities into out (see the module source)."},
    {"best_paths", best_paths, METH_VARARGS,
     "best_paths(emitted, lengths, transitions, out): each sentence's best label sequence into out (see the module source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_viterbi", "Compiled Viterbi decoding for ner_model.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__viterbi(void) { return PyModule_Create(&module); }
