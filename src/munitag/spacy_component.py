"""spaCy integration (extra ``[spacy]``): the ``munitag`` pipeline component.

``nlp.add_pipe("munitag")`` finds munitag's factory through the ``spacy_factories`` entry point.
The component tags ``doc.text`` itself (never tokens, so hyphenated designations and Cyrillic
survive any tokenizer) and maps each mention to tokens with
``Doc.char_span(..., alignment_mode="expand")``. The glossary is loaded by ``initialize``
(``nlp.initialize()``) or on first use; a saved pipeline carries its own copy (``to_disk``,
``from_disk``), so ``spacy.load`` never reads the configured glossary directory.

What a processed Doc holds:

- ``doc.spans[spans_key]``: every candidate, overlaps included; ``span.kb_id_`` and ``span.id_``
  (as ``SpanRuler`` sets it from a pattern's ``id``) are the entry id.
- ``doc.ents`` (unless ``annotate_ents=False``): munitag's spans merged with entities already set,
  as ``ents_filter`` says: ``keep-existing`` (default) keeps every existing entity and adds
  munitag's leftmost-longest selection where it overlaps none (the rest stays in ``doc.spans``);
  ``longest`` puts that selection first and removes overlapping existing entities
  (``overwrite_ents=True`` means the same); ``filter_spans`` gives existing entities and every
  munitag candidate to ``spacy.util.filter_spans`` (the longest span wins, whoever set it; of
  equally long ones the first). A callable ``(entities, spans) -> spans``, as a ``SpanRuler``'s
  ``ents_filter``, gets the existing entities and munitag's selection. Two munitag spans that
  overlap after expansion to whole tokens keep the first.
- ``span._.munitag``: the entry's metadata (``Entry.to_dict()``) for any span whose ``kb_id_`` is
  a munitag entry id.
- ``doc.user_data["munitag"]``: ``entries`` (metadata by id), ``expanded`` (how many spans had to
  grow to token boundaries) and ``unaligned`` (mentions no tokens could hold, as
  ``[start, end, id]``; they are also counted on the component's ``unaligned`` attribute and
  logged, never dropped silently).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.util import filter_spans, registry

from .context import check_scope
from .filters import Filter
from .glossary import Entry, Glossary, bundled_glossary_path
from .loader import load_glossary
from .matcher import Mention, Tagger, prefer_longest

LABEL_SCHEMES = ("category", "root-category", "kind", "fixed")
#: The label of candidate spans (``candidates=True``).
CANDIDATE_LABEL = "CANDIDATE"
ENTS_FILTERS = ("keep-existing", "longest", "filter_spans")
#: ``ents_filter`` as a callable: existing entities and munitag's spans in, ``doc.ents`` out.
EntsFilter = Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]]
_LOG = logging.getLogger("munitag")

if not Span.has_extension("munitag"):
    Span.set_extension("munitag", getter=lambda span: span.doc.user_data.get("munitag", {}).get("entries", {}).get(span.kb_id_))


def score_munitag(examples: Iterable[Example], *, spans_key: str = "munitag", ents: bool = True, **kwargs: Any) -> dict[str, Any]:
    """Precision, recall and F of munitag's output against gold examples, as spaCy names them:
    ``ents_p``, ``ents_r``, ``ents_f`` and ``ents_per_type`` (``doc.ents``, spaCy's NER scoring;
    with ``ents``) and ``spans_{spans_key}_p``, ``_r``, ``_f``, ``_per_type`` (every candidate,
    overlaps allowed, labels compared; None when no gold Doc has that span group)."""
    examples = list(examples)
    scores: dict[str, Any] = get_ner_prf(examples) if ents else {}
    scores.update(
        Scorer.score_spans(
            examples, f"spans_{spans_key}", getter=lambda doc, attr: doc.spans.get(spans_key, []),
            has_annotation=lambda doc: spans_key in doc.spans, labeled=True, allow_overlap=True,
        )
    )
    return scores


@registry.scorers("munitag.scorer.v1")
def make_munitag_scorer() -> Callable[..., dict[str, Any]]:
    """The component's default scorer (``{"@scorers": "munitag.scorer.v1"}``): ``score_munitag``."""
    return score_munitag


@Language.factory(
    "munitag",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "doc.spans", "span._.munitag"],
    default_config={
        "glossary": None, "label_scheme": "category", "label": "MUNITAG", "overwrite_ents": False, "spans_key": "munitag",
        "context": "paragraph", "include": None, "candidates": False, "annotate_ents": True, "ents_filter": None,
        "scorer": {"@scorers": "munitag.scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_munitag(
    nlp: Language, name: str, glossary: str | None, label_scheme: str, label: str, overwrite_ents: bool, spans_key: str,
    context: str, include: dict[str, list[str]] | None = None, candidates: bool = False, annotate_ents: bool = True,
    ents_filter: str | EntsFilter | None = None, scorer: Callable[..., dict[str, Any]] | None = score_munitag,
) -> MunitagComponent:
    """Factory of the ``munitag`` component (see the module docstring for the settings)."""
    return MunitagComponent(
        name, glossary, label_scheme=label_scheme, label=label, overwrite_ents=overwrite_ents, spans_key=spans_key, context=context,
        include=include, candidates=candidates, annotate_ents=annotate_ents, ents_filter=ents_filter, scorer=scorer,
    )


class MunitagComponent:
    """Adds munitag mentions to a Doc as spans, entities and span metadata.

    Creating the component is cheap: the glossary is loaded by ``initialize`` (``nlp.initialize()``)
    or, failing that, on first use; ``from_disk`` (``spacy.load``) reads the copy saved with the
    pipeline instead, so the configured directory is not needed once a pipeline is saved.

    Args:
        name: The component's name in the pipeline.
        glossary: A glossary directory or a loaded Glossary; None for the bundled glossary.
        label_scheme: ``category`` (the entry's category), ``root-category`` (its top-level
            category), ``kind`` (item or term) or ``fixed`` (``label`` for every span).
        label: The label used by the ``fixed`` scheme.
        overwrite_ents: Whether munitag spans replace overlapping entities already set: the same
            as ``ents_filter="longest"``.
        spans_key: Key of the span group holding every candidate.
        context: Context scope of ambiguous aliases: ``sentence``, ``paragraph`` or ``document``
            (the whole Doc); see ``munitag.context``.
        include: Tag only these entries, as for ``Tagger(include=...)``: a ``Filter`` or a mapping
            of ``category``, ``kind``, ``origin``, ``id``, ``treaty`` to lists of values (in a
            config: ``[components.munitag.include]`` with ``category = ["landmine"]``).
        candidates: Also find open-vocabulary candidates (``munitag.candidates``): spans labelled
            ``CANDIDATE_LABEL`` in the span group ``<spans_key>_candidates``, their ``to_dict()``
            in ``doc.user_data["munitag"]["candidates"]``; never entities.
        annotate_ents: Whether to set ``doc.ents`` at all (``doc.spans`` is always set).
        ents_filter: How munitag's spans and existing entities make ``doc.ents``: one of
            ``ENTS_FILTERS`` or a callable (see the module docstring); None: ``longest`` with
            ``overwrite_ents``, else ``keep-existing``.
        scorer: What ``score`` (``nlp.evaluate``) calls; ``score_munitag`` by default.

    Raises:
        ValueError: an unknown ``label_scheme`` or ``ents_filter``, or ``overwrite_ents`` with an
            ``ents_filter`` other than ``longest``.
    """

    def __init__(
        self,
        name: str = "munitag",
        glossary: str | Path | Glossary | None = None,
        *,
        label_scheme: str = "category",
        label: str = "MUNITAG",
        overwrite_ents: bool = False,
        spans_key: str = "munitag",
        context: str = "paragraph",
        include: Filter | Mapping[str, Iterable[str]] | None = None,
        candidates: bool = False,
        annotate_ents: bool = True,
        ents_filter: str | EntsFilter | None = None,
        scorer: Callable[..., dict[str, Any]] | None = score_munitag,
    ) -> None:
        if label_scheme not in LABEL_SCHEMES:
            raise ValueError(f"label_scheme must be one of {', '.join(LABEL_SCHEMES)}, not '{label_scheme}'")
        if ents_filter is None:
            ents_filter = "longest" if overwrite_ents else "keep-existing"
        if isinstance(ents_filter, str) and ents_filter not in ENTS_FILTERS:
            raise ValueError(f"ents_filter must be one of {', '.join(ENTS_FILTERS)} or a function, not '{ents_filter}'")
        if overwrite_ents and ents_filter != "longest":
            raise ValueError("overwrite_ents=True means ents_filter='longest'; give one or the other")
        self.name, self.label_scheme, self.label = name, label_scheme, label
        self.annotate_ents, self.ents_filter, self.scorer = annotate_ents, ents_filter, scorer
        self.overwrite_ents, self.spans_key = overwrite_ents, spans_key
        self.glossary, self.context = glossary, check_scope(context)
        self.include = Filter.of(include)
        self.candidates = candidates
        self.unaligned = 0
        self._tagger: Tagger | None = None

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None, glossary: str | None = None
    ) -> None:
        """Load the glossary: ``glossary`` (a directory, from ``[initialize.components.munitag]``)
        when given, else the configured one unless a glossary is already loaded (``from_disk``)."""
        if glossary is not None:
            self.glossary, self._tagger = glossary, None
        if self._tagger is None:
            self._tagger = self._load()

    @property
    def tagger(self) -> Tagger:
        """The Tagger in use; the configured glossary is loaded on first use if nothing loaded one."""
        if self._tagger is None:
            self._tagger = self._load()
        return self._tagger

    def _load(self) -> Tagger:
        loaded = self.glossary if isinstance(self.glossary, Glossary) else load_glossary(self.glossary)
        return Tagger(loaded, context=self.context, include=self.include)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label the component can give a span (sorted), as ``SpanRuler.labels``: under the
        label scheme, of the entries it tags (``include``). Except for ``fixed``, empty until the glossary is loaded
        (``nlp.initialize()``, the first Doc, or ``spacy.load``): spaCy reads the labels of every
        component for ``nlp.meta``, also while loading a saved pipeline, before its glossary is read."""
        if self.label_scheme == "fixed":
            return (self.label,)
        if self._tagger is None:
            return ()
        return tuple(sorted({self.label_of(e) for e in self.tagger.glossary}))

    def label_of(self, entry: Entry) -> str:
        """The span label of ``entry`` under the component's label scheme."""
        if self.label_scheme == "kind":
            return entry.kind
        if self.label_scheme == "fixed":
            return self.label
        if self.label_scheme == "root-category":
            return self.tagger.glossary.category_chain(entry.category)[-1]
        return entry.category

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.tagger.tag(doc.text, overlapping=True)
        spans, unaligned, expanded = align(doc, mentions, self.label_of)
        selected = {id(m) for m in prefer_longest(mentions)}
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=[span for _, span in spans])
        if self.annotate_ents:
            ours = prefer_longest(span for mention, span in spans if id(mention) in selected)
            doc.ents = self._ents(list(doc.ents), ours, [span for _, span in spans])
        info = doc.user_data.setdefault("munitag", {"entries": {}, "expanded": 0, "unaligned": []})
        info["entries"].update({e.id: e.to_dict() for e in {m.entry.id: m.entry for m in mentions}.values()})
        info["expanded"] += expanded
        info["unaligned"] += [[m.start, m.end, m.entry.id] for m in unaligned]
        if self.candidates:
            found = self.tagger.finder().find(doc.text, prefer_longest(mentions))
            spans_of = [doc.char_span(c.start, c.end, label=CANDIDATE_LABEL, alignment_mode="expand") for c in found]
            key = f"{self.spans_key}_candidates"
            doc.spans[key] = SpanGroup(doc, name=key, spans=[span for span in spans_of if span is not None])
            info["candidates"] = [c.to_dict() for c in found]
        if unaligned:
            self.unaligned += len(unaligned)
            _LOG.warning("munitag: %d mention(s) could not be aligned to tokens: %s", len(unaligned), [m.text for m in unaligned])
        return doc

    def _ents(self, existing: list[Span], ours: list[Span], candidates: list[Span]) -> list[Span]:
        if self.ents_filter == "filter_spans":
            return sorted(filter_spans(existing + candidates), key=lambda s: (s.start, s.end))
        if isinstance(self.ents_filter, str):
            return merge_ents(existing, ours, overwrite=self.ents_filter == "longest")
        return sorted(self.ents_filter(existing, ours), key=lambda s: (s.start, s.end))

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Scores of the processed ``examples`` against their gold Docs (``nlp.evaluate`` calls
        this); see ``score_munitag``."""
        if self.scorer is None:
            return {}
        return self.scorer(examples, spans_key=self.spans_key, ents=self.annotate_ents, **kwargs)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Process a stream of Docs (``nlp.pipe``)."""
        for doc in docs:
            yield self(doc)

    # Serialisation: the glossary itself travels with the pipeline, so a loaded pipeline tags
    # exactly as the saved one did, whatever glossary is installed where it is loaded.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The glossary as JSON."""
        return json.dumps(self.tagger.glossary.to_dict(), ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> MunitagComponent:
        """Tag with the glossary ``to_bytes`` wrote (the configured directory is not read)."""
        origin = self.glossary.path if isinstance(self.glossary, Glossary) else Path(self.glossary or bundled_glossary_path())
        self._tagger = Tagger(Glossary.from_dict(json.loads(data), origin), context=self.context, include=self.include)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``glossary.json`` into the component's directory."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "glossary.json").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> MunitagComponent:
        """Tag with the glossary ``to_disk`` wrote."""
        return self.from_bytes((Path(path) / "glossary.json").read_bytes())


def align(doc: Doc, mentions: list[Mention], label_of: Callable[[Entry], str]) -> tuple[list[tuple[Mention, Span]], list[Mention], int]:
    """Token spans for ``mentions``: (mention, span) pairs, the mentions no tokens could hold,
    and how many spans grew to token boundaries."""
    spans, unaligned, expanded = [], [], 0
    for m in mentions:
        span = doc.char_span(m.start, m.end, label=label_of(m.entry), kb_id=m.entry.id, span_id=m.entry.id, alignment_mode="expand")
        if span is None:
            unaligned.append(m)
            continue
        expanded += (span.start_char, span.end_char) != (m.start, m.end)
        spans.append((m, span))
    return spans, unaligned, expanded


def mentions_doc(nlp: Language, text: str, mentions: list[Mention], *, spans_key: str = "munitag") -> Doc:
    """``text`` as ``nlp`` tokenizes it, holding ``mentions`` as the component would put them:
    every one in ``doc.spans[spans_key]``, the leftmost-longest of them in ``doc.ents`` (labels
    are categories; ``kb_id_`` and ``id_`` the entry id). Mentions no tokens can hold are left out."""
    doc = nlp.make_doc(text)
    spans, _, _ = align(doc, mentions, lambda entry: entry.category)
    doc.spans[spans_key] = SpanGroup(doc, name=spans_key, spans=[span for _, span in spans])
    selected = {id(m) for m in prefer_longest(mentions)}
    doc.ents = merge_ents([], prefer_longest(span for m, span in spans if id(m) in selected), overwrite=True)
    return doc


def merge_ents(existing: list[Span], ours: list[Span], *, overwrite: bool) -> list[Span]:
    """``doc.ents`` after the merge rule: the winning side keeps all its spans, the other side
    keeps those that overlap none of them."""
    winners, others = (ours, existing) if overwrite else (existing, ours)
    kept = [s for s in others if not any(s.start < w.end and w.start < s.end for w in winners)]
    return sorted(winners + kept, key=lambda s: (s.start, s.end))


__all__ = ["ENTS_FILTERS", "LABEL_SCHEMES", "EntsFilter", "MunitagComponent", "align", "make_munitag", "mentions_doc", "merge_ents", "score_munitag"]
