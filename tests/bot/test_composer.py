"""Which clauses an answer cites: each part of a question asked in several gets one about it."""

from __future__ import annotations

from bot.composer import compose, cover_parts
from retrieval.lexical import tokenize
from retrieval.types import Clause, Hit

TARGET = Hit(Clause(text="2022年全省“小升规”目标：安阳 100 家、鹤壁 50 家。", title="促进小微工业企业上规模实施方案",
                    source="t.txt"), score=1.6, coverage=0.8)
TARGET_TOO = Hit(Clause(text="各省辖市“小升规”任务分解：安阳 100 家。", title="促进小微工业企业上规模实施方案",
                        source="t.txt"), score=1.5, coverage=0.8)
REWARD = Hit(Clause(text="对首次上规入统企业，由所在县（市、区）政府一次性奖励8万元。", title="稳住经济一揽子政策措施",
                    source="t.txt"), score=1.1, coverage=0.5)


def test_a_part_no_cited_clause_is_about_gets_the_best_clause_that_is() -> None:
    question = "全省给安阳下的小升规目标是多少家？企业首次上规入统，县里一次性奖多少？"
    cited = cover_parts(question, [TARGET, TARGET_TOO], [TARGET, TARGET_TOO, REWARD], 0.4, {})
    assert cited == [TARGET, TARGET_TOO, REWARD]


def test_a_question_in_one_part_or_already_covered_keeps_its_clauses() -> None:
    hits = [TARGET, TARGET_TOO, REWARD]
    assert cover_parts("全省给安阳下的小升规目标是多少家？", [TARGET], hits, 0.4, {}) == [TARGET]
    both = "小升规目标是多少家？首次上规入统奖多少？"
    assert cover_parts(both, [TARGET, REWARD], hits, 0.4, {}) == [TARGET, REWARD]
    # a clause under the relevance threshold is not added
    assert cover_parts(both, [TARGET], hits, 0.6, {}) == [TARGET]


def test_a_part_may_take_its_clause_from_a_search_of_its_own() -> None:
    deed = Hit(Clause(text="在安阳市区内购买商品住宅（含二手房）并缴纳契税的，给予已缴契税50%消费补贴。",
                      title="安阳市关于促进房地产市场平稳健康发展的意见", source="t.txt"), score=1.2, coverage=0.3)
    loans = Hit(Clause(text="引导银行合理确定商业性个人住房贷款最低首付比例，首套为20%。",
                       title="安阳市关于促进房地产市场平稳健康发展的意见", source="t.txt"), score=1.2, coverage=0.45)
    unrelated = Hit(Clause(text="对首次认定的高新技术企业奖励10万元。", title="科技创新政策", source="t.txt"),
                    score=1.0, coverage=0.3)
    question = "在安阳市区买二手房，契税能补贴多少？商业贷款首付比例最低多少？"
    idf = {t: 1.0 for h in (deed, loans, unrelated) for t in tokenize(h.clause.index_text() + question)}
    searches: list[str] = []

    def search(part: str, level: str | None) -> list[Hit]:
        searches.append(part)
        return [unrelated, deed] if "契税" in part else [loans]

    # the deed clause falls under the whole question's threshold (0.4) and is not among its top hits
    assert cover_parts(question, [loans], [loans], 0.4, idf) == [loans]
    assert cover_parts(question, [loans], [loans], 0.4, idf, search) == [loans, deed]
    # the part the cited clause answers is searched too, for a clause that answers it better; none does
    assert searches == ["在安阳市区买二手房，契税能补贴多少", "商业贷款首付比例最低多少"]
    # a clause of a part's own search must be about enough of the whole question, not only its part
    levy = Hit(Clause(text="对小微企业减征契税。", title="减税降费政策", source="t.txt"), score=1.0, coverage=0.2)
    idf |= dict.fromkeys(tokenize(levy.clause.index_text()), 1.0)
    short_part = "在安阳市区买二手房，商业贷款首付比例最低多少？契税呢？"
    assert cover_parts(short_part, [loans], [loans], 0.4, idf, lambda part, level: [levy]) == [loans]


def test_a_part_half_held_by_a_cited_clause_gets_the_clause_that_holds_more_of_it() -> None:
    deed = Hit(Clause(text="在安阳市区内购买商品住宅（含二手房）并缴纳契税的，给予已缴契税50%消费补贴。",
                      title="安阳市关于促进房地产市场平稳健康发展的意见", source="t.txt"), score=1.3, coverage=0.5)
    housing = Hit(Clause(text="缴存住房公积金的职工申请公积金贷款购买二手房。", title="安阳市关于促进房地产市场平稳健康发展的意见",
                         source="t.txt"), score=1.2, coverage=0.45)  # fmt: skip
    fund = Hit(Clause(text="夫妻双方缴存住房公积金的，最高贷款金额由50万元调整为60万元。", title="安阳市稳经济实施方案",
                      source="t.txt"), score=1.0, coverage=0.4)  # fmt: skip
    question = "在安阳市区买二手房，契税能补贴多少？夫妻都交住房公积金，公积金贷款最多能贷多少？"
    idf = {t: 1.0 for h in (deed, housing, fund) for t in tokenize(h.clause.index_text() + question)}
    # the housing clause holds half the second part's words; the loan clause its own search finds holds more
    assert cover_parts(question, [deed, housing], [deed, housing], 0.3, idf, lambda part, level: [fund]) == [
        deed, housing, fund]
    # a clause found that holds no more of the part than the cited one adds nothing
    assert cover_parts(question, [deed, housing], [deed, housing], 0.3, idf, lambda part, level: [housing]) == [
        deed, housing]
    # a part a cited clause holds nearly whole is not searched
    searched: list[str] = []
    held_whole = "在安阳市区购买二手房要缴纳契税吗？夫妻都交住房公积金，公积金贷款最多能贷多少？"
    cover_parts(held_whole, [deed, housing], [deed, housing], 0.3, idf, lambda part, level: searched.append(part) or [])
    assert searched == ["夫妻都交住房公积金，公积金贷款最多能贷多少"]


def test_a_follow_up_part_is_not_answered_by_another_programmes_rule() -> None:
    call = Hit(Clause(text="揭榜挂帅重大创新需求征集截止时间为2022年5月31日，申报材料通过系统报送。",
                      title="关于征集2022年揭榜挂帅重大创新需求的通知", source="t.txt", policy_id="a"),
               score=1.3, coverage=0.6)  # fmt: skip
    other = Hit(Clause(text="单项冠军申报材料须报送纸质材料一式两份，截止时间为2022年4月15日。",
                       title="关于组织开展第七批制造业单项冠军企业遴选工作的通知", source="t.txt", policy_id="b"),
                score=1.0, coverage=0.3)  # fmt: skip
    question = "安阳揭榜挂帅需求征集的截止时间是什么时候？要交纸质材料吗？"
    idf = {t: 1.0 for h in (call, other) for t in tokenize(h.clause.index_text() + question)}
    # the other notice holds more of the second part, but less of the whole question, and is not cited
    assert cover_parts(question, [call], [call], 0.3, idf, lambda part, level: [other]) == [call]


def test_a_part_that_names_a_level_is_answered_by_a_clause_of_that_level() -> None:
    city = Hit(Clause(text="受疫情影响的中小企业，经批准可延长至疫情解除后补缴社会保险费。", title="安阳市复工复产政策措施",
                      source="t.txt", level="市"), score=1.3, coverage=0.6)
    nation = Hit(Clause(text="三项社会保险费单位缴费部分缓缴期限延长至年底。", title="国务院扎实稳住经济的一揽子政策措施",
                        source="t.txt", level="国家"), score=1.1, coverage=0.5)
    question = "社会保险费单位缴费国家说能缓缴到什么时候？住房公积金能缓缴多久？"
    idf = {t: 1.0 for h in (city, nation) for t in tokenize(h.clause.index_text() + question)}
    asked: list[tuple[str, str | None]] = []

    def search(text: str, level: str | None) -> list[Hit]:
        asked.append((text, level))
        return [h for h in (city, nation) if level in (None, h.clause.level)]

    # the city clause is about the part's words, but the part asks what the state says
    assert cover_parts(question, [city], [city], 0.4, idf, search) == [city, nation]
    assert ("社会保险费单位缴费国家说能缓缴到什么时候", "国家") in asked
    assert (question, "国家") in asked


def test_a_part_with_only_a_place_or_a_level_gets_no_clause_of_its_own() -> None:
    luoyang = Hit(Clause(text="2022年各省辖市小升规目标：洛阳230家，安阳100家。", title="河南省小升规实施方案", source="t.txt",
                         level="省"), score=1.0, coverage=0.3)  # fmt: skip
    award = Hit(Clause(text="对首次认定的高新技术企业奖励20万元。", title="安阳市科技创新政策", source="t.txt", level="市"),
                score=1.2, coverage=0.8)  # fmt: skip
    question = "安阳对首次认定的高新技术企业奖励多少？洛阳呢？"
    idf = {t: 1.0 for h in (luoyang, award) for t in tokenize(h.clause.index_text() + question)}
    assert cover_parts(question, [award], [award, luoyang], 0.2, idf, lambda text, level: [luoyang]) == [award]


def test_a_level_filter_of_the_caller_outweighs_a_level_a_part_names() -> None:
    city = Hit(Clause(text="受疫情影响的中小企业，经批准可延长至疫情解除后补缴社会保险费。", title="安阳市复工复产政策措施",
                      source="t.txt", level="市"), score=1.3, coverage=0.6)  # fmt: skip
    question = "社会保险费单位缴费国家说能缓缴到什么时候？住房公积金能缓缴多久？"
    idf = dict.fromkeys(tokenize(city.clause.index_text() + question), 1.0)
    levels_asked: list[str | None] = []

    def search(text: str, level: str | None) -> list[Hit]:
        levels_asked.append(level)
        return []

    assert cover_parts(question, [city], [city], 0.4, idf, search, levels=False) == [city]
    assert "国家" not in levels_asked


def test_list_items_stand_on_lines_of_their_own_and_one_marker_cites_the_list() -> None:
    clause = Clause(text="申报材料清单\n1. 营业执照复印件\n2. 诚信承诺书", title="满负荷生产奖励申报通知", source="t.txt")
    text, citations = compose("满负荷生产奖励要交哪些材料？", [Hit(clause, score=1.0, coverage=0.8)], 600, {})
    assert text.splitlines()[1:] == ["申报材料清单", "1. 营业执照复印件", "2. 诚信承诺书[1]"]
    assert [c.n for c in citations] == [1]


def test_a_filled_answer_stays_within_the_budget() -> None:
    grant = "对首次认定的高新技术企业，给予一次性奖励10万元。"
    # about the question, though less: filled in
    more = "首次认定企业申报材料包括申请书。首次认定企业申报材料包括知识产权证明。首次认定企业申报材料包括研发费用专项审计报告。"
    title = "安阳市人民政府办公室关于印发安阳市科技创新政策实施细则的通知"  # the title line counts too
    hit = Hit(Clause(text=grant + more, title=title, source="t.txt"), score=1.0, coverage=0.8)
    text, _ = compose("首次认定高新技术企业奖励多少钱？", [hit], 100, {})
    assert len(text) <= 100
    assert "10万元" in text


def test_a_question_for_the_day_a_document_was_issued_gets_it_in_the_lead_line() -> None:
    clause = Clause(text="关于做好当前重点经济工作的通知豫政办明电〔2022〕13号2022年以来，全省上下…", title="关于做好当前重点经济工作的通知",
                    source="t.txt", doc_number="豫政办明电〔2022〕13号", date="2022-05-18")
    hit = Hit(clause, score=1.0, coverage=0.8)
    answer, _ = compose("省政府办公厅这份通知是什么文号、哪天发的？", [hit], 600)
    assert "（豫政办明电〔2022〕13号，2022年5月18日印发）" in answer.splitlines()[0]
    answer, _ = compose("这份通知是哪个单位印发的？文号和日期是什么？", [hit], 600)
    assert "2022年5月18日印发" in answer.splitlines()[0]
    answer, _ = compose("省政府办公厅这份通知是什么文号？", [hit], 600)
    assert "印发" not in answer.splitlines()[0]
    answer, _ = compose("留抵退税什么时候发钱？", [hit], 600)  # when money is paid, not the document
    assert "印发" not in answer.splitlines()[0]
