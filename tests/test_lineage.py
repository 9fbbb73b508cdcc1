"""Lineage: copies found by containment, origins chosen by repost traces, date and completeness."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np

from newsdesk.lineage import (
    LineageReport,
    Sketches,
    band_keys,
    candidate_pairs,
    copy_groups,
    find_copies,
    find_copies_report,
    link_copies,
    origins,
    sketch,
)
from newsdesk.lineage.candidates import (
    HUBS,
    MAX_PARTNERS,
    band_stars,
    best_pairs,
    expand,
    hit_chunks,
    pick_queries,
    posting_ranges,
    query_bar,
    usable_postings,
)
from newsdesk.lineage.copies import BANDS, MIN_SHINGLES, overlap_sets, verify_pairs
from newsdesk.model import Article, PubDate, article_id
from newsdesk.settings import LineageSettings

WIRE = [
    "Flood waters rose along the river on Tuesday as engineers opened the spillway gates at the old dam.",
    "About 12,000 residents of the valley were told to leave their homes before nightfall, officials said.",
    "The regional governor, Marta Velkova, said the emergency crews had worked through the night.",
    "Schools in three towns will stay closed until the end of the week while the water recedes.",
    "Farmers said the harvest in the lower fields was already lost and asked for compensation.",
    "Rail services between the two largest towns were suspended after a bridge was damaged.",
    "Forecasters expect more rain over the weekend, which could push the river higher again.",
    "The dam, built in the 1960s, has been criticised by engineers for years over its ageing gates.",
    "A spokesman for the water authority declined to comment on the inspection reports.",
    "Relief agencies set up shelters in sports halls and schools on higher ground.",
]


def art(text: str, path: str, *, signals: set[str] | None = None, published: str | None = None) -> Article:
    return Article(
        id=article_id(text), path=path, text=text, signals=signals or set(),
        published=PubDate(published, "day", "text") if published else None,
    )


def test_flattened_truncated_repost_points_to_the_wire_original() -> None:
    original = art("\n\n".join(WIRE), "wire.txt")
    repost = art(" ".join(WIRE[:6]) + " Rail services between […]", "repost.txt", signals={"flattened", "truncated"})
    links = find_copies([repost, original])
    assert len(links) == 1
    assert links[0].copy == repost.id and links[0].origin == original.id
    assert links[0].kind == "truncated"
    assert links[0].containment > 0.9


def test_excerpt_of_a_fifth_of_the_story_is_still_found() -> None:
    original = art("\n\n".join(WIRE * 1), "wire.txt")
    excerpt = art(" ".join(WIRE[4:7]), "excerpt.txt")
    links = find_copies([original, excerpt])
    assert [(l.copy, l.kind) for l in links] == [(excerpt.id, "excerpt")]


def test_exact_and_near_copies() -> None:
    original = art("\n\n".join(WIRE), "a.txt")
    exact = art(" ".join(WIRE), "b.txt", published="2021-05-04")
    near = art("\n\n".join(WIRE).replace("Tuesday", "Wednesday"), "c.txt", published="2021-05-05")
    links = {l.copy: l for l in find_copies([original, exact, near])}
    # The earliest dated version is the origin; an undated one never wins over it.
    assert {l.origin for l in links.values()} == {exact.id}
    assert links[original.id].kind == "exact"
    assert links[near.id].kind == "near"


def test_independent_reports_sharing_one_quoted_statement_are_not_copies() -> None:
    statement = "We will not rest until every family is back in a safe home, the governor said in a statement."
    a = art(statement + " " + " ".join(WIRE[:5]), "a.txt")
    b = art(
        "Opposition politicians accused the government of ignoring warnings about the dam for a decade. "
        + statement
        + " Critics pointed to a report from last year that found rust on two of the four spillway gates. "
        "The environment ministry said a full review would be published in the autumn. "
        "Local businesses estimated losses in the millions and said insurers were slow to respond.",
        "b.txt",
    )
    assert find_copies([a, b]) == []


def test_origin_is_the_one_without_repost_traces_then_earliest() -> None:
    early = art("\n\n".join(WIRE), "early.txt", published="2021-05-03")
    late = art("\n\n".join(WIRE), "late.txt", published="2021-05-09")
    late.id = "late"
    links = find_copies([late, early])
    assert links[0].origin == early.id
    assert origins([late, early], links) == [early.id]


def test_short_texts_and_empty_input() -> None:
    assert find_copies([]) == []
    assert find_copies([art("Too short.", "a"), art("Too short.", "b")]) == []


def test_copy_groups_are_connected_components() -> None:
    assert copy_groups(5, [(0, 1), (1, 3)]) == [[0, 1, 3]]


# ---- every copy kind, the false friends, and the wire cases -------------------


OTHER = [
    "The city council voted on Monday to close the central library for renovation next spring.",
    "The building, opened in 1927, needs a new roof and modern wiring, according to a survey.",
    "Readers will be able to borrow books from two temporary branches in the north and east.",
    "The mayor, Ilse Brandauer, said the work would cost about 9 million euros over two years.",
    "Several councillors from the opposition asked why the repairs had been delayed for so long.",
    "Library staff will keep their jobs and move to the temporary branches, the union said.",
    "A public meeting on the plans is scheduled for the last Thursday of the month in the town hall.",
]
FOOTER = (
    "Subscribe to our newsletter for the morning headlines delivered to your inbox every day. "
    "Follow us on social media and download the app for breaking alerts and local weather. "
    "Copyright the Valley Courier media group, all rights reserved; read our privacy policy, cookie "
    "settings and terms of use before commenting on any of our stories."
)


def kinds(links: list) -> dict[str, str]:
    return {l.copy: l.kind for l in links}


def test_edited_copy_with_a_new_intro_and_a_paragraph_dropped() -> None:
    original = art("\n\n".join(WIRE), "wire.txt")
    edited = art(
        "\n\n".join(
            ["Residents of our county joined the evacuation late on Tuesday, the sheriff's office told us.",
             *WIRE[:3], *WIRE[4:]]
        ),
        "local.txt",
    )
    links = find_copies([edited, original])
    assert [(l.copy, l.origin, l.kind) for l in links] == [(edited.id, original.id, "edited")]
    assert 0.5 < links[0].containment < 0.95


def test_truncated_without_signal_holds_the_origins_beginning() -> None:
    original = art("\n\n".join(WIRE), "wire.txt")
    head = art(" ".join(WIRE[:5]), "head.txt")
    tail = art(" ".join(WIRE[5:]), "tail.txt")
    k = kinds(find_copies([original, head, tail]))
    assert k == {head.id: "truncated", tail.id: "excerpt"}


def test_unrelated_articles_sharing_a_long_site_footer_are_not_copies() -> None:
    a = art(" ".join(WIRE[:6]) + "\n\n" + FOOTER, "a.txt")
    b = art(" ".join(OTHER) + "\n\n" + FOOTER, "b.txt")
    assert find_copies([a, b]) == []


def test_a_footer_on_thousands_of_pages_is_skipped_and_reported() -> None:
    # The cap is lowered so the test stays small; the mechanism is the same at 100,000 pages.
    settings = LineageSettings(max_posting=40)
    pages = [
        art(" ".join(f"w{i}x{k}" for k in range(60)) + ".\n\n" + FOOTER, f"p{i}.txt") for i in range(120)
    ]
    original = art("\n\n".join(WIRE), "wire.txt")
    excerpt = art(" ".join(WIRE[3:6]), "excerpt.txt")
    report = find_copies_report([*pages, original, excerpt], settings)
    assert report.oversized_postings > 0
    assert [(l.copy, l.origin) for l in report.links] == [(excerpt.id, original.id)]


def test_a_story_reposted_more_often_than_the_posting_cap_is_still_linked() -> None:
    # Every sampled shingle's posting list is over the cap: only MinHash banding can find these.
    settings = LineageSettings(max_posting=5)
    original = art("\n\n".join(WIRE), "wire.txt", published="2021-05-03")
    reposts = [art("\n\n".join(WIRE).replace("Tuesday", f"Tuesday ({i})"), f"r{i}.txt") for i in range(30)]
    report = find_copies_report([original, *reposts], settings)
    assert report.oversized_postings > 0
    assert {l.copy for l in report.links} == {r.id for r in reposts}
    assert {l.origin for l in report.links} == {original.id}


def test_wire_update_later_the_same_day_is_a_copy() -> None:
    first = art("\n\n".join(WIRE[:7]), "am.txt", published="2021-05-04")
    update = art(
        "\n\n".join(
            ["The death toll from the floods rose to four on Tuesday evening, police said.",
             *WIRE[:1], WIRE[1].replace("12,000", "15,000"), *WIRE[2:]]
        ),
        "pm.txt",
        published="2021-05-04",
    )
    links = find_copies([first, update])
    # Same day: the most complete version (the update) is the origin.
    assert [(l.copy, l.origin) for l in links] == [(first.id, update.id)]
    assert links[0].kind in {"truncated", "edited"}
    assert links[0].containment > 0.8


def test_short_version_fully_contained_in_a_longer_one_is_a_copy() -> None:
    long = art("\n\n".join(WIRE + OTHER[:2]), "long.txt", published="2021-05-04")
    short = art("\n\n".join(WIRE[:4]), "short.txt", published="2021-05-04")
    links = find_copies([short, long])
    assert [(l.copy, l.origin, l.containment) for l in links] == [(short.id, long.id, 1.0)]


def test_same_agency_reusing_background_months_later_is_not_a_copy() -> None:
    old = art("\n\n".join(WIRE), "may.txt", published="2021-05-04")
    new = art(
        "\n\n".join(
            [*OTHER, WIRE[7], WIRE[5]]  # a new story with two background paragraphs from May
        ),
        "sept.txt",
        published="2021-09-14",
    )
    assert find_copies([old, new]) == []


def test_press_release_paragraph_in_two_agencies_is_not_a_copy() -> None:
    release = " ".join(WIRE[2:4])
    a = art(" ".join(OTHER[:5]) + " " + release, "agency-a.txt")
    b = art(release + " " + " ".join(WIRE[6:10]) + " " + OTHER[6], "agency-b.txt")
    assert find_copies([a, b]) == []


def test_shingle_hashes_agree_across_processes() -> None:
    text = "\n\n".join(WIRE)
    here = sketch([art(text, "a")]).sets[0][:5].tolist()
    code = (
        "import sys; from newsdesk.lineage import sketch; from newsdesk.model import Article;"
        "print(sketch([Article(id='a', path='a', text=sys.stdin.read())]).sets[0][:5].tolist())"
    )
    out = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(here)


def test_a_roundup_does_not_glue_two_stories_together() -> None:
    a = art("\n\n".join(WIRE), "flood.txt")
    b = art("\n\n".join(OTHER), "library.txt")
    roundup = art(" ".join(WIRE[:4]) + "\n\n" + " ".join(OTHER[:3]), "roundup.txt")
    links = find_copies([roundup, a, b])
    origin_ids = set(origins([roundup, a, b], links))
    # The two stories stay independent sources, whatever the roundup links to.
    assert {a.id, b.id} <= origin_ids


LOCAL_INTRO = [
    "Residents of Brenn county joined the evacuation late on Tuesday, the sheriff's office told this paper.",
    "Volunteers from the county fire brigade filled sandbags outside the community centre all afternoon.",
    "The county's two primary schools opened their gyms to families who had nowhere else to stay.",
]


def test_a_shorter_cut_of_a_local_copy_is_linked_to_the_wire_through_it() -> None:
    wire = art("\n\n".join(WIRE), "wire.txt")
    local = art("\n\n".join([*LOCAL_INTRO, *WIRE[:6]]), "local.txt")  # the wire with a local intro
    digest = art("\n\n".join([*LOCAL_INTRO, WIRE[0]]), "digest.txt")  # the local intro and the wire's lede
    links = {link.copy: link for link in find_copies([wire, local, digest])}
    assert links[local.id].origin == wire.id
    # Most of the digest is the local paper's own text, not the wire's: it is the wire story
    # only through the local copy, and counts once with it.
    assert links[digest.id].origin == wire.id and links[digest.id].containment < 0.5
    assert set(origins([wire, local, digest], list(links.values()))) == {wire.id}


def test_a_story_reposted_many_times_costs_a_few_candidates_per_copy() -> None:
    # 60 reposts all hold each other's keys: verifying every pair would be 60²/2;
    # each text keeps only its best few candidates, and all still reach the origin.
    original = art("\n\n".join(WIRE), "wire.txt", published="2021-05-03")
    reposts = [art("\n\n".join(WIRE).replace("river", f"river ({i})", 1), f"r{i}.txt") for i in range(60)]
    cut = [art(" ".join(WIRE[: 3 + i % 5]) + " […]", f"t{i}.txt", signals={"truncated"}) for i in range(20)]
    report = find_copies_report([original, *reposts, *cut])
    n = 81
    assert report.candidates <= (MAX_PARTNERS + 2 * HUBS * BANDS) * n
    assert report.candidates < n * (n - 1) // 4
    assert {l.copy for l in report.links} == {a.id for a in [*reposts, *cut]}
    assert {l.origin for l in report.links} == {original.id}
    assert {l.kind for l in report.links if l.copy in {c.id for c in cut}} == {"truncated"}


def test_batched_verification_counts_exactly_what_overlap_sets_counts() -> None:
    texts = [
        "\n\n".join(WIRE), " ".join(WIRE[2:6]), "\n\n".join(OTHER), " ".join(WIRE[:3] + OTHER[:3]),
        "\n\n".join(WIRE[5:]) + "\n\n" + FOOTER, " ".join(OTHER[2:]) + "\n\n" + FOOTER,
    ]
    sk = sketch([art(t, f"{k}.txt") for k, t in enumerate(texts)])
    pairs = np.array([(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))], dtype=np.int64)
    got = verify_pairs(sk, pairs).tolist()
    want = [round(overlap_sets(sk.sets[i], sk.sets[j]).a_in_b * len(sk.sets[i])) for i, j in pairs.tolist()]
    assert got == want and max(got) > 0
    # Chunks smaller than one text change nothing.
    assert verify_pairs(sk, pairs, chunk=7).tolist() == want


def test_containment_candidates_do_not_depend_on_the_expansion_chunk() -> None:
    texts = [art("\n\n".join(WIRE), "w.txt"), art(" ".join(WIRE[3:7]), "x.txt"), art("\n\n".join(OTHER), "o.txt"),
             *(art("\n\n".join(WIRE[: 4 + k]), f"t{k}.txt") for k in range(5))]
    whole = find_copies_report(texts)
    chunked = find_copies_report(texts, LineageSettings(expand_chunk=3))
    assert (chunked.candidates, chunked.verified, chunked.links) == (whole.candidates, whole.verified, whole.links)
    assert whole.verified >= 6


def test_link_copies_takes_its_settings() -> None:
    original = art("\n\n".join(WIRE), "wire.txt", published="2021-05-03")
    reposts = [art("\n\n".join(WIRE).replace("Tuesday", f"Tuesday ({i})"), f"r{i}.txt") for i in range(8)]
    assert link_copies([original, *reposts]).oversized_postings == 0
    capped = link_copies([original, *reposts], LineageSettings(max_posting=3, max_band_bucket=2))
    assert capped.oversized_postings > 0 and capped.oversized_band_buckets > 0


def _partitioned_candidates(sk: Sketches, settings: LineageSettings, parts: int) -> set[tuple[int, int]]:
    """The candidate search as Spark runs it (:mod:`newsdesk.spark.copies`), without Spark: each
    kernel over one partition at a time, after a "shuffle" by key or by text; texts named by sparse ids."""
    sizes = np.array([len(s) for s in sk.sets], dtype=np.int64)
    usable = np.flatnonzero(sizes >= MIN_SHINGLES)
    ids = usable * 1000 + 7  # ascending in input order, like Spark's pos, but not dense
    counts = np.array([len(sk.samples[i]) for i in usable])
    key = np.concatenate([sk.samples[i] for i in usable])
    text, size = np.repeat(ids, counts), np.repeat(sizes[usable], counts)
    bar = np.repeat(query_bar(counts), counts)

    def shuffle(by: np.ndarray) -> list[np.ndarray]:
        return [np.flatnonzero(by % parts == p) for p in range(parts)]

    lists = []  # 1. by hash: usable postings
    for rows in shuffle(key):
        keep, common, _ = usable_postings(key[rows], settings.max_posting)
        lists.append((rows[keep], common))
    posting = np.concatenate([r for r, _ in lists])
    common = np.concatenate([c for _, c in lists])
    picked = np.concatenate(  # 2. by text: query keys
        [posting[rows][pick_queries(key[posting[rows]], text[posting[rows]], common[rows])] for rows in shuffle(text[posting])]
    )
    hits: list[tuple[np.ndarray, ...]] = []  # 3. by hash: each query's posting list
    for p in range(parts):
        mine, queries = posting[key[posting] % parts == p], picked[key[picked] % parts == p]
        mine = mine[np.argsort(key[mine])]
        lo, n = posting_ranges(key[mine], key[queries])
        for a, b in hit_chunks(n, settings.expand_chunk):
            hit = mine[expand(lo[a:b], n[a:b])]
            hits.append((np.repeat(text[queries[a:b]], n[a:b]), np.repeat(bar[queries[a:b]], n[a:b]), text[hit], size[hit]))
    me, q, other, other_size = (np.concatenate(x) for x in zip(*hits))
    pairs = set()
    for rows in shuffle(me):  # 4. by text: best pairs
        pairs |= set(zip(*(x.tolist() for x in best_pairs(me[rows], other[rows], q[rows], other_size[rows]))))
    bands = band_keys([sk.samples[i] for i in usable])  # banding, by (band, key)
    band, bkey = np.tile(np.arange(BANDS), len(usable)), bands.ravel()
    btext, bsize = np.repeat(ids, BANDS), np.repeat(sizes[usable], BANDS)
    for rows in shuffle(bkey):
        rows = rows[bkey[rows] != 0]
        hub, member, _ = band_stars(band[rows], bkey[rows], btext[rows], bsize[rows], settings.max_band_bucket)
        pairs |= set(zip(np.minimum(hub, member).tolist(), np.maximum(hub, member).tolist()))
    return {((a - 7) // 1000, (b - 7) // 1000) for a, b in pairs}


def test_candidate_kernels_find_the_same_pairs_partition_by_partition() -> None:
    texts = [art("\n\n".join(WIRE), "w.txt"), art(" ".join(WIRE[3:7]), "x.txt"), art("\n\n".join(OTHER), "o.txt"),
             art(" ".join(WIRE[:4] + OTHER[:3]), "r.txt"), art("\n\n".join(OTHER[2:]) + "\n\n" + FOOTER, "f.txt"),
             *(art("\n\n".join(WIRE[: 4 + k]) + "\n\n" + FOOTER, f"t{k}.txt") for k in range(6)),
             *(art("\n\n".join(WIRE).replace("river", f"river ({i})", 1), f"r{i}.txt") for i in range(5))]
    sk = sketch(texts)
    for settings in (LineageSettings(), LineageSettings(max_posting=4, max_band_bucket=3, expand_chunk=5)):
        report = LineageReport(links=[])
        want = {tuple(p) for p in candidate_pairs(sk, report, settings).tolist()}
        assert len(want) >= 7 and (report.oversized_postings > 0) == (settings.max_posting == 4)
        for parts in (1, 3):
            assert _partitioned_candidates(sk, settings, parts) == want


# ---- rewrites: sentence alignment --------------------------------------------------------------

#: WIRE as a local paper rewrote it: a new lede, words swapped in every kept sentence, one paragraph
#: dropped and a local quote added; few 5-word shingles survive.
REWRITE = [
    "Residents of the river valley spent Tuesday night on higher ground as the flood crest neared.",
    "Flood waters climbed along the river Tuesday after engineers opened spillway gates at the old dam.",
    "About 12,000 valley residents were ordered out of their homes before nightfall, officials said Tuesday.",
    "Governor Marta Velkova said emergency crews had worked right through the night.",
    "Schools in three valley towns will remain closed until the end of the week as water recedes.",
    "Farmers said harvest in the lower fields was already lost and they asked for compensation.",
    "Forecasters expect further rain over the weekend, which might push the river higher again.",
    "\"We have never seen it this high,\" said Anna Petrova, who runs the bakery on Mill Street.",
    "Relief agencies opened shelters in sports halls and schools on higher ground.",
]


def test_a_rewritten_wire_story_is_a_copy_of_the_wire() -> None:
    from newsdesk.lineage.copies import MIN_CONTAINMENT

    wire = art("\n\n".join(WIRE), "wire.txt", published="2021-05-04")
    local = art("\n\n".join(REWRITE), "local.txt", published="2021-05-04")
    assert overlap_sets(sketch([local]).sets[0], sketch([wire]).sets[0]).a_in_b < MIN_CONTAINMENT
    links = find_copies([wire, local])
    assert [(link.copy, link.origin, link.kind) for link in links] == [(local.id, wire.id, "rewrite")]
    # Each link says how much aligned: 7 of the rewrite's 8 unquoted sentences have a wire partner.
    assert links[0].aligned is not None and 0.6 <= links[0].aligned <= 1.0


def test_a_copy_made_by_shared_text_has_no_alignment_share() -> None:
    wire = art("\n\n".join(WIRE), "wire.txt", published="2021-05-04")
    repost = art("\n\n".join(WIRE), "repost.txt", published="2021-05-05")
    (link,) = find_copies([wire, repost])
    assert link.kind in ("exact", "near") and link.aligned is None


def test_a_condensed_brief_of_the_wire_story_is_a_condensed_copy() -> None:
    wire = art("\n\n".join(WIRE + OTHER[:4]), "wire.txt", published="2021-05-04")
    # Four of the wire's paragraphs, three of them reworded: under half its text by shingles.
    brief = art("\n\n".join([REWRITE[2], REWRITE[3], WIRE[3], REWRITE[5]]), "brief.txt", published="2021-05-05")
    links = find_copies([wire, brief])
    assert [(link.copy, link.origin, link.kind) for link in links] == [(brief.id, wire.id, "condensed")]


def test_two_reports_quoting_one_statement_are_not_rewrites() -> None:
    from newsdesk.lineage.align import is_rewrite, sentences

    statement = (
        '"The gates were opened to protect the dam and the towns below it," the water authority said in a statement. '
        '"Engineers will stay on site until the river falls below the warning level," the statement said. '
        '"Residents should follow the instructions of the emergency services at all times," it said.'
    )
    a = " ".join(OTHER[:4]) + " " + statement
    b = statement + " " + " ".join(WIRE[5:9])
    assert not is_rewrite(sentences(a), sentences(b))
    assert find_copies([art(a, "a.txt"), art(b, "b.txt")]) == []


def test_a_later_version_keeping_a_run_of_four_earlier_sentences_is_a_rewrite() -> None:
    from newsdesk.lineage.align import LONG_RUN, rewrite_share, sentences

    top = [
        "Two people were missing on Wednesday after the river broke through a levee north of the old dam.",
        "Rescue teams in boats searched flooded streets in the lower town for most of the morning.",
        "The army sent two helicopters and a field kitchen to the valley, the defence ministry said.",
        "Water reached the first floor of the hospital, whose patients were moved to a school gym.",
        "Power was cut to about 4,000 homes as a precaution, the grid operator said in a statement.",
        "The national weather office raised its warning for the region to the highest level overnight.",
        "Insurance companies said it was too early to estimate the cost of the damage to property.",
    ]
    kept = [REWRITE[1], REWRITE[2], WIRE[3], REWRITE[5]]  # the wire's sentences 1, 2, 4 and 5
    earlier = sentences("\n".join(WIRE))
    later = sentences("\n".join(top + kept))
    share = rewrite_share(later, earlier)
    # 4 of the earlier version's 10 sentences, in order: under half, but a run of four.
    assert share is not None and share == LONG_RUN / 10
    assert rewrite_share(sentences("\n".join(top + kept[:3])), earlier) is None
    # A roundup that pasted the run among 24 sentences of its own is no copy of the wire.
    own = [f"Item {n} of the roundup covers the harbour market, the ferry timetable and ticket prices." for n in range(24)]
    assert rewrite_share(sentences("\n".join(own[:12] + kept + own[12:])), earlier) is None


def test_alignment_counts_only_sentences_kept_in_order() -> None:
    from newsdesk.lineage.align import aligned, sentences

    forward = sentences("\n".join(WIRE))
    assert aligned(sentences("\n".join(REWRITE)), forward) >= 6
    assert aligned(sentences("\n".join(reversed(WIRE[:6]))), forward) == 1  # all there, but backwards


def test_aligned_pairs_are_the_run_aligned_counts_in_order_with_their_offsets() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from newsdesk.lineage.align import aligned, aligned_pairs, sentences

    pool = [
        "The army said on Monday that 2,500 foreign soldiers will stay at Camp Harlow near the river.",
        "About 4,000 soldiers were based in the country in January, officials in the capital said.",
        "The move follows long talks in Port Amsel last March between the two governments.",
        "Lawmakers said the pace of the withdrawal was far too slow for the voters at home.",
        '"We are handing over the base in stages," said Mira Olsen, the deputy commander there.',
        "Heavy rain flooded the valley overnight and closed three roads near the old bridge.",
        "The army said Monday that 2,500 foreign troops would remain at Camp Harlow by the river.",
    ]
    text = st.lists(st.sampled_from(pool), max_size=7).map(" ".join)

    @settings(max_examples=200, deadline=None)
    @given(text, text)
    def check(copy: str, origin: str) -> None:
        pairs = aligned_pairs(copy, origin)
        assert len(pairs) == aligned(sentences(copy), sentences(origin))
        for (ca, cb), (oa, ob) in pairs:
            assert copy[ca:cb].strip() == copy[ca:cb] and origin[oa:ob].strip() == origin[oa:ob]
        assert all(p[0][0] < q[0][0] and p[1][0] < q[1][0] for p, q in itertools.pairwise(pairs))

    check()
