import LedgerProofs

/// The fuzzers of what an auditor is handed: checkpoint text, bundle documents, and the proofs in
/// them. Beyond "never traps", each checks that nothing false is accepted: the corpus's log is
/// known, so every statement a mutated input gets accepted can be compared with the truth.
extension FuzzTargets {
    /// `Checkpoint(body:)` and both `SignedCheckpoint` parsers on mutated signed notes.
    /// Invariants: never traps; a body it accepts is exactly the text it would write; a note
    /// accepted with the log's key states the original tree head; a refusal is one line.
    public static func checkpoints(iterations: Int, seed: UInt64, progress: FuzzProgress? = nil) throws -> FuzzOutcome {
        let corpus = try ProofCorpus()
        let publicKey = corpus.key.publicKey
        let inputs = [corpus.signedText, corpus.witnessedText, corpus.checkpoint.body].map { Array($0.utf8) }
        var outcome = FuzzOutcome(target: "checkpoint parser", iterations: iterations, seed: seed)
        func fail(_ what: String) { if outcome.failures.count < 10 { outcome.failures.append(what) } }
        func refused(_ failure: ProofFailure, _ text: String) {
            if !isOneLine(failure.description) {
                fail("refusal \(failure.description.debugDescription) of \(text.debugDescription) is not one line")
            }
        }
        for text in [corpus.signedText, corpus.witnessedText] {
            if (try? SignedCheckpoint(text: text, publicKey: publicKey))?.checkpoint != corpus.checkpoint {
                fail("the unmutated note \(text.debugDescription) does not verify")
            }
        }
        var mutator = Mutator(seed: seed)
        for done in 0 ..< iterations {
            progress?.tick(done, outcome)
            let text = String(decoding: mutator.mutate(inputs[mutator.below(inputs.count)]), as: UTF8.self)
            do {
                let body = try Checkpoint(body: text)
                if body.body != text { fail("accepted the body \(text.debugDescription), which writes back as \(body.body.debugDescription)") }
            } catch { refused(error, text) }
            do { _ = try SignedCheckpoint(unverifiedText: text) } catch { refused(error, text) }
            do {
                let signed = try SignedCheckpoint(text: text, publicKey: publicKey)
                outcome.accepted += 1
                if signed.checkpoint != corpus.checkpoint {
                    fail("a mutated note verified as another tree head: \(text.debugDescription)")
                }
            } catch { refused(error, text) }
        }
        return outcome
    }

    /// `ProofBundle(json:)` then `BundleCheck.check` on mutated bundle documents.
    /// Invariants: never traps; a document it reads writes back to one that reads the same; a
    /// bundle that checks proves only true things (each record is the log's at its seq, the old
    /// tree head is the log's at that size, the checkpoint is the signed one); a refusal is one line.
    public static func bundles(iterations: Int, seed: UInt64, progress: FuzzProgress? = nil) throws -> FuzzOutcome {
        let corpus = try ProofCorpus()
        let publicKey = corpus.key.publicKey
        var outcome = FuzzOutcome(target: "bundle reader and check", iterations: iterations, seed: seed)
        func fail(_ what: String) { if outcome.failures.count < 10 { outcome.failures.append(what) } }
        for document in corpus.bundles {
            do { _ = try BundleCheck.check(try ProofBundle(json: document), publicKey: publicKey) } catch {
                fail("the unmutated bundle does not check (\(error)): \(String(decoding: document, as: UTF8.self).prefix(200))")
            }
        }
        var mutator = Mutator(seed: seed)
        for done in 0 ..< iterations {
            progress?.tick(done, outcome)
            let input = mutator.mutate(corpus.bundles[mutator.below(corpus.bundles.count)])
            let bundle: ProofBundle
            do { bundle = try ProofBundle(json: input) } catch {
                if !isOneLine(error.description) { fail("refusal \(error.description.debugDescription) is not one clean line") }
                continue
            }
            if (try? ProofBundle(json: bundle.json)) != bundle {
                fail("read \(String(decoding: input, as: UTF8.self).debugDescription), but its written form reads back differently")
            }
            let checked: CheckedBundle
            do { checked = try BundleCheck.check(bundle, publicKey: publicKey) } catch {
                if !isOneLine(error.description) { fail("refusal \(error.description.debugDescription) is not one clean line") }
                continue
            }
            outcome.accepted += 1
            switch checked {
            case let .inclusion(checkpoint, _, records):
                if checkpoint != corpus.checkpoint { fail("checked against another tree head: \(checkpoint)") }
                for record in records where record.seq > UInt64(corpus.leaves.count) || corpus.leaves[Int(record.seq - 1)] != record.record {
                    fail("proved a record that is not the log's at seq \(record.seq): \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            case let .consistency(old, checkpoint):
                if checkpoint != corpus.checkpoint { fail("checked against another tree head: \(checkpoint)") }
                if old.size > UInt64(corpus.leaves.count) || corpus.roots[Int(old.size)] != old.root {
                    fail("proved consistency with a tree head the log never had (\(old.size), \(old.root)): \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
            }
        }
        return outcome
    }

    /// `TreeVerifier` on mutated inclusion and consistency proofs (hashes flipped, dropped,
    /// repeated, swapped; indexes and sizes moved to their neighbours and to edge values), and
    /// `RecordFields` on mutated records. Invariants: never traps; every true proof of the corpus
    /// verifies; a mutated one verifies only when what it then claims is true of the log.
    public static func proofs(iterations: Int, seed: UInt64, progress: FuzzProgress? = nil) throws -> FuzzOutcome {
        let corpus = try ProofCorpus()
        let reader = corpus.reader
        let n = corpus.leaves.count
        var outcome = FuzzOutcome(target: "inclusion and consistency proofs", iterations: iterations, seed: seed)
        func fail(_ what: String) { if outcome.failures.count < 10 { outcome.failures.append(what) } }
        // Every true proof, the checks' completeness.
        var inclusions: [(index: UInt64, size: UInt64, path: [TreeHash])] = []
        var consistencies: [(old: UInt64, new: UInt64, proof: [TreeHash])] = []
        for size in 1 ... n {
            for index in 0 ..< size {
                let path = try reader.inclusionPath(leaf: UInt64(index), size: UInt64(size))
                inclusions.append((UInt64(index), UInt64(size), path))
                if !TreeVerifier.includes(root: corpus.roots[size], size: UInt64(size), leaf: corpus.leafHashes[index], index: UInt64(index), path: path) {
                    fail("the true inclusion proof of leaf \(index) in a tree of \(size) does not verify")
                }
            }
        }
        for new in 0 ... n {
            for old in 0 ... new {
                let proof = try reader.consistencyProof(from: UInt64(old), to: UInt64(new))
                consistencies.append((UInt64(old), UInt64(new), proof))
                if !TreeVerifier.consistent(oldSize: UInt64(old), oldRoot: corpus.roots[old], newSize: UInt64(new), newRoot: corpus.roots[new], proof: proof) {
                    fail("the true consistency proof from \(old) to \(new) does not verify")
                }
            }
        }
        let edges: [UInt64] = [0, 1, 2, 63, 64, UInt64(Int64.max), UInt64.max - 1, UInt64.max]
        var mutator = Mutator(seed: seed)
        func number(_ value: UInt64) -> UInt64 {
            switch mutator.below(6) {
            case 0: value &+ 1
            case 1: value &- 1
            case 2: edges[mutator.below(edges.count)]
            case 3: value ^ (1 << UInt64(mutator.below(64)))
            default: value
            }
        }
        func flipped(_ hash: TreeHash) -> TreeHash {
            var bytes = hash.bytes
            bytes[mutator.below(32)] ^= UInt8(1 << mutator.below(8))
            return TreeHash(bytes)!
        }
        func mutated(_ path: [TreeHash]) -> [TreeHash] {
            var path = path
            for _ in 0 ..< mutator.below(3) {
                switch mutator.below(6) {
                case 0 where !path.isEmpty: path[mutator.below(path.count)] = flipped(path[mutator.below(path.count)])
                case 1 where !path.isEmpty: path.remove(at: mutator.below(path.count))
                case 2 where !path.isEmpty: path.insert(path[mutator.below(path.count)], at: mutator.below(path.count + 1))
                case 3 where path.count >= 2: path.swapAt(mutator.below(path.count), mutator.below(path.count))
                case 4: path.insert(corpus.roots[mutator.below(n + 1)], at: mutator.below(path.count + 1))
                default: path.shuffle(using: &mutator)
                }
            }
            return path
        }
        /// The log's root at `size`, or (beyond the log) its whole root: a claim about a tree it never had.
        func root(_ size: UInt64) -> TreeHash { corpus.roots[Int(min(size, UInt64(n)))] }
        for done in 0 ..< iterations {
            progress?.tick(done, outcome)
            switch mutator.below(3) {
            case 0:
                let proof = inclusions[mutator.below(inclusions.count)]
                let index = number(proof.index), size = number(proof.size)
                var leaf = corpus.leafHashes[Int(proof.index)]
                if mutator.below(4) == 0 { leaf = flipped(leaf) }
                let claimed = mutator.below(8) == 0 ? flipped(root(size)) : root(size)
                let path = mutated(proof.path)
                _ = TreeVerifier.root(fromLeaf: leaf, index: index, size: size, path: path)
                guard TreeVerifier.includes(root: claimed, size: size, leaf: leaf, index: index, path: path) else { continue }
                outcome.accepted += 1
                // A root does not commit to its size: the checkpoint's signature binds the two. So
                // only claims about a tree size the log has are judged (larger ones: no trap is all).
                guard size <= UInt64(n) else { continue }
                let isTrue = index < size && corpus.leafHashes[Int(index)] == leaf && claimed == corpus.roots[Int(size)]
                if !isTrue { fail("a false inclusion verified: leaf index \(index), tree size \(size), path of \(path.count)") }
            case 1:
                let proof = consistencies[mutator.below(consistencies.count)]
                let old = number(proof.old), new = number(proof.new)
                let oldRoot = mutator.below(8) == 0 ? flipped(root(old)) : root(old)
                let newRoot = mutator.below(8) == 0 ? flipped(root(new)) : root(new)
                let path = mutated(proof.proof)
                guard TreeVerifier.consistent(oldSize: old, oldRoot: oldRoot, newSize: new, newRoot: newRoot, proof: path) else { continue }
                outcome.accepted += 1
                // Vacuously true, whatever the other tree: every tree extends the empty one, and itself.
                if path.isEmpty && ((old == 0 && oldRoot == TreeHash.empty) || (old == new && oldRoot == newRoot)) { continue }
                // As above, only tree sizes the log has are judged.
                guard old <= UInt64(n), new <= UInt64(n) else { continue }
                let isTrue = old <= new && oldRoot == corpus.roots[Int(old)] && newRoot == corpus.roots[Int(new)]
                if !isTrue { fail("a false consistency verified: \(old) → \(new), proof of \(path.count)") }
            default:
                let record = mutator.mutate(corpus.leaves[mutator.below(corpus.caseRecords)])
                if let fields = try? RecordFields(record: record) {
                    outcome.accepted += 1
                    _ = fields.caseNumber.utf8.count
                }
            }
        }
        return outcome
    }
}

extension Mutator: RandomNumberGenerator {}

/// A refusal fit for one line of a terminal: not empty, no control characters.
func isOneLine(_ text: String) -> Bool {
    !text.isEmpty && !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F ..< 0xA0).contains($0.value) }
}
