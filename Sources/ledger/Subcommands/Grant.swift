import ArgumentParser
import CaseDomain
import Foundation
import Ledger

extension LedgerCommand {
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "首席服务员: grant a clerk a department beyond their window's, revoke it, list the grants.",
            discussion: """
            A clerk accepts the items of the departments their window hosts (windows.json); a \
            grant lets a chief clerk (首席服务员) accept another department's items too. Grants and \
            revocations are events on the log's ADMIN stream, with who made them and when, so the \
            history shows who could accept what at any moment (Docs/HALLRULES.md).
            """,
            subcommands: [Add.self, Revoke.self, List.self])

        /// What a grant or a revocation names.
        struct GrantOptions: ParsableArguments {
            @OptionGroup var options: StoreOptions

            @Option(help: ArgumentHelp("The clerk, as in windows.json (e.g. clerk-06).", valueName: "CLERK"))
            var clerk: String

            @Option(help: ArgumentHelp("The department, as the catalog names it (e.g. 水务).", valueName: "DEPARTMENT"))
            var department: String

            @Option(help: ArgumentHelp("Who grants or revokes (recorded as the event's actor), e.g. hall-manager.", valueName: "NAME"))
            var by: String

            @Option(help: ArgumentHelp("When: YYYY-MM-DD (00:00 CST) or RFC 3339. Default: now.", valueName: "DATETIME"),
                    transform: parseStartMoment)
            var at: Timestamp?

            /// Records `data` on the ADMIN stream and prints what was done.
            func record(_ data: EventData, verb: String) async throws {
                let ledger = try options.openLedger()
                let moment = at ?? .now()
                let position = try await ledger.recordGrant(data, at: moment, actor: by)
                print("\(verb) \(department) \(verb == "granted" ? "to" : "from") \(clerk) at \(moment.chinaTime) by \(by); seq \(position.seq)")
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Grant a clerk a department their window does not host.")
            @OptionGroup var grant: GrantOptions

            func run() async throws {
                try await grant.record(.departmentGranted(DepartmentGrant(clerk: grant.clerk, department: grant.department)), verb: "granted")
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke a clerk's grant of a department.")
            @OptionGroup var grant: GrantOptions

            func run() async throws {
                try await grant.record(.departmentGrantRevoked(DepartmentGrant(clerk: grant.clerk, department: grant.department)), verb: "revoked")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Every grant with when and by whom it was made and revoked; --as-of: those in force then.")
            @OptionGroup var options: StoreOptions

            @Option(name: .customLong("as-of"), help: ArgumentHelp("Only the grants in force at this moment: RFC 3339 or YYYY-MM-DD (the end of that day, CST).",
                                                                   valueName: "DATETIME"), transform: parseMoment)
            var asOf: Timestamp?

            @Option(help: "table, csv or json.")
            var format: ReportFormat = .table

            func run() throws {
                let ledger = try CaseLedger(store: try options.openEvents(readOnly: true), calendar: try options.calendar())
                let hall = try options.hallRoster()
                let book = ledger.grants
                let periods = asOf.map { book.inForce(at: $0) } ?? book.periods
                let listed = GrantList(asOf: asOf?.chinaTime, grants: periods.map { p in
                    GrantList.Entry(clerk: p.clerk, window: hall.window(ofClerk: p.clerk)?.id ?? "", department: p.department,
                                    grantedAt: p.grantedAt.chinaTime, grantedBy: p.grantedBy,
                                    revokedAt: p.revokedAt?.chinaTime, revokedBy: p.revokedBy)
                })
                let header = ["clerk", "window", "department", "grantedAt", "grantedBy", "revokedAt", "revokedBy"]
                let rows = listed.grants.map { [$0.clerk, $0.window, $0.department, $0.grantedAt, $0.grantedBy, $0.revokedAt ?? "", $0.revokedBy ?? ""] }
                let title = "首席服务员 grants" + (asOf.map { " in force at \($0.chinaTime)" } ?? ", every one")
                try format.write(listed, byteOrderMark: true, table: listed.grants.isEmpty ? "\(title): none" : "\(title)\n" + TextTable(header: header, rows: rows).rendered,
                                 csv: [header] + rows)
            }
        }
    }
}

/// `ledger grant list --format json`.
struct GrantList: Encodable {
    struct Entry: Encodable {
        var clerk: String
        var window: String
        var department: String
        var grantedAt: String
        var grantedBy: String
        var revokedAt: String?
        var revokedBy: String?
    }

    var asOf: String?
    var grants: [Entry]
}

extension LedgerCommand.Report {
    struct Grants: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "首席服务员: the cases accepted under a grant, by clerk and department (read from the log).")
        @OptionGroup var options: StoreOptions
        @OptionGroup var report: ReportOptions

        func run() throws {
            let store = try options.openEvents(readOnly: true)
            let result = try GrantedAcceptances.read(store: store, hall: try options.hallRoster(), year: report.year, quarter: report.quarter)
            let header = ["clerk", "window", "department", "accepted", "grantedAt", "grantedBy"]
            let rows = result.rows.map { [$0.clerk, $0.window, $0.department, "\($0.accepted)", $0.grantedAt, $0.grantedBy] }
            let share = result.acceptances == 0 ? 0 : Double(result.underGrant) / Double(result.acceptances)
            let table = "首席服务员 acceptances under a grant — period \(result.period)\n"
                + TextTable(header: header, rows: rows + [["total", "", "", "\(result.underGrant)", "", ""]], rightAligned: [3]).rendered
                + "\n\(result.underGrant) of \(result.acceptances) acceptances (\(String(format: "%.2f%%", share * 100))) were under a grant\n"
                + "formula: \(result.formula)"
            try report.format.write(result, byteOrderMark: !report.noByteOrderMark, table: table, csv: [header] + rows)
        }
    }
}
