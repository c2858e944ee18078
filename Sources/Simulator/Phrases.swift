import CaseDomain

/// The words the simulated hall writes into events: reasons, opinions, materials, partners.
enum Phrases {
    /// 跨省通办 partners named in the report.
    static let crossProvincePartners = ["湖南省宁乡市", "湖南省长沙县", "湖南省岳阳市岳阳楼区", "山东省德州市乐陵市"]
    /// 武汉都市圈 圈内通办 partners (Liangzihu is in Ezhou, inside the circle).
    static let metroCirclePartners = ["武汉市", "黄石市", "黄冈市", "孝感市", "咸宁市", "仙桃市", "天门市", "潜江市"]

    static let rejectionReasons = [
        "申请事项不属于本机关职权范围", "申请人不具备申请资格", "申请材料不符合法定形式且无法当场补正",
        "同一事项已在办理中，不得重复申请", "申请事项依法不需要取得行政许可",
    ]
    static let lateSupplementReason = "逾期未补正申请材料，视为放弃申请"
    static let supplementMaterials = [
        "身份证明复印件", "授权委托书", "申请表签字页", "营业执照副本", "不动产权属证书", "房屋买卖合同",
        "完税证明", "场所使用证明", "健康证明", "户口簿首页", "婚姻关系证明", "法定代表人身份证明",
    ]
    static let withdrawalReasons = ["申请人主动撤回申请", "申请人变更经营计划，撤回申请", "材料需重新准备，申请撤回"]
    static let denialReasons = ["经审查不符合法定条件", "现场核查不符合许可条件", "申请事项与规划要求不符"]
    static let suspensionReasons: [(procedure: Procedure, reason: String)] = [
        (.inspection, "需现场核查"), (.expertReview, "组织专家评审"), (.appraisal, "委托技术鉴定"),
        (.testing, "送检检测"), (.hearing, "依申请举行听证"), (.quarantine, "动植物检疫"),
        (.other, "征求相关部门意见"),
    ]
    static let handleOpinion = "材料齐全，符合法定形式，承办"
    static let reviewOpinion = "经审核，申请材料真实有效，符合条件"
    static let approveOpinion = "同意"
    static let denyOpinion = "不符合法定条件，拟不予许可"
    static let badReviewComments = ["等候时间过长", "一次性告知不清楚，来回跑", "窗口人员解释不耐心", "网上申报系统操作不便"]
    static let rectificationNotes = [
        "已约谈窗口工作人员，加强服务规范培训", "已优化排队叫号与引导服务", "已修订一次性告知清单并公示",
        "已反馈系统建设单位优化申报页面",
    ]
    static let feedbackNotes = ["已电话告知评价人整改情况，评价人表示认可", "已短信反馈整改结果", "已当面向评价人说明整改措施"]
    static let appealReasons: [AppealGround: [String]] = [
        .mistaken: ["评价人误选办件，所评事项非本窗口办理", "评价人回访中确认误操作"],
        .malicious: ["评价内容与办事服务无关，含辱骂用语", "评价人以差评要挟违规办理"],
    ]
    static let appealGrantedReasons = ["经复核，差评情况不属实，予以剔除", "经复核，属恶意差评，不计入统计"]
    static let appealDismissedReasons = ["经复核，申诉理由不充分，维持差评，限期整改"]
    /// The village 帮办代办 studio the report names.
    static let villageAssistant = "余湾村余巧工作室"
    /// The hall's 帮办代办 brand.
    static let assistBrand = "商梁办·贴心办"
}
