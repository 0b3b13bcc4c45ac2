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
the documents in input order. The spaCy component is in :mod:`nl_ner.spacy_component` (needs the
``spacy`` extra); spaCy finds it as ``nlp.add_pipe("nl_ner")``.
"""

from ._nl_ner import AnnotateMany, Document, Entity, NlNerError, Pipeline, Relation, __version__

__all__ = ["AnnotateMany", "Document", "Entity", "NlNerError", "Pipeline", "Relation", "__version__"]
