# C types for tokenizer.py where Cython compiles it (tamyr/compiled.py); the .py stays plain
# Python. Node becomes an extension type: a 100,000-person file makes 1.6 million of them, and
# its C constructor takes a fifth less time than the class's (0.74 s against 0.93 s a million,
# attributes and __slots__ unchanged).

cdef class Node:
    cdef public object children, level, line, tag, value, xref
