"""The checks that turn a retrieved-but-beside-the-point clause into an honest refusal (bot.relevance, bot.dates, bot.figures)."""

from __future__ import annotations

import pytest

from bot.dates import missing_quarter, missing_year, past_end
from bot.figures import deferred_figure, figure_first, kinds_asked, lacks_figure, unindexed_subject
from bot.relevance import asked_coverage, city_not_covered, parts_coverage
from retrieval.lexical import tokenize
from retrieval.types import Clause, Hit


def _hit(
    text: str, title: str = "安阳市稳经济政策措施", path: tuple[str, ...] = (), region: str = ""
) -> Hit:
    clause = Clause(text=text, title=title, source="t.txt", path=path, region=region)
    return Hit(clause, score=1.0, coverage=0.6)


def _idf(*texts: str) -> dict[str, float]:
    return {t: 1.0 for text in texts for t in tokenize(text)}


@pytest.mark.parametrize(
    ("question", "clause", "lacking"),
    [
        # a sum of money is asked; the clause about the subject has none, the one with money is about another
        ("安阳市失业保险金每个月发多少钱？",
         "持续做好失业保险金发放工作。将中小微企业稳岗返还比例由60%提至90%。", True),
        ("首次认定的高新技术企业奖励多少钱？", "对首次认定的高新技术企业，给予一次性奖励10万元。", False),
        # a rate is asked; a deadline is not a rate
        ("出口退税率现在是多少？", "加快出口退税进度，办理正常出口退税的平均时间压缩至6个工作日以内。", True),
        ("担保费率最多收多少？", "担保业务收取的担保费率不得超过2%。", False),
        # a count and a duration
        ("大型银行要选多少家企业包联？", "大型银行、政策性银行各选取15家企业。", False),
        ("公积金缓缴最长多久？", "可申请暂缓缴存住房公积金，缓缴期最长6个月。", False),
        ("公积金缓缴最长多久？", "可申请暂缓缴存住房公积金。", True),
        # half a day is a span; a length is a figure of its own kind
        ("领导每周接待企业家多长时间？", "领导每周安排不少于半天时间接待企业家。", False),
        ("外运道路从出入口往里至少硬化多少米？", "外运道路从施工场地出入口向内硬化长度不得低于 100 米。", False),
        ("外运道路从出入口往里至少硬化多少米？", "外运道路从出入口向内硬化，硬化后 2 年内不得开挖。", True),
        # a number of times is not 一次性; a bar in 度 may be relative; 上半年, 最后一公里 are no figures
        ("安阳有多少家小巨人企业？", "对新认定的小巨人企业给予一次性奖励。", True),
        ("同一部门一年能来检查几次？", "同一单位对同一企业开展的检查原则上每年不超过1次。", False),
        ("金华划定了几个连片整治片区？", "大力推进连片低效工业用地整治，2022年划定连片整治片区10片。", False),  # counted in 片
        ("安阳今年要加快推进几个水利工程项目？", "加快推进一批水利工程项目，落实第三条规定。", True),  # no count
        ("一年用电多少度能算满负荷？", "满负荷是指日均用电量达到本企业2021年用电量峰值的80%。", False),
        ("创业担保贷款贴息期限多长？", "2022年上半年，对创业担保贷款给予贴息。", True),
        ("金融服务站覆盖半径多少公里？", "建设金融服务站，打通金融服务“最后一公里”。", True),
    ],
)
def test_a_figure_question_needs_a_figure_of_its_kind_about_its_subject(
    question: str, clause: str, lacking: bool
) -> None:
    hits = [_hit(clause)]
    assert lacks_figure(question, hits, 600, _idf(question, clause)) is lacking


def test_a_cited_clause_with_the_figure_moves_up_where_the_check_reads() -> None:
    question = "环评告知承诺制在哪儿申请？受理后多久能批？"
    applying = [_hit(f"建设单位登录政务服务网申请环评告知承诺制审批{n}。") for n in "一二三"]
    deciding = _hit("审批部门在受理完成后1个工作日内作出环评告知承诺制审批决定。")
    idf = _idf(question, deciding.clause.text)
    assert lacks_figure(question, [*applying, deciding], 600, idf)
    moved = figure_first(question, [*applying, deciding], idf)
    assert moved == [applying[0], deciding, applying[1], applying[2]]
    assert not lacks_figure(question, moved, 600, idf)
    # nothing cited states the figure: the order stays, and the question is refused as before
    assert figure_first(question, [*applying, applying[0]], idf) == [*applying, applying[0]]
    # only clauses already cited move up: three or fewer are all read already
    assert figure_first(question, applying, idf) == applying


_GIANTS = (
    "对新认定的独角兽企业、省级创新龙头企业，最高分别给予1000万元、50万元的一次性奖励；"
    "对新认定的专精特新“小巨人”企业、国家级技术创新示范企业给予一次性奖励。"
)
_LOANS = "小微企业可申请最高300万元创业担保贷款，具体额度及利率由经办银行合理确定，贷款期限最长不超过2年。"


@pytest.mark.parametrize(
    ("question", "clause", "deferring"),
    [
        # the sentence about the subject grants without a sum; the sums beside it are for other titles
        ("安阳对新认定的专精特新小巨人企业一次性奖励多少钱？", _GIANTS, "对新认定的专精特新“小巨人”企业、国家级技术创新示范企业给予一次性奖励。"),
        # the rate asked is left to the bank, in a sentence that states another figure (a sum)
        ("小微企业申请最高300万元的创业担保贷款，年利率是多少？", _LOANS, _LOANS),
        # "一定比例": the share asked is not fixed, only its cap (a sum, not the rate asked)
        (
            "技改示范类项目的设备、软件投资后补助，按百分之几补？",
            "一是对技改示范类项目的设备、软件实际投资给予一定比例后补助，最高不超过1000万元。",
            "一是对技改示范类项目的设备、软件实际投资给予一定比例后补助，最高不超过1000万元。",
        ),
        # 予以奖励 at a piece's end, and a subsidy only continued: the sum is not there either
        (
            "应急周转资金池考评得好的能奖多少钱？",
            "省财政对各地应急周转资金池使用情况进行考评，对运营效率好的予以奖励。",
            "省财政对各地应急周转资金池使用情况进行考评，对运营效率好的予以奖励。",
        ),
        (
            "买新能源车每辆补贴多少钱？",
            "继续实施新能源汽车购置补贴等优惠政策到2022年底。对普惠小微贷款按余额增量的1%给予奖励。",
            "继续实施新能源汽车购置补贴等优惠政策到2022年底。",
        ),
        # a share only promised to rise
        (
            "科技型中小企业研发费用加计扣除到底按多少比例扣？",
            "落实好研发费用加计扣除等政策。推动进一步提高科技型中小企业研发费用加计扣除比例。",
            "推动进一步提高科技型中小企业研发费用加计扣除比例。",
        ),
        # a share of its own asked to be confirmed is read as its own ask: stated, so nothing is deferred
        (
            "研发费用加计扣除比例多少？大型企业稳岗返还比例是50%吗？",
            "推动进一步提高科技型中小企业研发费用加计扣除比例。大型企业稳岗返还比例由30%提至50%。",
            None,
        ),
        # and the share the caller asks it to be, to confirm
        (
            "研发费用加计扣除比例现在具体是多少？制造业是100%吗？",
            "落实好研发费用加计扣除等政策。推动进一步提高科技型中小企业研发费用加计扣除比例。",
            "推动进一步提高科技型中小企业研发费用加计扣除比例。",
        ),
        # the sum is stated: nothing deferred
        ("新认定的省级创新龙头企业奖励多少钱？", _GIANTS, None),
        ("小微企业创业担保贷款最高能贷多少钱？", _LOANS, None),
        # a duration is not a sum or a rate: the check leaves it to lacks_figure
        ("创业担保贷款期限多久？", _LOANS, None),
    ],
)
def test_a_clause_that_grants_without_the_figure_asked_defers_it(
    question: str, clause: str, deferring: str | None
) -> None:
    hit = _hit(clause)
    found = deferred_figure(question, [hit], _idf(question, clause))
    assert (found[1] if found else None) == deferring
    if found:
        assert found[0] is hit


def test_a_figure_elsewhere_in_the_cited_clauses_is_read() -> None:
    """A ratio is a figure; a fourth cited clause counts; one ask deferred of two is not a refusal."""
    matching = "对承担国家级科技项目的企业，按照项目实际到位资金1:1的比例给予配套支持。"
    question = "承担国家级科技项目，市里配套支持按什么比例给？"
    assert deferred_figure(question, [_hit(matching)], _idf(question, matching)) is None
    deferring = _hit("创业担保贷款按规定标准予以贴息。")
    stating = _hit("对个人创业担保贷款实行财政全额贴息。")
    question = "创业担保贷款贴息比例多少？"
    idf = _idf(question, deferring.clause.text, stating.clause.text)
    others = [_hit("创业担保贷款经办银行名单。"), _hit("创业担保贷款申请材料。")]
    assert deferred_figure(question, [deferring, *others, stating], idf) is None
    assert deferred_figure(question, [deferring, *others], idf) is not None
    # "最高贷多少，年利率是多少": the sum is there, only the rate is left to the bank
    question = "小微企业申请创业担保贷款，最高贷多少，年利率是多少？"
    assert deferred_figure(question, [_hit(_LOANS)], _idf(question, _LOANS)) is None


def test_a_deferring_sentence_about_something_else_defers_nothing() -> None:
    """The deferring sentence must itself be about the part asked, not share a stand-in word with it."""
    clause = "对市场认可的科技型中小企业研发人才及团队，按照一定比例对个人所得税形成地方财力部分给予奖补。"
    question = "科技型中小企业研发费用加计扣除按多少比例扣？"
    idf = _idf(question, clause) | {"加计": 4.6, "扣除": 4.1, "加计扣除": 4.9, "费用": 2.8}  # rarer in the corpus
    assert deferred_figure(question, [_hit(clause)], idf) is None


def test_the_subject_may_sit_in_the_heading_path() -> None:
    hit = _hit("给予一次性奖励20万元。", path=("一、", "（二）首次认定高新技术企业奖励"))
    assert not lacks_figure("首次认定高新技术企业奖多少？", [hit], 600, _idf("首次认定高新技术企业奖励"))


def test_a_question_for_a_document_is_not_a_figure_question() -> None:
    hit = _hit("各银行要主动下调利率。")
    assert not lacks_figure("降低利率是哪个文件规定的？文号多少？", [hit], 600, _idf("降低利率"))


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("社保补贴能补多少个月？", ["duration"]),  # a span of months, not a sum of money
        ("这个保费政府能补贴多少比例？", ["rate"]),  # a share, not a sum of money
        ("退税多少天内办结？", ["duration"]),
        ("几个工作日能办完？", ["duration"]),
        ("每年给多少名额？", ["count"]),
        ("新建多少个5G基站？", ["count"]),
        ("LPR减多少个基点？", ["rate"]),
        ("首次认定奖励多少钱？", ["money"]),
        ("省里和市里加起来一共能拿到哪几笔钱？", ["money"]),
        ("上市了市里能拿多少？", ["money"]),
        ("每年能领多少个月的补贴？", ["duration"]),
        ("需要满足几个条件？", []),  # conditions are listed, not counted
        ("近几年有哪些扶持政策？", []),
        ("哪几个部门联合发的？", []),
        ("要求抓好落实的税收优惠政策具体有哪几项？", []),  # which items, not how many
        # a figure named in the story is not asked for: only the asking pieces count
        ("听说借外债现在有个便利化的试点额度，我们这种企业能不能参加？", []),
        ("创业担保贷款的额度是多少？", ["money"]),
        # how often is no span of time
        ("那个推广台账多久报一次？每次几号之前报？", []),
        ("环评审批多久能批下来？", ["duration"]),
        # what a rule says about a 费率 is not a figure asked for
        ("两个文件对短期险的规模和费率分别是怎么说的？", []),
        ("短期险费率是多少？", ["rate"]),
        # a topic before the ask is no story: its 利率, 额度 are asked for
        ("创业担保贷款的利率，是多少？", ["rate"]),
        ("外债便利化额度，有多少？", ["money"]),
        ("外债便利化额度怎么规定的，最高多少？", ["money"]),
        ("普惠小微贷款支持工具做利率互换，每季度几号前报？", []),  # a swap, not a rate
        ("申请增量留抵退税后，多久能一次性退到账？", ["duration"]),
        ("出入口往里至少硬化多少米？", ["measure"]),
        # "开了几家", "这几个月" tell, they do not ask
        ("我们开了几家连锁饭店。办展期会不会下调风险分类？", []),
        ("这几个月各部门轮番来检查，光接待就顾不过来。同一个部门一年能来查几次？", ["times"]),
        ("每亩补贴多少钱？", ["money"]),
        # "有几个…：" introduces what the caller tells next, it asks no count
        ("我们有几个实用新型专利：一个刚授权一年半。这俩能算Ⅱ类知识产权吗？", []),
        ("专精特新有几个认定条件？", ["count"]),
        ("灾后重建信用贷款一户最多能贷多少？", ["money"]),
    ],
)
def test_the_kind_of_figure_asked_for(question: str, kinds: list[str]) -> None:
    assert kinds_asked(question) == kinds


def test_a_date_is_not_a_duration() -> None:
    question = "稳岗补贴的期限是几年？"
    dated = _hit("稳岗补贴政策自2023年5月1日起施行。")
    assert lacks_figure(question, [dated], 600, _idf(question))
    spanned = _hit("稳岗补贴政策期限为2年。")
    assert not lacks_figure(question, [spanned], 600, _idf(question))


_CORPUS = "对引进的博士研究生给予购房补贴。企业缴纳的社会保险费可以缓缴。对检测给予补贴。养老保险。商标质押。"


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("安阳引进博士研究生，给多少安家费和购房补贴？", "安家费"),
        ("我们想给骨干员工建企业年金，河南对企业建年金有没有补贴？", "年金"),
        ("新招工人签三年期劳动合同，试用期最长能约定多久？", "试用期"),  # not 三年期: a count
        # what the texts name, or a word standing for it, is known
        ("引进博士研究生有购房补贴吗？", None),
        ("用共享平台的仪器，检测费能补多少？", None),  # 检测
        ("养老险能缓缴吗？", None),  # 养老保险, a 保险
        ("安阳市里能奖多少？最多贷多少？", None),  # the cuts of a verb
        ("小规模纳税人报税的时候怎么享受减免？", None),  # 报税, a verb
        ("疫情期间养老金能缓缴几个月？", None),  # 养老金: the texts' 养老…, in other words
        ("商标权能质押贷款吗？", None),
    ],
)
def test_a_fee_or_fund_no_text_names_is_unindexed(question: str, unknown: str | None) -> None:
    assert unindexed_subject(question, _CORPUS) == unknown


def test_a_quarter_asked_about_must_be_in_the_clauses() -> None:
    rule = _hit("对2022年第一季度保持连续满负荷生产且主营业务收入比2021年一季度增长10%以上的企业，给予20万元奖励。")
    assert missing_quarter("2021年四季度满负荷的奖多少钱？", [rule]) == "2021年第四季度"
    assert missing_quarter("2022年第一季度满负荷的奖多少钱？", [rule]) is None
    # a plan's "第二季度" is that year's
    plan = _hit("对第二季度满负荷生产的规上工业企业，奖励10万元。")
    assert missing_quarter("2022年第二季度满负荷生产奖励多少？", [plan]) is None
    # a quarter the caller only tells about is not asked
    assert missing_quarter("我们厂2021年第四季度一直满负荷。今年一季度的奖多少？", [rule]) is None
    # a quarter asked in no year, named in no year by the clauses; not two compared, of which one is cited
    assert missing_quarter("三季度满负荷生产的规上企业有没有奖励？奖多少", [rule]) == "第三季度"
    assert missing_quarter("一季度满负荷生产的奖多少？", [rule]) is None
    assert missing_quarter("一季度那轮和二季度那轮的奖励条件有什么区别？", [rule]) is None


def test_an_approximate_figure_is_a_figure() -> None:
    question = "第二届国际铝工业展览会有多少家企业参展？"
    assert not lacks_figure(question, [_hit("举办第二届国际铝工业展览会，130余家国内外企业参展。")], 600, _idf(question))
    asked = "首贷户拓展行动一共发放了多少钱贷款？"
    assert not lacks_figure(asked, [_hit("首贷户拓展行动发放首贷1000余万元贷款。")], 600, _idf(asked))


def test_a_rate_asked_by_name_needs_that_rate() -> None:
    # a 担保费率 or a 首付比例 is a share too, but not the 利率 asked for
    question = "专精特新企业贷款的利率最低能到多少？"
    guarantee = _hit("引导政府性融资担保机构为专精特新中小企业贷款提供担保，平均担保费率降至1%以下。")
    assert lacks_figure(question, [guarantee], 600, _idf(question))
    loan = _hit("专精特新企业贷款利率不高于同期限LPR加50个基点，最低可至3.5%。")
    assert not lacks_figure(question, [loan], 600, _idf(question))
    # without a rate's name, any share of the subject answers
    assert not lacks_figure("专精特新企业贷款担保按多少比例？", [guarantee], 600, _idf("专精特新企业贷款担保按多少比例？"))


def test_a_time_after_the_measure_ends_is_past_its_end() -> None:
    question = "普惠小微贷款支持工具，2023年7月以后还继续吗？"
    runs = _hit("发挥好普惠小微贷款支持工具作用，2022年1月1日至2023年6月末，按照普惠小微贷款余额增量的1%提供激励资金。"
                "顶格执行“六税两费”减免政策，期限至2024年12月31日。")
    assert past_end(question, [runs], _idf(question)) == (runs, runs.clause.text.split("。")[0] + "。")
    assert past_end("普惠小微贷款支持工具，2023年5月以后还继续吗？", [runs], _idf(question)) is None
    later = _hit("普惠小微贷款支持工具延续实施至2024年末，按照普惠小微贷款余额增量的2%提供激励资金。")
    assert past_end(question, [runs, later], _idf(question)) is None
    # a year told, not asked after
    assert past_end("我们2023年7月以后成立的，能用普惠小微贷款支持工具吗？", [runs], _idf(question)) is None
    # the month a measure ends in is still in; a bare "2023年以后" may mean "from 2023 on"
    assert past_end("普惠小微贷款支持工具，2023年6月以后还有吗？", [runs], _idf(question)) is None
    assert past_end("普惠小微贷款支持工具，2023年以后还有吗？", [runs], _idf(question)) is None
    assert past_end("普惠小微贷款支持工具，2023年底以后还有吗？", [runs], _idf(question)) is not None


_ANYANG_HIGH_TECH = _hit("其他企业首次认定为高新技术企业的，奖励15万元。", "安阳市科技创新政策实施细则", region="安阳市")
_HENAN_FULL_LOAD = Hit(Clause(text="对2022年第一季度满负荷生产的规上工业企业，给予20万元的财政奖励。", title="河南省满负荷生产奖励通知",
                              source="t.txt", level="省", region="河南省"), score=1.0, coverage=0.6)
_NATIONAL_GIANTS = _hit("专精特新“小巨人”企业认定需同时满足六个方面指标。", "优质中小企业梯度培育管理暂行办法")
_HUNAN_ON_CHENZHOU = _hit(
    "省工信厅在郴州市共培育认定37家新材料企业，支持郴州市形成有色金属产业集聚发展格局。", "湖南省工业和信息化厅对建议的答复",
    region="湖南省",
)


@pytest.mark.parametrize(
    ("question", "hits", "city"),
    [
        ("安阳市对首次认定的高企奖励多少钱？", [_ANYANG_HIGH_TECH], None),
        ("洛阳市对首次认定的高企奖励多少钱？", [_ANYANG_HIGH_TECH], "洛阳"),
        # another city named beside it does not hide the one the question asks about
        ("郑州市对首次认定的高企奖励多少钱？也是跟安阳一样给15万吗？", [_ANYANG_HIGH_TECH], "郑州"),
        # nor does the province in front of it
        ("浙江金华市对新认定的“小巨人”企业奖励多少钱？", [_NATIONAL_GIANTS], "金华"),
        # a city only named as where something happens may rest on a provincial or national rule
        ("在安阳办创业担保贷款要什么条件？", [_NATIONAL_GIANTS], None),
        # a caller's "市里" after the city, and a few words before what it grants
        ("我们是鹤壁的企业，刚评上绿色工厂，鹤壁市里一次性奖励多少钱？", [_NATIONAL_GIANTS], "鹤壁"),
        ("我们是安阳的小巨人，今年第一次申请市里的研发费用补助，能补多少？", [_NATIONAL_GIANTS], None),
        # a firm of the city asking about the province's reward
        ("洛阳企业省级奖励有多少？专精特新的", [_NATIONAL_GIANTS], None),
        ("洛阳企业上市奖励多少？", [_NATIONAL_GIANTS], None),
        # "安阳这边" is where the caller is; the rule asked about may be the province's
        ("老板拿厂房作价入股准备上市，安阳这边对这部分个人所得税能分几年交？", [_NATIONAL_GIANTS], None),
        # every prefecture-level city of the provinces covered is known, not only the large ones
        ("周口市对新认定的高新技术企业奖励多少？", [_ANYANG_HIGH_TECH], "周口"),
        ("我们在株洲，株洲市对专精特新小巨人奖多少？", [_NATIONAL_GIANTS], "株洲"),
        # a province's rule covers its cities, unless the city's own office is asked
        ("信阳的满负荷奖励多少？", [_HENAN_FULL_LOAD], None),
        ("信阳市对满负荷生产奖励多少？", [_HENAN_FULL_LOAD], "信阳"),
        ("郑州对首次认定的高新技术企业奖励多少钱？", [_HENAN_FULL_LOAD], "郑州"),  # the city acts, 市 or not
        ("我们在郑州对接了银行，满负荷生产奖励多少？", [_HENAN_FULL_LOAD], None),
        # a keyword query led by a city may rest on a provincial or national rule
        ("南阳 满负荷生产 奖励", [_HENAN_FULL_LOAD], None),
        ("安阳 高企 首次认定 奖励", [_ANYANG_HIGH_TECH], None),
        # a province's reply about the city answers what the city gets, not what the city's own office grants
        ("郴州有色金属企业有什么支持？", [_HUNAN_ON_CHENZHOU], None),
        ("郴州市对有色金属企业上市有什么奖励？", [_HUNAN_ON_CHENZHOU], "郴州"),
        ("湖南省对郴州市给予了哪些支持？", [_HUNAN_ON_CHENZHOU], None),  # the city is given to, it does not give
    ],
)
def test_a_city_asked_about_needs_its_own_clauses(question: str, hits: list[Hit], city: str | None) -> None:
    assert city_not_covered(question, hits) == city


@pytest.mark.parametrize(
    ("story", "asked", "clause", "least"),
    [
        ("我开了个小饭馆，疫情时停过业，门面是租的。", "复工复产政策里房租是怎么减免的？能免几个月？",
         "(十三) 减免中小企业房租。对承租国有资产类经营用房的中小微企业，今年免收1月份房租、减半收2月份房租。", 0.6),
        # what is asked holds under half the question's words (46%): still enough to be judged alone
        ("我在县城开小超市，门面是从二房东手里转租的，原房东是国有单位。", "疫情期间国有房子减免房租，这个减免能落到最后的租户头上吗？",
         "对承租国有资产类经营用房的中小微企业，减免房租。转租、分租的，确保租金减免落实到最终承租方。", 0.3),
    ],
)
def test_a_callers_story_does_not_lower_what_the_question_asks(story: str, asked: str, clause: str, least: float) -> None:
    hit = _hit(clause, title="复工复产若干政策措施")
    idf = _idf(story, asked, clause)
    assert asked_coverage(story + asked, hit, idf) >= least
    assert asked_coverage(asked, hit, idf) == 0.0  # nothing but asking: the whole question's coverage stands
    assert asked_coverage(asked + story, hit, idf) >= least  # the story after the question


def test_a_question_that_asks_too_little_is_judged_whole() -> None:
    clause = "对新认定的省级以上孵化器给予奖励。"
    hit = _hit(clause, title="安阳市科技创新政策")
    question = "我在安阳开了一家宠物医院，去年营业额三百万，装修花了不少钱。有啥政策吗？"
    assert asked_coverage(question, hit, _idf(question, clause)) == 0.0


def test_each_part_of_a_two_topic_question_may_have_its_own_clause() -> None:
    question = "我们厂今年第一次升规入统，县里有一次性奖励吗？另外办土地、房产更名要交契税吗？"
    reward = _hit("对首次上规入统企业，由所在县政府一次性奖励8万元。")
    deed = _hit("首次小升规工业企业办理土地使用权和房屋所有权更名时，免征契税。")
    idf = _idf(question, reward.clause.text, deed.clause.text)
    assert parts_coverage(question, [reward, deed], idf) >= 0.5
    # the worst covered part counts: a second part that nothing answers keeps the question uncovered
    assert parts_coverage(question, [reward], idf) == 0.0
    unrelated = _hit("对新引进的博士研究生给予安家补贴。")
    assert parts_coverage(question, [reward, unrelated], idf) < 0.3
    # a question in one part is judged whole, as before
    assert parts_coverage("第一次升规入统有一次性奖励吗？", [reward], idf) == 0.0


def test_what_a_rule_says_about_a_rate_needs_no_figure() -> None:
    question = "对出口信用保险短期险的规模和费率是怎么说的？"
    hit = _hit("进一步扩大出口信用保险短期险规模，降低短期险费率。")
    assert not lacks_figure(question, [hit], 600, _idf(question))
    assert lacks_figure("出口信用保险短期险费率是多少？", [hit], 600, _idf(question))


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("2024年满负荷生产奖励还有吗？", "2024"),  # the year leads the question
        ("我们是安阳的一家旅行社，2022年保证金按100%暂退了。2023年市里还按100%暂退吗？", "2023"),  # it is asked
        ("2022年旅行社保证金暂退多少？", None),
        ("我们是安阳的一家企业，2023年营收过了10亿，能奖多少？", None),  # the story's year is a fact told, not asked
        ("我们这个小公司是2020年注册的能享受免收不动产登记费吗", None),  # asked in the piece that tells it
    ],
)
def test_a_year_asked_about_must_be_in_the_clauses(question: str, year: str | None) -> None:
    hits = [_hit("2022年继续实施旅行社暂退旅游服务质量保证金政策，暂退比例提高至100%。")]
    assert missing_year(question, hits) == year


def test_which_month_is_a_date_not_a_figure() -> None:
    question = "数字普惠金融宣传月集中放在几月份？"
    month = _hit("开展多频次银企专场对接会等宣传推广活动，集中在4-5月份开展“数字普惠金融宣传月”活动。")
    assert not lacks_figure(question, [month], 600, _idf(question))


def test_a_phone_number_asked_needs_a_number_in_the_clauses() -> None:
    question = "安阳开通的企业家亲清热线，电话号码是多少？"
    assert lacks_figure(question, [_hit("开通企业家亲清热线，及时回应企业诉求。")], 600, _idf(question))
    assert not lacks_figure(question, [_hit("亲清热线：0372—5116789。")], 600, _idf(question))
    assert not lacks_figure(question, [_hit("请拨打12345政务服务便民热线。")], 600, _idf(question))
    # a table's figure is no number to call
    assert lacks_figure(question, [_hit("平顶山市\t12189\t50%")], 600, _idf(question))


def test_an_address_asked_needs_a_street_and_number_in_the_clauses() -> None:
    question = "纸质材料交到科技局规划科，规划科具体办公地址在哪？"
    assert lacks_figure(question, [_hit("纸质材料一式五份报送科技局规划科，联系电话：3665512。")], 600, _idf(question))
    found = _hit("材料寄送地址：郑州市郑东新区熊儿河路93号，盐业大厦。")
    assert not lacks_figure("纸质材料寄到哪？具体地址是什么？", [found], 600, _idf(question))


def test_a_rate_named_without_asking_its_figure_is_no_rate_asked() -> None:
    assert kinds_asked("出口信用保险短期险的保险费率会降吗？") == []
    assert kinds_asked("失业保险费率降到什么时候？") == []
    assert kinds_asked("出口信用保险费率是多少？") == ["rate"]


def test_a_measure_in_ten_thousands_is_a_measure() -> None:
    question = "大豆玉米带状复合种植河南任务多少亩？"
    assert not lacks_figure(question, [_hit("落实100万亩大豆玉米带状复合种植任务。")], 600, _idf(question))


def test_a_later_month_of_the_measure_keeps_a_question_answered() -> None:
    # the province's reimbursement ends in June; Anyang's own coupons run to October
    question = "2022年7月以后安阳还发消费券吗？"
    province = _hit("对各地实际核销的消费券给予奖补，政策执行期限至2022年6月30日。", "河南省惠企纾困通知")
    city = _hit("安阳发放消费券，活动至10月31日结束。")
    assert past_end(question, [province, city], _idf(question)) is None
    # the city asked about has no end in the province's clause; the caller's own city only tells
    assert past_end(question, [province], _idf(question)) is None
    told = "我们是安阳的商贸公司。2022年7月以后还发消费券吗？"
    assert past_end(told, [province], _idf(told)) is not None


def test_every_quarter_covers_the_quarter_asked() -> None:
    rule = _hit("省级分支机构每季度后第一个月10日前组织签订利率互换协议。")
    assert missing_quarter("2022年第四季度的互换协议几号前签？", [rule]) is None


def test_a_deadline_asked_by_its_day_is_a_date_not_a_span() -> None:
    assert kinds_asked("这个政策的执行期限延长到哪天？") == []
    assert kinds_asked("执行期限是多久？") == ["duration"]


def test_these_few_years_tell_they_do_not_ask() -> None:
    question = "永城铝加工产业园这几年培育的企业里，省工信厅已经认定了哪些专精特新中小企业？"
    named = _hit("省工业和信息化厅已累计认定科源电子、中录科技等专精特新中小企业。")
    assert not lacks_figure(question, [named], 600, _idf(question))


def test_a_year_inside_a_stated_span_is_covered() -> None:
    listing = _hit("自2022年起5年内，全省每年新增上市公司20家以上。")
    assert missing_year("2026年河南还要每年新增20家上市公司吗？", [listing]) is None
    assert missing_year("2027年河南还要每年新增20家上市公司吗？", [listing]) == "2027"
    fund = _hit("省财政厅于2020-2022年期间每年给予1亿元支持郴州建设国家可持续发展议程创新示范区。")
    assert missing_year("2021年郴州建设示范区省里每年给多少？", [fund]) is None
    assert missing_year("2023年郴州建设示范区省里每年给多少？", [fund]) == "2023"


def test_a_table_row_names_its_rate_in_the_header() -> None:
    question = "平顶山工伤保险费率下调比例是多少？"
    table = _hit("项目\t2021年底基金累计结余\t可支付月数\t2022年费率下调比例\n平顶山市\t25614\t32\t50%",
                 "关于做好2022年度阶段性降低工伤保险费率工作的通知")
    assert not lacks_figure(question, [table], 600, _idf(question))


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("出口信用保险费率有降低吗？", "针对性降低短期险费率，优化理赔条件。"),
        ("公积金租房提取额度能提高吗？", "各地区可根据本地实际情况，提高住房公积金租房提取额度。"),
    ],
)
def test_a_figure_named_to_ask_whether_it_changes_asks_no_figure(question: str, clause: str) -> None:
    assert kinds_asked(question) == []
    assert not lacks_figure(question, [_hit(clause)], 600, _idf(question))
    assert deferred_figure(question, [_hit(clause)], _idf(question)) is None


def test_a_figure_named_without_a_whether_is_still_asked() -> None:
    assert kinds_asked("创业担保贷款额度？") == ["money"]
    assert kinds_asked("公积金贷款额度能提高多少？") == ["money"]


def test_a_growth_rate_is_no_sum_granted() -> None:
    question = "金华新设一个博士后科研工作站，建站补助能拿多少钱？"
    clause = _hit("提档升级博士后科研工作站建站补助,2022年新增博士后工作站22家,新招收培养博士后88人,同比增长120%。")
    assert lacks_figure(question, [clause], 600, _idf(question))
    granted = _hit("对新设立的博士后科研工作站，按建站补助标准的50%给予补助。")
    assert not lacks_figure(question, [granted], 600, _idf(question))


def test_several_that_the_caller_has_is_no_count_asked() -> None:
    assert kinds_asked("申报专精特新，我们手里有几个实用新型专利，去年才授权的，能算Ⅰ类知识产权吗？") == []
    assert kinds_asked("有几项合规证明县里部门一直开不出来，上市绿色通道要怎么走？") == []
    assert kinds_asked("我们有几个名额？") == ["count"]
    assert kinds_asked("有几个名额，怎么申报？") == ["count"]  # not the caller's: a count asked


def test_a_quarter_asked_with_you_mei_you_is_asked() -> None:
    question = "您好 想问下2022年三季度满负荷生产的规上工业企业 省里还有没有10w的奖励啊 谢谢"
    clause = _hit("对2022年第一季度保持连续满负荷生产的规模以上工业企业，给予20万元的财政奖励。")
    assert missing_quarter(question, [clause]) == "2022年第三季度"


def test_a_year_asked_after_a_stated_span_is_past_its_end() -> None:
    question = "湖南省创新型省份建设专项资金 2023年还继续给郴州可持续发展议程创新示范区1个亿吗"
    sentence = "省财政厅于2020-2022年期间每年通过省创新型省份建设专项资金给予1亿元支持郴州建设国家可持续发展议程创新示范区。"
    reply = _hit(sentence, "湖南省工业和信息化厅对省十四届人大一次会议0831号建议的答复", region="湖南省")
    assert past_end(question, [reply], _idf(question)) == (reply, sentence)
    within = "2022年还继续给郴州可持续发展议程创新示范区1个亿吗"
    assert past_end(within, [reply], _idf(within)) is None


def test_which_ones_asks_no_figure() -> None:
    question = "湖南支持郴州有色金属产业集聚发展，规划的是以哪里为中心、哪几个县市作支撑？"
    clause = _hit("支持郴州市形成以郴州高新区为中心,桂阳、永兴、资兴为支撑的有色金属产业集聚发展格局。")
    assert not lacks_figure(question, [clause], 600, _idf(question))


def test_a_year_asked_needs_an_end_plainly_about_its_measure() -> None:
    question = "2023年湖南还继续落实资源综合利用增值税政策吗？"
    funds = _hit(
        "省财政厅于2020-2022年期间每年通过省创新型省份建设专项资金给予1亿元支持郴州建设示范区,"
        "尾矿资源综合利用、磁铁矿资源综合利用等技术研究及示范等项目被列入该专项资金的支持范围;"
        "积极落实《关于完善资源综合利用增值税政策的公告》,2022年9家企业享受了增值税即征即退政策。",
        "湖南省工业和信息化厅对省十四届人大一次会议0831号建议的答复", region="湖南省",
    )
    assert past_end(question, [funds], _idf(question)) is None


def test_an_address_asked_with_duoshao_is_no_figure() -> None:
    question = "动产抵押登记在哪个系统办？网址是多少？"
    clause = _hit("通过中国人民银行征信中心动产融资统一登记公示系统（www.zhongdengwang.org.cn）自主办理登记。")
    assert not lacks_figure(question, [clause], 600, _idf(question))
