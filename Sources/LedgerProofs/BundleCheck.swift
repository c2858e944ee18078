/// What a bundle proved, once `BundleCheck.check` accepted it.
public enum CheckedBundle: Sendable, Equatable {
    case inclusion(checkpoint: Checkpoint, caseNumber: String, records: [ProvenRecord])
    case consistency(old: (size: UInt64, root: TreeHash), checkpoint: Checkpoint)

    public static func == (a: CheckedBundle, b: CheckedBundle) -> Bool {
        switch (a, b) {
        case let (.inclusion(c1, n1, r1), .inclusion(c2, n2, r2)): c1 == c2 && n1 == n2 && r1 == r2
        case let (.consistency(o1, c1), .consistency(o2, c2)): o1.size == o2.size && o1.root == o2.root && c1 == c2
        default: false
        }
    }
}

/// Checks a bundle with nothing but the log's public key: no store, no network.
public enum BundleCheck {
    /// Checks the checkpoint's signature and every proof in the bundle.
    ///
    /// For an inclusion bundle: every record leads by its path to the signed root; the records
    /// are in log order, all of the bundle's case, with versions 0, 1, 2, … (so none is missing
    /// between the first and the last). For a consistency bundle: the signed tree extends the old one.
    /// - Throws: `ProofFailure` naming the first thing that failed.
    public static func check(_ bundle: ProofBundle, publicKey: LogPublicKey) throws(ProofFailure) -> CheckedBundle {
        switch bundle {
        case let .inclusion(text, caseNumber, records):
            let checkpoint = try SignedCheckpoint(text: text, publicKey: publicKey).checkpoint
            guard !records.isEmpty else { throw .malformedBundle("an inclusion bundle with no records") }
            var previous: UInt64 = 0
            for (expected, record) in records.enumerated() {
                let fields: RecordFields
                do { fields = try RecordFields(record: record.record) } catch {
                    throw .unreadableRecord(seq: record.seq, reason: "\(error)")
                }
                guard record.seq <= checkpoint.size else { throw .leafOutsideTree(seq: record.seq, size: checkpoint.size) }
                let leaf = MerkleHashing.leaf(record.record)
                guard TreeVerifier.includes(root: checkpoint.root, size: checkpoint.size, leaf: leaf,
                                            index: record.leafIndex, path: record.path)
                else { throw .notIncluded(seq: record.seq) }
                guard record.seq > previous else { throw .outOfOrder(seq: record.seq) }
                guard fields.caseNumber == caseNumber else { throw .wrongCase(seq: record.seq, found: fields.caseNumber) }
                guard fields.version == UInt32(expected) else {
                    throw .wrongVersion(seq: record.seq, expected: UInt32(expected), found: fields.version)
                }
                guard record.version == fields.version else {
                    throw .malformedBundle("record seq \(record.seq): \"version\" \(record.version) differs from the record's own \(fields.version)")
                }
                previous = record.seq
            }
            return .inclusion(checkpoint: checkpoint, caseNumber: caseNumber, records: records)
        case let .consistency(oldSize, oldRoot, text, proof):
            let checkpoint = try SignedCheckpoint(text: text, publicKey: publicKey).checkpoint
            guard TreeVerifier.consistent(oldSize: oldSize, oldRoot: oldRoot, newSize: checkpoint.size,
                                          newRoot: checkpoint.root, proof: proof)
            else { throw .inconsistent(oldSize: oldSize, newSize: checkpoint.size) }
            return .consistency(old: (oldSize, oldRoot), checkpoint: checkpoint)
        }
    }
}
