import ArgumentParser
import ProjectionKit

extension LedgerCommand {
    struct Project: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The read models: their status, and rebuilding them.",
            subcommands: [Status.self, Rebuild.self])

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Each projection's version, generation, checkpoint and lag.")
            @OptionGroup var options: StoreOptions

            func run() throws {
                let runner = try options.openViews(try options.openEvents(readOnly: true), catchUp: false)
                let rows = try runner.status().map { s -> [String] in
                    var version = s.builtVersion == s.version ? "\(s.version)" : "\(s.builtVersion) (code \(s.version): rebuild pending)"
                    if !s.builtOnThisLog { version += " (built on another log: rebuild pending)" }
                    let rebuilding = s.rebuildingGeneration.map { "generation \($0) at seq \(s.rebuildingCheckpoint ?? 0)" } ?? "—"
                    return [s.name, version, "\(s.generation)", "\(s.checkpoint)", s.builtOnThisLog ? "\(s.lag)" : "—", rebuilding]
                }
                print(TextTable(header: ["projection", "version", "generation", "checkpoint", "lag", "rebuilding"], rows: rows).rendered)
            }
        }

        struct Rebuild: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Rebuild projections into a new generation beside the live one, then switch over.",
                discussion: "Queries keep answering from the live generation until the switch, which is one transaction.")
            @OptionGroup var options: StoreOptions

            @Argument(help: "The projection to rebuild (see `ledger project status`).")
            var name: String?

            @Flag(help: "Rebuild every projection.")
            var all = false

            func validate() throws {
                if (name == nil) == !all { throw ValidationError("name one projection, or pass --all") }
            }

            func run() throws {
                let runner = try options.openViews(try options.openEvents(readOnly: true), catchUp: false)
                let progress = ProgressLine("rebuild")
                let started = ContinuousClock.now
                try runner.rebuild(all ? nil : [ViewName(name!)]) { p in progress.update(Int(p.done), of: Int(p.total)) }
                progress.finish()
                let seconds = (ContinuousClock.now - started).seconds
                let events = try runner.store.digest().seq
                let count = all ? runner.projections.count : 1
                print("rebuilt \(count) projection\(count == 1 ? "" : "s") over \(events) events in \(String(format: "%.2f", seconds)) s (\(formatCount(Double(events) / max(seconds, 1e-9))) events/s, all in one pass over the log)")
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
