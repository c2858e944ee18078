import CaseDomain
import ContactsVault
import Foundation
import Hummingbird
import Ledger
import NIOCore

/// Applicants' contacts (the vault in STORE/contacts) over HTTP, under the CLI's rules: a clerk
/// reads a contact only from one of their windows that holds one of the applicant's cases, each
/// read first recorded on the log's ACCESS stream; an admin erases; an auditor reads who looked.
/// Nobody else, and never with the pages' cookie. Nothing of a contact reaches a log line: the
/// request log names the route template, never the pseudonym, and bodies are never logged.
struct ContactsController {
    let hall: Hall

    func register(on router: HallRoutes) {
        router.get("/applicants/{pseudonym}/contact") { request, context in try await contact(request, context) }
        router.post("/applicants/{pseudonym}/erase") { request, context in try await erase(request, context) }
        router.get("/applicants/{pseudonym}/accesses") { request, context in try accesses(request, context) }
    }

    /// The vault, or 404 when the store has none.
    private func vault() throws -> ContactsVault {
        guard let vault = hall.contacts else {
            throw HallError.notFound("this store has no contacts vault (add a contact with `ledger applicant add`)")
        }
        return vault
    }

    func contact(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.clerk], to: "read an applicant's contact")
        try Self.refuseCookie(context)
        let input = RequestInput(request: request, context: context)
        let pseudonym = try input.pseudonym()
        let reason = try input.reason(default: "回访")
        let asked = try input.window(input.query("window"), in: hall)
        if let asked, !principal.windows.contains(asked) {
            throw HallError.forbidden("this token works at \(CaseController.list(principal.windows)), not \(asked)")
        }
        let vault = try vault()
        // The window the clerk reads from: the one asked for, or the first of theirs that holds one of
        // the applicant's cases. None: the vault refuses (403), and nothing is read or recorded.
        let candidates = asked.map { [$0] } ?? principal.windows.sorted()
        guard let fallback = candidates.first else { throw HallError.forbidden("this clerk's token has no window") }
        let window = try Self.vaultCall { try candidates.first { try vault.window($0, holdsCaseOf: pseudonym) } } ?? fallback
        let lookup = try await Self.vaultCall {
            try await vault.contact(of: pseudonym, readBy: .clerk(principal.name, window: window), reason: reason)
        }
        switch lookup {
        case .contact(let c):
            return Reply.json { w in
                w.beginObject()
                w.field("pseudonym", c.pseudonym.text)
                w.field("name", c.details.name)
                w.field("mobile", c.details.mobile.digits)
                w.key("idNumber")
                if let id = c.details.idNumber { w.value(id.normalized) } else { w.null() }
                w.field("added", c.addedAt.chinaTime)
                w.field("window", window)
                w.endObject()
            }
        case .erased(let e):
            throw HallError(.gone, "erased", "the contact of \(e.pseudonym) was erased at \(e.at.chinaTime): \(e.reason)")
        }
    }

    func erase(_ request: Request, _ context: HallRequestContext) async throws -> Response {
        let principal = try context.require([.admin], to: "erase an applicant's contact")
        try Self.refuseCookie(context)
        let pseudonym = try RequestInput(request: request, context: context).pseudonym()
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: 8 * 1024) } catch is NIOTooManyBytesError {
            throw HallError(.contentTooLarge, "too_large", "an erasure's body is {\"reason\": TEXT}, at most 8 KiB")
        }
        let reason = try Self.reason(inBody: Array(buffer: body))
        let vault = try vault()
        let erasure = try await Self.vaultCall { try await vault.erase(pseudonym, by: principal.name, reason: reason) }
        return Reply.json { w in
            w.beginObject()
            w.field("pseudonym", erasure.pseudonym.text)
            w.field("erased", erasure.at.chinaTime)
            w.field("by", erasure.actor)
            w.field("reason", erasure.reason)
            w.endObject()
        }
    }

    func accesses(_ request: Request, _ context: HallRequestContext) throws -> Response {
        _ = try context.require([.auditor], to: "read who looked at an applicant's contact")
        let pseudonym = try RequestInput(request: request, context: context).pseudonym()
        let accesses = try hall.ledger.accesses(of: pseudonym.text)
        return Reply.json { w in
            w.beginObject()
            w.field("pseudonym", pseudonym.text)
            w.key("accesses")
            w.beginArray()
            for a in accesses {
                w.beginObject()
                w.field("seq", Int(a.seq))
                w.field("at", a.at.chinaTime)
                w.field("actor", a.actor)
                w.field("type", a.type.name)
                w.field("reason", a.access.reason)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    private static func refuseCookie(_ context: HallRequestContext) throws {
        guard !context.viaCookie else {
            throw HallError.forbidden("contacts are read with an Authorization: Bearer header, not the pages' cookie")
        }
    }

    /// `{"reason": TEXT}`: why the contact is erased (recorded; whose request, not their data).
    static func reason(inBody bytes: [UInt8]) throws -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        guard let object, let reason = object["reason"] as? String else {
            throw HallError.badRequest("the body must be {\"reason\": TEXT}: why the contact is erased")
        }
        guard (1 ... 1000).contains(reason.utf8.count) else { throw HallError.badRequest("the reason must be 1 to 1000 bytes") }
        return reason
    }

    /// Runs a vault call, turning its refusals into the API's errors.
    private static func vaultCall<R>(_ body: () async throws -> R) async throws -> R {
        do { return try await body() } catch let error as VaultError { throw Self.hallError(error) }
    }

    private static func vaultCall<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as VaultError { throw Self.hallError(error) }
    }

    static func hallError(_ error: VaultError) -> HallError {
        switch error {
        case .invalidPseudonym: HallError(.badRequest, "bad_pseudonym", error.description)
        case .invalidReason: HallError.badRequest("?reason must be 1 to 1000 bytes: why the contact is read")
        case .unknownApplicant: HallError.notFound(error.description)
        case .notPermitted: HallError.forbidden(error.description)
        case .alreadyErased: HallError(.conflict, "already_erased", error.description)
        // The vault's files or keys are damaged or missing: the custodian's problem, not the caller's.
        default: HallError(.internalServerError, "vault_unavailable", "the contacts vault cannot open this contact; the store's custodian must check its keys")
        }
    }
}

extension RequestInput {
    /// `{pseudonym}`: P- and 32 lowercase hex digits.
    func pseudonym() throws -> Pseudonym {
        let raw = context.parameters.get("pseudonym") ?? ""
        do { return try Pseudonym(raw) } catch {
            throw HallError(.badRequest, "bad_pseudonym", "\"\(raw.prefix(40))\" is not a pseudonym (P- and 32 lowercase hex digits)")
        }
    }

    /// `?reason=`: why personal data is read (recorded with the read), 1 to 1000 bytes.
    func reason(default fallback: String) throws -> String {
        guard let text = query("reason") else { return fallback }
        guard (1 ... 1000).contains(text.utf8.count) else { throw HallError.badRequest("?reason must be 1 to 1000 bytes: why the contact is read") }
        return text
    }
}
