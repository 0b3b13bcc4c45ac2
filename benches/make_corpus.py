#!/usr/bin/env python3
"""Builds a JSONL benchmark corpus of at least MIN_TOKENS whitespace-separated words.

Sources, all in the repository: CoNLL-2002 Dutch train/testa/testb (one document per -DOCSTART-
article, tokens joined back into running text, one sentence per line), Europeana Newspapers NL
(no boundaries: cut into documents of 400 words), and the Dutch government texts of corpus/
(given as JSONL, as `nl-ner extract corpus/` writes them). The set is repeated with distinct ids
(`r0-...`, `r1-...`) until it is large enough; the last copy is cut off at MIN_TOKENS words, so
corpora of different sizes are prefixes of one another.

Usage: benches/make_corpus.py MIN_TOKENS OUT.jsonl GOVERNMENT.jsonl
"""
import json
import sys


def base_documents(gov_jsonl):
    docs = []
    for split in ["ned.train", "ned.testa", "ned.testb"]:
        doc, sent = [], []
        for line in open(f"data/conll2002-nl/{split}", encoding="utf-8"):
            cols = line.split()
            if not cols or cols[0] == "-DOCSTART-":
                if sent:
                    doc.append(" ".join(sent))
                    sent = []
                if cols and doc:
                    docs.append((f"{split}-{len(docs)}", "\n".join(doc)))
                    doc = []
                continue
            sent.append(cols[0])
        if sent:
            doc.append(" ".join(sent))
        if doc:
            docs.append((f"{split}-{len(docs)}", "\n".join(doc)))
    words = [l.split()[0] for l in open("data/europeana-newspapers-nl/enp_NL.kb.bio", encoding="utf-8") if l.strip()]
    for i in range(0, len(words), 400):
        docs.append((f"enp-{i // 400}", " ".join(words[i:i + 400])))
    for line in open(gov_jsonl, encoding="utf-8"):
        d = json.loads(line)
        docs.append((d["id"], d["text"]))
    return docs


def main(min_tokens, out_path, gov_jsonl):
    docs = [(i, t, len(t.split())) for i, t in base_documents(gov_jsonl)]
    written = 0
    with open(out_path, "w", encoding="utf-8") as out:
        r = 0
        while written < min_tokens:
            for doc_id, text, n in docs:
                out.write(json.dumps({"id": f"r{r}-{doc_id}", "text": text}, ensure_ascii=False) + "\n")
                written += n
                if written >= min_tokens:
                    break
            r += 1


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
