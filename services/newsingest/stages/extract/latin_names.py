"""English demonyms ("Syrian", "Israeli") as NORP mentions: the NER models leave them out (CoNLL-2003
annotates them MISC), but the enrich stage's events take nationalities as actors."""

from __future__ import annotations

from newsingest.geo import gazetteer
from newsingest.stages.extract.mentions import Scan


def find_demonyms(scan: Scan) -> None:
    """Add each free capitalised Latin-script word that names a country's people as NORP."""
    for index, token in enumerate(scan.tokens):
        if token.is_word and not token.is_arabic and token.text[0].isupper() and scan.free(index, index) \
                and gazetteer.demonym_country(token.text):
            scan.add("NORP", index, index)
