"""The rule-based classifier on realistic complaints, and the activity that wraps it."""

from decimal import Decimal

import pytest
from temporalio.testing import ActivityEnvironment

from activities.classifier import ClassifierContext, RuleBasedClassifier
from activities.classifier.lexicon import TOPIC_CUES
from activities.classify import ClassifyActivities
from domain.complaints import (
    Classification,
    ClassifyInput,
    ComplaintIntake,
    Customer,
    OrderReference,
)
from domain.policy import SEVERITY
from domain.taxonomy import (
    TIER_RANK,
    Category,
    Channel,
    CustomerTier,
    DesiredOutcome,
    SubCategory,
    Tier,
    category_of,
)

Sub = SubCategory
GENERAL, SERIOUS, CRITICAL = Tier.GENERAL, Tier.SERIOUS, Tier.CRITICAL

# An ordinary shopper with a modest order and no recent complaints, so the tier comes
# from the text (and the category) alone.
ORDINARY = ClassifierContext(
    paid_amount=Decimal("199.00"), customer_tier=CustomerTier.REGULAR, prior_complaints=0
)

CHINESE = [
    ("买的耐克鞋收到一看就是假货，鞋标都是歪的，做工很粗糙", Sub.COUNTERFEIT, GENERAL),
    ("你们卖的面霜根本不是正品，专柜验过了，骗子商家！", Sub.COUNTERFEIT, CRITICAL),
    (
        "买的奶粉是假的，孩子喝了拉肚子，我已经联系了记者，准备在微博上曝光你们",
        Sub.COUNTERFEIT,
        CRITICAL,
    ),
    ("快递太慢了，下单都一个星期了还没到，物流信息三天没更新", Sub.LATE_DELIVERY, GENERAL),
    ("说好的48小时发货，等了五天才发，到现在还在路上，迟迟不到", Sub.LATE_DELIVERY, GENERAL),
    ("下单十天了还没发货，催了好几次也没用", Sub.LATE_DELIVERY, GENERAL),
    ("这已经是第三次投诉了，快递还是没送到，太过分了", Sub.LATE_DELIVERY, SERIOUS),
    (
        "物流显示已签收，但是我根本没收到包裹，问了快递员说不知道，是不是丢件了",
        Sub.LOST_PARCEL,
        GENERAL,
    ),
    ("快递把我的包裹弄丢了，客服让我再等等，已经半个月了", Sub.LOST_PARCEL, GENERAL),
    ("收到的时候箱子被压扁了，里面的花瓶摔碎了", Sub.DAMAGED_IN_TRANSIT, GENERAL),
    ("外包装破损严重，显示器屏幕碎了，明显是运输过程中摔坏的", Sub.DAMAGED_IN_TRANSIT, GENERAL),
    ("我买的是黑色L码，发过来的是白色M码，发错货了还要我自己寄回去？", Sub.WRONG_ITEM, GENERAL),
    ("收到的东西跟我订的完全不一样，我买的是充电宝，寄来一根数据线", Sub.WRONG_ITEM, GENERAL),
    ("包装没有破损，但是里面的东西发错了，我买的是黑色的，收到的是白色", Sub.WRONG_ITEM, GENERAL),
    ("快递送错地址了，送到了隔壁小区，我填的地址明明是对的", Sub.WRONG_ADDRESS, GENERAL),
    ("什么破东西，用了两天就坏了，开不了机", Sub.DEFECT, GENERAL),
    ("收到就是坏的，插上电没反应，质量太差了", Sub.DEFECT, GENERAL),
    ("耳机只有一边有声音，质量差", Sub.DEFECT, GENERAL),
    ("吹风机用了一次就冒烟了，还有烧焦的味道，差点起火，太危险了", Sub.DEFECT, CRITICAL),
    ("还好没有受伤，但是这个电热水壶用了一周就坏了", Sub.DEFECT, GENERAL),
    ("衣服实物和图片差太多，色差严重，面料也跟描述的不符", Sub.NOT_AS_DESCRIBED, GENERAL),
    ("商品详情页写的是纯棉，收到一看是化纤的，虚假宣传", Sub.NOT_AS_DESCRIBED, GENERAL),
    ("联系客服三天了都没人理，发消息一直不回复", Sub.SLOW_REPLY, GENERAL),
    ("在线客服一直排队，等了两个小时也没人回复", Sub.SLOW_REPLY, GENERAL),
    ("客服态度太差了，说话阴阳怪气，还骂人，我非常生气", Sub.RUDE_STAFF, SERIOUS),
    (
        "之前客服跟我说可以七天无理由退货，现在又说不行，说法不一，这不是误导消费者吗",
        Sub.WRONG_INFORMATION,
        GENERAL,
    ),
    ("同一笔订单被扣了两次钱，银行卡上有两笔一样的扣款", Sub.DOUBLE_CHARGE, GENERAL),
    ("同一个订单支付宝扣款了两笔，重复扣款，请尽快退回多扣的钱", Sub.DOUBLE_CHARGE, GENERAL),
    ("付款的时候提示支付失败，重新付又失败，订单还是显示未付款", Sub.FAILED_PAYMENT, GENERAL),
    ("退货已经寄回去两个星期了，退款到现在还没到账", Sub.REFUND_NOT_RECEIVED, GENERAL),
    ("商家同意退款了，但是钱一直没退回来，已经十几天了", Sub.REFUND_NOT_RECEIVED, GENERAL),
    (
        "我从来没有在你们这买过这个东西，账户里突然多了一个订单，不是我买的",
        Sub.UNAUTHORIZED_ORDER,
        SERIOUS,
    ),
    (
        "我的账号被盗了，密码被人改了，收货地址也被改成了别人的，还用我的余额买了东西",
        Sub.ACCOUNT_TAKEOVER,
        CRITICAL,
    ),
    ("我的账号在异地被登录了，还收到了好几条陌生的验证码短信", Sub.ACCOUNT_TAKEOVER, CRITICAL),
    ("想问一下会员积分怎么兑换，页面上的说明看不懂", Sub.OTHER, GENERAL),
]

ENGLISH = [
    (
        "The 'leather' wallet I received is obviously a fake. The logo is misspelled.",
        Sub.COUNTERFEIT,
        GENERAL,
    ),
    (
        "These are counterfeit AirPods, not genuine Apple. This store is a scam.",
        Sub.COUNTERFEIT,
        CRITICAL,
    ),
    (
        "My order was supposed to arrive last Monday and it still hasn't arrived. "
        "Tracking hasn't updated in 5 days.",
        Sub.LATE_DELIVERY,
        GENERAL,
    ),
    (
        "Delivery is delayed again, I've been waiting over two weeks for a phone case.",
        Sub.LATE_DELIVERY,
        GENERAL,
    ),
    (
        "Package is three weeks late. If this isn't fixed today I'm going public on Twitter.",
        Sub.LATE_DELIVERY,
        CRITICAL,
    ),
    (
        "Tracking says delivered but there was nothing at my door. I think the parcel is lost.",
        Sub.LOST_PARCEL,
        GENERAL,
    ),
    (
        "The courier lost my package. They told me it went missing at the depot.",
        Sub.LOST_PARCEL,
        GENERAL,
    ),
    (
        "The box arrived crushed and the glass bowl inside was shattered.",
        Sub.DAMAGED_IN_TRANSIT,
        GENERAL,
    ),
    (
        "Monitor was broken on arrival, the packaging was torn open and the screen cracked.",
        Sub.DAMAGED_IN_TRANSIT,
        GENERAL,
    ),
    (
        "This is the third time my order arrived damaged. Absolutely furious.",
        Sub.DAMAGED_IN_TRANSIT,
        SERIOUS,
    ),
    (
        "I ordered a size 10 and you sent a size 8. Wrong size sent, I need an exchange.",
        Sub.WRONG_ITEM,
        GENERAL,
    ),
    (
        "I received someone else's order, a blender instead of the headphones I paid for.",
        Sub.WRONG_ITEM,
        GENERAL,
    ),
    (
        "The box was not damaged, but you sent the wrong item: I ordered a blue kettle "
        "and got a red toaster.",
        Sub.WRONG_ITEM,
        GENERAL,
    ),
    (
        "The parcel was delivered to the wrong address, two streets away from my house.",
        Sub.WRONG_ADDRESS,
        GENERAL,
    ),
    ("The blender stopped working after three days. The motor just died.", Sub.DEFECT, GENERAL),
    ("Defective charger, it doesn't charge at all. Poor quality.", Sub.DEFECT, GENERAL),
    (
        "The space heater overheated and caught fire in my living room.",
        Sub.DEFECT,
        CRITICAL,
    ),
    (
        "The kids' pajamas gave my daughter a rash, she had an allergic reaction.",
        Sub.DEFECT,
        CRITICAL,
    ),
    (
        "The phone you sold me exploded while charging. My lawyer will be in touch.",
        Sub.DEFECT,
        CRITICAL,
    ),
    (
        "The dress looks nothing like the photos. The colour is completely different.",
        Sub.NOT_AS_DESCRIBED,
        GENERAL,
    ),
    (
        "Listing says 256GB but the phone only has 128GB. Not as described.",
        Sub.NOT_AS_DESCRIBED,
        GENERAL,
    ),
    (
        "I've emailed support four times over the past week and still no reply.",
        Sub.SLOW_REPLY,
        GENERAL,
    ),
    (
        "Your chat bot keeps looping and nobody has answered my ticket in 5 days.",
        Sub.SLOW_REPLY,
        GENERAL,
    ),
    (
        "The agent on the phone was rude, hung up on me twice and laughed at me.",
        Sub.RUDE_STAFF,
        GENERAL,
    ),
    (
        "Your support told me I'd get a full refund if I returned it, now they say only "
        "store credit. That is wrong information and completely unacceptable.",
        Sub.WRONG_INFORMATION,
        SERIOUS,
    ),
    (
        "Customer service gave me incorrect information about the warranty. "
        "They said two years, it's actually one.",
        Sub.WRONG_INFORMATION,
        GENERAL,
    ),
    (
        "I was charged twice for the same order, two identical transactions on my card.",
        Sub.DOUBLE_CHARGE,
        GENERAL,
    ),
    (
        "My card was billed twice and the second payment was never reversed. "
        "I'll file a chargeback with my bank.",
        Sub.DOUBLE_CHARGE,
        SERIOUS,
    ),
    (
        "Payment failed at checkout but my bank shows the money as pending.",
        Sub.FAILED_PAYMENT,
        GENERAL,
    ),
    (
        "I returned the item three weeks ago and I still haven't received my refund.",
        Sub.REFUND_NOT_RECEIVED,
        GENERAL,
    ),
    (
        "Where is my refund?? You approved the return on the 3rd and nothing has come "
        "back to my card.",
        Sub.REFUND_NOT_RECEIVED,
        GENERAL,
    ),
    (
        "There's an order on my account I didn't place. Someone bought a laptop with my "
        "saved card.",
        Sub.UNAUTHORIZED_ORDER,
        SERIOUS,
    ),
    (
        "My account was hacked. Someone logged into my account and changed my email.",
        Sub.ACCOUNT_TAKEOVER,
        CRITICAL,
    ),
    (
        "I got an email saying my password was changed, but I didn't change it. "
        "Now I can't log in.",
        Sub.ACCOUNT_TAKEOVER,
        CRITICAL,
    ),
    (
        "Your loyalty points program is confusing and I can't work out how to redeem points.",
        Sub.OTHER,
        GENERAL,
    ),
]

CORPUS = [
    pytest.param(text, sub, tier, id=f"{language}-{index:02d}-{sub}")
    for language, cases in (("zh", CHINESE), ("en", ENGLISH))
    for index, (text, sub, tier) in enumerate(cases)
]

CLASSIFIER = RuleBasedClassifier()


def classify(text: str, context: ClassifierContext = ORDINARY) -> Classification:
    return CLASSIFIER.classify(text, context)


@pytest.mark.parametrize(("text", "sub_category", "tier"), CORPUS)
def test_classifies_a_realistic_complaint(text: str, sub_category: SubCategory, tier: Tier) -> None:
    result = classify(text)

    assert (result.category, result.sub_category, result.tier) == (
        category_of(sub_category),
        sub_category,
        tier,
    ), result.reasons
    assert result.classifier == "rules"


def test_lexicon_has_cues_in_both_languages_for_every_topic() -> None:
    for sub_category in set(SubCategory) - {Sub.OTHER}:
        cues = TOPIC_CUES[sub_category]
        assert cues.zh and cues.en, sub_category


def test_corpus_covers_every_sub_category_in_both_languages() -> None:
    assert len(CHINESE) >= 18 and len(ENGLISH) >= 18
    assert {sub for _, sub, _ in CHINESE} == set(SubCategory)
    assert {sub for _, sub, _ in ENGLISH} == set(SubCategory)


def test_reasons_name_the_keywords_that_decided() -> None:
    result = classify("收到的鞋子是假货")

    assert "keyword '假货' -> counterfeit" in result.reasons


def test_english_matches_ignore_case_and_respect_word_boundaries() -> None:
    assert classify("THIS IS A COUNTERFEIT!!").sub_category is Sub.COUNTERFEIT
    # "late" inside another word is not a delivery complaint.
    assert classify("The chocolate tasted translated and plated").sub_category is Sub.OTHER


def test_a_negated_keyword_does_not_count() -> None:
    result = classify("It's not fake, I only want to register the warranty")

    assert result.sub_category is Sub.OTHER
    assert any("fake" in reason and "negated" in reason for reason in result.reasons)


def test_a_negated_safety_word_does_not_raise_the_tier() -> None:
    assert classify("Luckily nobody was hurt, but the kettle stopped working").tier is GENERAL
    assert classify("孩子没有受伤，不过杯子漏水").tier is GENERAL


def test_questions_and_rhetorical_questions_are_not_negations() -> None:
    # "是不是丢件了" asks whether the parcel is lost; "这不是误导人吗" says it is misleading.
    assert classify("快递到现在都没消息，是不是丢件了").sub_category is Sub.LOST_PARCEL
    assert classify("客服这么说，这不是误导人吗").sub_category is Sub.WRONG_INFORMATION


def test_a_cue_with_a_gap_does_not_reach_across_a_negator() -> None:
    result = classify("运输过程中没有损坏，但是开不了机")

    assert result.sub_category is Sub.DEFECT
    assert not any("damaged_in_transit" in reason for reason in result.reasons)


def test_full_width_text_is_matched_like_half_width() -> None:
    assert classify("这是ＦＡＫＥ货").sub_category is Sub.COUNTERFEIT


@pytest.mark.parametrize(
    "text",
    [
        "我的订单号是2012315，想改一下地址",
        "请问12345号订单什么时候发货",
        "How do I reset my password?",
        "Can I change my delivery time slot?",
        "Could you gift wrap it? It's for a party at the hospital where my sister works.",
        "They told me to wait for an email",
        "我是在抖音上买的，想问一下怎么开发票",
        "I saw your ad on social media, do you ship to Canada?",
        "Just to tell you in advance, I will be away next week",
    ],
)
def test_everyday_questions_are_not_urgent_complaints(text: str) -> None:
    result = classify(text)

    # Neither a wrong topic (it could trigger an automatic resolution) nor a false alarm.
    assert (result.sub_category, result.tier) == (Sub.OTHER, GENERAL), result.reasons


# --- Severity signals that do not come from the text ------------------------------------

MILD = "The blender stopped working after a week"


def with_context(**changes: object) -> ClassifierContext:
    return ORDINARY.model_copy(update=changes)


def test_amount_below_the_serious_threshold_keeps_the_tier() -> None:
    below = SEVERITY.serious_amount - Decimal("0.01")

    assert classify(MILD, with_context(paid_amount=below)).tier is GENERAL


def test_amount_at_the_serious_threshold_makes_it_serious() -> None:
    result = classify(MILD, with_context(paid_amount=SEVERITY.serious_amount))

    assert result.tier is SERIOUS
    assert any(str(SEVERITY.serious_amount) in reason for reason in result.reasons)


def test_amount_at_the_critical_threshold_makes_it_critical() -> None:
    result = classify(MILD, with_context(paid_amount=SEVERITY.critical_amount))

    assert result.tier is CRITICAL


def test_no_order_amount_is_no_signal() -> None:
    assert classify(MILD, with_context(paid_amount=None)).tier is GENERAL


def test_vip_customer_gets_the_policy_minimum_tier() -> None:
    result = classify(MILD, with_context(customer_tier=CustomerTier.VIP))

    assert result.tier is SEVERITY.vip_minimum_tier
    assert any("vip" in reason for reason in result.reasons)


def test_repeat_complainer_is_serious() -> None:
    threshold = SEVERITY.repeat_complaints_for_serious

    assert classify(MILD, with_context(prior_complaints=threshold - 1)).tier is GENERAL
    assert classify(MILD, with_context(prior_complaints=threshold)).tier is SERIOUS


def test_signals_never_lower_a_tier_the_text_set() -> None:
    context = with_context(customer_tier=CustomerTier.VIP, prior_complaints=5)

    assert classify("The charger caught fire", context).tier is CRITICAL


# --- Confidence -------------------------------------------------------------------------


def test_unrecognised_text_is_other_with_low_confidence() -> None:
    result = classify("请问你们周末上班吗")

    assert (result.category, result.sub_category) == (Category.OTHER, Sub.OTHER)
    assert result.confidence <= 0.3


def test_confidence_is_lower_when_two_topics_compete() -> None:
    clear = classify("The parcel arrived crushed and the vase inside was smashed")
    ambiguous = classify("The parcel is late and the vase inside was smashed")
    nothing = classify("Do you open on weekends?")

    assert clear.confidence > ambiguous.confidence > nothing.confidence


def test_more_evidence_for_one_topic_means_more_confidence() -> None:
    one_hit = classify("发错货了")
    two_hits = classify("发错货了，颜色不对，跟我订的完全不一样")

    assert two_hits.sub_category is one_hit.sub_category is Sub.WRONG_ITEM
    assert two_hits.confidence > one_hit.confidence


# --- The activity -----------------------------------------------------------------------


def make_intake(
    description: str,
    *,
    customer_tier: CustomerTier = CustomerTier.REGULAR,
    paid_amount: Decimal | None = Decimal("59.00"),
) -> ComplaintIntake:
    order = None if paid_amount is None else OrderReference(order_id="o-1", paid_amount=paid_amount)
    return ComplaintIntake(
        channel=Channel.APP,
        customer=Customer(id="cust-1", tier=customer_tier),
        order=order,
        description=description,
        evidence_urls=["https://img.example.com/fake-brand-logo.jpg"],
        desired_outcome=DesiredOutcome.REFUND,
    )


def test_activity_counts_other_complaints_of_the_customer() -> None:
    calls: list[tuple[str, str]] = []

    def count_prior(customer_id: str, exclude_complaint_id: str) -> int:
        calls.append((customer_id, exclude_complaint_id))
        return SEVERITY.repeat_complaints_for_serious

    activities = ClassifyActivities(classifier=RuleBasedClassifier(), prior_complaints=count_prior)
    request = ClassifyInput(complaint_id="cmp-7", intake=make_intake("快递太慢了，等了一个星期"))

    result = ActivityEnvironment().run(activities.classify_complaint, request)

    assert calls == [("cust-1", "cmp-7")]
    assert (result.sub_category, result.tier) == (Sub.LATE_DELIVERY, SERIOUS)


def test_activity_reads_amount_and_tier_from_the_intake() -> None:
    activities = ClassifyActivities(
        classifier=RuleBasedClassifier(), prior_complaints=lambda _customer, _exclude: 0
    )
    intake = make_intake(
        "The laptop stopped working", paid_amount=SEVERITY.critical_amount + Decimal("1")
    )

    result = ActivityEnvironment().run(
        activities.classify_complaint, ClassifyInput(complaint_id="cmp-8", intake=intake)
    )

    assert (result.sub_category, result.tier) == (Sub.DEFECT, CRITICAL)


def test_activity_ignores_evidence_urls_and_handles_a_missing_order() -> None:
    activities = ClassifyActivities(
        classifier=RuleBasedClassifier(), prior_complaints=lambda _customer, _exclude: 0
    )
    intake = make_intake("Please call me back", customer_tier=CustomerTier.VIP, paid_amount=None)

    result = ActivityEnvironment().run(
        activities.classify_complaint, ClassifyInput(complaint_id="cmp-9", intake=intake)
    )

    # The evidence URL mentions "fake", but only the description is classified.
    assert result.sub_category is Sub.OTHER
    assert TIER_RANK[result.tier] >= TIER_RANK[SEVERITY.vip_minimum_tier]
