"""nl-ner from Python: Dutch named-entity recognition for government text.

The same pipeline, model and output as the ``nl-ner`` command line (docs/python.md)::

    import nl_ner

    pipe = nl_ner.Pipeline()
    doc = pipe.annotate("Minister Brekelmans sprak in Brussel met de NAVO.")
    for e in doc.entities:
        print(e.start, e.end, e.text, e.label, e.score, e.source, e.entity_id)
    for r in doc.relations:  # who holds which office, party, initiative (docs/relations.md)
        print(r.type, r.head.text, r.tail and r.tail.text, r.role, r.score)
    doc.date  # the document's own date, "YYYY-MM-DD", or None
    doc.to_json()  # the line `nl-ner extract` writes, byte for byte

``Pipeline.annotate_many`` annotates an iterable of texts in parallel (GIL released) and yields
the documents in input order. The command line's other verbs work on lists of documents::

    docs = list(pipe.annotate_many(texts))      # or nl_ner.read(["out.jsonl"]): extract output
    nl_ner.entities(docs)                       # the entity table, rows as dicts (`nl-ner entities`)
    nl_ner.export(docs, "docbin", "train.spacy")  # training data, knowledge graphs (`nl-ner export`)
    nl_ner.render(docs, "report.html")          # the HTML report (`nl-ner render`)
    nl_ner.evaluate(["gold.jsonl"])             # scores as `nl-ner eval --json` (`nl-ner eval`)
    nl_ner.extract(["letters/"], "out.jsonl")   # files to JSON Lines (`nl-ner extract`)

In Jupyter a ``Document`` shows itself highlighted, as in the report. The spaCy component is in :mod:`nl_ner.spacy_component` (needs the
``spacy`` extra); spaCy finds it as ``nlp.add_pipe("nl_ner")``.
"""

from ._nl_ner import (
    AnnotateMany,
    Document,
    Entity,
    NlNerError,
    Pipeline,
    Relation,
    __version__,
    entities,
    evaluate,
    evaluate_relations,
    export,
    extract,
    read,
    render,
)

__all__ = [
    "AnnotateMany",
    "Document",
    "Entity",
    "NlNerError",
    "Pipeline",
    "Relation",
    "__version__",
    "entities",
    "evaluate",
    "evaluate_relations",
    "export",
    "extract",
    "read",
    "render",
]
