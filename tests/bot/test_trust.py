"""Trust checks: figures in an answer must be stated by its clauses; markers must point somewhere."""

from __future__ import annotations

from bot.trust import cn_to_int, figures, reconcile_markers, unsupported_figures
from bot.types import Citation


def _citation(n: int, text: str) -> Citation:
    return Citation(n=n, text=text, title="安阳市科技创新政策实施细则", doc_number="安政办〔2021〕62号",
                    clause="四、（三）1.", source="x.txt", score=1.0)


def test_chinese_numerals() -> None:
    assert cn_to_int("三十") == 30
    assert cn_to_int("两") == 2
    assert cn_to_int("一百五十") == 150
    assert cn_to_int("十二") == 12
    assert cn_to_int("高新") is None


def test_figures_are_normalised() -> None:
    assert figures("奖励5 万元") == figures("奖励5万元") == {"5万"}
    assert "30%" in figures("不超过百分之三十")
    assert "2年" in figures("期限两年")
    assert "3个月" in figures("减免三个月租金")
    assert "30%" in figures("按 30 ％ 补助")


def test_unsupported_figures_found_and_supported_ones_pass() -> None:
    cited = [_citation(1, "其他企业首次认定为高新技术企业的，奖励15万元；再次通过认定的，奖励5万元。")]
    assert unsupported_figures("首次认定奖励15万元[1]，再次认定奖励5万元[1]。", cited) == set()
    assert unsupported_figures("首次认定奖励888万元[1]。", cited) == {"888万"}
    assert unsupported_figures("首次认定奖励十五万元[1]。", cited) == set()


def test_dangling_markers_removed_and_unused_citations_dropped() -> None:
    cited = [_citation(1, "甲"), _citation(2, "乙"), _citation(3, "丙")]
    text, kept = reconcile_markers("先说丙[3]，再说甲[1][1]，还有[9]。", cited)
    assert text == "先说丙[1]，再说甲[2]，还有。"
    assert [(c.n, c.text) for c in kept] == [(1, "丙"), (2, "甲")]
