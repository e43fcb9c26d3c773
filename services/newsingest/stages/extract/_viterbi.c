/* Scoring and decoding of a linear-chain CRF for several sentences at once, the compiled hot paths of
 * ner_model._Model.emissions and ner_model._Model.decode (the numpy code there is the reference and the
 * fallback when this is not built).
 *
 * emissions(sentences, rows, table, capitals, shapes, tables, out):
 *   sentences     list of lists of tokens (tuples whose item 3 is the token's key)
 *   rows          intp, one a token of the sentences laid end to end: its row of the word memo
 *   table         float32, memo rows x (1 + context offsets) x labels: a word's own scores, then the scores
 *                 it lends the token at each context offset
 *   capitals      bytes, one a sentence: 1 for a sentence in capitals
 *   shapes        list of str, one a token (its "sh=" shape), for the shape-and-word pairs; or None (none)
 *   tables        (bigram places: dict (key, key) -> place, bigram rows: intp places+1 x 2 (the rows of the
 *                 "bi=" and "bi+=" features of a place; the last place: none), weights: float64 attributes+1 x
 *                 labels (the last row: no attribute, zeros), boundaries: float64 2 x labels, sentence rows:
 *                 float64 2 x labels ("caps-sentence", "first"), context offsets: tuple of ints, pair tables:
 *                 the four dicts (key, shape) -> weight row of the shape-and-word pairs (the word before with
 *                 the token's shape, the word after with it, the token's word with the shape before, with the
 *                 shape after; empty without shapes), start mark, end mark)
 *   out           float32, sentences x tokens x labels, writable: each token's label scores (past a
 *                 sentence's end left as they are)
 *   The sums are made in numpy's order and precision: the float32 word scores first, then each float64
 *   term rounded into float32 as numpy rounds a float32 array added to float64 scores.
 *
 * fill_rows(texts, own_ids, own_sizes, lent_rows, lent_sizes, rows, table, tables):
 *   the memo rows of new words (ner_model._Model._fill): word w's own features are the next own_sizes[w] rows
 *   of own_ids (ints), the features it lends its neighbours the next lent_sizes[w] tuples of lent_rows (a row
 *   per context offset); its spelling adds the rows of "<name>" + texts[w] for each (name, slot) in tables;
 *   the sums go to table[rows[w]] (float32, memo rows x (1 + context offsets) x labels, writable: slot 0 its
 *   own, slot 1 + c what it lends offset c). tables: (weights: float64 attributes+1 x labels, attribute ids:
 *   dict name -> row, the row of no attribute, ((spelling name, context slot), ...)).
 *   Sums in numpy's order: add.reduceat gives a segment's first row plus the pairwise sum of the rest; the
 *   spelling rows are added to that, and the total rounded to float32 once.
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

#define MAX_CONTEXT 8
#define SHAPE_PAIRS 4

/* Takes an index buffer (intp: 'l' or 'q'), 0 on success. */
static int take_index(PyObject *object, Py_buffer *view, const char *name) {
    if (take(object, view, "l", 0, name) == 0)
        return 0;
    PyErr_Clear();
    return take(object, view, "q", 0, name);
}

/* The value of ``key`` (a new reference, released here; NULL after a failed build) in the dict ``table``,
 * ``missing`` when it has none; -1 on error, a value outside 0..limit included. */
static Py_ssize_t value_of(PyObject *table, PyObject *key, Py_ssize_t missing, Py_ssize_t limit) {
    if (key == NULL)
        return -1;
    PyObject *found = PyDict_GetItemWithError(table, key);
    Py_DECREF(key);
    if (found == NULL)
        return PyErr_Occurred() ? -1 : missing;
    Py_ssize_t value = PyLong_AsSsize_t(found);
    if (value == -1 && PyErr_Occurred())
        return -1;
    if (value < 0 || value > limit) {
        PyErr_SetString(PyExc_ValueError, "tables: a row or place out of range");
        return -1;
    }
    return value;
}

/* The value of the pair (a, b) in ``places`` (see value_of). */
static Py_ssize_t pair_place(PyObject *places, PyObject *a, PyObject *b, Py_ssize_t missing, Py_ssize_t limit) {
    return value_of(places, PyTuple_Pack(2, a, b), missing, limit);
}

/* Item ``i`` of a sentence's keys (or shapes) between its marks: ``start`` before the first, ``end`` after the last. */
static PyObject *marked(PyObject *items, Py_ssize_t i, PyObject *start, PyObject *end) {
    return i < 0 ? start : i >= PyList_GET_SIZE(items) ? end : PyList_GET_ITEM(items, i);
}

typedef struct {
    const float *table;
    Py_ssize_t table_rows, slots, labels; /* slots: 1 + context offsets */
    const Py_ssize_t *rows;
    const Py_ssize_t *bigram_rows;
    Py_ssize_t weight_rows;
    const double *weights, *boundaries, *sentence_rows;
    Py_ssize_t offsets[MAX_CONTEXT];
} Scoring;

/* The scores of one sentence's tokens (``first``: its first token's index among all tokens; ``places``: its
 * n + 1 bigram places; ``shape_rows``: each token's four shape-and-word pair rows, or NULL) into ``out``
 * (tokens x labels), in numpy's order (see the module comment). */
static void score_sentence(const Scoring *m, Py_ssize_t first, Py_ssize_t length, const Py_ssize_t *places,
                           const Py_ssize_t *shape_rows, int capitals, float *out) {
    Py_ssize_t labels = m->labels;
    for (Py_ssize_t i = 0; i < length; i++) {
        float *here = out + i * labels;
        Py_ssize_t row = m->rows[first + i];
        const double *before = m->weights + m->bigram_rows[2 * places[i]] * labels;
        const double *after = m->weights + m->bigram_rows[2 * places[i + 1] + 1] * labels;
        for (Py_ssize_t l = 0; l < labels; l++)
            here[l] = m->table[(row * m->slots) * labels + l];
        for (Py_ssize_t slot = 1; slot < m->slots; slot++) {
            Py_ssize_t j = i + m->offsets[slot - 1];
            if (j < 0 || j >= length)
                continue;
            const float *lent = m->table + (m->rows[first + j] * m->slots + slot) * labels;
            for (Py_ssize_t l = 0; l < labels; l++)
                here[l] += lent[l];
        }
        if (i == 0)
            for (Py_ssize_t l = 0; l < labels; l++)
                here[l] = (float)((double)here[l] + m->boundaries[l]);
        if (i == length - 1)
            for (Py_ssize_t l = 0; l < labels; l++)
                here[l] = (float)((double)here[l] + m->boundaries[labels + l]);
        for (Py_ssize_t l = 0; l < labels; l++) {
            double pair = before[l] + after[l];
            if (capitals)
                pair += m->sentence_rows[l];
            if (shape_rows != NULL) {
                double shape = 0.0;
                for (int k = 0; k < SHAPE_PAIRS; k++)
                    shape += m->weights[shape_rows[SHAPE_PAIRS * i + k] * labels + l];
                pair += shape;
            }
            if (i == 0)
                pair += m->sentence_rows[labels + l];
            here[l] = (float)((double)here[l] + pair);
        }
    }
}

/* A sentence's bigram places (n + 1; their rows checked against ``none``, the last weight row) and, with
 * ``pair_tables``, each token's four shape-and-word pair rows. */
static int sentence_rows(PyObject *sentence, PyObject *shapes, Py_ssize_t first, PyObject *places_dict, Py_ssize_t missing,
                         const Py_ssize_t *bigram_rows, PyObject *pair_tables, Py_ssize_t none, PyObject *start_mark, PyObject *end_mark,
                         PyObject *keys, Py_ssize_t *places, Py_ssize_t *shape_rows) {
    Py_ssize_t length = PyList_GET_SIZE(sentence);
    for (Py_ssize_t i = 0; i < length; i++) {
        PyObject *token = PyList_GET_ITEM(sentence, i);
        if (!PyTuple_Check(token) || PyTuple_GET_SIZE(token) < 4) {
            PyErr_SetString(PyExc_TypeError, "sentences: expected lists of tokens (tuples of at least 4 items)");
            return -1;
        }
        PyList_SET_ITEM(keys, i, Py_NewRef(PyTuple_GET_ITEM(token, 3)));
    }
    for (Py_ssize_t i = 0; i <= length; i++) {
        if ((places[i] = pair_place(places_dict, marked(keys, i - 1, start_mark, end_mark), marked(keys, i, start_mark, end_mark),
                                    missing, missing)) < 0)
            return -1;
        for (int side = 0; side < 2; side++)  /* checked where used: the whole table is the model's, tens of thousands of rows */
            if (bigram_rows[2 * places[i] + side] < 0 || bigram_rows[2 * places[i] + side] > none) {
                PyErr_SetString(PyExc_ValueError, "tables: a bigram row outside the weights");
                return -1;
            }
    }
    if (shape_rows == NULL)
        return 0;
    PyObject *own = PyList_GetSlice(shapes, first, first + length);
    if (own == NULL)
        return -1;
    int ok = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        /* the word before with the token's shape, the word after with it, the token's word with the shape before, with the shape after */
        PyObject *pairs[SHAPE_PAIRS][2] = {
            {marked(keys, i - 1, start_mark, end_mark), PyList_GET_ITEM(own, i)},
            {marked(keys, i + 1, start_mark, end_mark), PyList_GET_ITEM(own, i)},
            {PyList_GET_ITEM(keys, i), marked(own, i - 1, start_mark, end_mark)},
            {PyList_GET_ITEM(keys, i), marked(own, i + 1, start_mark, end_mark)},
        };
        for (int k = 0; k < SHAPE_PAIRS; k++)
            if ((shape_rows[SHAPE_PAIRS * i + k] = pair_place(PyTuple_GET_ITEM(pair_tables, k), pairs[k][0], pairs[k][1], none, none)) < 0)
                goto done;
    }
    ok = 1;
done:
    Py_DECREF(own);
    return ok ? 0 : -1;
}

static PyObject *emissions(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *sentences, *rows_object, *table_object, *capitals, *shapes, *tables, *out_object;
    PyObject *places_dict, *bigram_object, *weights_object, *boundaries_object, *sentence_object, *offsets, *pair_tables,
        *start_mark, *end_mark;
    if (!PyArg_ParseTuple(args, "O!OOSOO!O:emissions", &PyList_Type, &sentences, &rows_object, &table_object, &capitals,
                          &shapes, &PyTuple_Type, &tables, &out_object))
        return NULL;
    if (!PyArg_ParseTuple(tables, "O!OOOOO!O!OO:emissions tables", &PyDict_Type, &places_dict, &bigram_object, &weights_object,
                          &boundaries_object, &sentence_object, &PyTuple_Type, &offsets, &PyTuple_Type, &pair_tables,
                          &start_mark, &end_mark))
        return NULL;
    enum { ROWS, TABLE, BIGRAMS, WEIGHTS, BOUNDARIES, SENTENCE_ROWS, OUT, VIEWS };
    const char *names[VIEWS] = {"rows", "table", "bigram rows", "weights", "boundaries", "sentence rows", "out"};
    PyObject *objects[VIEWS] = {rows_object, table_object, bigram_object, weights_object, boundaries_object, sentence_object, out_object};
    Py_buffer views[VIEWS];
    int taken = 0, ok = 0;
    Py_ssize_t *places = NULL, *shape_rows = NULL;
    PyObject *keys = NULL;
    for (; taken < VIEWS; taken++) {
        int failed = (taken == ROWS || taken == BIGRAMS) ? take_index(objects[taken], &views[taken], names[taken])
                                                         : take(objects[taken], &views[taken], taken == TABLE || taken == OUT ? "f" : "d",
                                                                taken == OUT, names[taken]);
        if (failed < 0)
            goto done;
    }
    Py_ssize_t count = PyList_GET_SIZE(sentences), contexts = PyTuple_GET_SIZE(offsets);
    Py_buffer *table = &views[TABLE], *out = &views[OUT], *weights = &views[WEIGHTS];
    if (table->ndim != 3 || out->ndim != 3 || weights->ndim != 2 || views[BIGRAMS].ndim != 2 || views[ROWS].ndim != 1 ||
        views[BOUNDARIES].ndim != 2 || views[SENTENCE_ROWS].ndim != 2 || contexts > MAX_CONTEXT) {
        PyErr_SetString(PyExc_ValueError, "emissions: arrays of the wrong dimensions (see the module source)");
        goto done;
    }
    Scoring m = {
        .table = table->buf, .table_rows = table->shape[0], .slots = table->shape[1], .labels = table->shape[2],
        .rows = views[ROWS].buf, .bigram_rows = views[BIGRAMS].buf, .weight_rows = weights->shape[0],
        .weights = weights->buf, .boundaries = views[BOUNDARIES].buf, .sentence_rows = views[SENTENCE_ROWS].buf,
    };
    Py_ssize_t labels = m.labels, longest = out->shape[1], tokens = views[ROWS].shape[0];
    int with_shapes = shapes != Py_None;
    if (m.slots != 1 + contexts || out->shape[0] != count || out->shape[2] != labels || weights->shape[1] != labels ||
        views[BIGRAMS].shape[1] != 2 || views[BOUNDARIES].shape[0] != 2 || views[BOUNDARIES].shape[1] != labels ||
        views[SENTENCE_ROWS].shape[0] != 2 || views[SENTENCE_ROWS].shape[1] != labels || PyBytes_GET_SIZE(capitals) != count ||
        (with_shapes && (!PyList_Check(shapes) || PyList_GET_SIZE(shapes) != tokens || PyTuple_GET_SIZE(pair_tables) != SHAPE_PAIRS))) {
        PyErr_SetString(PyExc_ValueError, "emissions: shapes do not agree (see the module source)");
        goto done;
    }
    for (Py_ssize_t k = 0; with_shapes && k < SHAPE_PAIRS; k++)
        if (!PyDict_Check(PyTuple_GET_ITEM(pair_tables, k))) {
            PyErr_SetString(PyExc_TypeError, "tables: expected four dicts of shape-and-word pairs");
            goto done;
        }
    for (Py_ssize_t c = 0; c < contexts; c++) {
        m.offsets[c] = PyLong_AsSsize_t(PyTuple_GET_ITEM(offsets, c));
        if (m.offsets[c] == -1 && PyErr_Occurred())
            goto done;
    }
    for (Py_ssize_t t = 0; t < tokens; t++)
        if (m.rows[t] < 0 || m.rows[t] >= m.table_rows) {
            PyErr_SetString(PyExc_ValueError, "rows: a memo row outside the table");
            goto done;
        }
    Py_ssize_t missing = views[BIGRAMS].shape[0] - 1;
    places = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(longest + 1));
    shape_rows = with_shapes ? PyMem_Malloc(sizeof(Py_ssize_t) * SHAPE_PAIRS * (size_t)(longest > 0 ? longest : 1)) : NULL;
    if (places == NULL || (with_shapes && shape_rows == NULL)) {
        PyErr_NoMemory();
        goto done;
    }
    const char *capital = PyBytes_AS_STRING(capitals);
    Py_ssize_t first = 0;
    for (Py_ssize_t s = 0; s < count; s++) {
        PyObject *sentence = PyList_GET_ITEM(sentences, s);
        if (!PyList_Check(sentence)) {
            PyErr_SetString(PyExc_TypeError, "sentences: expected a list of lists of tokens");
            goto done;
        }
        Py_ssize_t length = PyList_GET_SIZE(sentence);
        if (length < 1 || length > longest || first + length > tokens) {
            PyErr_SetString(PyExc_ValueError, "sentences: an empty sentence, or more tokens than out or rows hold");
            goto done;
        }
        Py_XDECREF(keys);
        if ((keys = PyList_New(length)) == NULL ||
            sentence_rows(sentence, shapes, first, places_dict, missing, m.bigram_rows, pair_tables, m.weight_rows - 1, start_mark, end_mark,
                          keys, places, shape_rows) < 0)
            goto done;
        score_sentence(&m, first, length, places, shape_rows, capital[s] != 0, (float *)out->buf + s * longest * labels);
        first += length;
    }
    if (first != tokens) {
        PyErr_SetString(PyExc_ValueError, "rows: not one a token of the sentences");
        goto done;
    }
    ok = 1;
done:
    Py_XDECREF(keys);
    PyMem_Free(places);
    PyMem_Free(shape_rows);
    for (int v = 0; v < taken; v++)
        PyBuffer_Release(&views[v]);
    return ok ? Py_NewRef(Py_None) : NULL;
}

/* numpy's pairwise sum of column ``label`` of the weight rows idx[0], idx[step], ... (n of them): eight running
 * sums over blocks of eight, halves for more than 128 (see numpy's pairwise_sum; a reduceat adds it to its
 * segment's first row). */
static double pairwise(const double *weights, Py_ssize_t labels, Py_ssize_t label, const Py_ssize_t *idx, Py_ssize_t step,
                       Py_ssize_t n) {
#define AT(k) weights[idx[(k) * step] * labels + label]
    if (n < 8) {
        double sum = -0.0;
        for (Py_ssize_t k = 0; k < n; k++)
            sum += AT(k);
        return sum;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t k;
        for (k = 0; k < 8; k++)
            r[k] = AT(k);
        for (k = 8; k < n - (n % 8); k += 8)
            for (int j = 0; j < 8; j++)
                r[j] += AT(k + j);
        double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; k < n; k++)
            sum += AT(k);
        return sum;
    }
#undef AT
    Py_ssize_t half = n / 2;
    half -= half % 8;
    return pairwise(weights, labels, label, idx, step, half) + pairwise(weights, labels, label, idx + half * step, step, n - half);
}

/* The ints of ``list`` (n * width of them: a list of ints, or of tuples of ``width`` ints) into ``out``, each in 0..limit. */
static int read_rows(PyObject *list, Py_ssize_t width, Py_ssize_t limit, Py_ssize_t *out) {
    Py_ssize_t n = PyList_GET_SIZE(list);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        if (width > 1 && (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != width)) {
            PyErr_SetString(PyExc_TypeError, "lent_rows: expected tuples of a row per context offset");
            return -1;
        }
        for (Py_ssize_t c = 0; c < width; c++) {
            Py_ssize_t row = PyLong_AsSsize_t(width > 1 ? PyTuple_GET_ITEM(item, c) : item);
            if (row == -1 && PyErr_Occurred())
                return -1;
            if (row < 0 || row > limit) {
                PyErr_SetString(PyExc_ValueError, "fill_rows: a row outside its table");
                return -1;
            }
            out[i * width + c] = row;
        }
    }
    return 0;
}

static PyObject *fill_rows(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *texts, *own_ids, *own_sizes, *lent_rows, *lent_sizes, *rows, *table_object, *tables, *weights_object, *ids,
        *spellings;
    Py_ssize_t none;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!OO!:fill_rows", &PyList_Type, &texts, &PyList_Type, &own_ids, &PyList_Type, &own_sizes,
                          &PyList_Type, &lent_rows, &PyList_Type, &lent_sizes, &PyList_Type, &rows, &table_object, &PyTuple_Type, &tables))
        return NULL;
    if (!PyArg_ParseTuple(tables, "OO!nO!:fill_rows tables", &weights_object, &PyDict_Type, &ids, &none, &PyTuple_Type, &spellings))
        return NULL;
    Py_buffer weights, table;
    if (take(weights_object, &weights, "d", 0, "weights") < 0)
        return NULL;
    if (take(table_object, &table, "f", 1, "table") < 0) {
        PyBuffer_Release(&weights);
        return NULL;
    }
    int ok = 0;
    Py_ssize_t *own = NULL, *lent = NULL, *spelled = NULL, *sizes = NULL;
    Py_ssize_t words = PyList_GET_SIZE(texts), owned = PyList_GET_SIZE(own_ids), lends = PyList_GET_SIZE(lent_rows);
    Py_ssize_t spelling_count = PyTuple_GET_SIZE(spellings);
    if (weights.ndim != 2 || table.ndim != 3 || table.shape[1] - 1 > MAX_CONTEXT || table.shape[2] != weights.shape[1] ||
        weights.shape[1] > MAX_LABELS || none < 0 || none >= weights.shape[0] || PyList_GET_SIZE(own_sizes) != words ||
        PyList_GET_SIZE(lent_sizes) != words || PyList_GET_SIZE(rows) != words) {
        PyErr_SetString(PyExc_ValueError, "fill_rows: arrays or lists that do not agree (see the module source)");
        goto done;
    }
    Py_ssize_t labels = weights.shape[1], contexts = table.shape[1] - 1, limit = weights.shape[0] - 1;
    own = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(owned + 1));
    lent = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(lends * contexts + 1));
    spelled = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(words * spelling_count + 1));
    sizes = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(3 * words + 1));
    if (own == NULL || lent == NULL || spelled == NULL || sizes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (read_rows(own_ids, 1, limit, own) < 0 || read_rows(lent_rows, contexts, limit, lent) < 0 ||
        read_rows(own_sizes, 1, owned, sizes) < 0 || read_rows(lent_sizes, 1, lends, sizes + words) < 0 ||
        read_rows(rows, 1, table.shape[0] - 1, sizes + 2 * words) < 0)
        goto done;
    Py_ssize_t slots[MAX_CONTEXT];
    for (Py_ssize_t k = 0; k < spelling_count; k++) {
        PyObject *spelling = PyTuple_GET_ITEM(spellings, k);
        if (k >= MAX_CONTEXT || !PyTuple_Check(spelling) || PyTuple_GET_SIZE(spelling) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(spelling, 0))) {
            PyErr_SetString(PyExc_TypeError, "tables: expected (spelling name, context slot) pairs");
            goto done;
        }
        slots[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(spelling, 1));
        if (slots[k] < 0 || slots[k] >= contexts) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "tables: a spelling's context slot out of range");
            goto done;
        }
        for (Py_ssize_t w = 0; w < words; w++) {
            PyObject *text = PyList_GET_ITEM(texts, w);
            if (!PyUnicode_Check(text)) {
                PyErr_SetString(PyExc_TypeError, "texts: expected a str a word");
                goto done;
            }
            if ((spelled[w * spelling_count + k] = value_of(ids, PyUnicode_Concat(PyTuple_GET_ITEM(spelling, 0), text), none, limit)) < 0)
                goto done;
        }
    }
    Py_ssize_t own_at = 0, lent_at = 0;
    for (Py_ssize_t w = 0; w < words; w++) {
        Py_ssize_t own_size = sizes[w], lent_size = sizes[words + w];
        if (own_size < 1 || lent_size < 1 || own_at + own_size > owned || lent_at + lent_size > lends) {
            PyErr_SetString(PyExc_ValueError, "fill_rows: a word without features, or sizes past the rows given");
            goto done;
        }
        float *out = (float *)table.buf + sizes[2 * words + w] * (1 + contexts) * labels;
        const double *weight = weights.buf;
        for (Py_ssize_t label = 0; label < labels; label++)
            out[label] = (float)(weight[own[own_at] * labels + label] + pairwise(weight, labels, label, own + own_at + 1, 1, own_size - 1));
        for (Py_ssize_t c = 0; c < contexts; c++) {
            const Py_ssize_t *first = lent + lent_at * contexts + c;
            for (Py_ssize_t label = 0; label < labels; label++) {
                double sum = weight[first[0] * labels + label] + pairwise(weight, labels, label, first + contexts, contexts, lent_size - 1);
                for (Py_ssize_t k = 0; k < spelling_count; k++)
                    if (slots[k] == c)
                        sum += weight[spelled[w * spelling_count + k] * labels + label];
                out[(1 + c) * labels + label] = (float)sum;
            }
        }
        own_at += own_size;
        lent_at += lent_size;
    }
    if (own_at != owned || lent_at != lends) {
        PyErr_SetString(PyExc_ValueError, "fill_rows: sizes that do not add up to the rows given");
        goto done;
    }
    ok = 1;
done:
    PyMem_Free(own);
    PyMem_Free(lent);
    PyMem_Free(spelled);
    PyMem_Free(sizes);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&table);
    return ok ? Py_NewRef(Py_None) : NULL;
}

static PyMethodDef methods[] = {
    {"fill_rows", fill_rows, METH_VARARGS,
     "fill_rows(texts, own_ids, own_sizes, lent_rows, lent_sizes, rows, table, tables): new words' memo rows into table (see the module source)."},
    {"emissions", emissions, METH_VARARGS,
     "emissions(sentences, rows, table, capitals, shapes, tables, out): each token's label scores into out (see the module source)."},
    {"log_marginals", log_marginals, METH_VARARGS,
     "log_marginals(emitted, lengths, transitions, out): each token's log label probabilities into out (see the module source)."},
    {"best_paths", best_paths, METH_VARARGS,
     "best_paths(emitted, lengths, transitions, out): each sentence's best label sequence into out (see the module source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_viterbi", "Compiled scoring and decoding for ner_model.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__viterbi(void) { return PyModule_Create(&module); }
