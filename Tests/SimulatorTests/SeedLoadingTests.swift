import CaseDomain
import Foundation
import Simulator
import Testing

@Suite("District seeds")
struct SeedLoadingTests {
    @Test("the catalog, windows, demand and rules load from seeds/")
    func loadsSeeds() throws {
        let seeds = try SimulatorFixtures.seeds()
        #expect(seeds.catalog.count == 781 + 75 + 38)
        #expect(seeds.catalog.filter { $0.level == .district }.count == 781)
        #expect(seeds.catalog.filter(\.crossProvince).count == 332)
        #expect(seeds.catalog.filter(\.metroCircle).count == 410)
        #expect(seeds.windows.count == 24)
        #expect(seeds.fallbackWindow.id == "W01")
        #expect(seeds.demand.hourProfile.count == 24)
        #expect(seeds.demand.channels[.window] == 0.45)
        #expect(seeds.badReview == BadReviewLimits(callBackWorkingDays: 1, appealWorkingDays: 3, appealDecisionWorkingDays: 5,
                                                  rectifyWorkingDays: 15, feedbackWorkingDays: 3))
        #expect(abs(Catalog(items: seeds.catalog).compression - 0.924) < 0.0005)
    }

    @Test("departments map to their windows, the rest to the 综合窗口; special windows by role")
    func windowMapping() throws {
        let seeds = try SimulatorFixtures.seeds()
        #expect(seeds.window(forDepartment: "人社").id == "W03")
        #expect(seeds.window(forDepartment: "应急管理").id == "W16")
        #expect(seeds.window(forDepartment: "没有这个部门").id == "W01")
        #expect(seeds.window(withRole: .crossRegion)?.id == "W23")
        #expect(seeds.window(withRole: .assisted)?.id == "W20")
        #expect(seeds.window(withRole: .selfService)?.id == "W24")
        #expect(seeds.item(named: "武汉通公交卡办理") != nil)
    }

    @Test("a malformed catalog line is refused with its line number and field")
    func malformedCatalogLine() throws {
        let good = #"{"code":"X-1","name":"n","department":"d","level":"district","legalDays":5,"promisedDays":1,"caseType":"promised","maxVisits":1,"themes":[]}"#
        let bad = #"{"code":"X-2","name":"n","department":"d","level":"city","legalDays":5,"promisedDays":1,"caseType":"promised","maxVisits":1,"themes":[]}"#
        #expect(try CatalogItem.parseCatalog(jsonLines: Data((good + "\n\n").utf8), source: "t").count == 1)
        let error = #expect(throws: SeedError.self) {
            try CatalogItem.parseCatalog(jsonLines: Data((good + "\n" + bad + "\n").utf8), source: "t")
        }
        #expect(error?.reason.hasPrefix("line 2: item.level") == true)
        #expect(throws: SeedError.self) {
            try CatalogItem.parseCatalog(jsonLines: Data((good + "\n" + good).utf8), source: "t")
        }
    }
}
