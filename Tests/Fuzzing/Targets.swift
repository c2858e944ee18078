import CaseDomain
import Foundation
import Ledger

/// What a fuzz run did; `failures` holds the first few inputs that broke an invariant.
public struct FuzzOutcome: Sendable, CustomStringConvertible {
    public var target: String
    public var iterations: Int
    public var seed: UInt64
    /// Inputs accepted by the decoder or parser (the rest were refused with an error, as they should be).
    public var accepted = 0
    public var failures: [String] = []

    public var description: String {
        "\(target): \(iterations) iterations from seed \(seed), \(accepted) accepted, \(iterations - accepted) refused, \(failures.count) invariant failures"
    }
}

/// A report every `every` iterations of a long run, so a run stopped early still says how far
/// it got and what it found.
public struct FuzzProgress {
    public let every: Int
    public let report: (_ done: Int, _ outcome: FuzzOutcome) -> Void

    public init(every: Int, report: @escaping (_ done: Int, _ outcome: FuzzOutcome) -> Void) {
        self.every = every
        self.report = report
    }

    @inline(__always)
    func tick(_ done: Int, _ outcome: FuzzOutcome) {
        if done > 0 && done % every == 0 { report(done, outcome) }
    }
}

public enum FuzzTargets {
    /// The record decoder (`EventView`, then the domain payload decoder) on mutated stored
    /// records. Invariants: it never traps; a record it accepts has every field inside the buffer
    /// (touched below: a trap otherwise), and unmutated records decode to themselves.
    public static func records(iterations: Int, seed: UInt64, progress: FuzzProgress? = nil) throws -> FuzzOutcome {
        let corpus = try FuzzCorpus.records()
        var outcome = FuzzOutcome(target: "record decoder", iterations: iterations, seed: seed)
        for record in corpus {
            let same = record.withUnsafeBytes { raw in (try? EventView(seq: 1, record: raw)).map { Array($0.record) == record } }
            if same != true { outcome.failures.append("an unmutated record does not decode: \(record.prefix(48))") }
        }
        var mutator = Mutator(seed: seed)
        for done in 0 ..< iterations {
            progress?.tick(done, outcome)
            let input = mutator.mutate(corpus[mutator.below(corpus.count)])
            input.withUnsafeBytes { raw in
                guard let view = try? EventView(seq: 1, record: raw) else { return }
                outcome.accepted += 1
                // Every accessor reads inside the buffer or traps.
                _ = view.caseNumber
                _ = view.actor
                _ = view.payload.count
                _ = view.body.count
                _ = view.hash
                _ = view.previousHash
                _ = view.id
                _ = view.recorded()
                _ = try? view.data()
                if view.body.count + 64 != raw.count, outcome.failures.count < 10 {
                    outcome.failures.append("accepted a record whose body and hashes do not span it: \(Array(raw.prefix(64)))")
                }
            }
        }
        return outcome
    }

    /// The JSON Lines parser (`InterchangeEvent(line:)`, and the JSON parser under it) on
    /// mutated lines. Invariants: it never traps; an accepted line written back out
    /// (`InterchangeEvent.line`) parses to the same event; a refusal is one line of text.
    public static func jsonLines(iterations: Int, seed: UInt64, progress: FuzzProgress? = nil) -> FuzzOutcome {
        let corpus = FuzzCorpus.lines.map { Array($0.utf8) }
        var outcome = FuzzOutcome(target: "JSON Lines parser", iterations: iterations, seed: seed)
        var mutator = Mutator(seed: seed)
        for done in 0 ..< iterations {
            progress?.tick(done, outcome)
            let input = mutator.mutate(corpus[mutator.below(corpus.count)])
            _ = try? JSONValue(parsing: input)
            do {
                let event = try InterchangeEvent(line: input)
                outcome.accepted += 1
                // An acceptance may leave its limits to the rules: only recorded-as-given data writes back as is.
                guard case .record(let data) = event.request else { continue }
                let written = InterchangeEvent.line(id: event.id ?? UUID(), caseNumber: event.caseNumber.rawValue,
                                                    type: data.type, at: event.at, actor: event.actor, data: data)
                let reread = try? InterchangeEvent(line: written)
                var same = false
                if let reread {
                    same = reread.caseNumber == event.caseNumber && reread.request == event.request
                    same = same && reread.at == event.at && reread.actor == event.actor
                }
                if !same, outcome.failures.count < 10 {
                    outcome.failures.append("accepted \(String(decoding: input, as: UTF8.self).debugDescription), but its written form \(String(decoding: written, as: UTF8.self).debugDescription) reads back differently")
                }
            } catch {
                if error.description.isEmpty, outcome.failures.count < 10 {
                    outcome.failures.append("an empty refusal for \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            }
        }
        return outcome
    }
}
