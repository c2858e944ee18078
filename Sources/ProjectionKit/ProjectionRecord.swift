import LMDB

/// What the views environment remembers of one projection (database `projections`, key = name):
/// the live generation and its checkpoint, and a generation being rebuilt beside it, if any.
struct ProjectionRecord: Equatable, Sendable {
    /// The version the live generation was built with.
    var version: UInt32
    var live: UInt32
    /// Last seq applied to the live generation.
    var checkpoint: UInt64
    /// Generation being rebuilt (0: none), the version it is built with, and its checkpoint.
    var building: UInt32 = 0
    var buildingVersion: UInt32 = 0
    var buildingCheckpoint: UInt64 = 0

    /// A `buildingVersion` no code has: the generation being built is to be emptied and
    /// started again (its log was replaced).
    static let discarded = UInt32.max

    init(version: UInt32, live: UInt32, checkpoint: UInt64) {
        self.version = version
        self.live = live
        self.checkpoint = checkpoint
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for v in [version, live, building, buildingVersion] { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        for v in [checkpoint, buildingCheckpoint] { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    init(bytes: [UInt8]) throws(LMDBError) {
        guard bytes.count == 32 else { throw LMDBError(code: -30_781, operation: "decode projection record") }
        func u32(_ i: Int) -> UInt32 { bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: i, as: UInt32.self)) } }
        func u64(_ i: Int) -> UInt64 { bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: i, as: UInt64.self)) } }
        version = u32(0)
        live = u32(4)
        building = u32(8)
        buildingVersion = u32(12)
        checkpoint = u64(16)
        buildingCheckpoint = u64(24)
    }
}

/// A projection's state, for `ledger project status`.
public struct ProjectionStatus: Sendable, Hashable {
    public var name: String
    /// The version of the code, and the version the live view was built with.
    public var version: Int
    public var builtVersion: Int
    public var generation: Int
    public var checkpoint: UInt64
    /// Events in the log not yet in the view.
    public var lag: UInt64
    /// A generation being rebuilt beside the live one, and how far it got.
    public var rebuildingGeneration: Int?
    public var rebuildingCheckpoint: UInt64?
    /// False when the view was built on another log than the store's (an older one restored):
    /// its checkpoint and lag mean nothing, and the next catch-up rebuilds it.
    public var builtOnThisLog = true
}
