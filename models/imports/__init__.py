"""The one way a CSV file becomes rows in the database, shared by every importer.

Owns reading a UTF-8 CSV (with or without Excel's BOM), naming its columns (header names in
any case, spaces or hyphens for underscores, required and optional columns, extra columns
ignored), the checks every importer makes of single cells, the problems found with their
file, line and column, refusing a file with any problem (`ImportInvalid`), and writing a
clean file all or nothing: one transaction holding the rows and the audit entry.

Importers (the roster, rounds, terms, expectations, announcement templates) own only what
their columns mean and how their rows are applied.
"""

from models.imports.flow import import_csv
from models.imports.problems import MAX_PROBLEMS, ImportInvalid, Problem
from models.imports.reading import read_table
from models.imports.table import Row, Table, refuse
from models.imports.writing import ImportAudit, write_all_or_nothing

__all__ = [
    "MAX_PROBLEMS",
    "ImportAudit",
    "ImportInvalid",
    "Problem",
    "Row",
    "Table",
    "import_csv",
    "read_table",
    "refuse",
    "write_all_or_nothing",
]
