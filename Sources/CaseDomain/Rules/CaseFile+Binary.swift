import Ledger

/// A compact binary form of a `CaseFile`, for views that keep one per case. Version 1; the
/// layout is private to the views (they are rebuilt from the log when it changes).
extension CaseFile {
    static let encodingVersion: UInt8 = 2

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        encode(into: &w)
        return w.bytes
    }

    /// Appends the encoding to `w` (the bytes of `encoded()`).
    public func encode(into w: inout ByteWriter) {
        w.u8(CaseFile.encodingVersion)
        w.string(caseNumber.rawValue)
        w.u8(status.map { UInt8(CaseStatus.allCases.firstIndex(of: $0)!) + 1 } ?? 0)
        w.u32(version.map { $0 &+ 1 } ?? 0)
        w.i64(lastEventAt?.milliseconds ?? .min)
        w.bool(submission != nil)
        if let s = submission {
            w.string(s.item)
            w.u8(s.channel.code)
            w.u8(s.applicant.kind.code)
            w.string(s.applicant.ref)
            w.optionalString(s.crossRegion)
        }
        w.bool(acceptance != nil)
        if let a = acceptance {
            w.string(a.item)
            w.string(a.window)
            w.varint(a.legalDays)
            w.varint(a.promisedDays)
            w.u32(UInt32(bitPattern: a.deadline.dayNumber))
            w.i64(acceptedAt?.milliseconds ?? 0)
        }
        w.optionalString(window)
        w.varint(extensionDays)
        w.varint(suspensions.count)
        for period in suspensions {
            w.u32(UInt32(bitPattern: period.start.dayNumber))
            w.u32(UInt32(bitPattern: period.end?.dayNumber ?? Int32.min))
        }
        w.i64(completedAt?.milliseconds ?? .min)
        w.varint(visits)
        w.varint(materialsReduced)
        w.bool(assisted)
        w.varint(evaluations.count)
        for e in evaluations {
            w.u8(UInt8(e.level))
            w.u8(e.channel.code)
            w.optionalString(e.comment)
        }
        w.varint(badReviews.count)
        for review in badReviews { review.encode(into: &w) }
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(ByteDecodingError) {
        var r = ByteReader(bytes)
        guard try r.u8() == CaseFile.encodingVersion else { throw ByteDecodingError("unknown case file version") }
        self.init(caseNumber: CaseNumber(unvalidated: try r.string()))
        let statusCode = Int(try r.u8())
        status = statusCode == 0 ? nil : CaseStatus.allCases[statusCode - 1]
        let v = try r.u32()
        version = v == 0 ? nil : v - 1
        lastEventAt = CaseFile.timestamp(try r.i64())
        if try r.bool() {
            let item = try r.string()
            let channel = try Channel.decode(&r)
            let kind = try ApplicantKind.decode(&r)
            submission = Submission(item: item, channel: channel, applicant: Applicant(kind: kind, ref: try r.string()),
                                    crossRegion: try r.optionalString())
        }
        if try r.bool() {
            acceptance = Acceptance(item: try r.string(), window: try r.string(), legalDays: try r.int(),
                                    promisedDays: try r.int(), deadline: CivilDate(dayNumber: Int32(bitPattern: try r.u32())))
            acceptedAt = Timestamp(milliseconds: try r.i64())
        }
        window = try r.optionalString()
        extensionDays = try r.int()
        let periods = try r.int()
        for _ in 0 ..< periods {
            let start = CivilDate(dayNumber: Int32(bitPattern: try r.u32()))
            let end = Int32(bitPattern: try r.u32())
            suspensions.append(SuspensionPeriod(start: start, end: end == .min ? nil : CivilDate(dayNumber: end)))
        }
        completedAt = CaseFile.timestamp(try r.i64())
        visits = try r.int()
        materialsReduced = try r.int()
        assisted = try r.bool()
        let count = try r.int()
        for _ in 0 ..< count {
            evaluations.append(Evaluation(level: Int(try r.u8()), channel: try ReviewChannel.decode(&r), comment: try r.optionalString()))
        }
        let bad = try r.int()
        guard bad <= r.remaining else { throw ByteDecodingError("bad review count \(bad) exceeds the case file") }
        for _ in 0 ..< bad { badReviews.append(try BadReview(decoding: &r)) }
        guard r.isAtEnd else { throw ByteDecodingError("\(r.remaining) unexpected bytes after a case file") }
    }

    static func timestamp(_ ms: Int64) -> Timestamp? { ms == .min ? nil : Timestamp(milliseconds: ms) }
}

extension BadReview {
    func encode(into w: inout ByteWriter) {
        w.varint(ordinal)
        w.u8(UInt8(clamping: level))
        w.i64(reviewedAt.milliseconds)
        w.optionalString(window)
        w.i64(calledBackAt?.milliseconds ?? .min)
        w.i64(appealedAt?.milliseconds ?? .min)
        w.u8(appealGround.map { $0.code + 1 } ?? 0)
        w.i64(appealDecidedAt?.milliseconds ?? .min)
        w.bool(excluded)
        w.i64(rectifiedAt?.milliseconds ?? .min)
        w.i64(fedBackAt?.milliseconds ?? .min)
    }

    init(decoding r: inout ByteReader) throws(ByteDecodingError) {
        self.init(ordinal: try r.int(), level: Int(try r.u8()), reviewedAt: Timestamp(milliseconds: try r.i64()),
                  window: try r.optionalString())
        calledBackAt = CaseFile.timestamp(try r.i64())
        appealedAt = CaseFile.timestamp(try r.i64())
        let ground = try r.u8()
        if ground != 0 {
            guard let known = AppealGround(code: ground - 1) else { throw ByteDecodingError("unknown appeal ground \(ground - 1)") }
            appealGround = known
        }
        appealDecidedAt = CaseFile.timestamp(try r.i64())
        excluded = try r.bool()
        rectifiedAt = CaseFile.timestamp(try r.i64())
        fedBackAt = CaseFile.timestamp(try r.i64())
    }
}
