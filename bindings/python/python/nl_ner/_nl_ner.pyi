"""Type stubs of the native module (bindings/python/src/lib.rs)."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from os import PathLike
from typing import Any, Literal, Optional, Union

__version__: str

Label = Literal["PER", "ORG", "LOC", "MISC", "INITIATIVE", "MONEY", "DATE", "PERCENT", "REF"]
Source = Literal["model", "gazetteer", "acronym", "pattern"]

class NlNerError(Exception):
    """An nl-ner error, with the message the command line prints after ``nl-ner: error:``."""

class Entity:
    """One entity: code-point offsets (``doc.text[start:end] == text``), label, score, source, id."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> Label: ...
    @property
    def score(self) -> float:
        """The model's confidence in [0, 1], rounded to 4 decimals as in the JSON."""
    @property
    def source(self) -> Source: ...
    @property
    def rule(self) -> Optional[str]:
        """The name of the domain rule that made the entity (``law-title``; docs/rules.md), if one did."""
    @property
    def entity_id(self) -> Optional[str]:
        """The canonical id of what the entity names (``org:navo``), shared by its mentions."""
    def to_dict(self) -> dict[str, Any]:
        """The entity's object in the JSON output."""

RelationType = Literal["role", "member_of", "participates_in"]

class Relation:
    """One relation between two entities of a document (docs/relations.md)."""

    @property
    def type(self) -> RelationType: ...
    @property
    def head(self) -> Entity:
        """The person (``role``, ``member_of``) or the organisation or place (``participates_in``)."""
    @property
    def tail(self) -> Optional[Entity]:
        """The party, the initiative, or the organisation or place a role names; ``None`` for a
        role that names none."""
    @property
    def head_index(self) -> int:
        """The head's index in ``Document.entities`` (the JSON's ``head``)."""
    @property
    def tail_index(self) -> Optional[int]:
        """The tail's index in ``Document.entities`` (the JSON's ``tail``)."""
    @property
    def role(self) -> Optional[str]:
        """The office as written (``role`` only): ``doc.text[role_start:role_end]``."""
    @property
    def role_start(self) -> Optional[int]: ...
    @property
    def role_end(self) -> Optional[int]: ...
    @property
    def score(self) -> float:
        """Confidence in [0, 1], rounded to 4 decimals as in the JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The relation's object in the JSON output (entities by index)."""

class Document:
    """An annotated document: the fields of its JSON line."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def entities(self) -> list[Entity]:
        """The entities, sorted by start, never overlapping (a new list on each access)."""
    @property
    def relations(self) -> Optional[list[Relation]]:
        """The relations, as in the JSON line; ``None`` with ``Pipeline(relations=False)``."""
    @property
    def date(self) -> Optional[str]:
        """The document's own date, ``YYYY-MM-DD`` (the JSON's ``document_date``), if found."""
    @property
    def sentences(self) -> list[tuple[int, int]]:
        """The sentences as ``(start, end)`` code-point offsets."""
    def to_json(self) -> str:
        """The JSON line ``nl-ner extract`` writes for this document, without its newline."""
    def to_dict(self) -> dict[str, Any]:
        """``json.loads(self.to_json())``."""
    def __len__(self) -> int:
        """The number of entities."""

class AnnotateMany(Iterator[Document]):
    """The iterator ``Pipeline.annotate_many`` returns."""

    def __iter__(self) -> AnnotateMany: ...
    def __next__(self) -> Document: ...

class Pipeline:
    """The nl-ner pipeline, as ``nl-ner extract`` runs it.

    model: a model file (``nl-ner extract --model``); ``None``: the shipped model, built in.
    gazetteers: extra gazetteer files (``--gazetteer``), winning over the built-in ones.
    domain: ``False``: the model's entities alone (``--no-domain``).
    threads: worker threads of ``annotate_many``; ``None``: one per core.
    relations: ``False``: no relations (``--no-relations``); with ``True`` the document's JSON
    (``to_json``, ``to_dict``) has the ``relations`` of ``nl-ner extract``.

    Raises ``NlNerError`` when the model or a gazetteer cannot be loaded.
    """

    def __init__(
        self,
        model: Optional[Union[str, PathLike[str]]] = None,
        gazetteers: Sequence[Union[str, PathLike[str]]] = (),
        domain: bool = True,
        threads: Optional[int] = None,
        relations: bool = True,
    ) -> None: ...
    @property
    def threads(self) -> int: ...
    def annotate(self, text: str, id: str = "") -> Document:
        """Annotates one text (GIL released); ``id`` is the document's id in its JSON."""
    def annotate_many(
        self, documents: Iterable[Union[str, Mapping[str, Any]]], batch_size: int = 256
    ) -> AnnotateMany:
        """Annotates texts, or dicts read like ``nl-ner extract``'s JSONL lines (``text``, an
        optional ``id``, other fields carried through), in parallel batches of ``batch_size``
        with the GIL released; yields the documents lazily, in input order. A text's id is its
        position in ``documents`` (``"0"``, ``"1"``, ...), as is a dict's without ``id``."""
