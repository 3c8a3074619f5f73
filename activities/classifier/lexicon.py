"""Keyword tables the rule-based classifier reads: topic cues, severity signals, negators.

Each table maps a weight to a regular-expression alternation; most alternatives are plain
phrases. Text is NFKC-normalised and lower-cased before matching. Chinese cues match
anywhere; English cues match whole words only. When two cues overlap, the longer one wins,
so a specific phrase ("退款还没到账") silences the generic one inside it ("还没到").

In a Chinese cue, `…` stands for one filler character that is neither a negator nor a
sentence end, so "运输…{0,6}(坏|损)" finds "运输过程中摔坏" but not "运输过程中没有损坏".

Weights: 3 = the phrase alone settles the topic, 2 = strong, 1-1.5 = suggestive,
0.5 = weak. Add phrases as real complaints show them; test with real wording.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from domain.taxonomy import SubCategory, Tier

Cues = Mapping[float, str]

GAP_MARK = "…"
GAP_ZH = "[^没不未无。!?]"


@dataclass(frozen=True)
class TopicCues:
    """Phrases that point at one sub-category, by weight, in each language."""

    zh: Cues
    en: Cues


@dataclass(frozen=True)
class SeveritySignal:
    """Phrases that raise a complaint to `tier`, e.g. a threat to go to the press."""

    name: str
    tier: Tier
    zh: str
    en: str


TOPIC_CUES: dict[SubCategory, TopicCues] = {
    SubCategory.COUNTERFEIT: TopicCues(
        zh={
            3: "假货|不是正品|非正品|冒牌|山寨|高仿|仿品|仿冒|假冒|盗版|售假|卖假"
            "|鉴定(结果)?(为|是)假",
            2: "假的|不是原装|翻新机|假一赔|防伪码…{0,6}(查不到|无效|不对)",
        },
        en={
            3: r"counterfeits?|knock-?offs?|bootleg|(sold|selling|sells) fakes?"
            r"|not (genuine|authentic|original|real|the real thing)"
            r"|(isn't|is not|aren't|are not) (genuine|authentic|real)",
            2: r"fakes?|replicas?|imitation|forged|forgery"
            r"|serial number (is )?(invalid|not valid|doesn't exist|does not exist)",
        },
    ),
    SubCategory.LATE_DELIVERY: TopicCues(
        zh={
            3: "迟迟不到|迟迟没到|迟迟(不|没|没有)发货|一直(不|没)发货",
            2.5: "(一直|迟迟|还|就是)不(派送|派件|配送|送货|送)|没(有)?人(来)?送",
            2: "还没到|还没收到|没收到货|(还|一直|还是|都)(没|没有|未)(送到|送达|到货|发货|发)"
            "|延误|延迟|(快递|物流|发货|送货|配送)(也)?(太|很|真|超级|特别)?慢|配送超时"
            "|物流…{0,6}(没|没有|不)(更新|动|变化)|卡在…{0,6}(中转|转运|分拨|仓)",
            1.5: "等了(快|将近|差不多|都)?([0-9]+|[一二两三四五六七八九十几半]+|好几)"
            "个?(天|星期|周|礼拜|月)|未收到|还在路上|说好的…{0,10}(到|送达|发货)"
            "|(承诺|说|答应|保证)…{0,6}(天|小时)内?(发货|送达|到货)"
            "|(没|没有)(任何)?动静|动静都没有|(派送|运输|配送)中"
            "|(快递员|快递小哥|骑手|司机)…{0,4}(打不通|联系不上|不接)|才(送到|到货|收到|发货|到)"
            "|(一点|一直|都|也)(都)?没(有)?动",
            1: "晚到|迟到|慢死了|逾期|待发货|次日达|当日达|隔日达|停在",
        },
        en={
            3: r"still (hasn't|has not|haven't|have not|not) (arrived|come|been delivered|shown up)"
            r"|overdue|(past|missed) the (delivery|estimated|expected|promised) date"
            r"|(after|past|beyond) the (promised|estimated|expected|delivery) (date|time|window)",
            2: r"delayed|(hasn't|has not|haven't|have not|not) (yet )?(arrived|been delivered"
            r"|shown up|been shipped|shipped)|(haven't|have not|not) (yet )?(received|got|gotten)"
            r" (it|my (order|package|parcel|item|items|delivery|shipment)"
            r"|the (order|package|parcel|item|delivery|shipment))"
            r"|still waiting (for|on) (my|the) (order|package|parcel|delivery|shipment)"
            r"|tracking (hasn't|has not|not|hasn't been|has not been) (updated|moved|changed)"
            r"|stuck (in|at) (transit|customs|the (depot|warehouse|hub|facility))"
            r"|(hasn't|has not|haven't|not) (moved|budged)"
            r"|tracking (number|link|code)( still)? (doesn't|does not|isn't|is not|won't|not)"
            r" (work|working|valid|updating|found)"
            r"|(slow|late) (delivery|shipping|shipment)|taking (so|too|way too) long"
            r"|(status|order|tracking) (still )?(says|shows|showing|stuck (on|at|in)) (processing"
            r"|pending|preparing|awaiting|label created)|still (says|shows|showing) (processing"
            r"|pending|preparing|awaiting|label created)",
            2.5: r"(delivery|shipping|it|order|package|parcel) took (over |more than |almost "
            r"|nearly )?([0-9]+|a few|several|two|three|four|five|six|seven|eight|nine|ten)"
            r" (days|weeks|months)",
            1.5: r"late|delays?"
            r"|waiting (for )?(over |more than |almost |nearly )?([0-9]+|a few|few|several|two"
            r"|three|four|five|six|seven|eight|nine|ten) (days|weeks)",
            1: r"where is my (order|package|parcel|delivery)",
        },
    ),
    SubCategory.LOST_PARCEL: TopicCues(
        zh={
            3: "丢件|弄丢|寄丢|搞丢|冒领|(快递|包裹|件|货)(被)?(弄)?丢了|不是我签收的"
            "|被(别人|人)(代)?签收|被(别人|人)(拿走|取走|领走)",
            2.5: "丢失|显示(已|已经)?签收|(柜子|快递柜|驿站|丰巢)(里)?(是空的|没有|找不到)",
            2: "丢了|找不到(包裹|快递|件|货)|下落不明|(包裹|快递)不见了|(根本)?没(有)?签收",
        },
        en={
            3: r"lost (my|the|our) (package|parcel|order|shipment|delivery)"
            r"|(package|parcel|order|shipment) (is|was|has|went|has gone|got) (lost|missing)"
            r"|delivered (but|yet) (i|we) (never|didn't|did not|haven't|have not)",
            2.5: r"(marked|says|shows|showing|listed|status says)( it)?( as)? delivered"
            r"|(claims|claimed|says|said) (he|she|they|the driver|the courier)? ?(handed|delivered"
            r"|gave) it"
            r"|missing (package|parcel|order|shipment)|(went|gone) missing",
            2: r"never (arrived|came|showed up)|stolen from (my|the) (porch|doorstep|mailbox)"
            r"|nothing (was )?(at|on) (my|the) (door|doorstep|porch)"
            r"|can't find (my|the) (package|parcel)"
            r"|only (one|1|part|half) (of (them|my order|the order) )?(arrived|came|showed up)"
            r"|(delivered|left) (to|in|at) (a|the) safe place|no idea where",
            1.5: r"lost",
        },
    ),
    SubCategory.DAMAGED_IN_TRANSIT: TopicCues(
        zh={
            3: "摔坏|压坏|压扁|摔碎|压碎|暴力(分拣|运输|快递)|运输…{0,6}(坏|损|碎)",
            2.5: "破损|磕坏|撞坏|碎成|碎(了)?一地|收到(的时候|时)?(就)?(已经)?(碎|破|裂|压)",
            2: "碎了|磕碰|(外)?包装…{0,4}(破|烂|压|湿)|(箱子|盒子|纸箱|外箱)…{0,4}(破|烂|扁|压|湿)"
            "|快递…{0,6}(摔|压|扔)",
            1.5: "变形|凹陷|裂了|漏了|洒了|塌了|压塌",
        },
        en={
            3: r"crushed|(arrived|came|was delivered|delivered) (damaged|broken|smashed|cracked"
            r"|in pieces)"
            r"|damaged (in|during) (transit|shipping|shipment|delivery)|broken on arrival",
            2.5: r"shattered|smashed|(box|package|packaging|parcel|carton)"
            r" (was |is |came |arrived )?(torn|ripped|crushed|soaked|wet|damaged|dented|open"
            r"|opened)|inside (is|was|were|are) (broken|smashed|cracked|damaged|shattered)",
            2: r"(was|were|got|been) thrown|damaged|dented|(poorly|badly) packed|no padding"
            r"|not packed properly|rough handling|(courier|driver) (threw|dropped|kicked)|soaked"
            r"|water ?damaged?"
            r"|got wet|left (it )?(out )?in the rain",
            1.5: r"cracked|spilled|leaked|in pieces|snapped"
            r"|hole (punched )?(in|through) (it|the box|the package|the parcel)",
        },
    ),
    SubCategory.WRONG_ITEM: TopicCues(
        zh={
            3: "发错|错发|(跟|和|与)我(买|订|下单|拍|要)的(东西)?(完全)?不一样"
            "|不是我(买|订|下单|拍|要)的(那个|东西|款|颜色|尺码|型号|商品)",
            2.5: "(颜色|尺码|码数|型号|款式|规格|尺寸)(也)?(不对|错了|发错)|发成了",
            2: "漏发|少发|少寄|别人的(快递|包裹|东西|订单)"
            "|(两只|两个|一对|一双)…{0,4}(不一样|不同|不一致)"
            "|(少|缺)(了)?…{0,3}(配件|零件|赠品|附件|说明书)",
            1: "收到的(却)?是|寄来(的是)?|(要|买|订|拍)的(明明)?是|发(来|了)?(个|一个|的是)",
        },
        en={
            3: r"wrong (item|items|product|size|colou?r|model|version|book|one|thing)"
            r"|someone else'?s (order|package|parcel|item)|not what i (ordered|bought|paid for)",
            2: r"(sent|shipped|gave|received|got) (me )?(a |an |the )?(different|incorrect)"
            r" (item|product|size|colou?r|model)|missing (from|in) (my|the) (order|box|package)"
            r"|missing (parts?|pieces?|accessor(y|ies)|items?)",
            1.5: r"instead of (the|my|a|an)|(ordered|asked for|paid for|bought|wanted)( \S+){1,5}"
            r" (and|but) (got|received|was sent|you sent( me)?) (a|an|the|some|two|2)",
        },
    ),
    SubCategory.WRONG_ADDRESS: TopicCues(
        zh={
            3: "地址错|送错地址|寄错地址|送错地方|地址不对|不是我的地址"
            "|地址(被)?(写|填|打|弄|改)错",
            2.5: "送到(了)?(别人|隔壁|别的|其他|另一)|派送到…{0,6}(错|别)",
            2: "送错了",
            1.5: "(收货)?地址(写|填)的(明明)?是|(发|送|寄)到(了)?…{0,6}去了",
        },
        en={
            3: r"wrong (address|house|building|location)|not my address|incorrect address"
            r"|instead of (the|my) (delivery|shipping) address"
            r"|(address|postcode|zip code) (was|is) (wrong|incorrect)",
            2.5: r"(delivered|sent|shipped|went|taken) to (a different|another|an old|my old"
            r"|my previous|the old) (address|house|building|city|location)",
            2: r"(delivered|left) (at|to|with) (my |a )?neighbou?r|(old|previous|former) address"
            r"|(went|delivered|sent|shipped) to my (old|previous|former)",
            1.5: r"moved out|ended up (at|in)|billing address",
        },
    ),
    SubCategory.DEFECT: TopicCues(
        zh={
            3: "开不了机|不开机|无法开机|充不进(去)?电|充不了电|不充电|次品|残次品",
            2.5: "质量(太|很|非常|真|超级|特别)?差|不能用|用不了|没法用|无法使用|不工作"
            "|故障|失灵|什么破东西|劣质",
            2: "坏了|质量问题|没反应|不好使|死机|黑屏|花屏|一边(有|没有|没)(声音|声)"
            "|没(有)?声音|杂音|破音|漏水|异响|脱胶|瑕疵|破东西|鼓包|发霉|变质|过期|跳闸|短路",
            # A product that burns, shocks or sickens its user is a defective product.
            1.5: "坏的|掉色|起(了)?(好多|很多|一堆)?球|开线|断了|卡顿|三无|冒烟|漏电|烧焦|过敏"
            "|发烫|过热|不耐用|裂开|零件掉|异味|焦味|糊味|疹子|红疹|起疹|不(转|亮|响|出水|出风|制冷|加热|通电|启动|运转|动)了",
            1: "毛病|起火|爆炸|烫伤",
            0.5: "垃圾|有问题",
        },
        en={
            3: r"defective|(stopped|quit|ceased) (working|charging|heating|cooling|spinning)|faulty"
            r"|dead on arrival|doa|no longer (works|working|turns on|charges|holds)"
            r"|(won't|will not|doesn't|does not) hold (a )?charge",
            2.5: r"(doesn't|does not|won't|will not|didn't|did not) (work|turn on|power on|charge"
            r"|boot|start|switch on)|not working|broke (after|within|down)"
            r"|(poor|bad|low|cheap|terrible|awful|horrible|shoddy) quality"
            r"|quality (is|was) (poor|bad|terrible|awful|horrible)|malfunction(s|ing|ed)?"
            r"|fell apart|falling apart|lost (its )?(suction|power|signal|connection|charge|shape"
            r"|colou?r)|keeps (rebooting|restarting|freezing|turning off"
            r"|shutting (down|off)|disconnecting)|(reboots|restarts|shuts off|turns off) (itself"
            r"|by itself|on its own|randomly)",
            2: r"defect|overheat(s|ed|ing)?|battery (drains|dies|died)|no sound"
            r"|only one (side|earbud|ear)|flicker(s|ing)?|came apart|moldy|mouldy|spoiled"
            r"|rotten|(coming|came) (off|apart|loose|unstitched)|melt(ed|ing|s)?|shr(a|u)nk"
            r"|(got|gets|getting|became) (so |very |extremely |too )?hot",
            1.5: r"broke|broken|died|glitch(es|y)?|crackling|buzzing|peeling|junk|garbage"
            r"|rash|allergic reaction|sparks|sparked|burning smell|expired|stinks"
            r"|smell(s|y)? (like|of) (chemicals?|plastic|burning|smoke|gas)|chemical smell"
            r"|(grinding|rattling|clicking|squeaking|squealing) (noise|sound)",
            1: r"dead|caught fire|exploded|smoke",
        },
    ),
    SubCategory.NOT_AS_DESCRIBED: TopicCues(
        zh={
            3: "(描述|介绍|详情页?|宣传|图片|照片|主图|视频)(的)?(完全)?(不符|不一样|不一致)"
            "|(和|跟|与)(商品)?(图片|照片|图|描述|宣传|视频|详情)(上)?(的)?(完全)?"
            "(不符|不一样|不一致|差(别|距)?(太|很|好|得)?(大|多|远))"
            "|色差|货不对板|图文不符|虚假宣传|照骗",
            2.5: "实物(和|跟|与)?…{0,6}(差|不符|不一样)|写的是…{0,10}(结果|收到|实际|其实)"
            "|分量不足|缺斤少两",
            2: "卖家秀|二手|用过的|使用痕迹|被人用过"
            "|(详情页?|描述|介绍|页面|图片)(上)?(说|写)(的)?是",
            1.5: "不符|实际(上)?(是|只有)|说是…{0,8}(结果|实际|其实)|实际(收到|到手|拿到|用起来)"
            "|(图片|照片|页面|详情)上(看着|看起来|写着|写的)",
        },
        en={
            3: r"not as (described|advertised|pictured|shown)|false advertising"
            r"|(doesn't|does not|didn't|did not) match (the )?(description|listing|photos?"
            r"|pictures?|images?|ad|advert)|(looks )?nothing like (the )?(photos?|pictures?"
            r"|images?|description|listing|ad)|(different|differs) from (the )?(photos?"
            r"|pictures?|description|listing|website|ad)|misleading (description|listing"
            r"|photos?|pictures?|ad)|(smaller|bigger|thinner) than (described|advertised"
            r"|pictured|shown)",
            2.5: r"(listing|description|website|ad|product page|photos?|pictures?|images?)"
            r" (says|said|stated|claims|claimed|shows?|showed|showing)|advertised as"
            r"|(photos?|pictures?|images?) (were|are|was|is)( clearly| heavily| obviously)?"
            r" (edited|photoshopped|filtered|fake)|used (item|product|one)|pre-?owned"
            r"|second-?hand|been used|someone else'?s hair",
            2: r"(colou?r|size|material|fabric) (is|was) (completely |totally )?(different|off)",
            1.5: r"cheap (material|fabric|plastic)",
            1: r"what (i|we) (got|received) (is|was)|what (arrived|came) (is|was)|the real thing",
        },
    ),
    SubCategory.SLOW_REPLY: TopicCues(
        zh={
            3: "客服…{0,6}(不回|不理|没回|没人回|没人理|联系不上|找不到人)|没人理"
            "|没人回(复|应)?|回复(太|很|好|特别)?慢|回(得|的)太慢|石沉大海|已读不回|不理人"
            "|(一条|一句)(都|也)没回",
            2.5: "不回(复|消息)|没(有)?(一个)?(人)?回复|没人管|(找不到|转不了|没有)人工"
            "|再也没(有)?(消息|下文|回音)|没(有)?(下文|回音)|(一直|从来|都|也)没(有)?回(复|我|消息)",
            2: "联系不上|(一直|还在)(显示)?(在)?排队",
            1.5: "机器人",
            1: "打不通|解决不了",
        },
        en={
            3: r"no (reply|response|replies|responses)|(haven't|have not|never) heard back"
            r"|took( them| you| support| customer service)? ([0-9]+|a few|several|two|three"
            r"|four|five|six|seven) (hours|days|weeks) to (answer|reply|respond|get back)"
            r"|(haven't|have not|never|didn't|did not) (got|gotten|received|had) (a|any)"
            r" (reply|response|answer)|(nobody|no one|no human|no agent) (has )?(ever )?(answered"
            r"|replied|responded|got back|gotten back)|ignor(ed|ing) (me|my (emails?|messages?"
            r"|tickets?|calls?|requests?))|still waiting for (a|an|any) (reply|response|answer"
            r"|call back|callback)|(slow|late) (reply|replies|response|responses)",
            2.5: r"no answer|(hasn't|has not|haven't|have not) (been )?(answered|replied|responded)"
            r"|(for|to get) (a |an |any )?(reply|response|answer)|unanswered|on hold for"
            r"|(someone|anyone|somebody) to (reply|respond|answer|get back)"
            r"|(nobody|no one) (answers|picks up)|reach (a human|a person|a real person|an agent)"
            r"|(keep getting|only get|stuck with) (the|a) (bot|chatbot|robot)"
            r"|not even (a|an) (reply|response|answer|acknowledg(e)?ment|automated)"
            r"|(can't|cannot|couldn't|could not) (reach"
            r"|get through to|get hold of) (anyone|anybody|a human|support|customer service"
            r"|your)",
            1.5: r"(emailed|contacted|messaged|called|chased) (support|you|customer service)"
            r"( [a-z]+)? (times|twice)|(opened|submitted|raised|filed|logged) (a )?(ticket|request"
            r"|case)",
        },
    ),
    SubCategory.RUDE_STAFF: TopicCues(
        zh={
            3: "态度(太|很|非常|极其|特别|真|超级)?(差|恶劣|不好|冷漠|嚣张)|骂人|骂我|辱骂"
            "|冷嘲热讽",
            2.5: "凶(我|巴巴)|很凶|太凶|不耐烦|阴阳怪气|爱答不理|挂(我)?电话|嘲笑"
            "|说话(很|太|特别|非常)?(冲|难听|不客气)|(没|没有)(礼貌|素质)|礼貌都没有"
            "|素质(太|很)?(差|低)",
            2: "讽刺|甩脸|威胁我|什么态度",
            1.5: "骂|敷衍|服务态度",
        },
        en={
            3: r"rude|impolite|disrespectful|condescending|patroni[sz]ing|insult(ed|ing)"
            r"|(yell|shout|scream)(ed|ing) at (me|us)|(swore|cursed) at (me|us)"
            r"|hung up on (me|us)",
            2.5: r"laugh(ed|ing) at (me|us)|unprofessional|mocked|dismissive|sarcastic|abusive"
            r"|rolled (her|his|their) eyes|stop wasting (her|his|their|our) time",
            2: r"hostile|argued with me|(threatened|threatening) (me|us)",
            1.5: r"attitude",
        },
    ),
    SubCategory.WRONG_INFORMATION: TopicCues(
        zh={
            3: "说法不一|误导|前后(说法)?不一|说话不算(数|话)|出尔反尔|言而无信"
            "|(答复|回答|解释)(不一|都不一样|各不相同)|每个(客服|人)(说的|说法)?都不一样",
            2.5: "现在又说|又说不(行|能|可以)|(信息|消息|答复|说法)(是)?(错的|错误|不对|有误)"
            "|(另一个|别的|其他|换了个)客服…{0,6}说|说(可以|能|行)…{0,16}说不(行|能|可以)",
            2: "(客服|他们|你们|商家|店家|卖家)(明明|当时|之前)?(说|告诉我|答应|承诺)(过)?(的)?"
            "(可以|能|会|包|保证)|乱说|瞎说|胡说",
            1.5: "骗我",
        },
        en={
            3: r"(wrong|incorrect|false|inaccurate|conflicting|contradictory) (information|info"
            r"|answers?|advice)|misinformed|misled",
            2.5: r"now (they|you|the agent|support|the seller) (say|says|said|claim|claims|tell"
            r" me)|contradict(s|ed|ing|ory)?|(says|said|tells me|told me) something different"
            r"|different answers?",
            2: r"misleading|(lied|lying) to (me|us)|never told (me|us)|faq (says|said|states)"
            r"|(agent|support|seller|rep|representative|customer service|staff) (promised"
            r"|assured|told me|said)",
            1.5: r"(promised|assured|guaranteed) (me|us)"
            r"|(said|says|claimed|claims|told me) (it|this|that) (was|would|is|will)",
            0.5: r"told me|(was|were) told",
        },
    ),
    SubCategory.DOUBLE_CHARGE: TopicCues(
        zh={
            3: "(扣|扣款|扣费|收费|收|付|付款|支付|划扣|划走)了?(我)?(两|2|二)(次|遍|笔)"
            "|重复(扣|收|付|支付)|扣了双倍|两笔(一样|相同|同样)的(扣款|支付|消费|交易)",
            2.5: "多扣",
        },
        en={
            3: r"(charged|billed|debited) (me )?(twice|two times|double)|paid twice"
            r"|double[- ]?charg(ed|e|ing)|duplicate (charges?|payments?|transactions?)"
            r"|(two|2) (identical|duplicate) (charges|payments|transactions)",
            2.5: r"(charged|billed|debited|paid|posted|appears|appeared|showing|shows|shown|listed"
            r"|went through|taken|deducted|processed)( \S+){0,5} (twice|two times)",
            1.5: r"same (\S+ )?(purchase|charge|payment|transaction|amount)",
            2: r"charged (me )?(more than once|multiple times)",
            1: r"overcharged",
        },
    ),
    SubCategory.FAILED_PAYMENT: TopicCues(
        zh={
            3: "(支付|付款|扣款|交易)(一直|总是|又|都)?(提示)?"
            "(失败|不成功|没成功|出错|报错|错误|异常)|(无法|不能|没法)(支付|付款)"
            "|付不了(款|钱)?",
            2.5: "(支付|付款)…{0,10}(失败|错误|报错|异常)|显示未(支付|付款)|银行卡(被)?拒"
            "|支付(页面)?(一直)?(转圈|卡住|卡死)"
            "|订单(没有|没|未)(生成|成功|创建)",
            2: "订单(还是)?(显示)?(未付款|待付款)|余额不足",
            1: "(钱|款)(已经)?扣了|扣了钱",
        },
        en={
            3: r"payment (has |was |keeps )?(failed|failing|declined|rejected|didn't go through"
            r"|did not go through|won't go through|error)|(failed|declined|unsuccessful)"
            r" (payment|transaction)|(card|transaction) (was |got |keeps getting )?(declined"
            r"|rejected)|(can't|cannot|couldn't|could not|unable to) (pay|complete (the |my )?"
            r"(payment|purchase|checkout|order))",
            2.5: r"(checkout|payment page) (fails|failed|crashes|crashed|error)|checkout error"
            r"|(can't|cannot|couldn't|could not|unable to) place (my|an|the) order"
            r"|(payment|transaction|card|checkout) (error|failure)"
            r"|payment (was |is )?(not|never) (completed|processed|successful|accepted)",
            2: r"didn't go through|did not go through",
            1.5: r"(try|tried|trying) to (pay|check ?out|place (my|an|the) order)|at checkout"
            r"|(keeps|kept) timing out|timed out",
            1: r"(money|amount|charge|funds)( is| was| as| still| shows as)* pending",
        },
    ),
    SubCategory.REFUND_NOT_RECEIVED: TopicCues(
        zh={
            3: "退款…{0,10}(没|未|没有)(到账|到|收到|退回|退|打|返还|回来)"
            "|(没|未|没有)(收到|看到|见到)(任何)?退款|退款(去)?(哪|哪儿|哪里)(了|去了)"
            "|(迟迟|一直|还|还是|就是)(不|没|没有)(给我)?退款|不给(我)?(退款|退钱)",
            2.5: "(钱|款)(一直|还|迟迟|到现在)?(没|没有|未)(退|退回|退还|返还|到账|回来)"
            "|同意退款…{0,12}(没|未)",
            2: "(还|都|一直|迟迟)?(没|未|没有)到账|说好的退款|退款(中|处理中)"
            "|退款…{0,16}(没|未|没有)",
            1.5: "(银行卡|卡|账户|余额)(里|上)?(没有|没|未)(收到|到账|这笔钱|钱)",
        },
        en={
            3: r"refund not received|(haven't|have not|never|didn't|did not|still not|not yet)"
            r" (received|got|gotten|seen) (my|the|a|any|our) refund|refund (still )?(hasn't"
            r"|has not|have not|haven't|never|not|isn't|is not) (yet )?(arrived|come through"
            r"|been received|been processed|been issued|been credited|been paid|shown up"
            r"|received|appeared|come back|hit my)|where('s| is) my refund|no refund yet"
            r"|(still )?waiting (for|on) (my|the|a) refund"
            r"|(haven't|have not|never|not) been refunded|refund (is )?(missing|late|overdue"
            r"|delayed)",
            2.5: r"nothing (has )?(come|came) back to my (card|account)|still not refunded"
            r"|no refund|(only|partially) refunded|refunded only|partial refund"
            r"|(money|funds)( still)? (isn't|is not|hasn't|has not|not|never)( been| come| gone)?"
            r" (back|returned|credited|refunded)|(haven't|have not|not|never|didn't|did not)"
            r" (yet )?(seen|got|gotten|received) (the|my|our) money back",
            1.5: r"refund (was )?(promised|approved|confirmed|processed|issued)",
        },
    ),
    SubCategory.UNAUTHORIZED_ORDER: TopicCues(
        zh={
            3: "没(有)?下过…{0,4}(单|订单)|不是我(本人)?(买|下单|下|购买|订|拍)的"
            "|没(有)?(在…{0,6})?(买|订|购买|拍|下单)过|盗刷|被(人)?盗(用|刷)"
            "|(莫名其妙|突然|无缘无故)(地)?(多了|多出|出现)(了)?(一个|一笔|几个)?…{0,4}"
            "(订单|单)",
            2.5: "(陌生|不认识|不明|未知)的?(订单|扣款|消费|交易)|(我)?没下(过)?的(订单|单)"
            "|(根本|从来|压根)(就)?没(有)?(买|下单|订|购买|消费)|不是我(本人)?(消费|操作|支付)的",
            2: "(用|拿)我的(账号|账户|卡|银行卡|余额|信用卡)…{0,6}(买|下单|消费|支付)",
        },
        en={
            3: r"unauthori[sz]ed (orders?|purchases?|charges?|transactions?|payments?)"
            r"|(didn't|did not|never) (place|placed|make|made|order|ordered|buy|bought|purchase"
            r"|purchased|authori[sz]e|authori[sz]ed)|(don't|do not|didn't|did not)"
            r" recogni[sz]e (this|these|the|an|a) (orders?|purchases?|charges?|transactions?)"
            r"|fraudulent (orders?|charges?|purchases?|transactions?)"
            r"|(haven't|have not|didn't|did not|never) (bought|ordered|purchased) anything",
            2.5: r"(someone|somebody|a stranger) (else )?(has )?(ordered|bought|purchased|placed"
            r"|made|used my)|without my (permission|consent|knowledge"
            r"|authori[sz]ation)",
        },
    ),
    SubCategory.ACCOUNT_TAKEOVER: TopicCues(
        zh={
            3: "(账号|账户|帐号|帐户)(被)?(人)?(盗|黑|入侵|盗用|劫持)|盗号"
            "|盗(了)?(我的)?(号|账号|账户)|被(人|别人)?(登录|登陆)|异地(登录|登陆)|(陌生|不明|未知)(设备|手机|地点|ip)"
            "(登录|登陆)|密码(已|已经)?被(人)?(改|修改|篡改|重置)|不是我(本人)?(登录|登陆|操作)的"
            "|(绑定的?)?(手机号码?|邮箱)被(人)?(改|换|解绑|篡改)",
            2.5: "密码(已|已经)?(被)?(修改|篡改|重置)|(根本|从来)(就)?没(有)?(改|修改)过(密码)?"
            "|(有人|别人|陌生人)…{0,8}(登录|登陆)|改了(我的)?(绑定的?)?(手机号?|邮箱|密码)",
            2: "余额被(转|盗|清空|花)|余额(也)?(不见了|没了|少了|清零)",
            1.5: "登(录|陆)不(了|上)|(陌生|不明)?的?验证码",
        },
        en={
            3: r"(account|acct) (was |got |has been |had been |is )?(hacked|compromised"
            r"|taken over|stolen|breached|hijacked)|(someone|somebody|a stranger|a hacker"
            r"|hackers) (has )?(logged|signed) (into|in to|in)|(password|email|phone number"
            r"|login details)( on (it|my account))? (was|were|has been|had been|got) (changed"
            r"|reset)"
            r"|(login|sign-in|log-in) (from|in) (a|an) (unknown|unfamiliar|strange|different)"
            r" (device|location|country|ip)",
            2.5: r"locked out( of (my|the) account)?|(login|sign-in|log-in|sign in|log in)"
            r" (alert|attempt|notification|email)s?"
            r"|(unknown|unfamiliar|unrecogni[sz]ed|suspicious) (login"
            r"|sign-in|log-in|device|activity)|(verification|security|2fa|one-time) codes?"
            r" (i|that i) (didn't|did not|never) (request|ask for)",
            2: r"hacked|(logged|signed|got|gotten|broke|broken) into my account"
            r"|(someone|somebody|a stranger) (has )?(changed|reset|updated) (my|the)",
            1.5: r"never requested|(can't|cannot|couldn't|can no longer|unable to) (log|sign) ?in"
            r"|(can't|cannot|couldn't|can no longer|unable to) (access|get into) my account",
        },
    ),
}

SEVERITY_SIGNALS: tuple[SeveritySignal, ...] = (
    SeveritySignal(
        name="safety hazard",
        tier=Tier.CRITICAL,
        zh="起火|着火|自燃|爆炸|炸了|冒烟|漏电|触电|电到|烫伤|烧伤|灼伤|过敏|受伤|划伤"
        "|割伤|中毒|窒息|误食|拉肚子|腹泻|呕吐|住院|急诊|送医|(去|到|送)(了)?医院|流血"
        "|安全隐患|疹子|红疹|起疹|误吞|吞(下|进)|差点(就)?(吞|噎|烫|电|烧)",
        en=r"caught fire|on fire|burst into flames|flames|fire hazard|started a fire"
        r"|explod(e|ed|es|ing)|blew up|electric(al)? shock|electrocuted|shocked me"
        r"|burn(ed|t|s)? (my|me|his|her|their|our)|(got|been) burned|burns|injur(y|ies|ed)"
        r"|(could|might) have (been )?(burned|hurt|injured|killed|electrocuted)|melted"
        r"|hurt (me|my|him|her|them|myself|himself|herself)|(got|was|were) hurt"
        r"|allergic reaction|rash|hospitali[sz]ed|(went|go|going|taken|rushed|ended up|admitted)"
        r" (to|in) (the )?(hospital|er|emergency room|a&e|urgent care)"
        r"|poison(ed|ing)|chok(e|ed|ing)|safety (hazard|issue|risk|concern)|dangerous"
        r"|hazardous|smok(e|ing) (came|coming) out|started smoking|sparks|sparked|sparking"
        r"|bleeding|(made|making) (me|us|him|her|my [a-z]+) (sick|ill)|(got|fell|became)"
        r" (sick|ill)|vomit(ed|ing)?|diarrh(o)?ea",
    ),
    SeveritySignal(
        name="legal threat",
        tier=Tier.CRITICAL,
        zh="律师|起诉|法院|告你们|法律途径|诉讼|消协|消费者协会|(打|拨打|拨|找|去|向|到|上|给)(了)?(12315|12345)|(12315|12345)(热线|投诉|举报|平台)|工商(局)?"
        "|市场监(督|管)|报警|仲裁",
        en=r"lawyers?|attorney|solicitor|sue|suing|lawsuit|legal action|court|small claims"
        r"|bbb|better business bureau|ftc|consumer protection|trading standards"
        r"|attorney general|ombudsman|police",
    ),
    SeveritySignal(
        name="media threat",
        tier=Tier.CRITICAL,
        # Douyin and Xiaohongshu are shops as well as media: only posting there is a threat.
        zh="曝光|媒体|记者|电视台|热搜|(发|挂|晒)(到|在)?(微博|抖音|小红书|网上)"
        "|在(微博|抖音|小红书|网上)(上)?(曝光|发|挂|晒)",
        en=r"journalists?|reporters?|the press|the media|go(ing)? public|newspaper|the news"
        r"|viral|(post|posting|share|sharing|put|putting|expose|exposing|tell|telling)( this"
        r"| it| you| everyone| about (this|it|you))? ((on|to) (social media|twitter|x|tiktok"
        r"|facebook|instagram|reddit|youtube|the internet)|online|everywhere)",
    ),
    SeveritySignal(
        name="fraud",
        tier=Tier.CRITICAL,
        zh="诈骗|骗子|骗局|欺诈|盗刷|骗钱|黑店",
        en=r"fraud|fraudulent|scam|scams|scammers?|scammed|con artists?|stole my money|theft",
    ),
    SeveritySignal(
        name="strong displeasure",
        tier=Tier.SERIOUS,
        zh="(非常|很|特别|太|真的)生气|气死|气炸了?|愤怒|(太)?过分|忍无可忍|(无法|不能)接受"
        "|欺负人|再也不(买|来)|危险",
        en=r"unacceptable|furious|outraged|livid|disgusted|disgusting|appall?ed|appalling"
        r"|ridiculous|disgrace(ful)?|worst (service|experience|company|shop|store)|fed up"
        r"|sick of|enough is enough|never (shop|order|buy)(ping)? (here|from you) again",
    ),
    SeveritySignal(
        name="escalation threat",
        tier=Tier.SERIOUS,
        zh="(投诉|举报)到?(平台|天猫|淘宝|京东|拼多多|总部|上级)|要求赔偿|赔偿|差评|维权"
        "|朋友圈|退一赔三|假一赔三|三倍赔偿|十倍赔偿",
        en=r"compensation|chargeback|dispute (the|this) (charge|transaction)|escalat(e|ing)"
        r"|speak to (a|your) (manager|supervisor)|(bad|negative|1-star|one-star) review",
    ),
    SeveritySignal(
        name="repeated problem",
        tier=Tier.SERIOUS,
        zh="第(三|四|五|六|七|八|九|十|几|[3-9])次|多次投诉|反复投诉|投诉了?(好几|多|几)次|又一次",
        en=r"(third|fourth|fifth|3rd|4th|5th) time|(many|multiple|several|numerous) times"
        r"|yet again|once again",
    ),
)

# A Chinese cue is negated when the text right before it ends with one of these
# ("没有破损", "不是假货"); a looser window would catch "用了没几天就坏了".
NEGATORS_ZH = ("没有任何", "并没有", "没有", "没人", "没", "不是", "并非", "未")
# Questions that only look negated: "是不是丢件了" asks whether the parcel is lost.
QUESTION_FORMS_ZH = ("是不是", "有没有")
# A negated cue followed by this in the same clause is a rhetorical question that
# affirms it: "这不是误导消费者吗".
RHETORICAL_PARTICLE_ZH = "吗"

# An English cue is negated when one of these is among the two words before it, in the
# same clause ("was not damaged", "no one was hurt").
NEGATORS_EN = frozenset({"not", "no", "never", "nobody", "nothing", "without", "neither", "nor"})
NEGATION_WINDOW_WORDS = 2
