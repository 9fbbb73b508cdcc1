"""Spark annotate, cluster and brief: the NLP stages, per partition or per story.

Takes the articles frame (rows of :mod:`newsdesk.spark.rows`) and the copy
links frame; gives annotated articles (plus the dropped rows of any extractor
that failed), the stories, and each story's brief in the JSON contract.

* annotate: :func:`newsdesk.annotate.annotate_articles` per partition; spaCy
  loads once per executor Python process (``load_nlp`` is cached and Spark
  reuses its Python workers).
* cluster: each independent source's profile input (the lead text, its
  embedding, its entities, its date) is computed on the executors; story
  assignment then runs **on the driver** with :func:`newsdesk.stories.group_stories`
  over slim articles and the precomputed embeddings (average linkage up to
  ``stories.linkage_max_sources`` sources, blocked incremental assignment
  above, so it grows linearly); with the profiles of an earlier run, new
  articles continue its stories.
* brief: :func:`newsdesk.briefing.brief_stories` per story on an executor (the
  sentence encoder loads once per process), rendered with
  :func:`newsdesk.render.to_dict` as a one-story brief; a story whose brief
  fails comes back as its ``Dropped`` record instead.

Each stage gets its settings group (:class:`newsdesk.settings.ModelSettings`,
:class:`newsdesk.settings.StoriesSettings`) as an argument of the function
Spark ships to the executors.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newsdesk.embed import Encoder
from newsdesk.model import Annotations, Article, Brief, CopyLink, Dropped, Story
from newsdesk.settings import ModelSettings, Settings, StoriesSettings
from newsdesk.spark.rows import ARTICLE_OR_DROPPED, annotations_json, article_of, article_row, dropped_row
from newsdesk.stage import StageResult

_COLUMNS = ARTICLE_OR_DROPPED.fieldNames()
PROFILE_SCHEMA = "pos long, lead string, vector array<float>, slim_text string, slim_annotations string"
#: A story's brief, or (brief null) the ``Dropped`` record of the story whose brief failed.
BRIEF_SCHEMA = "story string, brief string, path string, stage string, reason string"
DROPPED_SCHEMA = "pos long, path string, stage string, reason string"
#: ``pos`` of a drop that belongs to no input (a story, the stories stage): after every input's,
#: as the local engine lists them after the inputs' drops.
STAGE_POS = 1 << 62


def _annotate_partition(models: ModelSettings, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    from newsdesk.annotate import annotate_articles

    for pdf in batches:
        records = pdf.to_dict("records")
        articles = [article_of(r) for r in records]
        result = annotate_articles(articles, replace(models, workers=1))
        kept = {id(a) for a in result.items}
        rows = [article_row(int(r["pos"]), a) for r, a in zip(records, articles, strict=True) if id(a) in kept]
        pos_of = {a.path: int(r["pos"]) for r, a in zip(records, articles, strict=True)}
        rows += [dropped_row(pos_of.get(d.path, 0), d) for d in result.dropped]
        yield pd.DataFrame(rows, columns=_COLUMNS)


def annotate(articles: DataFrame, models: ModelSettings | None = None) -> DataFrame:
    """Annotated articles plus dropped rows (stage ``annotate:...``) in one frame."""
    return articles.mapInPandas(partial(_annotate_partition, models or ModelSettings()), ARTICLE_OR_DROPPED)


# ---- cluster ------------------------------------------------------------------------------------


def slim(article: Article, sentences_kept: int) -> Article:
    """What clustering reads of an article: its opening sentences (the lead and the terms) and
    entities, not the whole text."""
    ann = article.annotations or Annotations()
    sentences = ann.sentences[:sentences_kept]
    # Without sentences, lead_text reads the first 1000 characters, term_text the first 4000;
    # story_title reads the first words.
    end = max([1000 if sentences else 4000, *(s.end for s in sentences)])
    return replace(
        article,
        text=article.text[:end],
        removed=[],
        annotations=Annotations(sentences=sentences, entities=list(ann.entities)),
    )


def _profile_partition(settings: Settings, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    from newsdesk.stories import lead_text

    encoder = Encoder(settings.models)
    lead_sentences = settings.stories.lead_sentences
    kept = max(lead_sentences, settings.stories.term_sentences)
    for pdf in batches:
        records = pdf.to_dict("records")
        slims = [slim(article_of(r), kept) for r in records]
        leads = [lead_text(a, lead_sentences) for a in slims]
        vectors = encoder.encode(leads)
        yield pd.DataFrame(
            {
                "pos": pdf["pos"].to_numpy(),
                "lead": leads,
                "vector": [v.astype(np.float32) for v in vectors],
                "slim_text": [a.text for a in slims],
                "slim_annotations": [annotations_json(a.annotations) for a in slims],
            }
        )


class PrecomputedEncoder(Encoder):
    """An encoder whose vectors were computed on the executors; anything else is encoded here."""

    def __init__(self, vectors: dict[str, np.ndarray], models: ModelSettings | None = None) -> None:
        super().__init__(models)
        self._known = vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if all(t in self._known for t in texts) and texts:
            return np.stack([self._known[t] for t in texts])
        return super().encode(texts)


#: Columns of ``profiles/``: what a later run (``--stories DIR``) needs to assign articles to these stories.
PROFILES_OUT = "id string, story string, vector array<float>, entities string, published string, terms string"


def cluster(
    articles: DataFrame, links: DataFrame, prior: pd.DataFrame | None = None, settings: Settings | None = None
) -> tuple[StageResult[Story], pd.DataFrame]:
    """Stories over the annotated articles (with the stage's dropped record, should it fail),
    and each independent source's profile row (:data:`PROFILES_OUT`): profiles on the
    executors, assignment on the driver.

    Without ``prior``, :func:`newsdesk.stories.group_stories`, as the local
    engine runs it. With ``prior`` (the ``profiles/`` rows of an earlier run),
    the earlier stories seed a :class:`newsdesk.stories.StoryIndex` and the new
    sources join them, or open new stories, in publication order; each story
    lists only this run's articles, under the earlier id when it continues one.
    """
    from newsdesk.spark.rows import annotations_of
    from newsdesk.stories import group_stories, profiles

    settings = settings or Settings()
    copies = links.select(F.col("copy").alias("id")).distinct()
    sources = articles.join(copies, "id", "left_anti")
    profs_df = sources.mapInPandas(partial(_profile_partition, settings), PROFILE_SCHEMA).toPandas()
    meta_cols = ["pos", "id", "path", "title", "publisher", "url", "published", "published_precision",
                 "published_source", "signals"]
    meta = articles.select(*meta_cols).toPandas().sort_values("pos")
    prof = profs_df.set_index("pos")
    slims: list[Article] = []
    for r in meta.to_dict("records"):
        a = article_of(r)
        if r["pos"] in prof.index:
            p = prof.loc[r["pos"]]
            a.text = p["slim_text"]
            a.annotations = annotations_of(p["slim_annotations"])
        slims.append(a)
    vectors = {lead: np.asarray(v, dtype=np.float32) for lead, v in zip(profs_df["lead"], profs_df["vector"], strict=True)}
    link_objs = links_of(links.toPandas())
    encoder = PrecomputedEncoder(vectors, settings.models)
    if prior is None:
        found = group_stories(slims, link_objs, encoder, settings.stories)
    else:
        found = StageResult(_continue_stories(slims, link_objs, encoder, prior, settings.stories))
    copy_ids = {link.copy for link in link_objs}
    source_articles = [a for a in slims if a.id not in copy_ids]
    story_of = {aid: s.id for s in found.items for aid in s.articles}
    rows = []
    for p in profiles(source_articles, encoder, settings.stories.lead_sentences, settings.stories.term_sentences):
        article, vector, entities, published, terms = p.fields()
        rows.append((article, story_of[article], [float(x) for x in vector], entities, published, terms))
    return found, pd.DataFrame(rows, columns=["id", "story", "vector", "entities", "published", "terms"])


def _continue_stories(
    slims: Sequence[Article], links: Sequence[CopyLink], encoder: Encoder, prior: pd.DataFrame,
    settings: StoriesSettings,
) -> list[Story]:
    from newsdesk.stories import Profile, StoryIndex

    index = StoryIndex(encoder, settings)
    for r in prior.to_dict("records"):
        # profiles/ of a run from before profiles had terms: no terms (the TF-IDF term counts 0 for them)
        index.seed(str(r["story"]), Profile.of(str(r["id"]), r["vector"], r["entities"], r["published"], r.get("terms")))
    index.add(sorted(slims, key=lambda a: a.published.date if a.published else "9999"), links)
    return index.stories()


def links_of(frame: pd.DataFrame) -> list[CopyLink]:
    """Copy links in the local engine's order (it decides which copies a story lists first)."""
    from newsdesk.spark.copies import LINK_COLUMNS

    frame = frame.sort_values(["group_first", "seq"])
    links = [CopyLink(*r) for r in frame[LINK_COLUMNS].itertuples(index=False)]
    # A shingle copy's alignment share is None; pandas carries it as NaN.
    return [replace(x, aligned=None) if x.aligned is not None and math.isnan(x.aligned) else x for x in links]


# ---- brief ---------------------------------------------------------------------------------------


def _brief_group(models: ModelSettings, members: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """cogroup body: one story's articles (with its story fields) and copy links -> its brief JSON,
    or the story's ``Dropped`` record when its brief fails (``brief_stories``'s policy)."""
    from newsdesk.briefing import brief_stories
    from newsdesk.render import to_dict

    members = members.sort_values("pos")
    first = members.iloc[0]
    story = Story(
        id=str(first["story"]),
        title=str(first["story_title"]),
        articles=[str(x) for x in first["story_articles"]],
        origins=[str(x) for x in first["story_origins"]],
        key_terms=[str(x) for x in first["story_key_terms"]],
    )
    articles = [article_of(r) for r in members.to_dict("records")]
    link_objs = links_of(links)
    result = brief_stories([story], {a.id: a for a in articles}, link_objs, Encoder(models))
    if result.dropped:
        d = result.dropped[0]
        return pd.DataFrame({"story": [story.id], "brief": [None], "path": [d.path], "stage": [d.stage],
                             "reason": [d.reason]})
    brief = Brief(articles=articles, links=link_objs, stories=result.items, dropped=[])
    text = json.dumps(to_dict(brief), indent=2, ensure_ascii=False) + "\n"
    return pd.DataFrame({"story": [story.id], "brief": [text], "path": [None], "stage": [None], "reason": [None]})


def story_frame(spark: Any, stories: Sequence[Story]) -> DataFrame:
    rows = [(s.id, rank, s.title, list(s.articles), list(s.origins), list(s.key_terms)) for rank, s in enumerate(stories)]
    schema = (
        "story string, story_rank long, story_title string, story_articles array<string>, "
        "story_origins array<string>, story_key_terms array<string>"
    )
    return spark.createDataFrame(rows, schema)


def briefs(
    articles: DataFrame, links: DataFrame, found: Sequence[Story], models: ModelSettings | None = None
) -> DataFrame:
    """(story, brief JSON text) per story: the JSON contract of ``newsdesk brief --format json``
    for a brief holding that story, its articles and their copy links; for a story whose
    brief failed, brief is null and (path, stage, reason) its dropped record."""
    models = models or ModelSettings()
    spark = articles.sparkSession
    # Two frames built apart from each other: Spark refuses a cogroup of two views of one frame.
    members = articles.join(story_frame(spark, found).select("*", F.explode("story_articles").alias("id")), "id")
    assign = spark.createDataFrame([(a, s.id) for s in found for a in s.articles], "copy string, story string")
    story_links = links.join(assign, "copy")
    return (
        members.groupBy("story")
        .cogroup(story_links.groupBy("story"))
        .applyInPandas(lambda m, e: _brief_group(models, m, e.drop(columns=["story"])), BRIEF_SCHEMA)
    )


def brief_failures(briefs: DataFrame) -> list[Dropped]:
    """The dropped records of the stories whose brief failed (few: collected to the driver)."""
    failed = briefs.where(F.col("brief").isNull()).select("path", "stage", "reason").collect()
    return [Dropped(r["path"], r["stage"], r["reason"]) for r in failed]


def dropped_of(frame: DataFrame) -> DataFrame:
    return frame.where(F.col("stage").isNotNull()).select("pos", "path", "stage", "reason")


def dropped_frame(spark: Any, dropped: Sequence[Dropped]) -> DataFrame:
    """Drops that belong to no input (a story's brief, the stories stage) as rows of ``dropped/``."""
    return spark.createDataFrame([(STAGE_POS, d.path, d.stage, d.reason) for d in dropped], DROPPED_SCHEMA)
