"""Commands load only what they run: the operator tools and the clean stage never import the NER model or the gazetteer."""

from __future__ import annotations

import subprocess
import sys

ARTICLE = {"id": "lazy", "body": "Foreign ministers met in Ankara on Thursday.\n\nThey talked for three hours, officials said."}
HEAVY = ("newsingest.stages.extract.ner_model", "newsingest.geo.gazetteer", "pycrfsuite", "newsingest.devtools.eval.geoparse")


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"import sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


def test_tail_and_publish_load_no_nlp() -> None:
    for command in ("tail", "publish", "replay", "config"):
        loaded = _modules_after(f"from newsingest.cli import main; main(['{command}', '--help'])")
        assert "newsingest.cli" in loaded
        assert not loaded & set(HEAVY), (command, loaded & set(HEAVY))


def test_the_clean_stage_loads_no_ner_model_or_gazetteer() -> None:
    loaded = _modules_after(
        f"from newsingest.stages import STAGES, run_stage; out = run_stage(STAGES['clean'], {ARTICLE!r}); assert 'Ankara' in out['text']"
    )
    assert "newsingest.stages.clean.transform" in loaded
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_extract_stage_does_load_its_model() -> None:
    """The check above can fail: running extract does import the model."""
    loaded = _modules_after(
        f"from newsingest.stages import STAGES, run_stage; run_stage(STAGES['extract'], run_stage(STAGES['clean'], {ARTICLE!r}))"
    )
    assert "newsingest.stages.extract.ner_model" in loaded
