"""Cues for everyday wording: mild product reviews and plain support requests.

`lexicon.py` holds the phrases of outspoken complaints ("开不了机", "charged twice"). Real
customers are often milder ("太干了，不好用", "味道刺鼻", "保质期只剩两年") or write
requests rather than complaints ("when will my order arrive", "report a payment error").
These phrases were added after reading the classifier's errors on the tuning half of
the public data sets (`python -m evaluation.classifier --split tuning`);
docs/performance.md quotes the other, held-out half.

Weights are low (1-2): these phrases name a topic when nothing stronger does, and the
outspoken cues of another topic still win.
"""

from collections.abc import Mapping

from activities.classifier.lexicon import TOPIC_CUES, Cues, TopicCues
from domain.taxonomy import SubCategory

EVERYDAY_CUES: dict[SubCategory, TopicCues] = {
    SubCategory.DEFECT: TopicCues(
        zh={
            # Generic displeasure ("失望", "差评") names no topic and is left out.
            # "不油腻" praises: a cue preceded by 不 is not a complaint (NEGATORS_ZH has no
            # lone 不, since "不能用" must stay a complaint).
            1.5: "不好用|没(有)?(什么)?(效果|作用)|效果(不好|一般|很差|太差|不明显|不大)"
            "|(洗|卸|擦)不(干净|掉|净)|(掉|卡|浮|起)粉|起皮|长痘|闷痘|刺痛|辣眼睛"
            "|质量(一般|不好|不行|不怎么样)|做工(差|粗糙|粗)|不耐用|(很|太)?容易(坏|断|掉)",
            1: "(?<!不)(油腻|黏腻|粘腻)|(太|很|好|挺|有点|超|比较)干(燥)?(?!净)"
            "|(难闻|刺鼻|怪味|味道(有点|太|很|好)?(大|重|冲|怪|难闻|不好闻))|(酒精|香精)味"
            "|不(保湿|滋润|补水|吸收|贴合|显白|持久)|不(好|咋)用|香精|(太|有点|很)香(?!港)"
            "|不是(很|特别|太)(好|滋润|保湿)|难清洗|难(吃|喝)|不好(吃|喝)|不新鲜|(稀巴|腐)?烂(了|掉|成)"
            "|缩水|自动(关机|重启)|发热|反应(比较|很|太|有点)?慢|垃圾货|无聊|枯燥"
            "|内容(太|很)?(简单|空洞|空|少)",
        },
        en={
            1.5: r"(stopped|doesn't|does not|didn't|did not|won't|will not) (work|fit|last)"
            r"|(poorly|badly|cheaply) made|(tore|ripped|frayed|faded|shrank|pilled) (after|in)",
            1: r"(terrible|awful|horrible|poor|bad|cheap|flimsy|useless) (product|item|material"
            r"|build|fabric)|disappoint(ed|ing)|waste of money",
        },
    ),
    SubCategory.NOT_AS_DESCRIBED: TopicCues(
        zh={
            1.5: "(和|跟|与)(想象|预期|期待)(的)?(不一样|不同|差)|(保质期|日期)…{0,6}(短|旧|近|只剩"
            "|不足|不是新)|临期|快过期|(包装|盒子)…{0,3}(简陋|太差|好差|太丑|简单|差)"
            "|比(宣传|描述|图片|照片)(的)?(小|差|少)|宣传(夸大|过度)"
            "|(没有|不)(跟|和|像)…{0,3}(图片|描述|宣传)…{0,3}(一样|相符)"
            "|(没有|没|连)…{0,2}(盒子|礼盒|包装盒|封口|密封)|保质期…{0,10}(剩|短|不足)",
            1: "(好|太|挺|很|有点)(小|少)(?!贵)(啊|了|的)?|量(太|很|好|有点)?少|(色号|颜色)…{0,6}"
            "(暗|黑|深|不对|不一样)|(假|太)白",
        },
        en={
            1.5: r"(smaller|bigger|thinner|shorter|longer|darker|lighter) than (expected"
            r"|i expected|i thought)|not what (i|we) expected|(expired|expiry|expiration|best"
            r" before) date",
        },
    ),
    SubCategory.LATE_DELIVERY: TopicCues(
        zh={
            1.5: "(快递|物流|发货|送货|配送|派送)…{0,4}(慢|差|烂|坑|三流)|(到件|到了)…{0,6}(不|没)"
            "(派送|送)|(配送员|快递员|快递)…{0,3}(垃圾|差劲)|(几|好几|[0-9]+)天(了)?…{0,6}(没|还没)(有)?(收到|到)",
        },
        # "Where is my order" and "please change my address" are enquiries: they stay OTHER,
        # or asking after a parcel would earn the late-parcel coupon (AUTO_RESOLUTION_RULES).
        en={},
    ),
    SubCategory.WRONG_ADDRESS: TopicCues(
        zh={1.5: "(不能|没法|无法)(改|修改|更改)地址|地址…{0,4}(改不了|不能改)"},
        en={2: r"(wrong|incorrect) (delivery|shipping) address"},
    ),
    SubCategory.FAILED_PAYMENT: TopicCues(
        zh={1.5: "(支付|付款)(问题|出错|有问题)"},
        en={
            2: r"(errors?|problems?|issues?|troubles?) (with|in|on|during) (my |the |an |a )?"
            r"(online )?(payments?|checkout)|payment (errors?|problems?|issues?|troubles?)"
            r"|(can't|cannot|cant|unable to) (make )?(pay|payments?)"
            r"|(errors?|problems?|issues?|troubles?) with (a |an |my |the )?\S+ payments?",
        },
    ),
    SubCategory.REFUND_NOT_RECEIVED: TopicCues(
        zh={1.5: "退款…{0,6}(进度|状态|多久|什么时候)"},
        en={
            # A missing refund is asked after in many words: reimbursement, rebate...
            2: r"(status of|track|check|see|where is) (my |the |a )?(refund|reimbursement"
            r"|rebate|restitution)|(refund|reimbursement|rebate|restitution) (status|progress)"
            r"|track (my |the )?(\S+ )?refund|(waiting|wait) (for|on) (a|an|my|the)"
            r" (refund|reimbursement|rebate|restitution|compensation)"
            r"|expect(ing)? (a|an|my|the) (refund|reimbursement|rebate|restitution|compensation)",
            1: r"reimbursement|rebate|restitution",
        },
    ),
    SubCategory.SLOW_REPLY: TopicCues(
        zh={1.5: "回复(太|很|有点)?慢|催了(几|好几|很多)次|敷衍(了事)?"},
        en={},
    ),
    SubCategory.RUDE_STAFF: TopicCues(
        zh={1.5: "服务(不负责|太差|很差|差劲|不好|不行)|不负责任"},
        en={},
    ),
}


def _merge_weights(base: Cues, extra: Cues) -> dict[float, str]:
    merged = dict(base)
    for weight, alternation in extra.items():
        merged[weight] = f"{merged[weight]}|{alternation}" if weight in merged else alternation
    return merged


def merge_topic_cues(
    base: Mapping[SubCategory, TopicCues], extra: Mapping[SubCategory, TopicCues]
) -> dict[SubCategory, TopicCues]:
    """Returns `base` with `extra`'s phrases added under the same sub-category and weight."""
    merged = dict(base)
    for sub_category, cues in extra.items():
        old = merged.get(sub_category, TopicCues(zh={}, en={}))
        merged[sub_category] = TopicCues(
            zh=_merge_weights(old.zh, cues.zh), en=_merge_weights(old.en, cues.en)
        )
    return merged


ALL_TOPIC_CUES = merge_topic_cues(TOPIC_CUES, EVERYDAY_CUES)
