"""Labels read as subject + metric: the lexicon, the similarity, and its precision and recall on pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.reuse.canonical import (
    LabelKey,
    canonical_label,
    contained_subjects,
    label_similarity,
    parse_label_lexicon,
    read_label_lexicon,
)

PAIRS = Path(__file__).parent / "data" / "label_pairs.tsv"


def _pairs() -> list[tuple[bool, str, str]]:
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            same, a, b = line.split("\t")
            pairs.append((same == "1", a, b))
    return pairs


def test_same_and_different_label_pairs_reach_the_precision_and_recall_goals() -> None:
    pairs = _pairs()
    assert sum(same for same, _, _ in pairs) >= 60 and sum(not same for same, _, _ in pairs) >= 100
    judged = [(same, label_similarity(canonical_label(a), canonical_label(b)) >= 0.7) for same, a, b in pairs]
    true_pos = sum(same and said for same, said in judged)
    precision = true_pos / sum(said for _, said in judged)
    recall = true_pos / sum(same for same, _ in judged)
    assert precision >= 0.9, f"precision {precision:.3f}"
    assert recall >= 0.8, f"recall {recall:.3f}"


@pytest.mark.parametrize(
    ("label", "metric", "subject"),
    [
        ("基金发放到位率", "到位率", "资金"),
        ("补助资金到位率", "到位率", "资金"),
        ("2021年培训完成时间", "时间", "培训"),
        ("城乡居民参保率", "参保率", ""),
        ("培训费用（万元）", "费", "培训"),
        ("受助人员满意率", "满意度", "受助"),
        ("指标1.药品抽验品种", "", "药品抽检品种"),
        ("★补助鱼塘面积", "面积", "补助鱼塘"),
        ("网络畅通率", "畅通率", "网络"),
        ("活动参与者满意度情况", "满意度", "活动参与者"),
    ],
)
def test_a_label_reads_as_subject_and_metric(label: str, metric: str, subject: str) -> None:
    assert canonical_label(label) == LabelKey(metric, subject)


def test_different_metrics_never_match_and_an_empty_subject_only_matches_itself() -> None:
    assert label_similarity(canonical_label("培训次数"), canonical_label("培训费")) == 0.0
    assert label_similarity(canonical_label("满意度"), canonical_label("学生满意度")) == 0.0
    assert label_similarity(canonical_label("满意度"), canonical_label("满意率")) == 1.0


def test_a_subject_holding_another_at_its_end_matches_more_easily_than_in_front() -> None:
    # Chinese puts the head last: 信息系统 is a 系统, 药品抽检 is not a 药品
    suffix = label_similarity(canonical_label("系统运行率"), canonical_label("信息系统运行率"))
    prefix = label_similarity(canonical_label("药品数量"), canonical_label("药品抽检数量"))
    assert suffix >= 0.7 > prefix


def test_contained_subjects_lists_every_part_the_similarity_would_accept() -> None:
    subject = "定点医药机构检查"
    parts = {subject[i:j] for i in range(len(subject)) for j in range(i + 2, len(subject) + 1)} - {subject}
    accepted = {p for p in parts if label_similarity(LabelKey("", p), LabelKey("", subject)) >= 0.7}
    assert accepted and accepted <= set(contained_subjects(subject))


def test_the_lexicon_is_data_a_new_synonym_changes_the_reading() -> None:
    lexicon = parse_label_lexicon({"metrics": ["次数"], "synonyms": {"讲座": ["讲堂"]}})
    assert lexicon.read("健康讲堂次数") == lexicon.read("健康讲座次数") == LabelKey("次数", "健康讲座")
    assert canonical_label("健康讲堂次数") != canonical_label("健康讲座次数")


def test_a_broken_lexicon_file_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_text("metrics = [", encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels\.toml: cannot read the label lexicon"):
        read_label_lexicon(path)
