"""Demo catalogue of a city administrative service hall, modelled on the Shenzhen city hall.

Pure data, no Django import. The 35 resident departments are the ones the Shenzhen city hall
work report (seed 000) names: the 25 units running the "three services", plus the units the
report mentions elsewhere (民政局, 无线电管理局, 财政委, 气象局, 司法局, 统计局, 审计专业局,
水务局, 交通运输委, 应急办). The report counts 582 catalogue items with 76 immediate ones;
this module expands to about the same figures (one catalogue item per base item and variant).

Everything is deterministic: no randomness, no dates. Items are written with small helper
functions so that each department reads as a list of its services.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Themes (办事主题)
# --------------------------------------------------------------------------------------------

THEMES: list[tuple[str, str]] = [
    ("开办企业", "enterprise"),
    ("工程建设", "enterprise"),
    ("税务办理", "enterprise"),
    ("进出口贸易", "enterprise"),
    ("知识产权", "enterprise"),
    ("资质认定", "enterprise"),
    ("户籍办理", "person"),
    ("交通出行", "person"),
    ("医疗卫生", "person"),
    ("教育培训", "person"),
    ("社会保障", "person"),
    ("社会事务", "person"),
    ("不动产登记", "person"),
    ("出入境", "person"),
]

# --------------------------------------------------------------------------------------------
# Variant sets
# --------------------------------------------------------------------------------------------

N = ("new",)
C = ("change",)
R = ("renew",)
X = ("cancel",)
NC = ("new", "change")
NR = ("new", "renew")
NX = ("new", "cancel")
CX = ("change", "cancel")
NCX = ("new", "change", "cancel")
NCR = ("new", "change", "renew")
NRX = ("new", "renew", "cancel")
NCRX = ("new", "change", "renew", "cancel")

# --------------------------------------------------------------------------------------------
# Materials
# --------------------------------------------------------------------------------------------


def _m(
    name: str,
    *,
    key: bool = False,
    required: bool = True,
    form: str = "original",
    copies: int = 1,
    medium: str = "paper",
    source: str = "applicant",
    sample: bool = False,
) -> dict:
    return {
        "name": name,
        "required": required or key,
        "key": key,
        "form": form,
        "copies": copies,
        "medium": medium,
        "source": source,
        "has_sample": sample,
    }


def _app(name: str, copies: int = 1, medium: str = "paper") -> dict:
    """The application form: the key material, the center provides a blank and a sample."""
    return _m(name, key=True, copies=copies, medium=medium, sample=True)


def _k(
    name: str, form: str = "original", source: str = "applicant", copies: int = 1,
    medium: str = "paper",
) -> dict:
    """Another key (main) material."""
    return _m(name, key=True, form=form, source=source, copies=copies, medium=medium)


def _o(name: str, copies: int = 1, source: str = "applicant", sample: bool = False) -> dict:
    return _m(name, copies=copies, source=source, sample=sample)


def _c(name: str, source: str = "applicant") -> dict:
    return _m(name, form="copy", source=source)


def _oc(name: str) -> dict:
    return _m(name, form="original_and_copy")


def _g(name: str, form: str = "copy", key: bool = False) -> dict:
    """A document issued by a government body (prior approval, certificate)."""
    return _m(name, form=form, source="government", key=key)


def _i(name: str, key: bool = False, copies: int = 1, medium: str = "paper") -> dict:
    """A report or certificate issued by an intermediary (design institute, lab, surveyor)."""
    return _m(name, key=key, source="intermediary", copies=copies, medium=medium)


def _opt(name: str, form: str = "copy", source: str = "applicant", sample: bool = False) -> dict:
    return _m(name, required=False, form=form, source=source, sample=sample)


def _lic() -> dict:
    return _c("营业执照副本")


def _rep() -> dict:
    return _m("法定代表人身份证明书", sample=True)


def _proxy() -> dict:
    return _opt("授权委托书及受托人身份证(委托办理的提交)", form="original", sample=True)


def _idc(who: str = "申请人") -> dict:
    return _oc(f"{who}居民身份证")


def _entity() -> list[dict]:
    """营业执照, 法定代表人身份证明, 授权委托书: the common trio of enterprise applications."""
    return [_lic(), _rep(), _proxy()]


# --------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------

_GENERIC_CONDITIONS = (
    "申请人为依法设立的法人、其他组织或者具有完全民事行为能力的自然人",
    "申请事项属于本部门的受理范围",
    "申请材料齐全、符合法定形式",
)

_NUMERALS = "一二三四五六七八九十"


def _conditions(conds: tuple[str, ...] | None) -> str:
    conds = conds or _GENERIC_CONDITIONS
    return ";".join(f"{_NUMERALS[i]}、{text}" for i, text in enumerate(conds)) + "。"


def _half(x: float) -> float:
    """Round down to a multiple of half a day."""
    return int(x * 2) / 2


def _steps(ptype: str, kind: str, promised: int, unit: str, site: bool) -> list[list]:
    """Default step plan; the budgets (working days) never exceed the promised limit."""
    if ptype == "immediate":
        return [["受理", 0], ["办结", 0]]
    budget = promised if unit == "working" else max(1, promised * 5 // 7)
    rest = budget - 1.0  # 受理 and 办结 take half a day each
    if rest < 0.5:
        return [["受理", 0.5], ["办结", 0.5]]
    tail: list[list] = []
    if kind == "license" and rest >= 4:
        tail = [["制证", 0.5]]
        rest -= 0.5
    if ptype == "reported":
        middle = ["审查"]
    elif ptype == "joint":
        middle = ["承办", "审核", "审定"]
    elif rest < 2:
        middle = ["审核"]
    elif rest < 5:
        middle = ["审核", "审定"]
    else:
        middle = ["承办", "审核", "审定", "批准"]
    if site and rest >= 2:
        middle.insert(1, "现场核查")
    while len(middle) > 1 and rest < 0.5 * len(middle):
        middle.pop()
    share = _half(rest / len(middle))
    budgets = [share] * len(middle)
    budgets[0] = rest - share * (len(middle) - 1)
    plan = [["受理", 0.5]] + [[n, b] for n, b in zip(middle, budgets)] + tail + [["办结", 0.5]]
    return [[n, int(b) if b == int(b) else b] for n, b in plan]


def _item(
    kind: str,
    name: str,
    legal: int | None,
    promised: int,
    variants: tuple[str, ...],
    basis: str,
    conds: tuple[str, ...] | None,
    materials: list[dict],
    *,
    sub: str = "",
    ptype: str | None = None,
    lu: str = "working",
    pu: str = "working",
    fees: tuple[dict, ...] = (),
    steps: list[list] | None = None,
    themes: tuple[str, ...] = (),
    visits: int | None = None,
    online: int = 3,
    bookable: bool = True,
    joint: tuple[str, ...] = (),
    delivery: tuple[str, ...] | None = None,
    site: bool = False,
) -> dict:
    if ptype is None:
        ptype = "joint" if joint else ("immediate" if promised == 0 else "promised")
    if visits is None:
        visits = 0 if online == 4 else 1
    if delivery is None:
        delivery = ("window", "online") if online == 4 else ("window", "post")
    return {
        "name": name,
        "sub_item": sub,
        "kind": kind,
        "processing_type": ptype,
        "legal_limit": legal,
        "legal_unit": lu,
        "promised_limit": promised,
        "promised_unit": pu,
        "variants": list(variants),
        "legal_basis": basis,
        "conditions": _conditions(conds),
        "materials": materials,
        "fees": list(fees),
        "steps": steps if steps is not None else _steps(ptype, kind, promised, pu, site),
        "themes": list(themes),
        "max_visits": visits,
        "online_depth": online,
        "bookable": bookable,
        "joint_departments": list(joint),
        "delivery": list(delivery),
    }


def L(*args, **kwargs) -> dict:  # noqa: N802 - reads like a table column
    """行政许可."""
    return _item("license", *args, **kwargs)


def NL(*args, **kwargs) -> dict:  # noqa: N802
    """非行政许可审批."""
    return _item("non_license", *args, **kwargs)


def PS(*args, **kwargs) -> dict:  # noqa: N802
    """公共服务."""
    return _item("public_service", *args, **kwargs)


def OT(*args, **kwargs) -> dict:  # noqa: N802
    """其他 (备案、登记等)."""
    return _item("other", *args, **kwargs)


def _fee(name: str, standard: str, amount: str, basis: str) -> dict:
    return {"name": name, "standard": standard, "amount": amount, "legal_basis": basis}


_TRAFFIC_FEES = "《国家发展改革委 财政部关于公安交通管理收费及其有关问题的通知》(发改价格〔2004〕2831号)"
_HOUSE_FEES = "《国家发展改革委 财政部关于规范房屋登记费计费方式和收费标准等有关问题的通知》(发改价格〔2008〕924号)"
_412 = "《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)"
_XKF = "《中华人民共和国行政许可法》第四十二条"
_INV = "《国务院关于投资体制改革的决定》(国发〔2004〕20号)"


# --------------------------------------------------------------------------------------------
# 市发展改革委
# --------------------------------------------------------------------------------------------


def _fgw() -> list[dict]:
    inv = _INV
    gov_inv = inv + ";《深圳市政府投资项目管理条例》"
    return [
        L("企业投资项目核准", 20, 10, NC,
          inv + ";《企业投资项目核准暂行办法》(国家发展改革委令第19号)第十五条",
          ("项目属于《政府核准的投资项目目录》范围且由市级核准",
           "符合国家法律法规、发展规划、产业政策和行业准入标准",
           "已取得城乡规划部门的选址意见书和国土资源部门的用地预审意见",
           "已依法取得环境影响评价审批文件"),
          [_k("项目申请报告", source="intermediary", copies=5), _g("建设项目选址意见书"),
           _g("建设项目用地预审意见"), _g("环境影响评价审批文件"), _lic(), _proxy()],
          themes=("工程建设",)),
        L("外商投资项目核准", 20, 10, NC,
          "《外商投资项目核准暂行管理办法》(国家发展改革委令第22号)第十二条",
          ("项目符合《外商投资产业指导目录》和国家有关产业政策",
           "符合发展规划、行业规划和土地利用规划",
           "中外投资各方具备相应的投资资格和资金实力"),
          [_k("项目申请报告", source="intermediary", copies=5), _c("中外投资各方注册登记证明"),
           _i("中外投资各方最新会计年度审计报告"), _c("投资意向书或合资合同"),
           _g("建设项目选址意见书"), _g("环境影响评价审批文件"), _proxy()],
          themes=("工程建设", "进出口贸易")),
        OT("企业投资项目备案", None, 0, NC,
           inv + ";《广东省企业投资项目备案办法》",
           ("项目不属于政府核准目录范围", "项目符合国家产业政策", "备案信息真实、完整"),
           [_app("企业投资项目备案申请表", medium="both"), _lic(), _proxy()],
           themes=("工程建设",), online=4),
        NL("政府投资项目建议书审批", None, 10, N, gov_inv + "第十三条",
           ("项目已列入市政府投资项目前期计划", "项目建议书由具备相应资质的咨询机构编制"),
           [_app("项目建议书审批申请函"), _k("项目建议书", source="intermediary", copies=4),
            _g("项目前期计划下达文件"), _opt("项目选址初步意见")],
           themes=("工程建设",)),
        NL("政府投资项目可行性研究报告审批", None, 15, N, gov_inv + "第十五条",
           ("项目建议书已经批准", "已取得规划选址、用地预审和环境影响评价意见",
            "可行性研究报告深度符合规定"),
           [_app("可行性研究报告审批申请函"), _k("可行性研究报告", source="intermediary", copies=4),
            _g("项目建议书批复"), _g("建设项目选址意见书"), _g("建设项目用地预审意见"),
            _g("环境影响评价审批文件")],
           joint=("GTW", "RJW"), themes=("工程建设",), online=2),
        NL("政府投资项目总概算审批", None, 15, N, gov_inv + "第十七条",
           ("可行性研究报告已经批准", "初步设计已完成并通过技术审查"),
           [_app("项目总概算审批申请函"), _k("初步设计及概算文件", source="intermediary", copies=3),
            _g("可行性研究报告批复"), _i("初步设计技术审查意见")],
           themes=("工程建设",), online=2),
        L("固定资产投资项目节能审查", 20, 10, N,
          "《中华人民共和国节约能源法》第十五条;《固定资产投资项目节能评估和审查暂行办法》"
          "(国家发展改革委令2010年第6号)",
          ("项目年综合能源消费量达到应编制节能评估报告书或报告表的标准",
           "节能评估文件由具备相应能力的机构编制", "项目用能符合国家和地方节能标准"),
          [_app("节能审查申请表"), _i("节能评估报告书(表)", key=True, copies=3),
           _lic(), _proxy()],
          themes=("工程建设",)),
        L("工程建设项目招标方案核准", 20, 5, N,
          "《中华人民共和国招标投标法》第九条;《工程建设项目申报材料增加招标内容和核准招标事项"
          "暂行规定》(国家计委令第9号)",
          ("项目属于依法必须招标的工程建设项目", "招标范围、招标方式和招标组织形式符合规定"),
          [_app("招标方案核准申请表"), _k("招标基本情况表"), _g("项目审批、核准或备案文件"),
           _proxy()],
          themes=("工程建设",)),
        NL("国家鼓励发展的内外资项目确认", None, 10, NC,
           "《国务院关于调整进口设备税收政策的通知》(国发〔1997〕37号)",
           ("项目属于国家鼓励发展的产业、产品和技术目录范围",
            "进口设备在国内不能生产或性能不能满足需要"),
           [_app("国家鼓励发展的内外资项目确认书申请表"), _k("进口设备清单", medium="both"),
            _g("项目核准或备案文件"), _lic()],
           themes=("进出口贸易",)),
        NL("政府定价商品和服务价格审批", None, 20, N, "《中华人民共和国价格法》第二十条、第二十一条",
           ("商品或服务列入地方定价目录", "定价成本经成本监审"),
           [_app("调价申请书"), _k("定价成本监审资料", source="intermediary"),
            _o("近三年财务报表"), _lic()],
           online=1),
        L("粮食收购资格许可", 15, 7, NCRX, "《粮食流通管理条例》第九条",
          ("具备经营资金筹措能力", "拥有或者通过租借具有必要的粮食仓储设施",
           "具备相应的粮食质量检验和保管能力"),
          [_app("粮食收购资格申请书"), _lic(), _o("资信证明"), _c("仓储设施产权证明或租赁合同"),
           _c("质量检验人员资格证书"), _proxy()],
          site=True),
        NL("中央预算内投资资金申请报告转报", None, 5, N,
           "《中央预算内投资补助和贴息项目管理暂行办法》(国家发展改革委令第31号)",
           ("项目符合中央预算内投资支持方向", "项目已完成审批、核准或备案手续"),
           [_k("资金申请报告", source="intermediary", copies=3), _g("项目审批、核准或备案文件"),
            _o("项目单位承诺书")],
           ptype="reported", themes=("工程建设",), online=1, visits=2),
    ]


# --------------------------------------------------------------------------------------------
# 市经贸信息委
# --------------------------------------------------------------------------------------------


def _fie(sub: str, law: str) -> list[dict]:
    """外商投资企业设立、变更、终止审批, one block per enterprise form."""
    conds = ("投资者符合《外商投资产业指导目录》和有关法律规定",
             "合同、章程条款符合法律法规", "投资总额与注册资本比例符合规定")
    mats = [_app("外商投资企业审批申请书"), _k("合同、章程", copies=2),
            _c("投资者主体资格证明或身份证明"), _o("投资者资信证明"),
            _g("企业名称预先核准通知书"), _proxy()]
    return [
        L("外商投资企业审批", 90, 5, NC, law, conds, mats, sub=sub, lu="natural",
          themes=("开办企业", "进出口贸易")),
        L("外商投资企业审批", 90, 3, X, law,
          ("经营期限届满或出现合同约定的终止事由", "董事会或投资者作出终止决议"),
          [_app("外商投资企业终止申请书"), _k("董事会终止决议"), _g("外商投资企业批准证书"),
           _lic()],
          sub=sub, lu="natural", themes=("进出口贸易",)),
    ]


def _jmxxw() -> list[dict]:
    trade = "《中华人民共和国对外贸易法》"
    hazchem = "《危险化学品安全管理条例》第三十五条"
    precursor = "《易制毒化学品管理条例》;《非药品类易制毒化学品生产、经营许可办法》第十九条"
    return [
        *_fie("中外合资经营企业", "《中华人民共和国中外合资经营企业法实施条例》第六条"),
        *_fie("中外合作经营企业", "《中华人民共和国中外合作经营企业法》第五条"),
        *_fie("外资企业", "《中华人民共和国外资企业法》第六条"),
        OT("对外贸易经营者备案登记", 5, 0, NC,
           trade + "第九条;《对外贸易经营者备案登记办法》(商务部令2004年第14号)第七条",
           ("已依法办理工商登记", "经营范围包含货物或技术进出口"),
           [_app("对外贸易经营者备案登记表", medium="both"), _lic(), _opt("组织机构代码证")],
           themes=("进出口贸易",), online=4),
        L("境外投资企业(机构)核准", 15, 5, NC, "《境外投资管理办法》(商务部令2009年第5号)第十二条",
          ("境外投资不危害国家主权、安全和社会公共利益",
           "不违反我国与有关国家(地区)签订的协议", "不涉及我国禁止出口的技术和货物"),
          [_app("境外投资申请表"), _k("境外企业章程及相关协议"), _lic(),
           _o("前期工作落实情况说明"), _proxy()],
          themes=("进出口贸易",)),
        L("加工贸易业务批准", 20, 3, NC, _412, None,
          [_app("加工贸易业务批准证申请表"), _k("进出口合同"), _c("加工贸易企业经营状况和生产能力证明"),
           _lic()],
          sub="来料加工", themes=("进出口贸易",), online=4),
        L("加工贸易业务批准", 20, 3, NC, _412, None,
          [_app("加工贸易业务批准证申请表"), _k("进出口合同"), _c("加工贸易企业经营状况和生产能力证明"),
           _lic()],
          sub="进料加工", themes=("进出口贸易",), online=4),
        L("自动进口许可证", 10, 1, NC,
          "《货物自动进口许可管理办法》(商务部 海关总署令2004年第26号)第十一条", None,
          [_app("自动进口许可证申请表", medium="electronic"), _k("进口合同"), _lic()],
          themes=("进出口贸易",), online=4),
        OT("技术进出口合同登记", 3, 1, NCX,
           "《中华人民共和国技术进出口管理条例》第十八条;《技术进出口合同登记管理办法》"
           "(商务部令2009年第3号)",
           ("合同属于自由进出口的技术", "合同已依法成立"),
           [_app("技术进出口合同登记申请书", medium="both"), _k("技术进出口合同副本"),
            _c("签约双方法律地位证明")],
           themes=("进出口贸易", "知识产权"), online=4),
        L("危险化学品经营许可证(甲种)", 30, 15, NCR, hazchem,
          ("经营和储存场所、设施、建筑物符合国家标准", "从业人员经过专业技术培训并考核合格",
           "有健全的安全管理规章制度和事故应急预案", "有专职安全管理人员"),
          [_app("危险化学品经营许可证申请表"), _lic(), _c("经营场所产权证明或租赁合同"),
           _o("安全生产管理制度和岗位操作规程"), _c("主要负责人和安全管理人员培训合格证"),
           _i("安全评价报告", key=True), _proxy()],
          lu="natural", site=True),
        OT("非药品类易制毒化学品生产备案", 3, 0, NCR, precursor,
           ("生产第二类、第三类非药品类易制毒化学品", "具备与生产品种相适应的安全管理制度"),
           [_app("非药品类易制毒化学品生产备案申请表"), _lic(), _o("易制毒化学品管理制度"),
            _c("主要负责人身份证")]),
        OT("非药品类易制毒化学品经营备案", 3, 0, NCR, precursor,
           ("经营第二类、第三类非药品类易制毒化学品", "具备与经营品种相适应的仓储条件和管理制度"),
           [_app("非药品类易制毒化学品经营备案申请表"), _lic(), _o("易制毒化学品管理制度"),
            _c("仓储场所证明")]),
        NL("成品油零售经营资格审核", None, 10, N,
           "《成品油市场管理办法》(商务部令2006年第23号)第九条",
           ("符合当地成品油零售网点发展规划", "具备符合国家标准的加油站"),
           [_app("成品油零售经营资格申请表"), _k("加油站规划确认文件", source="government"),
            _g("消防验收合格意见"), _g("环境影响评价审批文件"), _lic()],
           ptype="reported", site=True, online=1, visits=2),
        OT("单用途商业预付卡发卡企业备案", 30, 0, NC,
           "《单用途商业预付卡管理办法(试行)》(商务部令2012年第9号)第七条",
           ("发卡企业已依法取得营业执照", "建立了预收资金管理制度"),
           [_app("单用途卡发卡企业备案表"), _lic(), _o("预付卡章程和购卡协议范本")],
           online=4),
        OT("再生资源回收经营者备案", 30, 0, NC,
           "《再生资源回收管理办法》(商务部令2007年第8号)第七条", None,
           [_app("再生资源回收经营者备案登记表"), _lic(), _c("经营场所证明")]),
        OT("国际货运代理企业备案", None, 0, NC,
           "《中华人民共和国国际货物运输代理业管理规定》", None,
           [_app("国际货运代理企业备案表", medium="both"), _lic()],
           themes=("进出口贸易",), online=4),
        L("对外劳务合作经营资格", 20, 10, NCX, "《对外劳务合作管理条例》(国务院令第620号)第七条",
          ("注册资本不低于600万元人民币", "有3名以上熟悉对外劳务合作业务的管理人员",
           "有健全的内部管理制度和突发事件应急处置制度", "法定代表人没有故意犯罪记录"),
          [_app("对外劳务合作经营资格申请书"), _lic(), _i("验资报告"),
           _o("管理人员名单及从业经历证明"), _o("内部管理制度和应急处置制度"), _proxy()],
          themes=("进出口贸易",)),
        NL("企业技术中心认定", None, 20, N,
           "《国家认定企业技术中心管理办法》;《深圳市企业技术中心认定管理办法》",
           ("企业在行业中具有显著规模优势和竞争优势", "技术中心组织体系健全、创新效率高"),
           [_app("企业技术中心认定申请报告"), _k("企业技术中心评价材料", medium="both"),
            _i("上年度财务审计报告"), _lic()],
           online=2),
        OT("工业企业技术改造投资项目备案", None, 3, NC, _INV + ";《广东省企业投资项目备案办法》",
           ("项目不新增建设用地", "项目符合国家产业政策"),
           [_app("技术改造项目备案申请表", medium="both"), _lic(), _o("项目情况说明")],
           themes=("工程建设",)),
        L("软件产品登记", 20, 10, NR, "《软件产品管理办法》(工业和信息化部令第9号)第十二条",
          ("软件产品权利人为在中国境内依法设立的企业", "软件产品经测试机构测试合格"),
          [_app("软件产品登记申请表"), _i("软件产品测试报告", key=True),
           _c("软件著作权登记证书"), _lic()],
          themes=("知识产权",), online=3),
        NL("资源综合利用认定", None, 20, NR,
           "《资源综合利用认定管理办法》(发改环资〔2006〕1864号)第七条",
           ("综合利用的资源属于《资源综合利用目录》范围", "产品质量符合国家和行业标准",
            "生产工艺及设备符合国家产业政策"),
           [_app("资源综合利用认定申请表"), _i("产品质量检测报告"), _o("资源综合利用情况说明"),
            _lic()],
           site=True, online=2),
        NL("清洁生产审核评估验收", None, 20, N, "《中华人民共和国清洁生产促进法》第二十七条",
           ("企业已按规定完成清洁生产审核", "清洁生产方案已实施"),
           [_app("清洁生产审核验收申请表"), _i("清洁生产审核报告", key=True),
            _o("清洁生产方案实施情况报告")],
           site=True, online=2),
        NL("境内对外经济技术展览会备案", None, 3, NC,
           "《商务部关于进一步做好境内对外经济技术展览会管理工作的通知》",
           ("主办单位具备举办展览会的能力", "展览会名称、规模与实际相符"),
           [_app("境内对外经济技术展览会备案表"), _lic(), _o("展览会招展方案")]),
    ]


# --------------------------------------------------------------------------------------------
# 市科技创新委
# --------------------------------------------------------------------------------------------


def _kcw() -> list[dict]:
    tc = "《技术合同认定登记管理办法》(国科发政字〔2000〕063号)第十三条;《技术合同认定规则》"
    plan = "《深圳经济特区科技创新促进条例》;《深圳市科技研发资金管理办法》"
    tc_mats = [_app("技术合同认定登记申请表", medium="both"), _k("技术合同文本", copies=3),
               _c("当事人主体资格证明")]
    items = [
        NL("高新技术企业认定", None, 10, NR,
           "《高新技术企业认定管理办法》(国科发火〔2008〕172号)第十一条",
           ("在中国境内注册一年以上的居民企业", "对主要产品的核心技术拥有自主知识产权",
            "研究开发费用、高新技术产品收入占比达到规定比例"),
           [_app("高新技术企业认定申请书", medium="both"), _c("知识产权证书"),
            _i("研究开发费用专项审计报告", key=True), _i("高新技术产品收入专项审计报告"),
            _lic()],
           ptype="reported", themes=("资质认定", "知识产权"), online=3),
        NL("深圳市高新技术项目认定", None, 20, NR, "《深圳经济特区高新技术产业园区条例》",
           ("项目技术属于国家和深圳市高新技术产品目录范围", "项目已形成产品并实现销售"),
           [_app("高新技术项目认定申请表"), _i("产品检测报告"), _c("知识产权证明"), _lic()],
           themes=("资质认定",), online=3),
    ]
    for sub in ("技术开发合同", "技术转让合同", "技术咨询合同", "技术服务合同"):
        items.append(PS("技术合同认定登记", 30, 0, N, tc, None, tc_mats, sub=sub, lu="natural",
                        themes=("知识产权",), online=4))
    for sub in ("基础研究", "技术攻关", "产学研合作", "科技金融贴息"):
        items.append(PS("科技计划项目立项申请", None, 20, N, plan,
                        ("申请单位在深圳市依法注册", "项目符合当年度申请指南的支持方向",
                         "申请单位无不良信用记录"),
                        [_app("科技计划项目申请书", medium="both"), _lic(),
                         _i("上年度财务审计报告"), _opt("合作协议")],
                        sub=sub, online=4))
    items += [
        NL("科技企业孵化器认定", None, 20, N, "《科技企业孵化器认定和管理办法》(国科发高〔2010〕680号)",
           ("孵化场地面积不低于规定标准", "在孵企业数量达到规定标准", "具备专业的孵化服务团队"),
           [_app("科技企业孵化器认定申请表"), _c("场地产权证明或租赁合同"), _o("在孵企业名单"),
            _lic()],
           site=True, online=2),
        NL("工程技术研究中心认定", None, 20, N, plan,
           ("依托单位在深圳注册并具有较强研发实力", "有稳定的研发队伍和研发投入"),
           [_app("工程技术研究中心组建申请书"), _o("可行性研究报告"), _i("财务审计报告"), _lic()],
           site=True, online=2),
        NL("重点实验室认定", None, 20, N, plan,
           ("研究方向符合本市产业发展重点", "具备一流的研究条件和学术带头人"),
           [_app("重点实验室组建申请书"), _o("学术带头人简历及成果"), _i("财务审计报告"), _lic()],
           site=True, online=2),
        NL("技术先进型服务企业认定", None, 15, N,
           "《财政部 国家税务总局 商务部 科技部 国家发展改革委关于技术先进型服务企业有关企业所得税"
           "政策问题的通知》(财税〔2010〕65号)",
           ("从事技术先进型服务业务", "大专以上学历员工占比达到规定比例",
            "技术先进型服务业务收入占比达到规定比例"),
           [_app("技术先进型服务企业认定申请表"), _i("专项审计报告", key=True), _lic(),
            _o("员工学历情况表")],
           themes=("资质认定",)),
        PS("科技成果登记", None, 0, N, "《科技成果登记办法》(国科发计字〔2000〕542号)", None,
           [_app("科技成果登记表", medium="both"), _o("成果评价证明或知识产权证明")],
           themes=("知识产权",), online=4),
        PS("深圳市科学技术奖申报", None, 30, N, "《深圳市科学技术奖励办法》",
           ("成果已实施应用两年以上", "主要完成人在深圳工作"),
           [_app("科学技术奖推荐书", medium="both"), _o("应用证明"), _c("知识产权证明")],
           pu="natural", online=3),
        PS("企业研究开发资助申请", None, 20, N, plan,
           ("企业上年度研究开发投入达到规定标准", "已在税务机关办理研发费用加计扣除"),
           [_app("研究开发资助申请表", medium="both"), _i("研究开发费用专项审计报告", key=True),
            _lic()],
           online=4),
        PS("国际科技合作项目申请", None, 20, N, plan,
           ("具有明确的国际合作伙伴和合作协议", "合作内容符合本市产业发展方向"),
           [_app("国际科技合作项目申请书", medium="both"), _k("国际合作协议"), _lic()],
           online=4),
    ]
    return items
