/* The tokenizer's scan in C: the compiled hot path of tokens.tokenize (its Python loop, _scan, is the
 * reference and the fallback when this is not built).
 *
 * scan(text, folded, fold, token_type, marks) -> list of token_type
 *   text        the text to split
 *   folded      text folded character for character (same length), or None: then each key is fold(word)
 *   fold        the folding function, called only when folded is None
 *   token_type  the Token class (a tuple subclass of six fields: text, start, end, key, is_word, is_arabic)
 *   marks       the Arabic marks as ((first, last) code point, ...) ranges
 *
 * It finds what tokens._TOKEN finds, with the predicates Python's re uses for str patterns:
 *   a word:       a run of letters and marks, a letter being \w but neither \d nor "_" (alphanumeric, not decimal)
 *   a number:     decimal digits, then again and again one of . , U+066B U+066C followed by decimal digits
 *   a mark:       any one character that is neither \w (alphanumeric or "_") nor \s (white space)
 * A token is a word (is_word) when its first character is alphabetic, Arabic when that character is also
 * in U+0600..U+06FF, as tokenize decides.
 *
 * words(text) -> list of str
 *   the runs of \w in text, as re.findall(r"\w+", text) finds them (the compiled tokens.word_runs)
 *
 * key_bits(tokens, table, digit_bits) -> bytes
 *   a byte a token: table.get(token.key, 0), or'd with digit_bits when the key's first character is a digit
 *   (str.isdigit); the compiled _KeyTests.bits */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define MAX_RANGES 32

typedef struct {
    Py_ssize_t count;
    Py_UCS4 first[MAX_RANGES], last[MAX_RANGES];
} Ranges;

static int read_ranges(PyObject *marks, Ranges *ranges) {
    PyObject *items = PySequence_Fast(marks, "marks: expected a sequence of (first, last) code points");
    if (items == NULL)
        return -1;
    ranges->count = PySequence_Fast_GET_SIZE(items);
    if (ranges->count > MAX_RANGES) {
        PyErr_Format(PyExc_ValueError, "marks: at most %d ranges", MAX_RANGES);
        Py_DECREF(items);
        return -1;
    }
    for (Py_ssize_t i = 0; i < ranges->count; i++) {
        unsigned long first, last;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(items, i), "kk:marks", &first, &last)) {
            Py_DECREF(items);
            return -1;
        }
        ranges->first[i] = (Py_UCS4)first;
        ranges->last[i] = (Py_UCS4)last;
    }
    Py_DECREF(items);
    return 0;
}

static inline int is_mark(const Ranges *ranges, Py_UCS4 c) {
    for (Py_ssize_t i = 0; i < ranges->count; i++)
        if (ranges->first[i] <= c && c <= ranges->last[i])
            return 1;
    return 0;
}

static inline int is_letter(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c); }

static inline int is_separator(Py_UCS4 c) { return c == '.' || c == ',' || c == 0x066B || c == 0x066C; }

/* The end of the token starting at ``start``, or ``start`` when no token starts there. */
static Py_ssize_t token_end(int kind, const void *data, Py_ssize_t length, Py_ssize_t start, const Ranges *marks) {
    Py_UCS4 c = PyUnicode_READ(kind, data, start);
    Py_ssize_t end = start + 1;
    if (is_letter(c) || is_mark(marks, c)) {
        while (end < length) {
            Py_UCS4 next = PyUnicode_READ(kind, data, end);
            if (!is_letter(next) && !is_mark(marks, next))
                break;
            end++;
        }
        return end;
    }
    if (Py_UNICODE_ISDECIMAL(c)) {
        for (;;) {
            while (end < length && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, end)))
                end++;
            if (end + 1 < length && is_separator(PyUnicode_READ(kind, data, end)) && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, end + 1)))
                end++;
            else
                return end;
        }
    }
    if (Py_UNICODE_ISALNUM(c) || c == '_' || Py_UNICODE_ISSPACE(c))
        return start;
    return end;
}

static PyObject *new_token(PyTypeObject *type, PyObject *word, Py_ssize_t start, Py_ssize_t end, PyObject *key, Py_UCS4 first) {
    PyObject *start_object = PyLong_FromSsize_t(start), *end_object = PyLong_FromSsize_t(end);
    PyObject *token = (start_object && end_object) ? type->tp_alloc(type, 6) : NULL;
    if (token == NULL) {
        Py_XDECREF(start_object);
        Py_XDECREF(end_object);
        Py_DECREF(word);
        Py_DECREF(key);
        return NULL;
    }
    int is_word = Py_UNICODE_ISALPHA(first);
    PyTuple_SET_ITEM(token, 0, word);
    PyTuple_SET_ITEM(token, 1, start_object);
    PyTuple_SET_ITEM(token, 2, end_object);
    PyTuple_SET_ITEM(token, 3, key);
    PyTuple_SET_ITEM(token, 4, Py_NewRef(is_word ? Py_True : Py_False));
    PyTuple_SET_ITEM(token, 5, Py_NewRef(is_word && 0x0600 <= first && first <= 0x06FF ? Py_True : Py_False));
    return token;
}

static PyObject *scan(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *text, *folded, *fold, *type_object, *marks_object;
    if (!PyArg_ParseTuple(args, "UOOOO:scan", &text, &folded, &fold, &type_object, &marks_object))
        return NULL;
    if (!PyType_Check(type_object) || !PyType_IsSubtype((PyTypeObject *)type_object, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "token_type: expected a tuple subclass");
        return NULL;
    }
    int exact = folded != Py_None;
    if (exact && (!PyUnicode_Check(folded) || PyUnicode_GET_LENGTH(folded) != PyUnicode_GET_LENGTH(text))) {
        PyErr_SetString(PyExc_ValueError, "folded: expected None or a str as long as text");
        return NULL;
    }
    Ranges marks;
    if (read_ranges(marks_object, &marks) < 0)
        return NULL;
    PyTypeObject *type = (PyTypeObject *)type_object;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int folded_kind = exact ? PyUnicode_KIND(folded) : 0;
    const void *folded_data = exact ? PyUnicode_DATA(folded) : NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *tokens = PyList_New(0);
    if (tokens == NULL)
        return NULL;
    Py_ssize_t start = 0;
    while (start < length) {
        Py_ssize_t end = token_end(kind, data, length, start, &marks);
        if (end == start) {
            start++;
            continue;
        }
        PyObject *word = PyUnicode_Substring(text, start, end);
        if (word == NULL)
            goto error;
        PyObject *key;
        if (!exact)
            key = PyObject_CallOneArg(fold, word);
        else if (folded_kind == kind && memcmp((const char *)folded_data + start * kind, (const char *)data + start * kind,
                                               (size_t)((end - start) * kind)) == 0)
            key = Py_NewRef(word); /* folding left the word as it is: its key is the same string */
        else
            key = PyUnicode_Substring(folded, start, end);
        if (key == NULL) {
            Py_DECREF(word);
            goto error;
        }
        PyObject *token = new_token(type, word, start, end, key, PyUnicode_READ(kind, data, start));
        if (token == NULL)
            goto error;
        int appended = PyList_Append(tokens, token);
        Py_DECREF(token);
        if (appended < 0)
            goto error;
        start = end;
    }
    return tokens;
error:
    Py_DECREF(tokens);
    return NULL;
}

static inline int is_word_character(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) || c == '_'; }

static PyObject *words(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "words: expected a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    Py_ssize_t at = 0;
    while (at < length) {
        if (!is_word_character(PyUnicode_READ(kind, data, at))) {
            at++;
            continue;
        }
        Py_ssize_t end = at + 1;
        while (end < length && is_word_character(PyUnicode_READ(kind, data, end)))
            end++;
        PyObject *word = PyUnicode_Substring(text, at, end);
        if (word == NULL || PyList_Append(found, word) < 0) {
            Py_XDECREF(word);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(word);
        at = end;
    }
    return found;
}

static PyObject *key_bits(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *tokens, *table;
    unsigned char digit_bits;
    if (!PyArg_ParseTuple(args, "O!O!b", &PyList_Type, &tokens, &PyDict_Type, &table, &digit_bits))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(tokens);
    PyObject *found = PyBytes_FromStringAndSize(NULL, count);
    if (found == NULL)
        return NULL;
    unsigned char *bits = (unsigned char *)PyBytes_AS_STRING(found);
    for (Py_ssize_t index = 0; index < count; index++) {
        PyObject *token = PyList_GET_ITEM(tokens, index);
        PyObject *key = PyTuple_Check(token) && PyTuple_GET_SIZE(token) > 3 ? PyTuple_GET_ITEM(token, 3) : NULL;
        if (key == NULL || !PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "key_bits: expected tokens with a str key fourth");
            Py_DECREF(found);
            return NULL;
        }
        PyObject *value = PyDict_GetItemWithError(table, key);
        if (value == NULL && PyErr_Occurred()) {
            Py_DECREF(found);
            return NULL;
        }
        long byte = value == NULL ? 0 : PyLong_AsLong(value);
        if (byte == -1 && PyErr_Occurred()) {
            Py_DECREF(found);
            return NULL;
        }
        if (PyUnicode_GET_LENGTH(key) > 0 && Py_UNICODE_ISDIGIT(PyUnicode_READ_CHAR(key, 0)))
            byte |= digit_bits;
        bits[index] = (unsigned char)byte;
    }
    return found;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "scan(text, folded, fold, token_type, marks): the tokens of text (see the module source)."},
    {"words", words, METH_O, "words(text): the runs of \\w in text, as re.findall(r'\\w+', text) finds them."},
    {"key_bits", key_bits, METH_VARARGS, "key_bits(tokens, table, digit_bits): a byte of test bits a token (see the module source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tokens", "Compiled scan for newsingest.text.tokens.", -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__tokens(void) { return PyModule_Create(&module); }
