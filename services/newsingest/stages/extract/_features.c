/* The NER model's features of a word, looked up as the model's attribute rows as they are built: the
 * compiled hot path of ner_model._Model._fill for the words its memo has not met (an Arabic article brings
 * ~130 when the memo is cold). ner_model._word_features is the reference, and the fallback when this is not
 * built: the same features, in the same order, so the same rows are summed in the same order.
 *
 * arabic_word_rows(text, key, tables, own_rows, lent_rows) -> (own count, lent count) or None
 *   text, key   an Arabic token's spelling and key
 *   tables      the tuple ner_model._Model builds once: (attribute ids, context rows, no-context rows, the
 *               no-attribute row, length features, definite features, proclitic_splits, class features
 *               memo, cluster features of the model's language, census class features memo)
 *   own_rows    list: the rows of the word's own features are appended
 *   lent_rows   list: the context rows of the features its neighbours see of it are appended
 * None, with nothing appended, when the word's shape takes ner_model._shape's patterns (a spelling whose
 * first character is a letter or digit outside U+0600..U+06FF, which no token tokenize calls Arabic has):
 * the caller builds that word's features.
 *
 * other_word_rows(text, key, tables, own_rows, lent_rows) -> (own count, lent count) or None
 *   the same for a token tokenize does not call Arabic (Latin words, numbers, punctuation, other scripts);
 *   None, with nothing appended, for an acronym (two characters or more, all cased ones upper case), whose
 *   classes the caller asks of the gazetteer itself. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

enum { IDS, CONTEXT, NO_CONTEXT, NONE, LENGTHS, DEFINITE, SPLITS, CLASSES, CLUSTERS, CENSUS, TABLES };
#define MAX_AFFIX 4

static PyObject *prefix_names[MAX_AFFIX + 1], *suffix_names[MAX_AFFIX + 1];
static PyObject *word_name, *arabic_shape, *punctuation_shape, *stem_name, *clitic_name, *stem_cluster, *article;
static PyObject *shape_name, *spelling_name, *long_shape_name, *capital, *capitals;

/* Append table[feature], or fallback when the table has no such feature, to out. */
static int append_found(PyObject *table, PyObject *fallback, PyObject *feature, PyObject *out) {
    PyObject *found = PyDict_GetItemWithError(table, feature);
    if (found == NULL && PyErr_Occurred())
        return -1;
    return PyList_Append(out, found != NULL ? found : fallback);
}

/* The row of one of the word's own features (or the no-attribute row). */
static int own_row(PyObject *const *tables, PyObject *feature, PyObject *out) {
    return append_found(tables[IDS], tables[NONE], feature, out);
}

/* The context rows of a feature the word's neighbours see (or the no-context rows). */
static int lent_row(PyObject *const *tables, PyObject *feature, PyObject *out) {
    return append_found(tables[CONTEXT], tables[NO_CONTEXT], feature, out);
}

/* own_row of name + text[start:end], a new string. */
static int own_joined(PyObject *const *tables, PyObject *name, PyObject *text, Py_ssize_t start, Py_ssize_t end,
                      PyObject *out) {
    PyObject *part = PyUnicode_Substring(text, start, end);
    if (part == NULL)
        return -1;
    PyObject *feature = PyUnicode_Concat(name, part);
    Py_DECREF(part);
    if (feature == NULL)
        return -1;
    int failed = own_row(tables, feature, out);
    Py_DECREF(feature);
    return failed;
}

/* Append each item of the tuple (or list) items, through add, to out; the count, or -1. */
static Py_ssize_t add_all(PyObject *const *tables, PyObject *items, int (*add)(PyObject *const *, PyObject *, PyObject *),
                          PyObject *out) {
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items);
    PyObject **item = PySequence_Fast_ITEMS(items);
    for (Py_ssize_t i = 0; i < count; i++)
        if (add(tables, item[i], out) < 0)
            return -1;
    return count;
}

/* The class features of key as a plain word (which 0) or as a stem under a clitic (which 1): a new
 * reference to a tuple of strings, from the memo. */
static PyObject *class_features(PyObject *const *tables, PyObject *key, Py_ssize_t which) {
    PyObject *both = PyObject_GetItem(tables[CLASSES], key);
    if (both == NULL)
        return NULL;
    if (!PyTuple_Check(both) || PyTuple_GET_SIZE(both) != 2 || !PyTuple_Check(PyTuple_GET_ITEM(both, which))) {
        Py_DECREF(both);
        PyErr_SetString(PyExc_TypeError, "class features must be a pair of tuples");
        return NULL;
    }
    PyObject *features = PyTuple_GET_ITEM(both, which);
    Py_INCREF(features);
    Py_DECREF(both);
    return features;
}

/* The features every word closes with: its cluster's, then its classes', each own and lent; their counts
 * added to *owned and *lent_count. 0, or -1. */
static int closing_rows(PyObject *const *tables, PyObject *cluster, PyObject *classes, PyObject *own, PyObject *lent,
                        Py_ssize_t *owned, Py_ssize_t *lent_count) {
    Py_ssize_t added;
    if (cluster != NULL) {
        if (!PyTuple_Check(cluster) || PyTuple_GET_SIZE(cluster) != 2) {
            PyErr_SetString(PyExc_TypeError, "cluster features must be a pair of tuples");
            return -1;
        }
        if ((added = add_all(tables, PyTuple_GET_ITEM(cluster, 0), own_row, own)) < 0)
            return -1;
        *owned += added;
        if ((added = add_all(tables, PyTuple_GET_ITEM(cluster, 1), lent_row, lent)) < 0)
            return -1;
        *lent_count += added;
    }
    if ((added = add_all(tables, classes, own_row, own)) < 0 || add_all(tables, classes, lent_row, lent) < 0)
        return -1;
    *owned += added;
    *lent_count += added;
    return 0;
}

/* The features every word opens with: "w=" key, its shape ("sh=" + ``shape`` of a letter or digit, or
 * "sh=p" + its first character when it starts with neither), its length, its prefixes and suffixes (own); "w=" and
 * the shape again as its neighbours see them (lent). The count of own rows, or -1. */
static Py_ssize_t opening_rows(PyObject *text, PyObject *key, PyObject *const *tables, PyObject *shape_of_word,
                               PyObject *own, PyObject *lent) {
    Py_ssize_t key_length = PyUnicode_GET_LENGTH(key), owned = -1;
    PyObject *word = NULL, *shape = NULL;
    if ((word = PyUnicode_Concat(word_name, key)) == NULL)
        goto done;
    if (Py_UNICODE_ISALNUM(PyUnicode_READ_CHAR(text, 0))) {
        shape = shape_of_word;
        Py_INCREF(shape);
    } else {
        PyObject *mark = PyUnicode_Substring(text, 0, 1);
        if (mark == NULL)
            goto done;
        shape = PyUnicode_Concat(punctuation_shape, mark);
        Py_DECREF(mark);
        if (shape == NULL)
            goto done;
    }
    PyObject *length = PyTuple_GET_ITEM(tables[LENGTHS], key_length < 8 ? key_length : 8);
    if (own_row(tables, word, own) < 0 || own_row(tables, shape, own) < 0 || own_row(tables, length, own) < 0)
        goto done;
    Py_ssize_t count = 3, affixes = (key_length < MAX_AFFIX + 1 ? key_length : MAX_AFFIX + 1) - 1;
    for (Py_ssize_t size = 1; size <= affixes; size++) {
        if (own_joined(tables, prefix_names[size], key, 0, size, own) < 0
            || own_joined(tables, suffix_names[size], key, key_length - size, key_length, own) < 0)
            goto done;
        count += 2;
    }
    if (lent_row(tables, word, lent) < 0 || lent_row(tables, shape, lent) < 0)
        goto done;
    owned = count;
done:
    Py_XDECREF(word);
    Py_XDECREF(shape);
    return owned;
}

/* ner_model._shape's letters of ``text`` (A-Z as X, a-z as x, 0-9 as d, anything else as itself) after
 * ``prefix``: runs of one character squeezed and the first ``limit`` kept (ner_model._shape), or all runs
 * kept and the first ``limit`` (ner_model._long_shape). A new reference, or NULL. */
static PyObject *shape_name_of(PyObject *prefix, PyObject *text, int squeeze, Py_ssize_t limit) {
    Py_UCS4 letters[8];
    Py_ssize_t count = 0, length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < length && count < limit; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(text, i);
        c = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x' : c >= '0' && c <= '9' ? 'd' : c;
        if (squeeze && count > 0 && letters[count - 1] == c && c != '\n')  /* re's "(.)\\1+": "." is no line break */
            continue;
        letters[count++] = c;
    }
    PyObject *shape = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, letters, count);
    if (shape == NULL)
        return NULL;
    PyObject *named = PyUnicode_Concat(prefix, shape);
    Py_DECREF(shape);
    return named;
}

/* str.isupper of ``text``: no lower or title case character, and at least one upper case one. */
static int is_upper(PyObject *text) {
    int cased = 0;
    for (Py_ssize_t i = 0, length = PyUnicode_GET_LENGTH(text); i < length; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(text, i);
        if (Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c))
            return 0;
        cased |= Py_UNICODE_ISUPPER(c) != 0;
    }
    return cased;
}

/* Append each item of the tuple (or list) ``items`` to the list ``out``, 0 or -1. */
static int extend(PyObject *out, PyObject *items) {
    Py_ssize_t end = PyList_GET_SIZE(out);
    return PyList_SetSlice(out, end, end, items);
}

static PyObject *other_rows(PyObject *text, PyObject *key, PyObject *const *tables, PyObject *own, PyObject *lent) {
    Py_UCS4 first = PyUnicode_READ_CHAR(text, 0);
    if (PyUnicode_GET_LENGTH(text) > 1 && is_upper(text))
        Py_RETURN_NONE;  /* an acronym: the caller asks the gazetteer */
    int word_like = Py_UNICODE_ISALNUM(first), arabic = first >= 0x0600 && first <= 0x06FF;
    Py_ssize_t owned, lent_count = 2;
    PyObject *shape = NULL, *classes = NULL, *spelled = NULL, *result = NULL;
    if (word_like && (shape = arabic ? Py_NewRef(arabic_shape) : shape_name_of(shape_name, text, 1, 5)) == NULL)
        goto done;
    if ((owned = opening_rows(text, key, tables, shape, own, lent)) < 0)
        goto done;
    PyObject *cluster = PyDict_GetItemWithError(tables[CLUSTERS], key);  /* borrowed */
    if (cluster == NULL && PyErr_Occurred())
        goto done;
    PyObject *features = class_features(tables, key, 0);
    if (features == NULL)
        goto done;
    classes = PySequence_List(features);
    Py_DECREF(features);
    if (classes == NULL || (spelled = PyUnicode_Concat(spelling_name, text)) == NULL || own_row(tables, spelled, own) < 0)
        goto done;
    owned += 1;
    if (word_like) {
        PyObject *long_shape = shape_name_of(long_shape_name, text, 0, 6);
        if (long_shape == NULL)
            goto done;
        int failed = own_row(tables, long_shape, own);
        Py_DECREF(long_shape);
        if (failed)
            goto done;
        owned += 1;
    }
    if (Py_UNICODE_ISUPPER(first)) {
        if (own_row(tables, capital, own) < 0)
            goto done;
        owned += 1;
        PyObject *census = PyObject_GetItem(tables[CENSUS], key);
        if (census == NULL)
            goto done;
        int failed = !PyTuple_Check(census) ? (PyErr_SetString(PyExc_TypeError, "census features must be a tuple"), -1)
                                            : extend(classes, census);
        Py_DECREF(census);
        if (failed)
            goto done;
        if (is_upper(text)) {  /* one upper case letter: longer ones are acronyms */
            if (own_row(tables, capitals, own) < 0)
                goto done;
            owned += 1;
        }
    }
    if (closing_rows(tables, cluster, classes, own, lent, &owned, &lent_count) == 0)
        result = Py_BuildValue("(nn)", owned, lent_count);
done:
    Py_XDECREF(shape);
    Py_XDECREF(classes);
    Py_XDECREF(spelled);
    return result;
}

static PyObject *word_rows(PyObject *text, PyObject *key, PyObject *const *tables, PyObject *own, PyObject *lent) {
    Py_UCS4 first = PyUnicode_READ_CHAR(text, 0);
    int word_like = Py_UNICODE_ISALNUM(first);
    if (word_like && (first < 0x0600 || first > 0x06FF))
        Py_RETURN_NONE;
    Py_ssize_t owned = 0, lent_count = 0;
    PyObject *splits = NULL, *classes = NULL, *features = NULL, *result = NULL;
    PyObject *cluster = NULL;  /* borrowed from the cluster table */

    if ((owned = opening_rows(text, key, tables, word_like ? arabic_shape : NULL, own, lent)) < 0)
        goto done;
    lent_count += 2;

    cluster = PyDict_GetItemWithError(tables[CLUSTERS], key);
    if (cluster == NULL && PyErr_Occurred())
        goto done;
    if ((features = class_features(tables, key, 0)) == NULL || (classes = PySequence_List(features)) == NULL)
        goto done;
    Py_CLEAR(features);

    if ((splits = PyObject_CallOneArg(tables[SPLITS], key)) == NULL)
        goto done;
    if (!PyTuple_Check(splits)) {
        PyErr_SetString(PyExc_TypeError, "proclitic_splits must return a tuple");
        goto done;
    }
    Py_ssize_t split_count = PyTuple_GET_SIZE(splits);
    for (Py_ssize_t i = 1; i < split_count && i < 3; i++) {
        PyObject *split = PyTuple_GET_ITEM(splits, i);
        if (!PyTuple_Check(split) || PyTuple_GET_SIZE(split) != 2) {
            PyErr_SetString(PyExc_TypeError, "proclitic_splits must return (letters stripped, stem) pairs");
            goto done;
        }
        Py_ssize_t stripped = PyLong_AsSsize_t(PyTuple_GET_ITEM(split, 0));
        PyObject *stem = PyTuple_GET_ITEM(split, 1);
        if (stripped < 0 && PyErr_Occurred())
            goto done;
        PyObject *stem_feature = PyUnicode_Concat(stem_name, stem);
        if (stem_feature == NULL)
            goto done;
        int failed = own_row(tables, stem_feature, own);
        Py_DECREF(stem_feature);
        if (failed || own_joined(tables, clitic_name, key, 0, stripped, own) < 0)
            goto done;
        owned += 2;
        if ((features = class_features(tables, stem, 1)) == NULL)
            goto done;
        Py_ssize_t end = PyList_GET_SIZE(classes);
        if (PyList_SetSlice(classes, end, end, features) < 0)
            goto done;
        Py_CLEAR(features);
        if (cluster == NULL) {
            cluster = PyDict_GetItemWithError(tables[CLUSTERS], stem);
            if (cluster == NULL && PyErr_Occurred())
                goto done;
            if (cluster != NULL) {
                if (own_row(tables, stem_cluster, own) < 0)
                    goto done;
                owned += 1;
            }
        }
    }
    if (split_count > 1) {
        PyObject *stem_feature = PyUnicode_Concat(stem_name, PyTuple_GET_ITEM(PyTuple_GET_ITEM(splits, 1), 1));
        if (stem_feature == NULL)
            goto done;
        int failed = lent_row(tables, stem_feature, lent);
        Py_DECREF(stem_feature);
        if (failed)
            goto done;
        lent_count += 1;
    }
    int definite = PyUnicode_Tailmatch(key, article, 0, PY_SSIZE_T_MAX, -1);
    if (definite < 0 || own_row(tables, PyTuple_GET_ITEM(tables[DEFINITE], definite), own) < 0)
        goto done;
    owned += 1;
    if (closing_rows(tables, cluster, classes, own, lent, &owned, &lent_count) == 0)
        result = Py_BuildValue("(nn)", owned, lent_count);
done:
    Py_XDECREF(splits);
    Py_XDECREF(classes);
    Py_XDECREF(features);
    return result;
}

typedef PyObject *(*RowsOf)(PyObject *, PyObject *, PyObject *const *, PyObject *, PyObject *);

/* The arguments checked, then rows_of(text, key, tables, own_rows, lent_rows). */
static PyObject *checked_call(const char *name, RowsOf rows_of, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_Format(PyExc_TypeError, "%s(text, key, tables, own_rows, lent_rows) takes 5 arguments", name);
        return NULL;
    }
    PyObject *text = args[0], *key = args[1], *tables = args[2], *own = args[3], *lent = args[4];
    if (!PyUnicode_Check(text) || !PyUnicode_Check(key) || PyUnicode_GET_LENGTH(text) == 0) {
        PyErr_SetString(PyExc_TypeError, "text and key must be strings, text not empty");
        return NULL;
    }
    if (!PyTuple_Check(tables) || PyTuple_GET_SIZE(tables) != TABLES || !PyList_Check(own) || !PyList_Check(lent)) {
        PyErr_SetString(PyExc_TypeError, "tables must be the model's tuple of tables, own_rows and lent_rows lists");
        return NULL;
    }
    PyObject *const *table = &PyTuple_GET_ITEM(tables, 0);
    if (!PyDict_Check(table[IDS]) || !PyDict_Check(table[CONTEXT]) || !PyDict_Check(table[CLUSTERS])
        || !PyTuple_Check(table[LENGTHS]) || PyTuple_GET_SIZE(table[LENGTHS]) < 9
        || !PyTuple_Check(table[DEFINITE]) || PyTuple_GET_SIZE(table[DEFINITE]) != 2) {
        PyErr_SetString(PyExc_TypeError, "tables: ids, context rows and clusters must be dicts; lengths and definite tuples");
        return NULL;
    }
    return rows_of(text, key, table, own, lent);
}

static PyObject *arabic_word_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    return checked_call("arabic_word_rows", word_rows, args, nargs);
}

static PyObject *other_word_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    return checked_call("other_word_rows", other_rows, args, nargs);
}

static PyMethodDef methods[] = {
    {"arabic_word_rows", (PyCFunction)(void (*)(void))arabic_word_rows, METH_FASTCALL,
     "arabic_word_rows(text, key, tables, own_rows, lent_rows) -> (own count, lent count) or None"},
    {"other_word_rows", (PyCFunction)(void (*)(void))other_word_rows, METH_FASTCALL,
     "other_word_rows(text, key, tables, own_rows, lent_rows) -> (own count, lent count) or None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_features", NULL, -1, methods, NULL, NULL, NULL, NULL};

static PyObject *name(const char *utf8) {
    PyObject *made = PyUnicode_FromString(utf8);
    if (made != NULL)
        PyUnicode_InternInPlace(&made);
    return made;
}

PyMODINIT_FUNC PyInit__features(void) {
    char buffer[8];
    for (int size = 1; size <= MAX_AFFIX; size++) {
        PyOS_snprintf(buffer, sizeof buffer, "p%d=", size);
        if ((prefix_names[size] = name(buffer)) == NULL)
            return NULL;
        PyOS_snprintf(buffer, sizeof buffer, "s%d=", size);
        if ((suffix_names[size] = name(buffer)) == NULL)
            return NULL;
    }
    if ((word_name = name("w=")) == NULL || (arabic_shape = name("sh=A")) == NULL
        || (punctuation_shape = name("sh=p")) == NULL || (stem_name = name("stem=")) == NULL
        || (clitic_name = name("clitic=")) == NULL || (stem_cluster = name("stemcl")) == NULL
        || (article = name("\xd8\xa7\xd9\x84")) == NULL  /* "ال" */
        || (shape_name = name("sh=")) == NULL || (spelling_name = name("W=")) == NULL
        || (long_shape_name = name("ls=")) == NULL || (capital = name("cap")) == NULL || (capitals = name("caps")) == NULL)
        return NULL;
    return PyModule_Create(&module);
}
