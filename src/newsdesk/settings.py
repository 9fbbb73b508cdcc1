"""Settings: every value a user may tune, in one typed table.

One frozen dataclass per stage, gathered in :class:`Settings`. Each field has
a default and a ``help`` text that says why the value is what it is. The same
table drives:

- the Python API: ``newsdesk.brief(paths, settings=Settings().with_values({...}))``;
- the CLI: ``--set stories.merge_threshold=0.55`` (repeatable) and
  ``--config FILE`` (a TOML file with one table per stage);
- the README's settings table, which a test checks against :func:`table`.

Settings are plain picklable values passed to every stage, so a value set on a
Spark driver reaches the executors with the stage's arguments. Nothing in the
pipeline reads module globals or environment variables for a tunable value;
:func:`from_environment` and :func:`cache_dir` are the only places environment variables are read.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from newsdesk.errors import ConfigError

__all__ = ["SettingRow", "Settings", "table"]


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int = _setting(50_000_000, "Largest single document (file, archive member, record) read, in bytes.")


@dataclass(frozen=True)
class LineageSettings:
    max_posting: int = _setting(
        1000, "Sampled-shingle posting lists longer than this are boilerplate (a shared footer) and skipped."
    )
    max_band_bucket: int = _setting(
        20000, "MinHash band buckets longer than this are skipped too (a template page repeated verbatim)."
    )
    expand_chunk: int = _setting(
        1 << 21, "Query hits expanded at once by the containment candidate search: bounds its temporary arrays."
    )


@dataclass(frozen=True)
class StoriesSettings:
    merge_threshold: float = _setting(
        0.95, "Average-linkage cut: stories merge while their mean similarity is above it."
    )
    entity_weight: float = _setting(0.35, "Weight of the shared-entity overlap (0..1) added to the lead cosine.")
    term_weight: float = _setting(
        2.0, "Weight of the TF-IDF cosine of two articles' terms (0..1; idf over the pile) added to the lead cosine."
    )
    term_sentences: int = _setting(20, "Sentences of the body, with the title, whose words are an article's terms.")
    date_penalty_per_day: float = _setting(
        0.01, "Similarity lost per day between two articles' publication dates (up to stories.max_date_penalty)."
    )
    max_date_penalty: float = _setting(0.25, "Most similarity a date gap can take away, however long it is.")
    scored_candidates: int = _setting(
        8, "Stories an arriving article is scored against in full: the candidates its lead vector is closest to."
    )
    lead_sentences: int = _setting(5, "Sentences of the body embedded with the title as an article's lead.")
    linkage_max_sources: int = _setting(
        3000,
        "Largest number of independent sources clustered by batch average linkage (quadratic in them); "
        "above, articles are assigned incrementally by the same rule.",
    )
    max_compared_members: int = _setting(
        64, "Sources a story is compared on when an article is assigned (its latest), so a long story costs no more."
    )
    window_days: int = _setting(14, "Days either side of a story's dated span within which an article may join it.")
    entity_postings: int = _setting(64, "Stories remembered per entity key when blocking (the most recently updated).")
    recent_stories: int = _setting(512, "Most recently updated stories, always candidates when blocking.")


@dataclass(frozen=True)
class StoreSettings:
    batch_size: int = _setting(8, "Articles `newsdesk add` annotates, links and commits per transaction.")
    full_scan: int = _setting(
        300, "Below this many stored articles, every one is a lineage candidate (exact); above, FTS5 picks them."
    )
    candidates_per_article: int = _setting(25, "Stored articles FTS5 proposes as lineage candidates per new article.")


@dataclass(frozen=True)
class ModelSettings:
    device: str = _setting(
        "cpu", "Device the sentence encoder runs on (cpu, cuda, mps); the NEWSDESK_DEVICE variable sets it too."
    )
    encoder: str = _setting(
        "auto", "Sentence-encoder backend: onnx (ONNX Runtime, CPU), torch, or auto (onnx on CPU when installed)."
    )
    encode_batch: int = _setting(64, "Texts encoded per sentence-encoder batch.")
    parse_batch: int = _setting(16, "Texts spaCy parses per batch.")
    workers: int = _setting(
        0, "Processes that parse and annotate batches at once (0: one per core; 1: none forked)."
    )


@dataclass(frozen=True)
class Settings:
    """All settings; ``Settings()`` is the defaults."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    lineage: LineageSettings = field(default_factory=LineageSettings)
    stories: StoriesSettings = field(default_factory=StoriesSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    models: ModelSettings = field(default_factory=ModelSettings)

    def with_values(self, values: Mapping[str, Any]) -> Settings:
        """A copy with ``{"stage.name": value}`` set; strings are parsed by the setting's type."""
        groups: dict[str, dict[str, Any]] = {}
        for key, raw in values.items():
            group, name = _split(key)
            groups.setdefault(group, {})[name] = _parse(key, _type_of(group, name), raw)
        return dataclasses.replace(
            self, **{g: dataclasses.replace(getattr(self, g), **kv) for g, kv in groups.items()}
        )

    def with_pairs(self, pairs: Iterable[str]) -> Settings:
        """A copy with ``key=value`` strings (the CLI's ``--set``) applied in order."""
        values: dict[str, str] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep:
                raise ConfigError(f"--set {pair!r}: expected KEY=VALUE, e.g. stories.merge_threshold=0.55")
            values[key.strip()] = value.strip()
        return self.with_values(values)

    def with_file(self, path: str | Path) -> Settings:
        """A copy with a TOML file's values: ``[stories]`` then ``merge_threshold = 0.55``."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        values: dict[str, Any] = {}
        for group, body in data.items():
            if not isinstance(body, dict):
                raise ConfigError(f"{path}: {group!r} must be a table ([{group}]) of settings")
            values.update({f"{group}.{name}": v for name, v in body.items()})
        return self.with_values(values)

    def get(self, key: str) -> Any:
        group, name = _split(key)
        return getattr(getattr(self, group), name)


def from_environment(settings: Settings | None = None) -> Settings:
    """``settings`` (or the defaults) with the values environment variables set."""
    settings = settings or Settings()
    device = os.environ.get("NEWSDESK_DEVICE")
    return settings.with_values({"models.device": device}) if device else settings


def cache_dir() -> Path:
    """Where newsdesk keeps what it builds once per machine (the gazetteer index):
    ``NEWSDESK_CACHE``, else ``~/.cache/newsdesk``."""
    return Path(os.environ.get("NEWSDESK_CACHE") or Path.home() / ".cache" / "newsdesk")


@dataclass(frozen=True)
class SettingRow:
    key: str
    type: str
    default: Any
    help: str


def table() -> list[SettingRow]:
    """Every setting, in declaration order: what the README documents."""
    rows = []
    for group in dataclasses.fields(Settings):
        cls = get_type_hints(Settings)[group.name]
        hints = get_type_hints(cls)
        for f in dataclasses.fields(cls):
            rows.append(SettingRow(f"{group.name}.{f.name}", hints[f.name].__name__, f.default, f.metadata["help"]))
    return rows


def _split(key: str) -> tuple[str, str]:
    group, _, name = key.partition(".")
    known = {f.name for f in dataclasses.fields(Settings)}
    if group not in known or not name:
        raise ConfigError(f"unknown setting {key!r}; settings are {', '.join(r.key for r in table())}")
    if name not in {f.name for f in dataclasses.fields(get_type_hints(Settings)[group])}:
        raise ConfigError(f"unknown setting {key!r}; settings are {', '.join(r.key for r in table())}")
    return group, name


def _type_of(group: str, name: str) -> type:
    return get_type_hints(get_type_hints(Settings)[group])[name]


def _parse(key: str, tp: type, raw: Any) -> Any:
    if not isinstance(raw, str) or tp is str:
        if tp is float and isinstance(raw, int) and not isinstance(raw, bool):
            return float(raw)
        if not isinstance(raw, tp) or isinstance(raw, bool) != (tp is bool):
            raise ConfigError(f"setting {key} takes a {tp.__name__}, not {raw!r}")
        return raw
    try:
        if tp is bool:
            if raw.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(raw)
            return raw.lower() in {"true", "1", "yes"}
        return tp(raw.replace("_", "")) if tp is int else tp(raw)
    except ValueError:
        raise ConfigError(f"setting {key} takes a {tp.__name__}, not {raw!r}") from None
