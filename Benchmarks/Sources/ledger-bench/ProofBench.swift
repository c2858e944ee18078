import CaseDomain
import Foundation
import LMDB
import Ledger
import LedgerProofs

/// Proofs: building a case's inclusion bundle in the store, checking it with the public key
/// alone, and whole-log `verify` with the tree beside the chain against the chain alone.
enum ProofBench {
    /// Builds the case's inclusion bundle as `ledger prove` does (records, paths, decoded
    /// events, JSON) against an already signed checkpoint.
    static func bundle(store: EventStore, caseNumber: CaseNumber, signed: SignedCheckpoint) throws -> [UInt8] {
        var records: [ProvenRecord] = []
        try store.forEachProvenEvent(of: caseNumber, size: signed.checkpoint.size) { view, path in
            let event = InterchangeEvent.line(id: view.id, caseNumber: String(decoding: view.streamBytes, as: UTF8.self),
                                              type: try view.type, at: view.at, actor: view.actor, data: try view.data())
            records.append(ProvenRecord(seq: view.seq, version: view.version, record: Array(view.record), path: path, event: event))
        }
        return ProofBundle.inclusion(checkpoint: signed.text, caseNumber: caseNumber.rawValue, records: records).json
    }

    /// p50 and p99 (µs) of building and of checking bundles of `cases` random cases.
    static func bundleLatencies(store: EventStore, cases: [CaseNumber], samples: Int)
        throws -> (build50: Double, build99: Double, check50: Double, check99: Double, events: Double) {
        let key = LogSigningKey()
        // As `ledger check` has it: read from its file once, not derived from the private key per check.
        let publicKey = key.publicKey
        let head = try store.treeHead()
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: "bench.local/ledger", size: head.size, root: head.root), with: key)
        var generator = SystemRandomNumberGenerator()
        var build: [Double] = [], check: [Double] = []
        var events = 0
        for _ in 0 ..< samples {
            let caseNumber = cases.randomElement(using: &generator)!
            var start = nanoseconds()
            let json = try bundle(store: store, caseNumber: caseNumber, signed: signed)
            build.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            let checked = try BundleCheck.check(try ProofBundle(json: json), publicKey: publicKey)
            check.append(Double(nanoseconds() - start) / 1000)
            if case .inclusion(_, _, let records) = checked { events += records.count }
        }
        build.sort()
        check.sort()
        return (build[samples / 2], build[samples * 99 / 100], check[samples / 2], check[samples * 99 / 100],
                Double(events) / Double(samples))
    }

    /// Where a check's time goes (profiling aid, medians in µs over `samples` random cases):
    /// reading the document, the Ed25519 verification alone, the checkpoint's signature (the
    /// note's parsing and the verification), and the whole check of an already read bundle.
    static func checkParts(store: EventStore, cases: [CaseNumber], samples: Int)
        throws -> (read: Double, ed25519: Double, signature: Double, check: Double) {
        let key = LogSigningKey()
        let publicKey = key.publicKey
        let head = try store.treeHead()
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: "bench.local/ledger", size: head.size, root: head.root), with: key)
        var generator = SystemRandomNumberGenerator()
        var read: [Double] = [], ed25519: [Double] = [], signature: [Double] = [], check: [Double] = []
        let body = Array(signed.checkpoint.body.utf8)
        let noteSignature = try key.privateKey.signature(for: body)
        let verifyingKey = publicKey.key
        for _ in 0 ..< samples {
            let json = try bundle(store: store, caseNumber: cases.randomElement(using: &generator)!, signed: signed)
            var start = nanoseconds()
            let parsed = try ProofBundle(json: json)
            read.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            guard verifyingKey.isValidSignature(noteSignature, for: body) else { fatalError("the note's own signature does not verify") }
            ed25519.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            _ = try SignedCheckpoint(text: signed.text, publicKey: publicKey)
            signature.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            _ = try BundleCheck.check(parsed, publicKey: publicKey)
            check.append(Double(nanoseconds() - start) / 1000)
        }
        return (read.sorted()[samples / 2], ed25519.sorted()[samples / 2], signature.sorted()[samples / 2], check.sorted()[samples / 2])
    }

    /// Where a build's time goes (profiling aid, medians in µs): the store's records and paths
    /// alone, decoding the events, writing the document.
    static func buildParts(store: EventStore, cases: [CaseNumber], samples: Int) throws -> (paths: Double, decode: Double, write: Double) {
        let key = LogSigningKey()
        let head = try store.treeHead()
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: "bench.local/ledger", size: head.size, root: head.root), with: key)
        var generator = SystemRandomNumberGenerator()
        var paths: [Double] = [], decode: [Double] = [], write: [Double] = []
        for _ in 0 ..< samples {
            let caseNumber = cases.randomElement(using: &generator)!
            var records: [ProvenRecord] = []
            var start = nanoseconds()
            try store.forEachProvenEvent(of: caseNumber, size: signed.checkpoint.size) { view, path in
                records.append(ProvenRecord(seq: view.seq, version: view.version, record: Array(view.record), path: path, event: nil))
            }
            paths.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            for i in records.indices {
                try records[i].record.withUnsafeBytes { raw in
                    let view = try EventView(seq: records[i].seq, record: raw)
                    records[i].event = InterchangeEvent.line(id: view.id, caseNumber: String(decoding: view.streamBytes, as: UTF8.self),
                                                             type: try view.type, at: view.at, actor: view.actor, data: try view.data())
                }
            }
            decode.append(Double(nanoseconds() - start) / 1000)
            start = nanoseconds()
            let json = ProofBundle.inclusion(checkpoint: signed.text, caseNumber: caseNumber.rawValue, records: records).json
            write.append(Double(nanoseconds() - start) / 1000)
            if json.isEmpty { print("") }
        }
        return (paths.sorted()[samples / 2], decode.sorted()[samples / 2], write.sorted()[samples / 2])
    }

    /// Whole-log `verify` (chain and tree), events/s.
    static func verify(store: EventStore) throws -> Double {
        let start = nanoseconds()
        let report = try store.verify()
        return Double(report.checked) / secondsSince(start)
    }

    /// Copies the store at `directory` without its tree (as a store written before the tree) and
    /// returns the copy's path: read-only, its `verify` re-hashes the chain alone, as before the tree.
    static func chainOnlyCopy(of directory: String, into copy: String) throws -> String {
        // The kept store is idle (no writer), so its data file is a consistent snapshot.
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory + "/data.mdb", toPath: copy + "/data.mdb")
        let writable = try Environment(path: copy, configuration: .init(mapSize: 1 << 30, maxDatabases: 8))
        try writable.write { txn in
            let tree: Database<[UInt8], [UInt8]> = try txn.openDatabase("tree")
            try txn.deleteDatabase(tree)
        }
        return copy
    }
}

extension ProofBench {
    /// The single writer's hashing per event, CPU only (no LMDB, no fsync), over the stored
    /// records: the chain link alone (what the writer did before the tree), and the chain link
    /// plus the leaf and the node hashes the tree adds (one node an event on average); ns an event.
    static func writerHashing(records: RecordSet) -> (chain: Double, chainAndTree: Double) {
        var sink = ChainHash.genesis
        var start = nanoseconds()
        for i in 0 ..< records.count {
            records.withRecord(i) { record in sink = sink.linking(UnsafeRawBufferPointer(rebasing: record[..<(record.count - 64)])) }
        }
        let chain = Double(nanoseconds() - start) / Double(records.count)
        var node = TreeHash.empty
        start = nanoseconds()
        for i in 0 ..< records.count {
            records.withRecord(i) { record in
                sink = sink.linking(UnsafeRawBufferPointer(rebasing: record[..<(record.count - 64)]))
                node = MerkleHashing.node(node, MerkleHashing.leaf(record))
            }
        }
        let both = Double(nanoseconds() - start) / Double(records.count)
        // Keep the results observable so the loops are not optimised away.
        if sink == .genesis && node == .empty { print("") }
        return (chain, both)
    }
}
