import CaseDomain
import Foundation
import Ledger
import Simulator
import Testing

/// Figures recounted from the events of a run (not taken from the simulator's own summary).
struct RecountedYear {
    var summary = SimulationSummary()
    var cases = 0
    var passwordResetsCrossRegion = 0
    var wuhanTongCrossRegion = 0
    var industryLicences = 0
    var eCertificateReductions = 0
    var visitHistogram: [Int] = [0, 0, 0, 0]
    var windowSubmissions = 0
    var supplements = 0
    var rejected = 0
    var completed = 0
    var evaluated = 0
    var badReviews = 0
    var badFollowedUpInTime = 0
    var badRectifiedInTime = 0
    var badRectified = 0
    var badAppealed = 0
    var badExcluded = 0
    var badFedBack = 0
    var promisedDecisions = 0
    var promisedOverdue = 0
    var immediateDecisions = 0
    var immediateSameDay = 0
    var approvals = 0
    var electronicCertificates = 0
    var transferred = 0
    var itemCounts: [String: Int] = [:]
    /// Approvals dated in the simulated year, as the year's reports count them.
    var yearIndustryLicences = 0
    var yearPasswordResetsCrossRegion = 0
    var yearWuhanTongCrossRegion = 0
    var yearCertificatesInLibrary = 0
    var certificatesInLibrary = 0
    /// 一件事 themes named at submission, and submissions naming a theme their item is not part of.
    var themes: [String: Int] = [:]
    var foreignThemes = 0

    private struct Track {
        var item = ""
        var crossRegion = false
        var visits = 0
        var accepted: Acceptance?
        var acceptedOn: CivilDate?
        var suspensions: [SuspensionPeriod] = []
        var extensionDays = 0
        var badReviewOn: CivilDate?
    }

    init(_ config: SimulationConfig) throws {
        let seeds = try SimulatorFixtures.seeds()
        let calendar = try SimulatorFixtures.calendar()
        let names = Dictionary(uniqueKeysWithValues: seeds.catalog.map { ($0.code, $0.name) })
        let itemThemes = Dictionary(uniqueKeysWithValues: seeds.catalog.map { ($0.code, $0.themes) })
        var tracks: [CaseNumber: Track] = [:]
        summary = try SimulatorFixtures.simulator(config).run { event in
            var track = tracks[event.caseNumber] ?? Track()
            let day = CivilDate(instantMilliseconds: event.at.milliseconds)
            switch event.data {
            case .submitted(let s):
                cases += 1
                track.item = s.item
                track.crossRegion = s.crossRegion != nil
                itemCounts[s.item, default: 0] += 1
                if s.channel == .window { windowSubmissions += 1 }
                if let theme = s.theme {
                    themes[theme, default: 0] += 1
                    if !(itemThemes[s.item] ?? []).contains(theme) { foreignThemes += 1 }
                }
            case .visited: track.visits += 1
            case .supplementRequested: supplements += 1
            case .rejected: rejected += 1
            case .accepted(let a):
                track.accepted = a
                track.acceptedOn = day
            case .materialsReduced(let count, .eCertificate): eCertificateReductions += count
            case .suspended: track.suspensions.append(SuspensionPeriod(start: day, end: nil))
            case .resumed: track.suspensions[track.suspensions.count - 1].end = day
            case .extended(let days): track.extensionDays += days
            case .transferred: transferred += 1
            default: break
            }
            if case .approved(let certificate) = event.data {
                approvals += 1
                if certificate?.electronic == true { electronicCertificates += 1 }
                let name = names[track.item]
                if track.crossRegion, name == "社会保障卡密码重置" { passwordResetsCrossRegion += 1 }
                if track.crossRegion, name == "武汉通公交卡办理" { wuhanTongCrossRegion += 1 }
                if certificate != nil, name == "行业综合许可证核发" { industryLicences += 1 }
                if certificate?.inLibrary == true { certificatesInLibrary += 1 }
                if day.year == config.year {
                    if track.crossRegion, name == "社会保障卡密码重置" { yearPasswordResetsCrossRegion += 1 }
                    if track.crossRegion, name == "武汉通公交卡办理" { yearWuhanTongCrossRegion += 1 }
                    if certificate != nil, name == "行业综合许可证核发" { yearIndustryLicences += 1 }
                    if certificate?.inLibrary == true { yearCertificatesInLibrary += 1 }
                }
            }
            switch event.data {
            case .approved, .denied:
                if let a = track.accepted, let acceptedOn = track.acceptedOn {
                    if a.promisedDays == 0 {
                        immediateDecisions += 1
                        if day == acceptedOn { immediateSameDay += 1 }
                    } else {
                        promisedDecisions += 1
                        let due = try calendar.deadline(acceptedOn: acceptedOn, workingDays: a.promisedDays,
                                                        suspensions: track.suspensions, extensionDays: track.extensionDays)
                        if day > due { promisedOverdue += 1 }
                    }
                }
                completed += 1
            case .withdrawn, .rejected: completed += 1
            case .evaluated(let e):
                evaluated += 1
                if e.isBad {
                    badReviews += 1
                    track.badReviewOn = day
                }
            case .followedUp:
                if let on = track.badReviewOn, day <= (try calendar.deadline(acceptedOn: on, workingDays: 1)) { badFollowedUpInTime += 1 }
            case .rectified:
                badRectified += 1
                if let on = track.badReviewOn, day <= (try calendar.deadline(acceptedOn: on, workingDays: 15)) { badRectifiedInTime += 1 }
            case .appealed(_, _):
                if let on = track.badReviewOn, day <= (try calendar.deadline(acceptedOn: on, workingDays: 3)) { badAppealed += 1 }
            case .appealDecided(let excluded, _):
                if excluded { badExcluded += 1 }
            case .feedbackGiven:
                badFedBack += 1
            default: break
            }
            tracks[event.caseNumber] = track
        }
        for track in tracks.values { visitHistogram[min(track.visits, 3)] += 1 }
    }

    func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}

@Suite("The default 2023 year reproduces the report")
struct DefaultYearTests {
    /// The default year, run once for the suite.
    static let defaultYear = Result { try RecountedYear(SimulationConfig()) }

    @Test("29 cross-region password resets, 494 Wuhan-Tong cards, 240 industry licences, 1,180 certificates into the library — all decided in 2023")
    func reportedFigures() throws {
        let year = try Self.defaultYear.get()
        #expect(year.cases == DistrictSimulator.defaultCases)
        #expect(year.passwordResetsCrossRegion == 29)
        #expect(year.wuhanTongCrossRegion == 494)
        #expect(year.industryLicences == 240)
        #expect(year.certificatesInLibrary == 1_180)
        // The year's reports count decisions dated in the year: every reported case is one.
        #expect(year.yearPasswordResetsCrossRegion == 29)
        #expect(year.yearWuhanTongCrossRegion == 494)
        #expect(year.yearIndustryLicences == 240)
        #expect(year.yearCertificatesInLibrary == 1_180)
        #expect(year.summary.certificatesInLibrary == 1_180)
        #expect(year.summary.crossRegionPasswordResets == 29)
        #expect(year.summary.wuhanTongCards == 494)
        #expect(year.summary.industryLicences == 240)
        #expect(year.summary.eCertificateReductions == year.eCertificateReductions)
        #expect(year.summary.stoppedAtCalendarEnd == 0)
    }

    @Test("the 60 一件事 themes of the seeds are all used, each by an item that belongs to it")
    func themes() throws {
        let year = try Self.defaultYear.get()
        let seeds = try SimulatorFixtures.seeds()
        let seedThemes = Set(seeds.catalog.flatMap(\.themes))
        #expect(seedThemes.count == 60)
        #expect(Set(year.themes.keys) == seedThemes)
        #expect(year.foreignThemes == 0)
    }

    @Test("most cases need at most one visit; a few need two")
    func visits() throws {
        let year = try Self.defaultYear.get()
        let atMostOne = year.visitHistogram[0] + year.visitHistogram[1]
        #expect(year.share(atMostOne, of: year.cases) > 0.95)
        #expect(year.share(year.visitHistogram[0], of: year.cases) > 0.3)
        #expect(year.visitHistogram[2] > 0)
        #expect(year.summary.atMostOneVisitCases == atMostOne)
    }

    @Test("bad reviews are rare, all called back within a working day, nearly all rectified within 15, a few excluded on appeal")
    func badReviews() throws {
        let year = try Self.defaultYear.get()
        #expect((0.004 ... 0.015).contains(year.share(year.badReviews, of: year.evaluated)))
        #expect(year.badFollowedUpInTime == year.badReviews)
        // Every bad review is either excluded on appeal or rectified, then fed back.
        #expect(year.badRectified + year.badExcluded == year.badReviews)
        #expect(year.badFedBack == year.badRectified)
        #expect(year.share(year.badRectifiedInTime, of: year.badRectified) > 0.97)
        // Appeals are filed within the appeal limit; about half exclude the review.
        #expect(year.badAppealed > year.badExcluded)
        #expect(year.badExcluded > 0)
        #expect(year.share(year.badExcluded, of: year.badReviews) < 0.06)
        #expect(year.summary.badReviewsExcluded == year.badExcluded)
        #expect(year.summary.badReviewsFedBack == year.badFedBack)
        #expect((0.6 ... 0.8).contains(year.share(year.evaluated, of: year.completed)))
    }

    @Test("the lifecycle mix: supplements, rejections, overdue, 即办 the same day, electronic certificates")
    func lifecycleMix() throws {
        let year = try Self.defaultYear.get()
        #expect((0.06 ... 0.10).contains(year.share(year.supplements, of: year.cases)))
        #expect((0.01 ... 0.035).contains(year.share(year.rejected, of: year.cases)))
        #expect((0.005 ... 0.025).contains(year.share(year.promisedOverdue, of: year.promisedDecisions)))
        #expect(year.summary.overdue == year.promisedOverdue)
        #expect(year.immediateSameDay == year.immediateDecisions)
        #expect((0.01 ... 0.03).contains(year.share(year.transferred, of: year.cases)))
        #expect(year.share(year.electronicCertificates, of: year.approvals) > 0.5)
        #expect((0.35 ... 0.5).contains(year.share(year.windowSubmissions, of: year.cases)))
    }

    @Test("demand follows the weights: social-security cards, real estate and business registration lead")
    func demand() throws {
        let year = try Self.defaultYear.get()
        let seeds = try SimulatorFixtures.seeds()
        let top = year.itemCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        let names = Set(top.compactMap { code in seeds.catalog.first { $0.code == code.key }?.name })
        #expect(names.contains("社会保障卡申领"))
        #expect(names.contains("不动产转移登记"))
        #expect(names.contains("企业设立登记") || names.contains("个体工商户设立登记"))
    }

    @Test("the report's figures scale with --cases")
    func scaledFigures() throws {
        let year = try RecountedYear(SimulationConfig(seed: 5, cases: 10_000))
        #expect(year.passwordResetsCrossRegion == 6)
        #expect(year.wuhanTongCrossRegion == 99)
        #expect(year.industryLicences == 48)
        #expect(year.certificatesInLibrary == 236)
        #expect(abs(year.eCertificateReductions - 300) <= 2)
    }
}
