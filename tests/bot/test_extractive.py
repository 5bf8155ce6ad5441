"""How the offline answer picks its sentences: every part of a question, nothing twice."""

from __future__ import annotations

from bot.asking import INTENTS, asking_piece, intents, question_parts
from bot.extractive import FILL_CHARS, pick_sentences
from retrieval.types import Clause, Hit

GAZELLE = (
    "对符合条件的“瞪羚”企业每年给予最高300万元资金补助。对入选的企业，优先推荐申报省级项目。"
    "对符合条件的创新龙头企业，每年给予最高400万元资金补助。"
)


def _hit(text: str, title: str = "关于进一步支持科技创新的若干政策") -> Hit:
    return Hit(Clause(text=text, title=title, source="t.txt"), score=1.0, coverage=0.6)


def _sentences(question: str, hits: list[Hit], budget: int = 600) -> list[str]:
    return [s for ex in pick_sentences(question, hits, budget) for s in ex.sentences]


def test_each_part_of_a_question_gets_its_sentence() -> None:
    chosen = _sentences("瞪羚企业研发补助每年最高多少？创新龙头呢？", [_hit(GAZELLE)])
    assert any("300万元" in s for s in chosen)
    assert any("400万元" in s for s in chosen)


def test_a_sentence_two_policies_share_is_shown_once() -> None:
    shared = "对首次认定的高新技术企业，给予一次性奖励10万元。"
    hits = [_hit(shared), _hit(shared + "申报材料：认定证书复印件。", title="实施细则")]
    chosen = _sentences("首次认定高新技术企业奖励多少？", hits)
    assert sum("10万元" in s for s in chosen) == 1


def test_a_short_sentence_does_not_hide_a_longer_one_that_contains_it() -> None:
    hits = [_hit("申请条件。申请条件：企业须在本市注册并依法纳税，上年度营业收入不低于500万元。")]
    chosen = _sentences("申请条件是什么？营业收入有要求吗？", hits)
    assert any("500万元" in s for s in chosen)


def test_the_budget_holds_for_every_part() -> None:
    long = "对符合条件的企业给予补助" + "，并按规定给予支持" * 30 + "。"
    hits = [_hit(GAZELLE + long)]
    chosen = _sentences("瞪羚企业补助多少？创新龙头呢？其他企业呢？", hits, budget=200)
    assert sum(len(s) for s in chosen) <= 200


def test_a_heading_sentence_comes_with_the_sentence_it_heads() -> None:
    hits = [_hit("(六) 落实税收优惠政策。在企业股份制改造过程中，个人所得税可在不超过5个公历年度内分期缴纳。"
                 "(七) 加强人才支撑。引进上市人才。")]
    chosen = _sentences("企业股改有什么税收优惠？", hits)
    assert any(s.startswith("(六) 落实税收优惠政策。") and "分期缴纳" in s for s in chosen)


def test_transmittal_boilerplate_loses_to_the_measure() -> None:
    hits = [_hit("现将《稳就业若干政策措施》印发给你们，请认真贯彻落实。"
                 "对吸纳高校毕业生就业的小微企业，给予1000元/人的一次性吸纳就业补贴。")]
    chosen = _sentences("稳就业政策措施对小微企业有什么补贴？", hits)
    assert chosen[0].startswith("对吸纳高校毕业生")
    assert not any("印发给你们" in s for s in chosen)


def test_what_can_we_apply_for_is_answered_with_the_support_not_its_conditions() -> None:
    clause = (
        "（2）其他企业认定为高新技术企业奖励 申报条件：首次被认定为国家高新技术企业。"
        "政策内容：其他企业首次认定为高新技术企业的，奖励15万元。"
    )
    chosen = _sentences("我们刚认定为高新技术企业，能申请什么？", [_hit(clause)], budget=60)
    assert chosen
    assert "15万元" in chosen[0]
    assert intents("我们刚认定为高新技术企业，能申请什么？") == ["benefit"]
    assert "eligibility" in intents("我们公司能申请高新技术企业认定吗？")
    assert "eligibility" in intents("研发投了60万，现在能去申请专精特新中小企业吗？")
    assert "eligibility" not in intents("职工培训费用能报销吗？")


def test_a_sentence_comes_with_the_heading_that_says_whom_it_is_for() -> None:
    clause = (
        "（1）战略性新兴产业领域内规模以上企业认定为高新技术企业奖励\n"
        "政策内容：对战略性新兴产业领域内规模以上企业认定为高新技术企业的，进行重点奖励。"
        "企业年销售收入5000万元以上的，奖励50万元。\n"
        "（2）其他企业认定为高新技术企业奖励\n"
        "政策内容：其他企业首次认定为高新技术企业的，奖励15万元。"
    )
    (extract,) = pick_sentences("高新技术企业认定奖励多少？", [_hit(clause)], 600)
    shown = [(h, s) for s, h in zip(extract.sentences, extract.headings, strict=True)]
    big, other = "企业年销售收入5000万元以上的，奖励50万元。", "政策内容：其他企业首次认定为高新技术企业的，奖励15万元。"
    assert big in extract.sentences
    assert other in extract.sentences
    # each heading once, above the first chosen sentence under it
    assert [h for h, _ in shown if h] == [
        "（1）战略性新兴产业领域内规模以上企业认定为高新技术企业奖励",
        "（2）其他企业认定为高新技术企业奖励",
    ]
    assert shown[extract.sentences.index(other)][0] == "（2）其他企业认定为高新技术企业奖励"


def test_numbered_list_items_are_content_and_an_article_sentence_is_no_heading() -> None:
    clause = (
        "申报材料：\n1. 营业执照复印件\n2. 在统计局规上企业库截图\n3. 诚信承诺书\n"
        "第十五条 经认定公布的省重点龙头企业, 享受有关优惠政策。\n一、财政政策（7项）\n"
        "1. 进一步加大增值税留抵退税政策力度。"
    )
    (extract,) = pick_sentences("申报需要哪些材料？营业执照要吗？", [_hit(clause)], 600)
    assert "1. 营业执照复印件" in extract.sentences
    assert not any(h.startswith(("1.", "2.", "3.", "第十五条")) for h in extract.headings)
    shown = pick_sentences("增值税留抵退税政策力度", [_hit(clause)], 600)[0]
    heading = dict(zip(shown.sentences, shown.headings, strict=True))["1. 进一步加大增值税留抵退税政策力度。"]
    assert heading == "一、财政政策（7项）"  # a figure in brackets does not stop a heading


MATERIALS = "附件3\n一、申报10万元材料清单\n1. 营业执照复印件\n2. 在统计局规上企业库截图\n3. 满负荷用电证明\n4. 诚信承诺书"


def test_a_list_asked_for_comes_whole_with_its_introducing_line() -> None:
    extracts = pick_sentences("满负荷生产奖励要准备哪些材料？", [_hit(MATERIALS)], 600)
    assert [s for ex in extracts for s in ex.sentences] == [
        "一、申报10万元材料清单", "1. 营业执照复印件", "2. 在统计局规上企业库截图", "3. 满负荷用电证明", "4. 诚信承诺书",
    ]
    assert extracts[0].breaks == (False, True, True, True, True)  # each item on a line of its own


def test_numbered_paragraphs_are_not_completed_as_a_list() -> None:
    rules = ("五、附则\n1. 申报主体对申报材料的真实性负责，须提交诚实信用承诺书。\n"
             "2. 各县（市、区）科技主管部门要加强项目跟踪服务与督促调度，确保项目有序推进，如项目实施过程出现重大变故，"
             "应及时报告科技主管部门，并做好相关资金保全处理。\n3. 本政策与其他财政政策不重复享受。")
    chosen = _sentences("申报主体要提交哪些承诺书？", [_hit(rules)])
    assert not any("跟踪服务" in s for s in chosen)


RATES = ("附件 2022年工伤保险费率降幅表\n项目\t可支付月数\t2022年费率下调比例\n郑州市\t78.6\t50%\n"
         "开封市\t21.7\t20%\n安阳市\t1.8\t0\n鹤壁市\t30.2\t50%")


def test_a_table_row_the_question_names_comes_with_the_header_row() -> None:
    extracts = pick_sentences("安阳市的企业今年工伤保险费率能下调吗？", [_hit(RATES)], 600)
    chosen = [s for ex in extracts for s in ex.sentences]
    assert "项目\t可支付月数\t2022年费率下调比例" in chosen
    assert "安阳市\t1.8\t0" in chosen
    assert not any(s.startswith(("郑州市", "鹤壁市")) for s in chosen)


def test_a_city_named_without_its_suffix_still_picks_its_row() -> None:
    chosen = _sentences("安阳的企业工伤保险费率下调比例是多少？", [_hit(RATES)])
    assert "安阳市\t1.8\t0" in chosen


def test_counts_and_times_in_chinese_numerals_answer_how_often_and_when() -> None:
    clause = (
        "第十七条 代偿补偿申报程序:\n(一) 代偿补偿每年申报两次。担保机构于每年二季度、四季度终了后十日内向同级财政、"
        "金融工作部门提出申请, 并提交申报材料;\n(二) 县(市、区) 财政、金融工作部门在收到担保机构代偿补偿申请后, "
        "联合对申报材料的真实性、完整性、合规性、准确性进行审核后, 提出初审意见;"
    )
    materials = "第十八条 代偿补偿申报材料:\n(一) 代偿补偿资金申请请示;\n(二) 业务开展情况汇总表;"
    question = "担保公司的代偿补偿资金一年能申报几次？什么时候报？"
    assert {"amount", "date"} <= set(intents(question))
    chosen = _sentences(question, [_hit(materials), _hit(clause)])
    assert any("两次" in s for s in chosen)
    assert any("十日内" in s for s in chosen)


def test_the_asking_piece_of_a_part_gets_its_sentence() -> None:
    """"…想走环评告知承诺制，在哪儿申请？": the story before the comma drowned the ask in the whole part."""
    procedure = _hit(
        "三、办理程序\n（一）申请。建设单位登录“河南政务服务网”（<https://www.hnzwfw.gov.cn/>），按要求上传相关资料后提交。\n"
        "（二）审批。环评文件行政审批部门在受理完成后1个工作日内做出审批决定。\n"
        "（三）公示。审批部门通过其网站对受理的建设项目环境影响评价文件有关信息进行公开。"
    )
    chosen = _sentences("我们在省级产业园区的项目想走环评告知承诺制，在哪儿申请？受理后多久能批？", [procedure])
    assert any("河南政务服务网" in s for s in chosen)  # a site to log in to is not a contact line
    assert any("1个工作日" in s for s in chosen)


def test_asking_piece() -> None:
    assert asking_piece("我们在省级产业园区的项目想走环评告知承诺制，在哪儿申请") == "在哪儿申请"
    assert asking_piece("受理后多久能批") == "受理后多久能批"
    assert asking_piece("我们是高企，研发补助") == "我们是高企，研发补助"  # nothing asks: the whole part


def test_whom_to_turn_to_is_answered_by_where_to_report() -> None:
    """"甲方不收保函，我们能找谁？": the sentence that says the contractor may report it, not only who supervises."""
    clause = _hit(
        "五、承包人提供工程质量保证保函的，不免除质量保修责任，由承包人原因造成的缺陷，承包人应负责维修。"
        "六、市县两级住房城乡建设主管部门负责本行政区域内房屋市政工程质量保证保函的实施和监督工作。"
        "发包人强迫承包人必须采用预留工程质量保证金等其他方式的，承包人可以举报并提供相关证据。",
        title="关于推行保函方式替代工程质量保证金的通知",
    )
    chosen = _sentences("发包人不收质量保证保函，非要预留质量保证金，这种情况我们能找谁？", [clause], budget=60)
    assert any("可以举报" in s for s in chosen)


def test_what_follows_when_a_rule_is_not_kept_is_answered() -> None:
    # the sentence saying what happens without an update shares no word with "会怎样" but its 更新
    article = ("第十四条 有效期内的专精特新中小企业，应在每年4月30日前通过培育平台更新企业信息。未及时更新企业信息的，取消复核资格。"
               "第十五条 如发生更名、合并、重组等重大变化，应在发生变化后的3个月内通过培育平台提交变更申请。")
    chosen = _sentences("专精特新每年要在培育平台上更新企业信息，截止到什么时候？不更新会怎样？", [_hit(article)])
    assert any("取消复核资格" in s for s in chosen)
    assert "consequence" in intents("不更新会怎样？")


def test_a_short_answer_shows_more_of_its_clause() -> None:
    # "拉土的车" are the clause's 施工车辆: the item that answers shares few words with the question and
    # scores under the floor of the best sentence (a later item's 排放标准); the answer, short, is filled
    clause = (
        "4. 车辆及机械\n- (1) 施工车辆禁止使用国四及以下标准柴油和国五及以下标准燃气货车。车辆进入市区应办理入市通行证，"
        "非管控期凭通行证可全天正常行驶。管控期在限制时间内行驶，国六和新能源车不限制通行时间。\n"
        "- (2) 施工机械应使用有环保标识的机械，禁止使用国二及以下排放标准的非道路移动机械。管控期停止用于土方作业的挖掘机等使用。"
        "用于物料装卸的铲车、叉车，吊装拆除大型升降设备的吊车等必须使用国三及以上排放标准或新能源非道路移动机械。\n"
        "- (3) 渣土车辆应使用市城管局核准备案的车辆，严禁使用“黑渣土车”。\n"
        "- (4) 运输车辆离场必须清理冲洗干净，严禁带泥上路、沿途抛撒。\n5. 垃圾和场地覆盖\n"
        "现场拆除垃圾及清运后裸露非硬化场地，应采取覆盖、硬化或绿化等防尘措施；覆盖应使用土工布并定期检查，防止风化、破损或翻卷。"
    )
    hit = _hit(clause, title="安阳市施工工地扬尘精细管控方案")
    idf = {"车": 4.8, "限制": 4.0, "排放": 3.9, "标准": 2.0, "工地": 3.6, "安阳": 0.6}  # the corpus's
    chosen = [s for ex in pick_sentences("安阳工地上拉土的车有什么排放标准限制？", [hit], 600, idf) for s in ex.sentences]
    assert any("国四及以下" in s for s in chosen)
    assert sum(map(len, chosen)) <= FILL_CHARS


def test_filling_takes_only_sentences_about_the_question() -> None:
    clause = ("对首次认定的高新技术企业，给予一次性奖励10万元。"
              "各县（市、区）资金拨付进度不超过规定时限。")
    chosen = _sentences("首次认定高新技术企业奖励多少钱？", [_hit(clause)])
    assert chosen == ["对首次认定的高新技术企业，给予一次性奖励10万元。"]  # nothing about the question beside it


def test_a_consequence_is_asked_only_of_what_follows() -> None:
    assert "consequence" in intents("材料造假被查出来会怎么样？")
    assert "consequence" in intents("会不会被取消资格？")
    assert "consequence" not in intents("安阳的科技奖补资金会怎样拨付？")
    assert "consequence" not in intents("会不会被认定为小巨人？")


def test_a_label_with_its_value_is_a_sentence_not_a_heading() -> None:
    # "（一）经办机构：农商行（农信社）。" answers "去哪类银行办"; read as a heading it lost to a later
    # item that also names a 经办机构, and was joined to the sentence after it
    loan = ("二、贷款方式\n（一）经办机构：农商行（农信社）。\n（三）贷款期限：一年以内（含），随用随贷。\n"
            "（七）办理流程：以县为单位，县级政府负责组织实施工作，由县级政府向经办县级机构推荐支持名单。")
    chosen = _sentences("灾后重建信用贷款是去哪类银行办？期限最长多久？", [_hit(loan)])
    assert "（一）经办机构：农商行（农信社）。" in chosen
    assert any("一年以内" in s for s in chosen)


def test_where_a_policy_applies_is_asked_by_a_county_caller() -> None:
    text = ("十、取消配建公租房。房地产开发项目新取得的土地可不配建公租房。"
            "十二、规范房地产市场秩序。加大联合执法力度。本意见适用于安阳市区。各县（市）可参照本意见执行。")
    assert "scope" in intents("我们县里的项目能直接用吗？")
    chosen = _sentences("不配建公租房这些，我们县里的项目能直接用吗？", [_hit(text, "关于促进房地产市场平稳健康发展的意见")])
    assert any("参照本意见执行" in s for s in chosen)


def test_can_we_still_file_asks_who_may_apply() -> None:
    assert "eligibility" in intents("省里那个满负荷生产奖励，我们还能报吗？")
    assert "eligibility" not in intents("这笔费用能报销吗？")


def test_what_a_breach_costs_is_a_consequence() -> None:
    assert "consequence" in intents("申报企业被查出材料舞弊，会受到什么限制？")
    assert "consequence" in intents("被查出套取补偿资金，除了退钱还会受什么处理？")
    assert "consequence" in intents("要是后来查出我们其实够不上小微，会怎么处理？")
    assert "consequence" not in intents("追偿回来的钱该怎么处理？")
    assert "consequence" not in intents("材料交上去以后会怎么处理？")


def test_a_year_or_the_day_a_rule_takes_effect_is_no_span_of_time() -> None:
    spans = INTENTS["duration"][1]
    assert spans.search("在每月正常发布一批《公告》基础上，每两个月增发一批《公告》。")
    assert not spans.search("本办法自发布之日起施行，2010年公布的暂行办法同时废止。")



def test_which_ministries_or_who_is_responsible_asks_a_procedure() -> None:
    assert "procedure" in intents("人员物流保障这条由哪几个部委负责？")
    assert "procedure" in intents("应该由谁向哪儿提申请？")
    assert "procedure" in intents("这项措施由哪些部门负责？")


def test_a_contact_line_answers_a_question_for_the_phone_number() -> None:
    text = "请各地按时报送申报材料。联系电话：省工业和信息化厅0371—65509920。"
    assert "contact" in intents("有问题的话省工信厅的咨询电话是多少？")
    assert "contact" not in intents("银行的推广联系人信息表要在什么时间前报、报给谁？")  # a form's name
    assert any("65509920" in s for s in _sentences("省工信厅的咨询电话是多少？", [_hit(text)]))
    # and stays out of an answer that does not ask for it
    assert not any("65509920" in s for s in _sentences("申报材料什么时候报送？", [_hit(text)], budget=30))


def test_the_rules_words_for_one_phrase_count_as_one() -> None:
    from bot.extractive import overlap, word_weights
    from retrieval.lexical import text_words

    idf = {"规模": 2.0, "门槛": 4.6, "低": 4.5, "放宽": 4.5, "减按": 5.3}
    weights = word_weights("规模门槛能不能低一点？", idf)
    # 减按 and 放宽 both stand for "能不能低一点": a sentence saying one of them says it
    assert overlap(weights, text_words("高新技术企业规模标准减按80%执行。")) >= 0.5
    assert overlap(weights, text_words("资产总额、固定资产、年销售收入分别为：")) == 0.0


def test_a_long_yes_no_question_asks_whether_it_is_allowed() -> None:
    question = "我们的技术攻关项目已经拿到了省级科技项目支持，还能再报安阳市“揭榜挂帅”拿市级资金吗？"
    assert "permission" in intents(question)
    clause = _hit(
        "“揭榜挂帅”项目按照“一次核定，分批拨付”的方式进行支持。"
        "成功揭榜的项目将纳入市级科技计划项目进行管理，已获得省级支持的各类项目，市级不再重复支持。"
    )
    assert any("不再重复支持" in s for s in _sentences(question, [clause], budget=60))


def test_two_things_asked_respectively_are_two_parts() -> None:
    assert question_parts("超标排放和危险废物贮存不规范，分别要控制在什么程度？") == [
        "超标排放，要控制在什么程度",
        "危险废物贮存不规范，要控制在什么程度",
    ]
    assert question_parts("省里和市里分别奖多少？") == ["省里和市里分别奖多少"]  # levels: bot.levels compares them
    assert question_parts("各县区金融局的联系人信息表什么时候报？") == ["各县区金融局的联系人信息表什么时候报"]


def test_things_asked_respectively_start_a_piece_and_name_no_document() -> None:
    question = "安财金〔2021〕15号和安人社〔2021〕9号对担保费分别怎么规定"
    assert question_parts(question) == [question]  # not "2021〕15号，怎么规定"
    assert question_parts("用人单位和职工个人各自缴纳比例是多少", each=False) == ["用人单位和职工个人各自缴纳比例是多少"]
