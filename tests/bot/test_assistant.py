"""The assistant on the bundled knowledge, offline: cited extractive answers, refusals, conversations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.assistant import Assistant, QuestionError
from bot.documents import asks_document, named_documents, with_continuations
from bot.settings import Settings
from retrieval.types import Clause, Filters, Hit
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def own_settings(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the index: these tests write memory and feedback."""
    target = tmp_path_factory.mktemp("assistant") / "data"
    shutil.copytree(indexed_dir, target)
    return make_settings(target)


@pytest.fixture(scope="module")
def assistant(own_settings: Settings) -> Assistant:
    return Assistant(own_settings)


def _body_sentences(answer: str) -> list[str]:
    """The copied sentences: lines that end with a marker, marker removed."""
    return [MARKER.sub("", line) for line in answer.splitlines() if MARKER.search(line)]


def test_answer_has_the_stable_structure(assistant: Assistant) -> None:
    answer = assistant.ask("我们刚认定为高新技术企业，能申请什么？").to_dict()
    assert {"answer", "citations", "answered", "mode", "session_id"} <= answer.keys()
    assert answer["answered"] is True
    assert answer["mode"] == "extractive"
    assert answer["citations"]
    for c in answer["citations"]:
        assert {"n", "text", "title", "doc_number", "clause", "source", "score"} <= c.keys()


def test_every_marker_points_to_a_citation_and_every_citation_is_used(assistant: Assistant) -> None:
    answer = assistant.ask("安阳市级的智能化改造项目，软硬件投入补多少比例？")
    used = {int(n) for n in MARKER.findall(answer.answer)}
    assert used == {c.n for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_extractive_answer_invents_nothing(assistant: Assistant) -> None:
    """Every sentence of the body is copied from the clause its marker cites."""
    for question in ("创业担保贷款最多能贷多少？", "规上工业企业满负荷生产奖励怎么申报？", "小微企业房租减免有哪些政策？"):
        answer = assistant.ask(question)
        by_n = {c.n: "".join(c.text.split()) for c in answer.citations}
        for line in answer.answer.splitlines():
            markers = [int(n) for n in MARKER.findall(line)]
            if not markers:
                continue
            body = "".join(MARKER.sub("", line).split()).rstrip("…")
            pieces = [p for p in re.split(r"(?<=[。；！？])", body) if p]
            for piece in pieces:
                assert any(piece.rstrip("…") in by_n[n] for n in markers), (question, piece)


def test_unmarked_body_lines_are_headings_of_the_cited_clauses(assistant: Assistant) -> None:
    answer = assistant.ask("我们刚认定为高新技术企业，能申请什么？")
    lines = {line.strip() for c in answer.citations for line in c.text.splitlines()}
    body = answer.answer.splitlines()
    unmarked = [
        i for i, line in enumerate(body)
        if not MARKER.search(line) and not line.startswith(("根据《", "共有", "【"))
    ]
    assert unmarked  # its sums are told per heading (规上 战略性新兴产业 企业, 其他企业)
    for i in unmarked:
        assert body[i] in lines, body[i]  # a line of a cited clause, verbatim
        assert MARKER.search(body[i + 1]), body[i]  # heading the cited sentences below it
    assert "50万元" in answer.answer
    assert "15万元" in answer.answer


def test_a_list_asked_for_comes_whole_one_item_a_line(assistant: Assistant) -> None:
    answer = assistant.ask("满负荷生产10万元奖励申报时要交哪些材料？")
    lines = {line.strip() for c in answer.citations for line in c.text.splitlines()}
    body = answer.answer.splitlines()
    for item in ("1. 营业执照复印件", "2. 在统计局规上企业库截图", "6. 诚信承诺书", "7. 企业概况"):
        assert any(line.startswith(item) for line in body), item
    for line in body:
        if not MARKER.search(line) and not line.startswith(("根据《", "共有", "【")):
            assert line in lines, line  # an item or heading is a line of a cited clause, verbatim


def test_the_tier_a_question_names_comes_with_what_its_figures_are(assistant: Assistant) -> None:
    # 养猪 stands for 畜禽, the standards' word; the tier shares nothing else with the question
    answer = assistant.ask("我们是养猪的企业，想申报河南省农业产业化重点龙头企业，规模上得达到啥标准？")
    lines = answer.answer.splitlines()
    tier = next(i for i, line in enumerate(lines) if "畜禽类8000万元" in line)
    assert "资产总额、固定资产、年销售收入分别为" in lines[tier - 1]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 老公 and 二胎 are the caller's words for the rule's 夫妻 and 二孩; the story kept it under the threshold
        ("我和老公都在交公积金，去年生了二胎，现在在安阳市区买房，公积金最多能贷多少？", "70万元"),
        # IPO and 深交所 for 首次公开发行 and 深圳证券交易所: the province's subsidy by stage
        ("安阳的企业准备去深交所主板IPO，省里按阶段给多少补助？上市成功后安阳市再奖多少？", "150万元"),
        # a listing in Hong Kong is the rules' 境外: Anyang's reward for listing abroad
        ("公司打算去香港上市，要是真上了还融到资，河南省和安阳市分别奖多少？", "境外证券交易所发行上市的企业，给予500万元奖励"),
        # where a firm lists is no government asked about: not "no policy of 香港"
        ("去香港上市有奖励吗？", "境外证券交易所发行上市的企业，给予500万元奖励"),
        # 营收, 营业额 are the standards' 营业收入: the provincial bar for 专精特新
        ("河南省认定专精特新中小企业，对营收有啥要求？我们公司去年营业额一千二百万出头，这一条够不够？", "1000万元以上"),
        # 代办, 交钱: the rules' 委托机构…辅助申报 and 不收取任何费用
        (
            "有家咨询公司找上门，说跟工信部有合作，能代办国家级专精特新“小巨人”申报，收8万包过。这种靠谱吗？"
            "官方申报要不要交钱、找中介？",
            "不收取任何费用",
        ),
        # 科技奖 is the rules' 科学技术奖: a society's prize, its judging costs half paid
        ("我们行业协会在安阳设了一个科技奖，已经在科技局备过案了。每年组织评审开销不小，市里能补一点吗？补多少？", "评审活动经费的50%"),
        # a loan overdue "上了征信" is the standards' 不良信用记录
        (
            "我们是做小杂粮加工的，想申报河南省农业产业化重点龙头企业。公司现在负债率65%左右，"
            "前年还有一笔贷款逾期上了征信，这两条会不会影响申报？",
            "不良信用记录",
        ),
        # 发债, 超短融 are the rules' 债务融资工具: the issuing subsidy after the first round
        (
            "我们是安阳一家制造企业，去年在银行间市场发了第一期超短融，今年准备发第二期，"
            "募集的钱九成以上投在安阳本地项目上。市里对企业发债有补贴吗？怎么算？",
            "按照实际发行金额给予1%的发行补贴",
        ),
        # "一户最多能贷多少" asks for the rules' 授信额度 per 每户
        ("前年水灾我们在安阳的小店受了灾，那个灾后重建专项信用贷款一户最多能贷多少？从推荐到放款要多久？", "每户原则上不超过30万元"),
        # "头一回升规" is the rules' 首次"小升规"; 电费, 燃气费 their 电力、燃气
        ("我们厂今年头一回升规，听人说升规以后新增的电费、燃气费政府能补，有这回事吗？能补几年？", "持续在规3年内新增电力、燃气"),
        # a caller's "3个多亿" is the rules' 亿元: the condition on sales under 4亿元 applies to them
        ("我们公司年销售额3个多亿，想申报制造业单项冠军，有啥前置条件？", "年销售收入4亿元以下企业"),
        # "一年能报几次、啥时候报" in the rules' words: 每年申报两次
        (
            "我是县里政府性融资担保公司的，去年帮几家小微企业担保的贷款出了代偿，想申请市里资金池的代偿补偿，"
            "一年能报几次、啥时候报、交给谁？",
            "每年申报两次",
        ),
        # "有没有放宽" asks for a lower bar: the rules' 规模标准减按80%执行 (能不能, 没有 only ask)
        (
            "我们是做面粉加工的高企，想申报河南省农业产业化重点龙头企业，资产、固定资产、销售收入分别要到多少？"
            "高企有没有放宽？",
            "减按80%执行",
        ),
        # "管到啥时候" asks how long the notice is in force: 有效期至
        ("省金融局、人行郑州中支、河南银保监局发的加强金融支持小微企业和个体工商户纾困的通知管到啥时候？", "有效期至2022年底"),
    ],
)
def test_callers_words_find_the_rules_words(assistant: Assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert answer.answered
    assert expected in answer.answer


def test_citation_text_is_verbatim_from_its_source(assistant: Assistant) -> None:
    answer = assistant.ask("河南省级制造业创新中心晋升为国家级的奖励多少？")
    assert answer.citations
    for c in answer.citations:
        source = "".join((ROOT / "knowledge" / c.source).read_text(encoding="utf-8").split())
        first_line = "".join(c.text.splitlines()[0].split())[:20]
        assert first_line in source


def test_a_question_about_a_forwarded_notice_is_answered_from_the_forwarding_opening(assistant: Assistant) -> None:
    # the city's notice forwards the province's; only its opening clause names the province's number
    answer = assistant.ask("县里的建设用地直报制度，是依据省自然资源厅哪个文件？")
    assert "豫自然资发〔2021〕66号" in answer.answer
    assert answer.citations[1].clause == "正文"


@pytest.mark.parametrize(
    ("question", "about_the_document"),
    [
        ("建设用地直报制度是依据省自然资源厅哪个文件？", True),
        ("这个通知是哪几个单位联合发的？文号多少？", True),
        ("申报满负荷生产奖励需要提交什么文件？", False),  # the papers to hand in
        ("申报单项冠军要准备哪些材料，哪份文件要盖公章？", False),
        ("企业上市挂牌绿色通道涉及哪几个部门？", False),
    ],
)
def test_a_question_about_the_document_itself(question: str, about_the_document: bool) -> None:
    assert asks_document(question) is about_the_document


def test_a_name_a_clause_quotes_makes_a_terse_question_a_policy_one(assistant: Assistant) -> None:
    answer = assistant.ask("安阳 亲清恳谈日 每月哪天")  # no policy word, but the 40条措施 quote the name
    assert "每月第一周周四" in answer.answer
    assert not assistant.ask("过马路红绿灯怎么看").answered  # a three-character saying a clause quotes


def test_answer_names_the_policy_and_document_number(assistant: Assistant) -> None:
    answer = assistant.ask("安阳市免收小微企业不动产登记费是哪个文件规定的？文号是多少？")
    assert "安自规发〔2021〕12号" in answer.answer
    assert "《" in answer.answer


def test_several_levels_are_grouped(assistant: Assistant) -> None:
    answer = assistant.ask("人力资源品牌培训示范基地，省级和安阳市级的项目资金分别给多少？")
    assert "共有" in answer.answer
    assert "【省级】" in answer.answer
    assert "【市级】" in answer.answer


def test_each_level_compared_is_answered_by_its_own_rule(assistant: Assistant) -> None:
    # the search over the whole question ranks a provincial reply on a listing case first
    answer = assistant.ask("企业到证券交易所上市，省里分阶段给多少补助？市里对主板上市再奖多少？")
    assert "【省级】" in answer.answer
    assert "【市级】" in answer.answer
    for figure in ("50万元", "150万元", "500万元"):
        assert figure in answer.answer
    assert {c.doc_number for c in answer.citations} == {"豫政办〔2022〕61号", "安办文〔2022〕4号"}


@pytest.mark.parametrize(
    "question",
    [
        "江苏省对新认定的国家级专精特新小巨人企业奖励多少钱？",
        "深圳市对企业在科创板上市奖励多少？",
        "我们公司（安阳市恒达精密机械有限公司）去年报的研发费用补助，现在审批到哪一步了？",
        "今天天气怎么样",
        "安阳今天天气怎么样",  # a covered place and one word of the policies (重污染天气) is not enough
        "酒驾怎么处罚？",  # a fine, but no enterprise's
        "2024年河南省规上工业企业满负荷生产奖励还有吗？标准是多少？",
    ],
)
def test_honest_refusal(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.answered is False
    assert answer.citations == []
    assert "未找到相关政策条款" in answer.answer
    assert "12345" in answer.answer
    assert question in answer.answer  # says what was searched


def test_a_sum_the_clause_leaves_open_is_refused_quoting_the_clause(assistant: Assistant) -> None:
    answer = assistant.ask("安阳市对新认定的国家级专精特新“小巨人”企业，市里一次性奖励具体多少钱？")
    assert answer.answered is False
    assert answer.answer.startswith("未找到写明所问金额或比例的政策条款。")
    assert "给予一次性奖励。[1]" in answer.answer  # the words of the clause, which the caller can open
    assert [c.n for c in answer.citations] == [1]
    assert "给予一次性奖励" in answer.citations[0].text
    assert "发文单位" in answer.answer
    assert "12345" in answer.answer
    # the same clause answers a question for another title it prices, and a question in two parts
    # whose other part has its figure is answered, not refused whole
    assert assistant.ask("安阳对新认定的小巨人奖多少钱？省瞪羚企业奖多少？").answered


def test_a_fee_no_policy_names_is_refused_naming_it(assistant: Assistant) -> None:
    answer = assistant.ask("安阳引进博士研究生，给多少安家费？")
    assert answer.answered is False
    assert "已收录的政策中没有提到“安家费”" in answer.answer
    assert answer.citations == []
    assert assistant.ask("小微企业不动产登记的工本费能免吗？").answered  # 工本费 is in a clause


@pytest.mark.parametrize(
    ("question", "unnamed"),
    [("安阳对获得中国质量奖的企业奖励多少？", "中国质量奖"), ("无人机企业在安阳有什么专项补贴？", "无人机")],
)
def test_support_for_what_no_policy_names_is_refused_naming_it(
    assistant: Assistant, question: str, unnamed: str
) -> None:
    answer = assistant.ask(question)
    assert answer.answered is False
    assert f"已收录的政策中没有关于“{unnamed}”的规定" in answer.answer
    assert answer.citations == []
    assert assistant.ask("安阳对获得国家科学技术进步奖的第一完成单位奖励多少？").answered  # a title Anyang prices


def test_a_reward_for_what_no_clause_grants_is_refused_naming_it(assistant: Assistant) -> None:
    answer = assistant.ask("安阳商标注册奖励多少？")
    assert answer.answered is False
    assert "已收录的政策中没有给“商标注册”的奖补规定" in answer.answer
    assert assistant.ask("被认定为国高企业奖励多少").answered  # 国高: 国家高新技术企业


def test_a_typo_of_the_same_sound_finds_the_rule(assistant: Assistant) -> None:
    answer = assistant.ask("担保公司代尝补偿一年报几次？啥时候报？")  # 代偿, typed by its sound
    assert answer.answered
    assert "两次" in answer.answer


def test_a_time_after_a_measure_ends_is_refused_quoting_its_end(assistant: Assistant) -> None:
    answer = assistant.ask("工伤保险费率下调听说执行到2023年4月底。那2023年5月以后还接着降吗？")
    assert answer.answered is False
    assert answer.answer.startswith("未找到这个时间以后的政策规定。")
    assert "2023年4月30日" in answer.answer
    assert "[1]" in answer.answer
    assert [c.n for c in answer.citations] == [1]
    assert "2023年4月30日" in answer.citations[0].text
    # within the period it runs, the measure is answered
    assert assistant.ask("2022年10月以后工伤保险费率还按下调执行吗？").answered


@pytest.mark.parametrize("question", ["", "   ", "问" * 501, "高企奖励\ud800多少"])  # a lone surrogate cannot be stored
def test_bad_questions_get_one_clear_sentence(assistant: Assistant, question: str) -> None:
    with pytest.raises(QuestionError) as info:
        assistant.ask(question)
    assert info.value.args[0].endswith("。")


def test_follow_up_carries_the_topic_and_the_level(assistant: Assistant) -> None:
    first = assistant.ask("安阳对首次认定的高新技术企业奖励多少？")
    follow = assistant.ask("那省里呢？", session_id=first.session_id)
    assert follow.session_id == first.session_id
    assert "高新技术企业" in follow.standalone_question
    assert follow.citations
    assert all(c.level == "省" for c in follow.citations)
    turns = assistant.memory.recent(first.session_id)
    assert [t.question for t in turns] == ["安阳对首次认定的高新技术企业奖励多少？", "那省里呢？"]


def test_memory_survives_a_new_assistant(own_settings: Settings, assistant: Assistant) -> None:
    first = assistant.ask("创业担保贷款最多能贷多少？")
    again = Assistant(own_settings, kb=assistant.kb)
    assert again.memory.recent(first.session_id)[-1].question == "创业担保贷款最多能贷多少？"


def test_filters_restrict_citations(assistant: Assistant) -> None:
    answer = assistant.ask("高新技术企业奖励", filters=Filters(level="市"))
    assert answer.citations
    assert {c.level for c in answer.citations} == {"市"}


def test_stream_sends_the_checked_answer_in_pieces(assistant: Assistant) -> None:
    events = list(assistant.stream("创业担保贷款最多能贷多少？", chunk=10))
    kinds = [kind for kind, _ in events]
    assert kinds[-2:] == ["citations", "done"]
    assert kinds.count("delta") >= 2
    text = "".join(data["text"] for kind, data in events if kind == "delta")
    assert text == events[-1][1]["answer"]


def test_feedback_is_stored(assistant: Assistant) -> None:
    answer = assistant.ask("创业担保贷款最多能贷多少？")
    assistant.rate(answer.session_id, answer.answer_id, "up", "清楚", channel="test")
    rows = [r for r in assistant.feedback.export() if r["answer_id"] == answer.answer_id]
    assert rows
    assert rows[0]["rating"] == "up"
    with pytest.raises(ValueError, match="rating"):
        assistant.rate(answer.session_id, answer.answer_id, "meh")


def test_a_newly_ingested_region_is_answered_not_refused(assistant: Assistant, tmp_path: Path) -> None:
    """Places come from the index as it is now: after a 深圳 policy is added, 深圳 questions are answered."""
    question = "深圳市对首次认定的专精特新企业奖励多少？"
    assert assistant.ask(question).answered is False
    policy = tmp_path / "shenzhen-2024-specialised-smes.txt"
    policy.write_text(
        "深圳市工业和信息化局关于支持专精特新中小企业高质量发展的通知\n\n深工信规〔2024〕3号\n\n"
        "各区工业和信息化主管部门：\n\n为支持专精特新中小企业高质量发展，现通知如下。\n\n"
        "一、认定奖励\n\n对首次认定的市级专精特新中小企业，给予一次性奖励20万元。\n\n"
        "二、申报材料\n\n企业提交申请表、认定文件复印件。\n\n深圳市工业和信息化局\n\n2024年5月6日\n",
        encoding="utf-8",
    )
    assistant.kb.ingest([policy])
    after = assistant.ask(question)
    assert after.answered is True
    assert "20万元" in after.answer
    assert any("深圳" in c.title for c in after.citations)


def test_a_repeated_question_is_answered_from_the_cache_with_its_own_ids(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "安阳对首次认定的高新技术企业奖励多少？"
    searches: list[str] = []
    search = assistant.kb.search

    def counting(query: str, k: int = 5, filters: Filters | None = None, vectors: bool = True) -> list[Hit]:
        searches.append(query)
        return search(query, k, filters, vectors)

    monkeypatch.setattr(assistant.kb, "search", counting)
    before = assistant.stats["extractive"]
    first, second = assistant.ask(question), assistant.ask(question)
    assert len(searches) <= 1  # at most the first ask searched (an earlier test may have asked it)
    assert (first.answer, first.citations, first.answered) == (second.answer, second.citations, second.answered)
    assert first.answer_id != second.answer_id
    assert assistant.stats["extractive"] == before + 2  # the cached answer is counted too


def test_a_cached_answer_goes_when_its_document_is_removed(settings: Settings) -> None:
    assistant = Assistant(settings)
    question = "安阳对首次认定的高新技术企业奖励多少？"
    cited = assistant.ask(question).citations[0].source
    assistant.kb.remove_source(cited)
    after = assistant.ask(question)
    assert all(c.source != cited for c in after.citations)


@pytest.mark.parametrize(
    "question",
    ["稳岗返还比例是多少", "科小研发补助", "留抵退税进度", "安阳 拆迁工地 主体拆除前 建筑要提前多久湿透", "金华划了多大面积的工业红线？"],
)
def test_terse_keyword_questions_are_policy_questions(assistant: Assistant, question: str) -> None:
    """Hotline operators type keywords; a domain term is enough to be a policy question."""
    assert assistant.ask(question).answered is True


def _part(label: str, order: int, policy: str = "p1") -> Hit:
    return Hit(Clause(text=f"{label}的文字", title="t", source="t.txt", clause=label, policy_id=policy, order=order), 1.0, 0.5)


def test_a_cited_clause_brings_its_continuation_when_it_was_found() -> None:
    # the end of a 承诺书 too long for one clause ("如有虚假承诺…全额补缴") answers "会怎么处理"
    head, rest, other = _part("附件三、", 4), _part("附件三、（续1）", 5), _part("附件四、", 6)
    assert with_continuations([head, other], [head, other, rest]) == [head, rest, other]
    assert with_continuations([head], [head, other]) == [head]  # not found: nothing added
    elsewhere = _part("附件三、（续1）", 5, policy="p2")
    assert with_continuations([head], [head, elsewhere]) == [head]  # another policy's
    second = _part("附件三、（续2）", 6)
    assert with_continuations([rest], [rest, second]) == [rest, second]


def test_a_target_of_a_covered_place_is_a_policy_question(assistant: Assistant) -> None:
    # no policy word, but 安阳 and the plan's own words (新建, 公共, 充电)
    answer = assistant.ask("安阳2022年新建几个公共充电桩？")
    assert answer.answered
    assert "500个" in answer.answer


def test_documents_named_by_number_whole_or_by_their_last_number() -> None:
    numbers = {"豫政办明电〔2022〕13号", "豫发改工业〔2022〕349号", "安发改工业〔2022〕176号", "豫农发〔2020〕13号"}
    question = "技改投资增速目标，省发改委工信厅的349号通知和豫政办明电〔2022〕13号通知分别定的多少？"
    assert named_documents(question, numbers) == ["豫发改工业〔2022〕349号", "豫政办明电〔2022〕13号"]
    assert named_documents("金华市经信局对武14号建议的答复", numbers) == []  # a proposal's number, not a document's
    assert named_documents("省里13号通知怎么说", numbers) == []  # two documents end in 13号: neither is named


def test_two_documents_compared_are_both_cited(assistant: Assistant) -> None:
    answer = assistant.ask("2022年的技改投资增速目标，省发改委工信厅的349号通知和省政府办公厅豫政办明电〔2022〕13号通知分别定的多少？")
    cited = {c.doc_number for c in answer.citations}
    assert {"豫发改工业〔2022〕349号", "豫政办明电〔2022〕13号"} <= cited


def test_a_document_named_by_number_leads_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask("349号通知的落款日期是哪天？")
    assert answer.citations[0].doc_number == "豫发改工业〔2022〕349号"
    assert "（豫发改工业〔2022〕349号，2022年4月24日印发）" in answer.answer.splitlines()[1]
    # a document number alone makes a policy question
    assert assistant.ask("豫政办明电〔2022〕13号是哪天发的？").answered
