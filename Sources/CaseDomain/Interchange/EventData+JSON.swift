import Ledger

/// A field of an interchange line that is missing or has the wrong shape.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public var description: String { "\(field): \(reason)" }
}

/// Reads the `data` object of one event, naming the field in every error and refusing fields
/// the type does not have (a typo must not silently drop data).
struct DataReader {
    let path: String
    let object: [String: JSONValue]

    init(_ value: JSONValue?, path: String) throws(DataError) {
        self.path = path
        switch value {
        case .none, .null?: object = [:]
        case .object(let o)?: object = o
        case let other?: throw DataError(field: path, reason: "expected an object, found \(other.kindName)")
        }
    }

    private func fail(_ key: String, _ reason: String) -> DataError { DataError(field: "\(path).\(key)", reason: reason) }

    func string(_ key: String, maxBytes: Int = 1000) throws(DataError) -> String {
        guard let value = try optionalString(key, maxBytes: maxBytes) else { throw fail(key, "is required (a string)") }
        return value
    }

    func optionalString(_ key: String, maxBytes: Int = 1000) throws(DataError) -> String? {
        switch object[key] {
        case .none, .null?: return nil
        case .string(let s)?:
            guard !s.isEmpty else { throw fail(key, "must not be empty") }
            guard s.utf8.count <= maxBytes else { throw fail(key, "is longer than \(maxBytes) bytes") }
            return s
        case let other?: throw fail(key, "expected a string, found \(other.kindName)")
        }
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws(DataError) -> Int {
        guard let v = try optionalInt(key, range) else { throw fail(key, "is required (an integer \(range.lowerBound)–\(range.upperBound))") }
        return v
    }

    func optionalInt(_ key: String, _ range: ClosedRange<Int>) throws(DataError) -> Int? {
        switch object[key] {
        case .none, .null?: return nil
        case .integer(let v)? where range.contains(Int(v)): return Int(v)
        case let other?: throw fail(key, "expected an integer \(range.lowerBound)–\(range.upperBound), found \(describe(other))")
        }
    }

    func bool(_ key: String, default value: Bool? = nil) throws(DataError) -> Bool {
        switch object[key] {
        case .bool(let b)?: return b
        case .none, .null?:
            guard let value else { throw fail(key, "is required (true or false)") }
            return value
        case let other?: throw fail(key, "expected true or false, found \(other.kindName)")
        }
    }

    func word<V: Vocabulary>(_ key: String, as: V.Type = V.self) throws(DataError) -> V {
        guard case .string(let s)? = object[key] else { throw fail(key, "is required (one of \(V.choices))") }
        guard let v = V(rawValue: s) else { throw fail(key, "\"\(s)\" is not one of \(V.choices)") }
        return v
    }

    func strings(_ key: String) throws(DataError) -> [String] {
        switch object[key] {
        case .none, .null?: return []
        case .array(let list)?:
            var out: [String] = []
            for element in list {
                guard case .string(let s) = element, !s.isEmpty else { throw fail(key, "expected an array of strings") }
                out.append(s)
            }
            return out
        case let other?: throw fail(key, "expected an array of strings, found \(other.kindName)")
        }
    }

    func nested(_ key: String) throws(DataError) -> DataReader? {
        guard let value = object[key], value != .null else { return nil }
        return try DataReader(value, path: "\(path).\(key)")
    }

    /// Refuses fields other than `known`.
    func only(_ known: Set<String>) throws(DataError) {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw DataError(field: "\(path).\(unknown)", reason: "is not a field of this event")
        }
    }

    private func describe(_ v: JSONValue) -> String {
        if case .integer(let i) = v { return "\(i)" }
        return v.kindName
    }
}

extension EventRequest {
    /// Reads the `data` object of an interchange line of `type`. For `accepted`, the limits and
    /// the deadline are optional (the ledger fills in what is missing from the catalog and the
    /// calendar).
    public init(type: EventType, json: JSONValue?) throws(DataError) {
        guard type == .accepted else {
            self = .record(try EventData(type: type, json: json))
            return
        }
        let d = try DataReader(json, path: "data")
        try d.only(["item", "window", "legalDays", "promisedDays", "deadline"])
        var deadline: CivilDate?
        if let text = try d.optionalString("deadline") {
            guard let date = CivilDate(iso: text) else {
                throw DataError(field: "data.deadline", reason: "\"\(text)\" is not a date YYYY-MM-DD")
            }
            deadline = date
        }
        self = .accept(AcceptanceRequest(item: try d.string("item"), window: try d.string("window"),
                                         legalDays: try d.optionalInt("legalDays", 0 ... 3650),
                                         promisedDays: try d.optionalInt("promisedDays", 0 ... 3650),
                                         deadline: deadline))
    }
}

extension EventData {
    /// Reads the `data` object of an interchange line of `type` as recorded: an `accepted` needs
    /// its limits and deadline here (`EventRequest(type:json:)` reads one that leaves them out).
    public init(type: EventType, json: JSONValue?) throws(DataError) {
        let d = try DataReader(json, path: "data")
        switch type {
        case .submitted:
            try d.only(["item", "channel", "applicant", "crossRegion", "theme"])
            guard let applicant = try d.nested("applicant") else {
                throw DataError(field: "data.applicant", reason: "is required ({kind, ref})")
            }
            try applicant.only(["kind", "ref"])
            self = .submitted(Submission(item: try d.string("item"), channel: try d.word("channel"),
                                         applicant: Applicant(kind: try applicant.word("kind"), ref: try applicant.string("ref", maxBytes: 100)),
                                         crossRegion: try d.optionalString("crossRegion"), theme: try d.optionalString("theme")))
        case .supplementRequested:
            try d.only(["materials"])
            let materials = try d.strings("materials")
            guard !materials.isEmpty else { throw DataError(field: "data.materials", reason: "name at least one material") }
            self = .supplementRequested(materials: materials)
        case .supplementReceived: try d.only([]); self = .supplementReceived
        case .accepted:
            guard case .accept(let given) = try EventRequest(type: .accepted, json: json),
                  let legalDays = given.legalDays, let promisedDays = given.promisedDays, let deadline = given.deadline
            else { throw DataError(field: "data", reason: "a recorded acceptance states legalDays, promisedDays and deadline") }
            self = .accepted(Acceptance(item: given.item, window: given.window, legalDays: legalDays,
                                        promisedDays: promisedDays, deadline: deadline))
        case .rejected: try d.only(["reason"]); self = .rejected(reason: try d.string("reason"))
        case .materialsReduced:
            try d.only(["count", "via"])
            self = .materialsReduced(count: try d.int("count", 1 ... 1000), via: try d.word("via"))
        case .suspended:
            try d.only(["procedure", "reason"])
            self = .suspended(procedure: try d.word("procedure"), reason: try d.string("reason"))
        case .resumed: try d.only([]); self = .resumed
        case .extended: try d.only(["days"]); self = .extended(days: try d.int("days", 1 ... 60))
        case .transferred: try d.only(["toWindow"]); self = .transferred(toWindow: try d.string("toWindow"))
        case .stepCompleted:
            try d.only(["step", "opinion"])
            self = .stepCompleted(step: try d.word("step"), opinion: try d.optionalString("opinion") ?? "")
        case .visited: try d.only([]); self = .visited
        case .assisted: try d.only(["agent"]); self = .assisted(agent: try d.string("agent"))
        case .approved:
            try d.only(["certificate"])
            if let c = try d.nested("certificate") {
                try c.only(["number", "electronic", "inLibrary"])
                let electronic = try c.bool("electronic", default: false), inLibrary = try c.bool("inLibrary", default: false)
                if inLibrary, !electronic {
                    throw DataError(field: "data.certificate.inLibrary", reason: "only an electronic certificate enters the certificate library")
                }
                self = .approved(certificate: Certificate(number: try c.string("number"), electronic: electronic, inLibrary: inLibrary))
            } else {
                self = .approved(certificate: nil)
            }
        case .denied: try d.only(["reason"]); self = .denied(reason: try d.string("reason"))
        case .withdrawn: try d.only(["reason"]); self = .withdrawn(reason: try d.string("reason"))
        case .delivered: try d.only(["method"]); self = .delivered(method: try d.word("method"))
        case .evaluated:
            try d.only(["level", "channel", "comment"])
            self = .evaluated(Evaluation(level: try d.int("level", 1 ... 5), channel: try d.word("channel"),
                                         comment: try d.optionalString("comment")))
        case .followedUp: try d.only([]); self = .followedUp
        case .rectified: try d.only(["note"]); self = .rectified(note: try d.string("note"))
        case .feedbackGiven: try d.only(["note"]); self = .feedbackGiven(note: try d.string("note"))
        case .appealed:
            try d.only(["ground", "reason"])
            self = .appealed(ground: try d.word("ground"), reason: try d.string("reason"))
        case .appealDecided:
            try d.only(["excluded", "reason"])
            self = .appealDecided(excluded: try d.bool("excluded"), reason: try d.string("reason"))
        case .itemPublished: self = .itemPublished(try CatalogItem(reading: d))
        case .itemRevised: self = .itemRevised(try CatalogItem(reading: d))
        case .contactRead: self = .contactRead(try ContactAccess(reading: d))
        case .contactErased: self = .contactErased(try ContactAccess(reading: d))
        case .departmentGranted: self = .departmentGranted(try DepartmentGrant(reading: d))
        case .departmentGrantRevoked: self = .departmentGrantRevoked(try DepartmentGrant(reading: d))
        }
    }

    /// Writes the `data` object.
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .submitted(let s):
            w.field("item", s.item)
            w.field("channel", s.channel.rawValue)
            w.key("applicant")
            w.beginObject()
            w.field("kind", s.applicant.kind.rawValue)
            w.field("ref", s.applicant.ref)
            w.endObject()
            if let partner = s.crossRegion { w.field("crossRegion", partner) }
            if let theme = s.theme { w.field("theme", theme) }
        case .supplementRequested(let materials): w.field("materials", materials)
        case .supplementReceived, .resumed, .visited, .followedUp: break
        case .accepted(let a):
            w.field("item", a.item)
            w.field("window", a.window)
            w.field("legalDays", a.legalDays)
            w.field("promisedDays", a.promisedDays)
            w.field("deadline", a.deadline.description)
        case .rejected(let reason), .denied(let reason), .withdrawn(let reason): w.field("reason", reason)
        case let .materialsReduced(count, via):
            w.field("count", count)
            w.field("via", via.rawValue)
        case let .suspended(procedure, reason):
            w.field("procedure", procedure.rawValue)
            w.field("reason", reason)
        case .extended(let days): w.field("days", days)
        case .transferred(let window): w.field("toWindow", window)
        case let .stepCompleted(step, opinion):
            w.field("step", step.rawValue)
            if !opinion.isEmpty { w.field("opinion", opinion) }
        case .assisted(let agent): w.field("agent", agent)
        case .approved(let certificate):
            if let certificate {
                w.key("certificate")
                w.beginObject()
                w.field("number", certificate.number)
                w.field("electronic", certificate.electronic)
                if certificate.inLibrary { w.field("inLibrary", true) }
                w.endObject()
            }
        case .delivered(let method): w.field("method", method.rawValue)
        case .evaluated(let e):
            w.field("level", e.level)
            w.field("channel", e.channel.rawValue)
            if let comment = e.comment { w.field("comment", comment) }
        case .rectified(let note), .feedbackGiven(let note): w.field("note", note)
        case let .appealed(ground, reason):
            w.field("ground", ground.rawValue)
            w.field("reason", reason)
        case let .appealDecided(excluded, reason):
            w.field("excluded", excluded)
            w.field("reason", reason)
        case .itemPublished(let item), .itemRevised(let item): item.writeFields(into: &w)
        case .contactRead(let access), .contactErased(let access): access.writeFields(into: &w)
        case .departmentGranted(let grant), .departmentGrantRevoked(let grant): grant.writeFields(into: &w)
        }
        w.endObject()
    }
}

extension CatalogItem {
    init(reading d: DataReader) throws(DataError) {
        try d.only(["code", "name", "department", "level", "legalDays", "promisedDays", "caseType", "onlineCapable",
                    "maxVisits", "crossProvince", "metroCircle", "themes"])
        let legal = try d.int("legalDays", 0 ... 3650)
        let promised = try d.int("promisedDays", 0 ... 3650)
        if legal > 0, promised > legal {
            throw DataError(field: "data.promisedDays", reason: "\(promised) exceeds the legal limit \(legal)")
        }
        self.init(code: try d.string("code", maxBytes: 64), name: try d.string("name"), department: try d.string("department"),
                  level: try d.word("level"), legalDays: legal, promisedDays: promised, caseType: try d.word("caseType"),
                  onlineCapable: try d.bool("onlineCapable", default: true), maxVisits: try d.int("maxVisits", 0 ... 10),
                  crossProvince: try d.bool("crossProvince", default: false), metroCircle: try d.bool("metroCircle", default: false),
                  themes: try d.strings("themes"))
    }

    public func writeFields(into w: inout JSONWriter) {
        w.field("code", code)
        w.field("name", name)
        w.field("department", department)
        w.field("level", level.rawValue)
        w.field("legalDays", legalDays)
        w.field("promisedDays", promisedDays)
        w.field("caseType", caseType.rawValue)
        w.field("onlineCapable", onlineCapable)
        w.field("maxVisits", maxVisits)
        w.field("crossProvince", crossProvince)
        w.field("metroCircle", metroCircle)
        w.field("themes", themes)
    }
}
