import Foundation
import PostgresNIO
import Ledger

/// Why the feed stopped. Each description is one line that says what was wrong and what to do.
public enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ledger id is not 1–32 letters, digits, `_` or `-`.
    case invalidLedgerID(String)
    /// The log has no case events to take a ledger id from.
    case noLedgerID
    /// The URL is not `postgres://user[:password]@host[:port]/database`.
    case invalidURL(String, reason: String)
    /// The log does not extend the digest shipped last: it was rewritten, altered or truncated.
    case logDoesNotExtendShipped(ledgerID: String, shipped: ChainDigest, problem: String)
    /// A record of the log does not hash or link as the chain requires.
    case brokenChain(ledgerID: String, seq: UInt64, problem: String)
    /// Another feed shipped this ledger meanwhile (its checkpoint moved under this one).
    case checkpointMoved(ledgerID: String, expected: UInt64, found: UInt64)
    /// The database holds migrations this program does not know (a newer feed wrote it).
    case schemaTooNew(database: Int, known: Int)
    /// The connection closed while the feed was using it (PostgreSQL stopped or restarted).
    case connectionLost
    /// PostgreSQL did not answer within the feed's transaction timeout (a dead network path, a
    /// half-open connection, a stuck server), so the feed dropped the connection.
    case stalled(seconds: Int64)

    public var description: String {
        switch self {
        case .invalidLedgerID(let id):
            "invalid ledger id \"\(id)\": use 1 to 32 letters, digits, '_' or '-' (e.g. --ledger-id LZH)"
        case .noLedgerID:
            "the log has no case events to take a ledger id from: pass --ledger-id ID"
        case let .invalidURL(url, reason):
            "invalid PostgreSQL URL \"\(url)\": \(reason) (expected postgres://user[:password]@host[:port]/database)"
        case let .logDoesNotExtendShipped(id, shipped, problem):
            "refusing to ship \(id): the log does not extend the digest shipped last, \(shipped) (\(problem)); the city's copy is left as it is — check the district's log with `ledger verify --digest \(shipped)`"
        case let .brokenChain(id, seq, problem):
            "refusing to ship \(id): seq \(seq) \(problem); run `ledger verify` on the district's store"
        case let .checkpointMoved(id, expected, found):
            "another feed shipped \(id) meanwhile (checkpoint \(found), expected \(expected)): run one feed per ledger"
        case .connectionLost:
            "lost the connection to PostgreSQL (a batch in flight commits whole or not at all): run the feed again once PostgreSQL is up; it resumes from its checkpoint"
        case let .stalled(seconds):
            "PostgreSQL did not answer within \(seconds) s, so the connection was dropped (a batch in flight commits whole or not at all): check the network path to PostgreSQL; the feed resumes from its checkpoint"
        case let .schemaTooNew(database, known):
            "the database's feed schema is at version \(database), this program knows up to \(known): use a newer ledger"
        }
    }

    /// Checks a ledger id.
    public static func validate(ledgerID: String) throws(FeedError) {
        let valid = (1 ... 32).contains(ledgerID.utf8.count) && ledgerID.utf8.allSatisfy {
            (48 ... 57).contains($0) || (65 ... 90).contains($0) || (97 ... 122).contains($0) || $0 == 95 || $0 == 45
        }
        guard valid else { throw .invalidLedgerID(ledgerID) }
    }
}

extension FeedError {
    /// One line for any error the feed can end with: PostgreSQL's own errors say what the server
    /// said (postgres-nio keeps its details out of `description`).
    public static func line(for error: any Error, url: String) -> String {
        if let error = error as? FeedError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return "PostgreSQL refused: \(message)\(state); nothing more was shipped"
            }
            let cause = error.underlying.map { ": \($0)" } ?? ""
            return "lost or could not reach PostgreSQL at \(redacted(url))\(cause); run the feed again once it is up (it resumes from its checkpoint)"
        }
        if error is IOError || error is ChannelError || error is NIOConnectionError {
            return "could not reach PostgreSQL at \(redacted(url)): \(error); run the feed again once it is up (it resumes from its checkpoint)"
        }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    /// The URL without its password.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
