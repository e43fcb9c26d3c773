/* The word-shingle sketch of a duplicate fingerprint in C: the compiled hot path of duplicates._python_sketch,
 * which is the reference and the fallback when this is not built.
 *
 * sketch(text, shingle_words, size) -> (joined, distinct, smallest)
 *   text           a text already in matching form (folded)
 *   shingle_words  words per shingle
 *   size           how many of the smallest shingle hashes to keep
 *   joined         the text's words joined by single spaces, as UTF-8 bytes
 *   distinct       how many distinct shingle hashes the text has
 *   smallest       the ``size`` smallest of them, ascending (a tuple of ints)
 *
 * A word is a run of what Python's re calls \w in a str pattern (alphanumeric or "_"). A shingle is a run
 * of ``shingle_words`` words joined by single spaces; a text of fewer words is one shingle of all of them
 * (no word: one empty shingle). A shingle's hash is the CRC-32 of its UTF-8 bytes, as zlib.crc32 gives it.
 * In the joined text each shingle is one slice, so no shingle string is built. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

static uint32_t crc_table[256];

static void build_crc_table(void) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        crc_table[byte] = crc;
    }
}

static uint32_t crc32_of(const unsigned char *bytes, Py_ssize_t length) {
    uint32_t crc = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < length; i++)
        crc = crc_table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

static inline int is_word_char(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) || c == '_'; }

static inline Py_ssize_t utf8_length(Py_UCS4 c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

static int ascending(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static PyObject *sketch(PyObject *module, PyObject *args) {
    PyObject *text;
    Py_ssize_t shingle_words, size;
    if (!PyArg_ParseTuple(args, "Unn:sketch", &text, &shingle_words, &size))
        return NULL;
    if (shingle_words < 1 || size < 0) {
        PyErr_SetString(PyExc_ValueError, "sketch: shingle_words must be at least 1 and size not negative");
        return NULL;
    }
    Py_ssize_t utf8_size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &utf8_size);  /* raises for lone surrogates, as str.encode does */
    if (utf8 == NULL)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);

    /* The words joined by single spaces, and where each word starts and ends among those bytes. */
    Py_ssize_t capacity = length / 2 + 1;
    Py_ssize_t *word_start = PyMem_Malloc(sizeof(Py_ssize_t) * capacity * 2);
    PyObject *joined = PyBytes_FromStringAndSize(NULL, utf8_size);  /* the joined text is never longer: shrunk below */
    uint32_t *hashes = NULL;
    PyObject *result = NULL;
    if (word_start == NULL || joined == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t *word_end = word_start + capacity;
    char *out = PyBytes_AS_STRING(joined);
    Py_ssize_t words = 0, written = 0, byte = 0;
    for (Py_ssize_t i = 0; i < length;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word_char(c)) {
            byte += utf8_length(c);
            i++;
            continue;
        }
        Py_ssize_t first = byte;
        while (i < length && is_word_char(c = PyUnicode_READ(kind, data, i))) {
            byte += utf8_length(c);
            i++;
        }
        if (words)
            out[written++] = ' ';
        word_start[words] = written;
        memcpy(out + written, utf8 + first, byte - first);
        written += byte - first;
        word_end[words++] = written;
    }

    Py_ssize_t shingles = words < shingle_words ? 1 : words - shingle_words + 1;
    hashes = PyMem_Malloc(sizeof(uint32_t) * shingles);
    if (hashes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const unsigned char *joined_bytes = (const unsigned char *)out;
    if (words < shingle_words)
        hashes[0] = crc32_of(joined_bytes, written);
    else
        for (Py_ssize_t s = 0; s < shingles; s++)
            hashes[s] = crc32_of(joined_bytes + word_start[s], word_end[s + shingle_words - 1] - word_start[s]);
    qsort(hashes, shingles, sizeof(uint32_t), ascending);
    Py_ssize_t distinct = 0;
    for (Py_ssize_t s = 0; s < shingles; s++)
        if (distinct == 0 || hashes[s] != hashes[distinct - 1])
            hashes[distinct++] = hashes[s];

    Py_ssize_t kept = distinct < size ? distinct : size;
    PyObject *smallest = PyTuple_New(kept);
    if (smallest == NULL)
        goto done;
    for (Py_ssize_t s = 0; s < kept; s++) {
        PyObject *value = PyLong_FromUnsignedLong(hashes[s]);
        if (value == NULL) {
            Py_DECREF(smallest);
            goto done;
        }
        PyTuple_SET_ITEM(smallest, s, value);
    }
    if (_PyBytes_Resize(&joined, written) < 0) {  /* on failure it frees and clears ``joined`` */
        Py_DECREF(smallest);
        goto done;
    }
    result = Py_BuildValue("(OnN)", joined, distinct, smallest);
done:
    PyMem_Free(word_start);
    PyMem_Free(hashes);
    Py_XDECREF(joined);
    return result;
}

static PyMethodDef methods[] = {
    {"sketch", sketch, METH_VARARGS, "sketch(text, shingle_words, size) -> (joined words as UTF-8, distinct shingle hashes, the size smallest)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sketch", "Word-shingle sketches of folded texts in C.", -1, methods};

PyMODINIT_FUNC PyInit__sketch(void) {
    build_crc_table();
    return PyModule_Create(&module);
}
