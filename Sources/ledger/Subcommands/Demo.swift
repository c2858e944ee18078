import ArgumentParser
import CaseDomain
import Foundation
import Ledger
import Simulator

extension LedgerCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The main job: simulate a district year into an empty store and print the headline figures.",
            discussion: """
            Publishes the catalog of seeds/ as catalog events, simulates the year (deterministic: \
            the same seed gives the same log, hash for hash), appends it durably in batches, and \
            prints the summary of --year: every figure read from a `ledger report … --year YEAR` \
            (Docs/FIGURES.md). The store must be empty; --replace deletes it first.
            """
        )

        @OptionGroup var options: StoreOptions

        @Option(help: "The year to simulate (a calendar for it must be in seeds/calendars).")
        var year: Int = 2023

        @Option(help: "Seed of the simulation's random generator.")
        var seed: UInt64 = 2023

        @Option(help: "Cases to simulate (default: a realistic district year). The mix does not change with the count.")
        var cases: Int?

        @Flag(help: "Delete the store first if it is not empty.")
        var replace = false

        func validate() throws {
            if let cases, cases < 1 || cases > 9_999_999 { throw ValidationError("--cases must be 1 to 9,999,999") }
        }

        func run() async throws {
            let started = Date()
            try prepareEmptyStore()
            let seedsDirectory = try options.seedsDirectory
            let calendar = try options.calendar()
            let seeds = try DistrictSeeds.load(directory: seedsDirectory)
            let simulator = DistrictSimulator(seeds: seeds, calendar: calendar,
                                                  config: SimulationConfig(year: year, seed: seed, cases: cases))
            // The year must be in the calendars before anything is written (else the catalog would be).
            do { _ = try calendar.isWorkingDay(try CivilDate(year: year, month: 1, day: 1)) } catch {
                throw UserError("--year \(year): \(error)")
            }
            let ledger = try options.openLedger()
            let progress = ProgressLine("demo")
            let outcome = try await DemoPipeline(ledger: ledger, simulator: simulator).run { submitted in
                progress.update(submitted, of: simulator.caseCount, unit: "cases")
            }
            progress.finish()
            let elapsed = Date().timeIntervalSince(started)
            print("""
            梁子湖区 \(year), seed \(seed): \(outcome.summary.cases) cases submitted; \(outcome.events) events \
            (\(outcome.catalogEvents) catalog, \(outcome.grantEvents) grants, \(outcome.caseEvents) case events) in \(String(format: "%.1f", elapsed)) s \
            (\(formatCount(Double(outcome.events) / elapsed)) events/s)
            store     \(options.store)
            digest    \(try ledger.store.treeHead())
            catalog   \(ledger.catalog.items.count) items
            """)
            print(try headlineFigures(options, store: ledger.store, year: year))
        }

        private func prepareEmptyStore() throws {
            let events = options.eventsPath
            guard FileManager.default.fileExists(atPath: events + "/data.mdb") else { return }
            let count = try EventStore(directory: events, codec: CaseEventCodec(), options: .init(readOnly: true)).statistics().events
            guard count > 0 else { return }
            guard replace else {
                throw UserError("store \(options.store) already holds \(count) events: pass --replace to delete it, or --store NEWDIR")
            }
            try options.removeStoreContents()
        }
    }
}
