"""A tier asked a sum for must be priced by the clauses, not only the tiers beside it."""

from __future__ import annotations

import pytest

from bot.tiers import unpriced_tier
from retrieval.types import Clause, Hit

_APPRENTICES = Hit(
    Clause(
        text="对开展企业新型学徒制培训的，按中级工每人每年5000元、高级工每人每年6000元给予补贴。持续实施技师培训项目。",
        title="稳就业若干政策措施",
        source="t.txt",
    ),
    score=1.0,
    coverage=0.6,
)
_AWARDS = Hit(
    Clause(
        text="对获得河南省科学技术进步奖项目的第一完成单位，给予一等奖30万元、二等奖20万元、三等奖10万元的配套奖励。",
        title="关于进一步支持科技创新的若干政策",
        source="t.txt",
    ),
    score=1.0,
    coverage=0.6,
)


@pytest.mark.parametrize(
    ("question", "hit", "unpriced"),
    [
        ("新型学徒制 培养技师 每人每年补多少钱", _APPRENTICES, ("技师", ["中级工", "高级工"])),
        ("新型学徒制带的是高级工，每人每年补多少？", _APPRENTICES, None),
        ("中级工和高级工每人每年各补多少？", _APPRENTICES, None),  # two asked, both priced
        ("拿了河南省科技进步奖特等奖，安阳配套奖励多少？", _AWARDS, ("特等奖", ["一等奖", "二等奖", "三等奖"])),
        ("拿了河南省科技进步奖二等奖，安阳配套奖励多少？", _AWARDS, None),
        ("拿了省科技进步二等奖，能直接满足认定条件吗？", _AWARDS, None),  # no sum asked
    ],
)
def test_a_tier_priced_only_beside_the_one_asked(
    question: str, hit: Hit, unpriced: tuple[str, list[str]] | None
) -> None:
    assert unpriced_tier(question, [hit]) == unpriced
