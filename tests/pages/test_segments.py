"""The segment algorithm behind the annotated article: overlapping and nested spans."""

from mali_kg.pages.article import segments


def test_overlapping_spans():
    text = "abcdefghij"
    segs = segments(text, [("a", 0, 6), ("b", 3, 9), ("c", 4, 5)])
    assert "".join(s.text for s in segs) == text
    by_start = {s.start: s for s in segs}
    assert by_start[0].anchors == ["a"]
    assert by_start[3].anchors == ["a", "b"] or by_start[3].anchors == ["b", "a"]
    assert by_start[4].anchors[0] == "c"  # innermost first
    assert by_start[6].anchors == ["b"]
    assert by_start[9].anchors == []


def test_cuts_and_identical_spans():
    segs = segments("hello world", [("x", 0, 5), ("y", 0, 5)], cuts=[2])
    assert [s.text for s in segs] == ["he", "llo", " world"]
    assert set(segs[0].anchors) == {"x", "y"}


def test_no_spans():
    segs = segments("plain", [])
    assert len(segs) == 1 and segs[0].anchors == []
