"""What a question asks: its intents (an amount, conditions, materials, a procedure…), its parts, and
its asking pieces apart from what the caller tells about themselves.

"我们厂是2019年成立的，2023年还能申请吗？" tells a year in its first piece and asks about another in its
second; the checks on figures and dates read only the asking pieces.
"""

from __future__ import annotations

import re

from retrieval.support import ASKS_SUPPORT, GRANTS
from retrieval.vocabulary import ASKS_SCOPE

# 几 after 这/那/了/近/前/头 tells ("这几个月", "开了几家", "近几年"), it does not ask
TELLS_BEFORE = r"(?<![这那了近前头])"
INTENTS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # what the question asks -> what a sentence that answers it contains
    "amount": (
        re.compile(rf"多少|{TELLS_BEFORE}几[个年天家项倍成次]|比例|最高|最多|上限|封顶|额度|金额|标准是|费率|税率"
                   r"|怎么.{0,2}(?:补|奖|减|算)"),
        re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个月|年|倍|家|个|人|米|公里|亩|吨|度)|[\d一二三四五六七八九十两]+\s*次|不超过|最高|全额|减半|免收"
                   r"|按.{0,10}给予"),
    ),
    "duration": (
        re.compile(rf"多久|多长时间|{TELLS_BEFORE}几(?:天|个月|年)|期限|时限|延长"),
        # not a year or a date ("2010年公布的", "5月1日"), nor the day a rule takes effect ("自发布之日起施行")
        re.compile(r"(?:(?<![\d年月])\d{1,3}|[一二三四五六七八九十两]+|(?<![上下])半)\s*(?:个)?(?:工作日|日|天|个月|年)(?:内|以内)?"
                   r"|以内|延长"),
    ),
    "date": (
        re.compile(r"什么时候|啥时候|哪天|何时|截止|截至|最晚|几号|几月|哪个月|有效期|到期|管到"),
        re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日|年底|年末|之前|前|起|季度|月底"
                   r"|[上中下]旬|[\d一二三四五六七八九十]+\s*(?:个工作日|日|天)内"),
    ),
    "benefit": (ASKS_SUPPORT, GRANTS),  # "能申请什么", "有哪些奖励": the support itself, with its sums
    "eligibility": (
        re.compile(r"条件|要求|资格|符合|能不能|能否|可以吗|能(?:去|够)?(?:申请|申报)(?!到?(?:什么|哪些|啥))|够不够|够格"
                   r"|能(?:去|够)?报(?:吗|不|么)"
                   r"|算不算|哪些企业|什么企业|门槛|才算|是指"),
        re.compile(r"条件|不低于|不少于|以上|以下|须|应当|应为|应是|具有|符合|满足|是指|占.{0,12}比"),
    ),
    "permission": (
        re.compile(r"行不行|能不能|可不可以|可以吗|(?:能|还)[^，,。？?]{0,20}吗|必须|是否"),
        re.compile(r"不接收|不得|不予|不再|暂不|可不|可以|可|允许|免予|无需|不需要|不采取|应当|必须"),
    ),
    "materials": (
        re.compile(r"材料|资料|证明|提交|提供|准备"),
        re.compile(r"材料|提供|提交|复印件|证明|盖章|申请表|报告"),
    ),
    "procedure": (
        re.compile(r"怎么|如何|流程|程序|手续|找谁|哪(?:几个|些|个)?(?:部门|部委|单位)|由谁|谁负责|怎样|哪里"),
        re.compile(r"申报|提交|受理|审核|流程|负责|登录|系统|报送|向.{1,12}(?:申请|报送|提出)"),
    ),
    "report": (  # "甲方不收保函，我们能找谁？": where a wrong can be reported
        re.compile(r"找谁|找哪|投诉|举报|维权|向谁反映|哪里反映|上哪反映"),
        re.compile(r"举报|投诉|反映|申诉"),
    ),
    # "不更新会怎样？", "材料造假被查出来会怎么样？": what follows when a rule is not kept
    "consequence": (
        re.compile(r"会怎(?:么)?样(?=[？?。，,！!]|$)|什么后果|有何后果|后果|会被(?:怎么|如何)(?:处理|处罚)"
                   r"|(?:要是|如果|若|一旦|查出|发现|违反|虚假|不实|够不上|不符合)[^？?。]{0,20}会(?:怎么|如何)(?:处理|处罚)"
                   r"|会不会被(?:罚|处罚|取消|撤销|追回|列入)|受(?:到)?(?:什么|哪些|啥)(?:限制|处理|处罚|惩戒)"),
        re.compile(r"取消|撤销|收回|追回|不予|追究|处罚|罚款|列入|暂停|退回|责令|失信|黑名单"),
    ),
    # "我们县里的项目能直接用吗": where and to whom the policy applies
    "scope": (ASKS_SCOPE, re.compile(r"适用于|适用范围|参照[^，。；]{0,8}执行")),
    # "有问题的话省工信厅的咨询电话是多少？": the contact lines, left out of other answers
    "contact": (
        re.compile(r"电话|联系方式|联系人(?!信息|名单|表)|怎么联系|邮箱"),  # not "推广联系人信息表要什么时间前报"
        re.compile(r"\d{3,4}[-—－]\d{7,8}|电话|联系人|邮箱|@"),
    ),
    "document": (
        re.compile(r"文号|哪个文件|什么文件|哪份文件|哪个部门(?:发|出|制定)|谁制定|谁发布|哪几个部门|从什么时候|什么时候(?:开始|起)"),
        re.compile(r"施行|实施|印发|有效期|执行|起|制定|发布|〔\d{4}〕"),
    ),
}
_PART = re.compile(r"[？?；;]")


def intents(question: str) -> list[str]:
    """What a question asks for (an amount, a condition, materials, a procedure…), by INTENTS."""
    return [name for name, (asks, _) in INTENTS.items() if asks.search(question)]


def question_parts(question: str, each: bool = True) -> list[str]:
    """The parts of a question asked in several sentences, each with at least two characters; with
    ``each``, a sentence asking of two things 分别 is a part for each ("超标排放和危险废物贮存不规范，
    分别要控制在什么程度" asks it of both)."""
    parts = [p for p in (x.strip() for x in _PART.split(question)) if len(p) >= 2]
    return [one for part in parts for one in (_each_of(part) if each else [part])]


# the things start a piece: not the tail of a longer phrase ("…2021〕15号和…分别"), no document numbers
_EACH = re.compile(
    r"(?:^|(?<=[，,。；;：:]))([^，,。；;：:？?\d〔〕]{2,24})[，,]?(?:各自|分别|各(?=是|为|要|能|有|给|奖|补|多少|几))(.+)"
)
_AND = re.compile(r"[和与及、跟]")


def _each_of(part: str) -> list[str]:
    """A part asking the same of two or three things 分别 or 各, one part per thing (not levels of
    government, which ``bot.levels`` compares), else the part."""
    found = _EACH.search(part)
    if found is None:
        return [part]
    things = [t.strip() for t in _AND.split(found[1]) if t.strip()]
    if not 2 <= len(things) <= 3 or any(len(t) < MIN_THING_CHARS for t in things):
        return [part]
    return [f"{thing}，{found[2]}" for thing in things]


MIN_THING_CHARS = 4  # "省里和市里分别…" names levels, "国家和省" too: not things


_ASKS = re.compile(r"多少|什么|怎么|哪|几|能否|是否|如何|能不能|吗|呢|啥|咋|多久|多长")


def asking_piece(part: str) -> str:
    """The last piece of a part, between commas, that asks ("…想走环评告知承诺制，在哪儿申请" ->
    "在哪儿申请"); the whole part when it has one piece or none asks."""
    pieces = [p for p in re.split(r"[，,]", part) if p.strip()]
    asking = [p for p in pieces if _ASKS.search(p)]
    return asking[-1].strip() if len(pieces) > 1 and asking else part


def punctuated(question: str) -> str:
    """A question typed on a phone or spoken, with spaces for its pauses, punctuated where a pause
    after an asking word ends a question: "…省里通知要求是多少 安阳市自己定的又是多少" asks two
    things. Other spaces stay: "安阳 高企 奖励" is a search by keywords."""
    def pause(found: re.Match[str]) -> str:
        before, after = question[: found.start()], question[found.end() :]
        if _ENDS_ASKING.search(before) or (_ENDS_ASKING_WORD.search(before) and _ASKS_AGAIN.match(after)):
            return "？"
        return found.group(0)

    return _PAUSE.sub(pause, question)


_PAUSE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_ENDS_ASKING = re.compile(r"(?:吗|呢|(?<![什怎这那多要])么)$")  # a particle that ends a question (not 什么, 怎么)
# "…省里通知要求是多少 安阳市自己定的又是多少": an asking word ends a question when what follows asks
# again; "多少 钱", "什么 时候", "哪些 材料" are one question typed with spaces
_ENDS_ASKING_WORD = re.compile(r"(?:多少|什么|啥|哪些|哪个|几个|怎么办|怎么样|如何|没有|行不行)$")
_ASKS_AGAIN = re.compile(r"[^ \u3000]{2,}?(?:多少|什么|啥|哪|几|怎么|如何|吗|呢)")


def asking_pieces(question: str) -> list[str]:
    """The pieces that ask and do not tell about the caller: a year or month named there is asked about
    ("2023年市里还按100%暂退吗？"), not one that tells ("我们厂是2019年成立的")."""
    return [p for p in _pieces(question) if ASKING.search(p) and not _TELLS.search(p)]


def asked_text(question: str) -> str:
    """The question without the caller's story ("听说有个试点额度，我们能不能参加？" asks no 额度), and
    without a piece asking what a rule says ("费率是怎么说的"), unless 多少/几 asks for a figure anyway."""
    return "".join(asked_pieces(question))


def asked_pieces(question: str) -> list[str]:
    """The pieces of ``asked_text``, each with its punctuation."""
    pieces = [
        p for p in _pieces(question)
        if not p.endswith(_INTRODUCES) and (ASKING.search(p) or not _STORY.search(p))
    ]
    if not _HOW_MUCH.search(question):
        pieces = [p for p in pieces if not _WHAT_SAID.search(p)]
    return pieces


def _pieces(question: str) -> list[str]:
    """The question's pieces, a 有几个 that tells of what the caller has or meets (a piece before the
    last, not asked) read as 有个: "我们手里有几个实用新型专利，去年才授权的，能算Ⅰ类知识产权吗？"
    asks no count; "安阳今年有几个专精特新名额，怎么申报？" does."""
    pieces = _ASKED_PIECE.findall(question)
    return [
        _SEVERAL.sub("有", p) if i < len(pieces) - 1 and not p.endswith(("？", "?")) and _TELLS_SEVERAL.search(p) else p
        for i, p in enumerate(pieces)
    ]


_ASKED_PIECE = re.compile(r"[^，,。；;！!？?：:]+[？?：:]?")
_SEVERAL = re.compile(r"有几(?=[个项家件条位名种笔])")
# "我们手里有几个…", "有几项合规证明县里一直开不出来": what the caller has or meets, not a count asked
_TELLS_SEVERAL = re.compile(r"我|咱|俺|手里|手上|公司|厂里|有几[个项家件条位名种笔][^，,。？?]{1,10}?(?:一直|都|还|没|不|被)")
_INTRODUCES = ("：", ":")  # "有几个实用新型专利：一个刚授权一年半" introduces what it tells, it asks no count
_CALLER = r"听说|据说|我|咱|俺|厂|公司|单位"  # words of a caller telling about themselves
_STORY = re.compile(rf"{_CALLER}|\d")  # what the caller tells, not what they ask
_HOW_MUCH = re.compile(r"多少|几|百分之")
# a piece naming the caller or a founding tells its year ("我们厂是2019年成立的，能申请吗")
_TELLS = re.compile(rf"{_CALLER}|注册|成立|认定")
_WHAT_SAID = re.compile(r"怎么说")  # "对短期险的规模和费率分别是怎么说的"
ASKING = re.compile(rf"[？?吗呢]|多少|什么|怎么|哪|{TELLS_BEFORE}几|能否|是否|如何|可以|能不能|有没有|是不是")
