"""Recurrent cells as core objects: each cell carries its own mathematics.

One module per cell concern; :mod:`gradtheory.cells.symbolic` holds the symbolic rows (the
SymPy single step and the ordered factors of :math:`J_i`) that :mod:`gradtheory.symbolic` reads
instead of branching on the name of the recurrence.
"""

__all__: list[str] = []  # filled as the cells land; the symbolic rows are in .symbolic
