#!/usr/bin/env python3
"""Fails when modules import each other in a cycle.

Reads the module graph that `cargo modules dependencies --no-fns --no-types --no-traits --no-owns`
prints (Graphviz dot, one `"a" -> "b" [label="uses"]` line per module that imports from another) on
standard input and checks it at two levels: between the crate's top modules (`doc`, `domain`, `link`,
`relate`, ..., each standing for itself and everything inside it), and between the direct children
of each top module (`domain::acronym`, `domain::gazetteer`, `domain::repair`, ...). A module and its
own descendants are no cycle (it declares them). Prints every strongly connected component of more
than one module and exits 1 if there is one.

cargo-modules' own `--acyclic` cannot be used for this: it counts the edges between an impl's items
and their type, so every type with a method is a cycle to it.

Usage: cargo modules dependencies -p CRATE --lib --no-fns --no-types --no-traits --no-owns \
           --no-externs --no-sysroot | python3 scripts/ci/module_cycles.py CRATE
"""
import re
import sys


def main() -> int:
    crate = sys.argv[1] if len(sys.argv) > 1 else "crate"
    raw = []
    for line in sys.stdin:
        m = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[label="uses"', line)
        if m:
            raw.append(m.groups())
    if not raw:
        print(f"{crate}: no module graph on standard input", file=sys.stderr)
        return 2
    found = []
    # Two levels: the crate's top modules (doc, domain, link, ...), each standing for itself and
    # everything inside it; then, within each top module, its direct children (acronym, gazetteer,
    # repair, ...). A module's own descendants are not a cycle with it (it declares them).
    for depth in (2, 3):
        found += cycles(raw, depth)
    for comp in found:
        print(f"{crate}: import cycle between modules: {' <-> '.join(comp)}", file=sys.stderr)
    if not found:
        print(f"{crate}: no import cycle between its modules or between the modules of any one of them")
    return 1 if found else 0


def cycles(raw, depth):
    """The cycles of the graph with every module cut to its first `depth` path segments."""
    cut = lambda p: "::".join(p.split("::")[:depth])
    edges = {}
    for a, b in raw:
        a, b = cut(a), cut(b)
        edges.setdefault(a, set())
        edges.setdefault(b, set())
        if a == b or b.startswith(a + "::") or a.startswith(b + "::"):
            continue
        edges[a].add(b)
    # Tarjan's strongly connected components, iteratively (the graphs are small).
    index, low, on, stack, comps, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        work = [(v, iter(sorted(edges[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return comps


if __name__ == "__main__":
    sys.exit(main())
