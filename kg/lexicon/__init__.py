"""Word lists the vague-target classifier and the quality rules match against.

The groups follow ``../shared/quality-rules.md`` §4.1 (value phrases) and the term lists
of the rules that read indicator *names* (Q11, Q16, Q20, Q29 …).  They are heuristics
([H] in the catalogue): extend them here, not in the rules, so every rule sees the same
words.
"""

from __future__ import annotations

__all__ = [
    "ABSTRACT_TERMS",
    "ACTIVITY_NOUNS",
    "ACTIVITY_SYNONYMS",
    "ACTIVITY_VERBS",
    "BENEFIT_TERMS",
    "BINARY_NAME_TERMS",
    "BINARY_VALUE_TERMS",
    "CATEGORY_ORDER",
    "CHECKABLE_CATEGORIES",
    "DECLARED_UNITS",
    "DURABILITY_NAME_ENDS",
    "DURABILITY_NAME_TERMS",
    "INTERNAL_PROJECT_TERMS",
    "INTERNAL_RESPONDENTS",
    "METRIC_TERMS",
    "METRIC_WORDS",
    "NEG_TERMS",
    "OUTPUT_TERMS",
    "PASS_WORDS",
    "SENTENCE_VERBS",
    "UNBOUNDED_RATE_TERMS",
    "UPHOLD_OBJECTS",
    "VAGUE_LEXICON",
]


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# category -> phrases, §4.1 groups 1-7.  Groups 8 (approximation) and 9 (relative change)
# carry numbers, so they are regexes in kg.lexicon.patterns rather than vague words.
# "binary" and "budget" are yes/no checks a document settles (an acceptance certificate, payment
# records, the accounts): they are recognised so that they are *not* read as vague; whether a
# budget tautology is a fit indicator is rule Q17's question, not the vague flag's.
VAGUE_LEXICON: dict[str, tuple[str, ...]] = {
    "degree": _w(
        "显著 明显 大幅 大幅度 大大 极大 较大 充分 全面 切实 有效 积极 较好 良好 优良 较高 高效"
        " 成效显著 效果明显 达到良好程度 有效提升 得到有效控制"
    ),
    "trend": _w("有所 逐步 进一步 不断 持续 稳步 逐年 日益 继续 加快 加强 深化 初步 保持 保持稳定 稳中有升"),
    "direction": _w(
        "提高 提升 增加 增强 增长 扩大 加大 改善 优化 完善 降低 减低 减少 下降 减轻 缩短 压缩 节约"
        " 同比减少 同比增长 同比下降 同比提高"
    ),
    "state": _w(
        "合格 达标 合规 规范 到位 足额 足额支付 足额保障 正常 正常运行 正常运转 运行安全 安全 稳定"
        " 符合标准 符合要求 达到要求 满足需求 应保尽保 全覆盖 实现 完成 落实"
        " 基本形成 基本实现 初步建立 建立健全 积极参与 收支平衡 略有结余 合理 可控 健全 具备 具有"
    ),
    "schedule": _w(
        "按计划 按计划完成 按计划开展 按期 按期开展 按期完成 按时 按时完成 按要求 按进度 及时 如期"
        " 按工作计划及时开展 根据合同按计划完成 根据文件要求 适时 适时推进 每年开展 年内 当年"
    ),
    "durability": _w("长期 长期有效 长效 持续影响 持续发挥作用 可持续 动态维护 长期使用 长期稳定"),
    "binary": _w("验收通过 通过验收 足额到位 足额拨付 足额发放 足额支付 资金到位"),
    "budget": _w("控制在预算范围内 控制在预算内 预算范围内 不超预算 不超过预算"),
}

# A phrase listed in two groups takes the first of its groups here: 按计划完成 is a missing
# deadline before it is a state, 控制在预算内 a budget check before anything else.
CATEGORY_ORDER: tuple[str, ...] = _w(
    "empty placeholder schedule budget binary durability degree trend direction state"
)
CHECKABLE_CATEGORIES: tuple[str, ...] = ("budget", "binary")

# An ungraded pass word (合格, 通过 …) on an indicator that names a yes/no fact a document proves
# (软件验收 → 合格: the acceptance certificate) is a binary check, not a vague target; so is a
# value naming such a document (具备相应资质).
PASS_WORDS = _w("合格 合规 达标 通过 具备 具有")
BINARY_NAME_TERMS = _w("验收 审计 审核 评审 备案 批复 资质 证书 鉴定 检测 年检")
BINARY_VALUE_TERMS = _w("资质 证书 资格 执照 许可证")

# "…年限 5年", "政策持续发挥作用的期限 10 年": a lifetime nobody can check within the budget year
# (an indicator name ending so, or naming 长期/持续 …, whose value is a number of years)
DURABILITY_NAME_ENDS = _w("年限 期限")
DURABILITY_NAME_TERMS = _w("长期 持续 可持续 长效")

# Q09: rates that may legitimately exceed 100 %
UNBOUNDED_RATE_TERMS = _w("增长 增幅 提高幅度 同比 比上年 倍 超额 比值 指数 降幅")

# Q11: lower-is-better indicator names
NEG_TERMS = _w(
    "故障 事故 投诉 差错 错误 失误 延误 延迟 逾期 超期 违规 违法 发生率 返贫 超支 成本 费用 经费"
    " 单价 时长 用时 耗时 办理时间 等待 负担 能耗 排放 损失 调剂次数 不合格 时限"
)

# Q16: keyword classes of an L3
OUTPUT_TERMS = _w("次数 人次 场次 参观 培训 印制 召开 份数 册数 期数 采购数")
BENEFIT_TERMS = _w("负担 效率 影响 水平 效益 获得感")

# Q20: abstract constructs in an L3, and the metric nouns that make them measurable
ABSTRACT_TERMS = _w(
    "能力 水平 形象 公信力 影响力 话语权 素养 素质 意识 氛围 环境 秩序 格局 有效性 稳定率 规范性"
    " 安全性 积极性 稳定性"
)
METRIC_TERMS = _w("率 数 次 人 分 得分 指数 排名 金额 天 额 量 比例 比重 时间 时长 个 项 元")
SENTENCE_VERBS = _w("提高 提升 促进 推动 保障 规范 改善 满足")

# Q05 / Q25: activities
ACTIVITY_VERBS = _w("开展 推进 出台 建立 完善 实施 组织")
ACTIVITY_NOUNS = _w("培训 宣传 采购 检查 审计 维护 救助 调研 考核 评估 学习 印制")
# Q25(b): other words an indicator may name the same activity by (维修（护）, 集采, 补助 …)
ACTIVITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "维护": _w("维修 运维 维保"),
    "采购": _w("集采 购置 购买"),
    "救助": _w("补助 资助"),
    "检查": _w("核查 稽查 抽查 督查 检测"),
    "调研": _w("调查"),
    "考核": _w("考评 评估"),
    "评估": _w("评价 测算"),
    "学习": _w("培训"),
    "印制": _w("印刷"),
    "宣传": _w("宣讲"),
}
# 维护 with one of these objects is "to uphold" (切实维护参保人合法权益), not upkeep work
UPHOLD_OBJECTS = _w("权益 利益 稳定 秩序 形象 公平 尊严 安全 团结")
# Q25(c): words of an indicator name that say how it is measured, not what about
METRIC_WORDS = _w(
    "率 数量 次数 人数 人次 数 完成 情况 工作 指标 满意度 及时性 及时 开展 项目 时间 时效 成本 费用"
    " 质量 合格 覆盖 达标 规范 有效 程度 水平 年度 全年 本年"
)

# Q29: respondents who are not service recipients, and projects whose recipients are staff
INTERNAL_RESPONDENTS = _w("工作人员 干部 职工 员工 机关 执法人员 业务人员 房东")
INTERNAL_PROJECT_TERMS = _w("机关运行 办公设备 办公用房 办公设施 办公场地 房租 运行经费")

# Q08: units an indicator name may declare in brackets ("人数（人）", "覆盖率(%)"); 人均 is not one
DECLARED_UNITS = frozenset(
    _w(
        "% 人 人次 次 个 家 项 件 台 套 册 份 天 日 月 年 元 万元 亿元 条 篇 场 期 批次 户 名 所 小时 个工作日"
    )
)
