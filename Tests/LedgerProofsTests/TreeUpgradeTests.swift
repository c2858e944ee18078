import Foundation
import LMDB
import Ledger
import LedgerProofs
import Testing
import TestSupport

/// Makes the store at `path` look as today's format wrote it before the tree existed: no `tree`
/// database, format 2. (No `EventStore` may be open on it.)
private func removeTree(_ path: String) throws {
    let environment = try Environment(path: path, configuration: .init(maxDatabases: 8))
    try environment.write { txn in
        let tree: Database<[UInt8], [UInt8]> = try txn.openDatabase("tree")
        try txn.deleteDatabase(tree)
        let meta: Database<String, UInt32> = try txn.openDatabase("meta")
        try txn.put(meta, "format", UInt32(2))
    }
}

/// Overwrites the stored hash of tree node (level, index) with another 32 bytes.
private func alterTreeNode(_ path: String, level: UInt8, index: UInt64) throws {
    let environment = try Environment(path: path, configuration: .init(maxDatabases: 8))
    try environment.write { txn in
        let tree: Database<[UInt8], [UInt8]> = try txn.openDatabase("tree")
        let lastLeaf = (index + 1) << UInt64(level) - 1
        let key = withUnsafeBytes(of: lastLeaf.bigEndian) { Array($0) } + [level]
        guard var hash = try txn.get(tree, key) else { throw LMDBError.notFound }
        hash[0] ^= 1
        try txn.put(tree, key, hash)
    }
}

/// Makes the store at `path` look as format 3 wrote it: that format also stored the subtrees of
/// levels 0 and 1 (the leaves and the pairs), which format 4 re-hashes from the records.
private func addLowestLevels(_ path: String) throws {
    let environment = try Environment(path: path, configuration: .init(maxDatabases: 8))
    try environment.write { txn in
        let log: Database<UInt64, [UInt8]> = try txn.openDatabase("log")
        let tree: Database<[UInt8], [UInt8]> = try txn.openDatabase("tree")
        var leaves: [TreeHash] = []
        try txn.withCursor(log) { cursor in
            var entry = try cursor.first()
            while let (_, value) = entry {
                leaves.append(MerkleHashing.leaf(value))
                entry = try cursor.next()
            }
        }
        func key(_ lastLeaf: Int, _ level: UInt8) -> [UInt8] { withUnsafeBytes(of: UInt64(lastLeaf).bigEndian) { Array($0) } + [level] }
        for (i, leaf) in leaves.enumerated() {
            try txn.put(tree, key(i, 0), leaf.bytes)
            if i % 2 == 1 { try txn.put(tree, key(i, 1), MerkleHashing.node(leaves[i - 1], leaf).bytes) }
        }
        let meta: Database<String, UInt32> = try txn.openDatabase("meta")
        try txn.put(meta, "format", UInt32(3))
    }
}

private func append(_ store: EventStore, _ range: Range<Int>) async throws {
    for n in range {
        _ = try await store.append(to: LedgerFixture.stream("UPG-\(n % 5)"), expected: .any,
                                   events: [LedgerFixture.event(n, id: LedgerFixture.id(n))])
    }
}

@Suite("Tree upgrade and verification")
struct TreeUpgradeTests {
    @Test("a store written before the tree existed opens, gets its tree built, keeps appending and verifies")
    func upgradeBuildsTheTree() async throws {
        let directory = TemporaryDirectory("ledger-upgrade")
        let options = EventStore.Options(initialMapSize: 16 << 20, durable: false)
        var expected: TreeHead
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            try await append(store, 0 ..< 150)
            expected = try store.treeHead()
        }
        try removeTree(directory.path)
        do {
            // Read-only, before the upgrade: the chain verifies, the tree is reported missing.
            let auditor = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: .init(readOnly: true))
            #expect(throws: TreeNotBuilt.self) { try auditor.treeHead() }
            let report = try auditor.verify()
            #expect(report.checked == 150)
            #expect(report.treeRoot == nil)
        }
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
        #expect(try store.treeHead() == expected)
        guard let published = ChainDigest(expected.description) else { Issue.record("SIZE:HEX did not parse"); return }
        let report = try store.verify(against: published)
        #expect(report.treeDigest == expected)
        try await append(store, 150 ..< 170)
        let reference = ReferenceTree(leaves: try records(of: store))
        #expect(try store.treeHead().root.array == reference.mth(0 ..< 170))
        #expect(try store.verify().checked == 170)
    }

    @Test("verify --digest accepts the tree digest and an older chain digest, and fails a rewritten history")
    func publishedTreeDigest() async throws {
        let a = try TemporaryEventStore("ledger-digest-a", durable: false)
        let b = try TemporaryEventStore("ledger-digest-b", durable: false)
        try await append(a.store, 0 ..< 12)
        for n in 0 ..< 12 {
            var event = LedgerFixture.event(n, id: LedgerFixture.id(n))
            if n == 4 { event.payload[0] ^= 0xff }
            _ = try await b.store.append(to: LedgerFixture.stream("UPG-\(n % 5)"), expected: .any, events: [event])
        }
        let tree = try a.store.treeHead()
        let published = try #require(ChainDigest(tree.description))
        try await append(a.store, 12 ..< 20)
        #expect(try a.store.verify(against: published).checked == 20)
        #expect(try a.store.verify(from: 15, against: published).checked == 6)
        #expect(try a.store.verify(against: a.store.verify(through: 12).digest).checked == 20)
        let failure = #expect(throws: VerificationFailure.self) { try b.store.verify(against: published) }
        #expect(failure?.seq == 12)
        #expect(failure?.treeRoot == (try b.store.treeHead(size: 12).root))
        #expect(failure?.description.contains("rewritten") == true)
    }

    @Test("verify finds an altered tree node, named by the seq that completed it")
    func alteredTreeNodeFails() async throws {
        let directory = TemporaryDirectory("ledger-tree-tamper")
        let options = EventStore.Options(initialMapSize: 16 << 20, durable: false)
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            try await append(store, 0 ..< 40)
        }
        try alterTreeNode(directory.path, level: 2, index: 4)   // leaves 16…19, completed by seq 20
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
            #expect(failure?.seq == 20)
            #expect(failure?.kind == .treeMismatch)
        }
        try alterTreeNode(directory.path, level: 2, index: 4)   // flipped back
        try alterTreeNode(directory.path, level: 3, index: 2)   // leaves 16…23, completed by seq 24
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == 24)
        #expect(failure?.kind == .treeMismatch)
    }

    @Test("a format-3 store, which also kept the leaves and pairs, opens, appends, proves and verifies; an altered leaf there is found")
    func formatThreeStore() async throws {
        let directory = TemporaryDirectory("ledger-format3")
        let options = EventStore.Options(initialMapSize: 16 << 20, durable: false)
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            try await append(store, 0 ..< 43)
        }
        try addLowestLevels(directory.path)
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            try await append(store, 43 ..< 61)
            let reference = ReferenceTree(leaves: try records(of: store))
            #expect(try store.treeHead().root.array == reference.mth(0 ..< 61))
            for seq in [1, 2, 22, 43, 44, 61] as [UInt64] {
                #expect(try store.inclusionPath(seq: seq, size: 61).map(\.array) == reference.path(Int(seq - 1), 0 ..< 61))
            }
            #expect(try store.verify().checked == 61)
            #expect(try store.verify(from: 23).checked == 39)
        }
        try alterTreeNode(directory.path, level: 0, index: 22)
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
        let failure = #expect(throws: VerificationFailure.self) { try store.verify() }
        #expect(failure?.seq == 23)
        #expect(failure?.kind == .treeMismatch)
    }

    @Test("a ranged verify checks every stored node whose records all lie in the range, trusting the ones before")
    func rangedVerifyAcrossLowestSubtree() async throws {
        let directory = TemporaryDirectory("ledger-tree-range")
        let options = EventStore.Options(initialMapSize: 16 << 20, durable: false)
        do {
            let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
            try await append(store, 0 ..< 30)
        }
        try alterTreeNode(directory.path, level: 2, index: 5)   // leaves 20…23, completed by seq 24
        let store = try EventStore(directory: directory.path, codec: OpaqueTestCodec(), options: options)
        for first in [17, 19, 21] as [UInt64] {
            let failure = #expect(throws: VerificationFailure.self) { try store.verify(from: first) }
            #expect(failure?.seq == 24)
        }
        // From 22 on, that node also covers a record before the range: it is trusted, as the
        // chain trusts the hash before the range.
        #expect(try store.verify(from: 22).checked == 9)
        #expect(try store.verify(from: 25).checked == 6)
        #expect(try store.verify(through: 23).checked == 23)
    }
}
