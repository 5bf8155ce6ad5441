"""Questions Huiqi does not answer from clauses: a case's status is for the handling office."""

from __future__ import annotations

import pytest

from bot.scope import asks_case_status, is_policy_question, policy_names


@pytest.mark.parametrize(
    "question",
    [
        "我们公司去年报的研发费用补助，现在审批到哪一步了？",
        "我们厂的满负荷生产奖励批下来没有？",
        "安钢集团今年拿到头雁企业奖励了吗？",
        "那家企业被评为省级企业技术中心，省里给了它多少奖励资金？",
        "高企认定结果什么时候公布？名单在哪查？",
        "满负荷生产奖励批下来没？",
        "奖励资金到账没有，找谁问？",
        "我们3月份交了满负荷生产奖励的申请，现在审到哪一步了？",  # the applying said in another clause
        "上个月报的项目，现在到哪一步了？",
        "拿到奖励没有？",
        "去年申报的项目批下来了吗？",
        "永城那家帅翼驰，最后到底进没进工信部第六批专精特新“小巨人”名单？",
        "我们厂报的省级绿色工厂评上了吗？",
        "满负荷生产奖励的资金批下来了嘛",
        "中原银行安阳分行在“百日竞赛”里排第几？市里给它增加了多少财政性存款？",
        "去年四季度报上去的代偿补偿申请，现在县里初审过了没有？",
        "我们的审批是不是批下来了",
        "安钢申报的2021年度头雁企业奖补资金，批下来了吗？拿了多少？",
        "县里设立的专项信贷风险补偿金现在拨付到位没有？存了多少？",
        "滑县有个村去年报了养殖创业示范村，市人社局最后认定下来没有？",
    ],
)
def test_whether_a_case_got_its_money_is_a_case_status(question: str) -> None:
    assert asks_case_status(question)


@pytest.mark.parametrize(
    "question",
    [
        "高企认定奖励资金什么时候拨付？",  # the rule says when: a policy question
        "我们能拿到多少奖励？",
        "首次认定高新技术企业的奖励什么时候发放？",
        "湖南永兴县作为有色金属资源综合循环利用产业重点县，拿了多少奖励资金？",
        "首次认定奖励是一次性发放吗？",
        "奖励资金分三年拨付吗？",
        "风险补偿金多久拨付到位？",
        "养殖创业示范村多久能认定下来？",
        "认定下来以后有什么奖励？",
        "申报材料交到哪？截止到哪天？",  # where to, until when: the rule
        "高新技术企业认定流程走到哪一步算完成？",
        "高企认定审到哪一步会公示名单？",
        "新企业开办到哪儿办理登记？",
        "贷款办到哪儿比较快？",
        "满负荷生产奖励审批流程进展到哪个环节会公示？",
        "贴息贷款由银行发放吗？",
        "企业拿到认定证书没有满一年能申请吗？",
        "收到的补贴资金没有用完要退回吗？",
        "环评告知承诺制审批多久能批下来？",  # a time limit the rules set
        "环评告知承诺制，申请以后多久能批下来？",
        "金华2022年发放了多少创业担保贷款？在全省排第几？",  # a reply states it
        "如果初审过了没通过复审，还能再申报吗？",
        "给该企业奖了以后，还要公示吗？",
        "专精特新“小巨人”有没有入选条件？",
        "小巨人有没有入选门槛？",
        "我们这种规模的企业有没有入选的可能？",
        "进没进规上企业有什么区别？",
        "专精特新评上了没有奖励吗？",
        "跟大学联合申报的国家重大项目刚批下来立项了，省里还会额外奖励吗？",  # what happened, then the ask
        # the rule on when and how money is paid or results are published
        "科技项目支持资金一般什么时候到账？",
        "揭榜挂帅项目资金按什么进度拨付？",
        "创业担保贷款申请进度能加快吗？有什么规定",
        "科技项目申报结果出来以后在哪公示？",
    ],
)
def test_asking_what_a_rule_grants_is_not_a_case_status(question: str) -> None:
    assert not asks_case_status(question)


def test_a_question_naming_an_indexed_policy_is_a_policy_question() -> None:
    titles = ["关于开展安阳银行业“行长进万企”活动的通知", "关于促进消费的通知（“十四五”时期）", "《“绿色”金融》",
              '河南省"四保"企业（项目）"白名单"制度']
    names = policy_names(titles)
    # quoted names of three characters or more, not only numerals (十四五 is in 三十四五度)
    assert names == {"行长进万企", "白名单"}
    question = "行长进万企 第二阶段 入企集中走访 以什么为核心 几月底前要走访完"
    assert not is_policy_question(question)
    assert is_policy_question(question, names)
    assert not is_policy_question("今天天气怎么样", names)
    assert not is_policy_question("今天三十四五度，热死了", policy_names(["“十四五”规划"]) | {"三个一批"})
    assert not is_policy_question("十三个一批", {"三个一批"})  # a name inside a longer number


def test_a_target_a_government_sets_is_a_policy_question() -> None:
    assert is_policy_question("2022年河南要求省内煤炭日产量稳定在多少以上？")
    assert is_policy_question("安阳要修哪几条高速？")
    assert is_policy_question("软科学研究报告查重率要低于多少？")
    assert not is_policy_question("今天天气怎么样")


def test_a_word_that_holds_a_city_name_is_no_place() -> None:
    from bot.scope import places_in

    assert places_in("担保定价机制有什么要求？") == []
    assert places_in("推动长治久安的营商环境") == []
    assert places_in("周口市对高企奖励多少") == ["周口"]


def test_a_bare_request_word_is_no_policy_word() -> None:
    assert not is_policy_question("我老婆要求我戒烟怎么办？")
    assert not is_policy_question("今天的任务是什么？")
    assert is_policy_question("省工信厅的咨询电话是多少？")


@pytest.mark.parametrize(
    "question",
    [
        "我们公司是一般纳税人，留抵退税申请到哪一步了？",  # 一般纳税人 is no "usually"
        "我们的资金到账了吗？按规定应该早到了",  # 按规定 is a complaint, not a rule asked
        "我们的资金一般多久到账，现在到哪一步了？",  # a rule asked beside where the case stands
    ],
)
def test_a_case_asked_beside_a_rule_word_is_still_a_case(question: str) -> None:
    assert asks_case_status(question)


def test_a_road_or_a_contract_alone_is_no_policy_word() -> None:
    assert not is_policy_question("高速堵车怎么办？")
    assert not is_policy_question("劳动协议和劳动合同有什么区别？")
    assert is_policy_question("营运车辆的车险能晚点交吗？")


def test_whether_a_rule_was_settled_is_no_case_status() -> None:
    assert not asks_case_status("今年申报时间确定下来了吗？")
    assert not asks_case_status("今年的奖补标准确定下来没有？")
