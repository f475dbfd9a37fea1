"""Danish input formats: a date field is written ISO first.

Every date field is an ``<input type="date">``, whose value must be ISO 8601 whatever the
language; Django's Danish formats would render ``03.12.2026``, which the browser discards, so a
form shown again after an error lost its dates. Typed dates in Danish are still read.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
