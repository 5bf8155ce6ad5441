"""Questions Huiqi must not answer from its clauses: other regions, and a caller's own case file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from retrieval.vocabulary import ABBREVIATIONS, DOMAIN_WORDS

# Major places a caller may name, with the province they lie in.
PLACES: dict[str, str] = {
    "北京": "北京", "天津": "天津", "上海": "上海", "重庆": "重庆", "河北": "河北", "山西": "山西",
    "辽宁": "辽宁", "吉林": "吉林", "黑龙江": "黑龙江", "江苏": "江苏", "浙江": "浙江", "安徽": "安徽",
    "福建": "福建", "江西": "江西", "山东": "山东", "河南": "河南", "湖北": "湖北", "湖南": "湖南",
    "广东": "广东", "海南": "海南", "四川": "四川", "贵州": "贵州", "云南": "云南", "陕西": "陕西",
    "甘肃": "甘肃", "青海": "青海", "内蒙古": "内蒙古", "广西": "广西", "西藏": "西藏", "宁夏": "宁夏",
    "新疆": "新疆", "香港": "香港", "澳门": "澳门", "台湾": "台湾",
    "深圳": "广东", "广州": "广东", "东莞": "广东", "佛山": "广东", "珠海": "广东", "杭州": "浙江",
    "宁波": "浙江", "温州": "浙江", "金华": "浙江", "义乌": "浙江", "南京": "江苏", "苏州": "江苏",
    "无锡": "江苏", "常州": "江苏", "成都": "四川", "武汉": "湖北", "西安": "陕西", "长沙": "湖南",
    "郴州": "湖南", "郑州": "河南", "洛阳": "河南", "安阳": "河南", "开封": "河南", "新乡": "河南",
    "南阳": "河南", "许昌": "河南", "焦作": "河南", "鹤壁": "河南", "濮阳": "河南", "永城": "河南",
    "济南": "山东", "青岛": "山东", "合肥": "安徽", "福州": "福建", "厦门": "福建", "南昌": "江西",
    "沈阳": "辽宁", "大连": "辽宁", "长春": "吉林", "哈尔滨": "黑龙江", "石家庄": "河北",
    "太原": "山西", "昆明": "云南", "贵阳": "贵州", "南宁": "广西", "兰州": "甘肃", "海口": "海南",
    "呼和浩特": "内蒙古", "乌鲁木齐": "新疆", "雄安": "河北",
    # every other prefecture-level city of the three provinces the knowledge covers, and of Henan's
    # neighbours: "周口对高企奖励多少" is not answered by Anyang's rule (not Anyang's own counties, 林州
    # or 滑县, which its rules cover; nor names that are also words: 保定 in 担保定价, 长治 in 长治久安,
    # 大同, 东营 in 广东营商, 承德, 泰安, 日照, 德州, 常德)
    **dict.fromkeys(["平顶山", "漯河", "三门峡", "商丘", "信阳", "周口", "驻马店", "济源"], "河南"),
    **dict.fromkeys(["株洲", "湘潭", "衡阳", "邵阳", "岳阳", "张家界", "益阳", "永州", "怀化", "娄底", "湘西"], "湖南"),
    **dict.fromkeys(["嘉兴", "湖州", "绍兴", "衢州", "舟山", "台州", "丽水"], "浙江"),
    **dict.fromkeys(["邯郸", "邢台", "唐山", "廊坊", "沧州", "衡水", "张家口", "秦皇岛"], "河北"),
    **dict.fromkeys(["聊城", "菏泽", "济宁", "临沂", "潍坊", "烟台", "淄博", "威海", "枣庄",
                     "滨州"], "山东"),
    **dict.fromkeys(["晋城", "运城", "临汾", "晋中", "阳泉", "吕梁"], "山西"),
    **dict.fromkeys(["徐州", "南通", "扬州", "盐城", "淮安", "连云港", "镇江", "泰州", "宿迁"], "江苏"),
    **dict.fromkeys(["芜湖", "蚌埠", "阜阳", "亳州", "宿州", "淮北", "淮南", "安庆", "马鞍山", "滁州", "六安"], "安徽"),
    **dict.fromkeys(["宜昌", "襄阳", "十堰", "荆州", "黄石", "孝感", "荆门", "黄冈"], "湖北"),
    **dict.fromkeys(["宝鸡", "咸阳", "渭南", "榆林", "延安", "汉中"], "陕西"),
}
# "…了吗", "…了没有", "…没": whether something happened yet
_YET = r"(了吗|了没有?|没有?(?=[？?，,。啊呢吧]|$))"
_CASE_STATUS = re.compile(
    # "批下来了吗", "批下来没" ask about a case; "申报的项目刚批下来立项了" tells what happened
    r"(审批|审核|办理|申请|申报|进度|资金)[^，。？?]{0,8}(到哪一步|到哪了|进度|什么时候到账|状态|结果出来|批下来(?=了?[没吗么嘛？?]|了?$))"
    # "市人社局最后认定下来没有？": whether one case was decided
    rf"|(认定|评定)下来{_YET}"
    r"|(结果|名单|批复|资金)[^，。？?]{0,6}(什么时候公布|何时公布|在哪查|哪里查|公布了吗|下来了吗|到账了吗)"
    r"|(我的|我们的|我公司的)[^，。？?]{0,10}(申请|材料|项目)[^，。？?]{0,6}(怎么样|通过了吗|批了吗)"
    # "满负荷生产奖励批下来没有", "…头雁企业奖补资金，批下来了吗", "安钢今年拿到头雁奖励了吗": whether
    # money reached someone, not the rule
    rf"|(奖励|补贴|补助|资金|奖补|补偿金)[，,]?[^，。？?]{{0,6}}(批下来|到账|拨付|发放|发下来)(到位)?{_YET}"
    rf"|(拿到|领到|收到)[^，。？?]{{0,10}}{_YET}"
    r"|(给了|发了|奖了|补了|批了)(它|他们|这家|该企业|该公司)|给(?:它|这家|该企业|该公司)(?:增加|发|奖|补)了(?:多少|几|吗|没)"
    # "县里初审过了没有": where one case stands ("在全省排第几" may be in a reply: not here)
    r"|(?:初审|复审|审核|审批|评审)(?:通)?过了(?:吗|没有?)(?=[？?，,。啊呢吧]|$)"
    # "那家企业最后进没进第六批小巨人名单": whether one company made a list
    r"|进没进[^，。？?]{0,20}(?:名单|名录|目录|库)|入没入选|评没评上|有没有入选(?!的?(?:条件|标准|要求|门槛|资格|可能|名额))"
    r"|(?:入选|评上)了(?:吗|没(?!有?[奖补钱好用]))"
    # "3月份交了申请，现在审到哪一步了": where one case stands, wherever the applying was said
    r"|(?:现在|目前|眼下)[^，。？?]{0,6}到哪(?:一步|了)|[审批]到哪(?:一步)?了|到哪一步了"
)


# Words of which a question about enterprise policy has at least one; "今天天气怎么样" has none.
_POLICY_WORD = re.compile(
    r"企业|公司|单位|个体|商户|厂|政策|补贴|补助|奖励|奖补|扶持|支持|资金|税|费|贷|融资|担保|保险|社保|公积金"
    r"|申报|申请|认定|评定|办理|审批|登记|备案|许可|项目|就业|招|培训|人才|工程|产业|上市|挂牌|创业|创新|专项"
    r"|措施|规定|条件|材料|文件|通知|办法|方案|标准|门槛|停工|环评|排放|减排|污染|用地|住房|房|租|采购|出口|进口"
    r"|外贸|汇率|银行|金融|科技|研发|技改|改造|专精特新|小巨人|高企|科小|规上|头雁|冠军|龙头|基地|平台|园区|开发区"
    r"|文号|条款|补|奖|减免|免|退|缓缴|贴息|利率|额度|期限|部门|热线|12345|答复|建议|代表|审查|整改|准入|延长"
    r"|基站|5G|建设|IPO|交易所|股|发行|疫情|纾困|复工|复产|经济|数字化|转型|农业|乡村|收入|成本"
    r"|稳岗|返还|比例|失业|养老|医保|用工|缴|纳税|信贷|知识产权|专利|商标|质量|安全生产|环保|消费|物流"
    r"|施工工地|建筑工地|拆迁工地|房建工地|拆除作业|主体拆除|扬尘|行政处罚|免予处罚|免于处罚|乱罚款|拨款|拨付|工业"
    r"|电商|外资|招商|投资|用电|电价|土地|厂房|毕业生|退役|农民工|个体户|资质|留抵|汇率|关税|出口退"
    # the targets a government sets: "2022年河南要求煤炭日产量稳定在多少以上"
    r"|目标任务|产量|产能|煤炭"
    # what the plans build and the rules govern: "安阳要修哪几条高速", "软科学研究报告查重率要低于多少"
    r"|高速公路|修[^，。？?]{0,4}高速|高速[^，。？?]{0,2}(?:项目|建设|路口|通道)|铁路|电站|水利|能源|查重|营运车辆|互换协议"
    # a government office: "省工信厅的咨询电话是多少"
    r"|[省市县区][^，。？?]{0,6}[厅局委]"
)


def is_policy_question(question: str, names: AbstractSet[str] = frozenset()) -> bool:
    """Whether the question is about enterprise policy at all: a policy word, a term of the domain
    dictionary or the abbreviation table (稳岗返还, 专精特新, 科小…), or one of ``names``, the names of
    indexed policies (``policy_names``)."""
    return (
        bool(_POLICY_WORD.search(question))
        or any(term in question for term in _DOMAIN_TERMS)
        or any(_holds_name(question, name) for name in names)
    )


_DOMAIN_TERMS = frozenset(DOMAIN_WORDS) | frozenset(ABBREVIATIONS)
_QUOTED_NAME = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")
_NUMERALS = "一二三四五六七八九十百千万亿两0-9"


def policy_names(texts: Iterable[str]) -> set[str]:
    """The names that policy titles (or clauses) put in quotes, of three characters or more and not
    only numerals ("十四五" is also in "三十四五度"): "行长进万企 第二阶段 以什么为核心" asks about
    《关于开展安阳银行业“行长进万企”活动的通知》 with no other policy word."""
    found = {(a or b).strip() for text in texts for a, b in _QUOTED_NAME.findall(text)}
    return {name for name in found if 3 <= len(name) <= 20 and not re.fullmatch(f"[{_NUMERALS}]+", name)}


def _holds_name(question: str, name: str) -> bool:
    """Whether the question holds the name, not as part of a longer number ("三个一批" in "十三个一批")."""
    return re.search(f"(?<![{_NUMERALS}]){re.escape(name)}(?![{_NUMERALS}])", question) is not None


def names_place(word: str, places: list[str]) -> bool:
    """Whether a question's word is, or is part of, one of the places it names (安阳 in 安阳市)."""
    return any(word in p or p in word for p in places)


# "去香港上市": where a firm lists, not a government whose rules are asked about
_LISTS_IN = re.compile(r"(?:香港|澳门|台湾)(?=\s*(?:主板|创业板)?\s*(?:上市|IPO|ipo|交易所|联交所))")


def places_in(text: str) -> list[str]:
    """Places named in ``text``, longest names first, without overlaps."""
    text = _LISTS_IN.sub("", text)
    found: list[str] = []
    for name in sorted(PLACES, key=len, reverse=True):
        if name in text and not any(name in f for f in found):
            found.append(name)
    return found


def out_of_region(question: str, covered: set[str]) -> list[str]:
    """Places the question asks about that no indexed policy covers (nor its province)."""
    named = places_in(question)
    if not named:
        return []
    if any(p in covered or PLACES[p] in covered for p in named):
        return []
    return named


# "申请以后多久能批下来": how long an approval takes is a time limit the rules set, not a case's status
_TIME_LIMIT = re.compile(r"(多久|多长时间|几天|几个?工作日|几个月)[^，。？?]{0,4}(能|可以|才能|会)?[批办审]下来")


# "资金一般什么时候到账", "按什么进度拨付", "进度能加快吗？有什么规定", "结果出来以后在哪公示": the rule
_ASKS_RULE = re.compile(r"一般(?!纳税人|性)|通常|按(?:什么|啥|哪种)|(?<!按)规定|多快|公示")
# "…一般多久到账，现在到哪一步了？": where one case stands, whatever rule is asked beside it
_WHERE_NOW = re.compile(r"到哪一步|到哪了|[审批]到哪|(?:现在|目前)[^，。？?]{0,4}(?:怎么样|到哪)")


def asks_case_status(question: str) -> bool:
    """'我们的申请审批到哪一步了' is a matter for the handling office, not for policy clauses."""
    found = _CASE_STATUS.search(question)
    if found is None or (_ASKS_RULE.search(question) and not _WHERE_NOW.search(question)):
        return False
    return not (_TIME_LIMIT.search(question) and "批下来" in found.group(0))
